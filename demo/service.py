"""Demo data of the service app: licence applications in every state, licences (some expiring soon,
for the reminders), a temporary land approval, a refusal (published masked), a hearing under way, a
revoked licence with its decision delivered by post, a patrol record and a published random draw —
all through service.services. Idempotent: nothing is added when the county already has applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from service import selectors, services
from service.models import Application, LicenceKind

APPLICANTS = [
    # name, credit code / identity number, phone, e-mail, address
    (
        "信丰县恒达建材有限公司",
        "91360722MA35A1B2C3",
        "13907970001",
        "hengda@example.com",
        "信丰县嘉定镇工业园8号（示例）",
    ),
    (
        "信丰县金鑫矿业有限公司",
        "91360722MA35D4E5F6",
        "13907970002",
        "jinxin@example.com",
        "信丰县大塘埠镇矿区路1号（示例）",
    ),
    (
        "赣州市通达路桥工程有限公司",
        "91360700MA35G7H8J9",
        "13907970003",
        "tongda@example.com",
        "赣州市章贡区（示例）",
    ),
    ("刘建国", "360722197805120312", "13907970004", "", "信丰县嘉定镇东门村（示例）"),
    (
        "信丰县绿源农业开发有限公司",
        "91360722MA35K1L2M3",
        "13907970005",
        "lvyuan@example.com",
        "信丰县古陂镇（示例）",
    ),
]


def _submit(loader: Any, actor: Any, kind: str, who: int, project: str, location: str, **kw: Any) -> Any:
    name, ident, phone, email, address = APPLICANTS[who]
    return services.application_submit(
        actor=actor.user if actor else None,
        agency_id=loader.agencies["county"].pk,
        kind_id=LicenceKind.objects.get(code=kind).pk,
        applicant_name=name,
        applicant_id_number=ident,
        applicant_phone=phone,
        applicant_email=email,
        applicant_address=address,
        project=project,
        location=location,
        **kw,
    )


def _licence(
    loader: Any,
    officer: Any,
    kind: str,
    who: int,
    project: str,
    location: str,
    *,
    valid_from: dt.date,
    valid_until: dt.date,
    risk: str = "medium",
    **terms: Any,
) -> Any:
    app = _submit(loader, officer, kind, who, project, location)
    services.application_accept(actor=officer.user, application=app)
    services.application_decide(
        actor=officer.user,
        application=app,
        grant=True,
        terms={
            "valid_from": valid_from,
            "valid_until": valid_until,
            "risk_level": risk,
            "conditions": "按批准的范围和条件实施，接受许可后监督检查",
            **terms,
        },
    )
    return services.application_issue(actor=officer.user, application=app, supervision_number="")


def load(loader: Any) -> str | None:
    county = loader.agencies["county"]
    if Application.objects.filter(agency=county).exists():
        return None
    today: dt.date = loader.today
    o = loader.officers
    planner, miner, lander = o["zhuting"], o["wuhao"], o["hejun"]
    year = dt.timedelta(days=365)
    # Licences in force: one expiring in 25 days (reminders' 30-day rule), one in 80 days, others later.
    licences = [
        _licence(
            loader,
            miner,
            "mining",
            1,
            "信丰县大塘埠镇建筑用花岗岩矿开采",
            "大塘埠镇矿区",
            valid_from=today - 5 * year,
            valid_until=today + dt.timedelta(days=80),
            risk="high",
        ),
        _licence(
            loader,
            planner,
            "construction_project_planning",
            0,
            "恒达建材厂房扩建工程",
            "嘉定镇工业园8号",
            valid_from=today - dt.timedelta(days=340),
            valid_until=today + dt.timedelta(days=25),
        ),
        _licence(
            loader,
            planner,
            "rural_construction_planning",
            3,
            "村民自建住房",
            "嘉定镇东门村",
            valid_from=today,
            valid_until=today + year,
            risk="low",
        ),
        _licence(
            loader,
            lander,
            "temporary_land",
            2,
            "赣韶高速连接线施工临时用地",
            "嘉定镇长岗村",
            valid_from=today,
            valid_until=today + 2 * year,
            return_date=today + 2 * year + dt.timedelta(days=180),
        ),
        _licence(
            loader,
            planner,
            "construction_land_planning",
            4,
            "绿源农产品加工园用地",
            "古陂镇",
            valid_from=today,
            valid_until=today + 2 * year,
        ),
    ]
    # Applications under way: an online one nobody has taken, one waiting for materials, one accepted.
    _submit(
        loader,
        None,
        "construction_project_planning",
        4,
        "绿源农产品冷库新建工程",
        "古陂镇",
        description="冷库一座，建筑面积1200平方米。",
    )
    waiting = _submit(
        loader, planner, "construction_project_planning", 0, "恒达建材办公楼新建工程", "嘉定镇工业园8号"
    )
    services.application_request_correction(
        actor=planner.user, application=waiting, missing=["建设工程设计方案总平面图", "土地使用权属证明文件"]
    )
    accepted = _submit(loader, miner, "exploration", 1, "大塘埠镇钨矿普查", "大塘埠镇北部")
    services.application_accept(actor=miner.user, application=accepted)
    # A hearing on the exploration: the right notified, the request recorded (the decision clock stops).
    acceptance = services.subject_documents(accepted).get(kind="licence_acceptance")
    services.notice_delivery_record(
        actor=miner.user,
        subject=accepted,
        document_id=acceptance.pk,
        method="window",
        delivered_on=acceptance.issued_on,  # not `today`: a load that crosses midnight issued it a day later
        recipient="李金鑫（委托代理人，示例）",
    )
    hearing = services.hearing_notify_right(
        actor=miner.user,
        application=accepted,
        reason="探矿范围涉及北坑村集体林地，直接关系他人重大利益",
    )
    services.hearing_request(
        actor=miner.user, hearing=hearing, requested_by="信丰县大塘埠镇北坑村村民委员会", on=today
    )
    # A refusal (不予行政许可), published on the portal with the person's data masked.
    refused = _submit(
        loader, planner, "rural_construction_planning", 3, "村民自建住房（二期）", "嘉定镇东门村北侧"
    )
    services.application_accept(actor=planner.user, application=refused)
    services.application_decide(
        actor=planner.user,
        application=refused,
        grant=False,
        reason="拟建住房占用永久基本农田，不符合国土空间规划和用途管制要求",
    )
    # A licence obtained with false materials, revoked by the head (Art.69) and the decision posted.
    head = o["wangqiang"]
    cheat = _licence(
        loader,
        lander,
        "temporary_land",
        4,
        "绿源农业临时堆场用地",
        "古陂镇蕉坑村",
        valid_from=today - dt.timedelta(days=60),
        valid_until=today + year,
        return_date=today + year + dt.timedelta(days=90),
    )
    services.licence_end(
        actor=head.user,
        licence=cheat,
        how="revoke",
        reason="被许可人提交的土地复垦方案及权属证明系伪造，以欺骗手段取得临时用地批准",
        legal_basis="《中华人民共和国行政许可法》第六十九条第二款",
    )
    services.notice_delivery_record(
        actor=head.user,
        subject=cheat,
        document_id=services.subject_documents(cheat).get().pk,
        method="post",
        delivered_on=today,
        recipient="信丰县绿源农业开发有限公司",
        note="EMS 1190000000000（示例）",
    )
    # A renewal filed in time for the mining licence.
    _submit(
        loader,
        miner,
        "mining",
        1,
        "信丰县大塘埠镇建筑用花岗岩矿开采（延续）",
        "大塘埠镇矿区",
        renewal_of_id=licences[0].pk,
    )
    # A routine patrol and a published random draw of the planning licences.
    services.patrol_record(
        actor=o["zhangwei"].user,
        agency=county,
        on=today,
        route="嘉定镇—大塘埠镇—古陂镇",
        officer_ids=[o["zhangwei"].pk, o["liuyang"].pk],
        findings="沿线未发现新增违法用地；大塘埠镇矿区按许可范围开采。",
    )
    draw = services.draw_make(
        actor=planner.user,
        agency=county,
        title=f"{today.year}年城乡规划许可双随机抽查（示例）",
        field_code="planning",
        n=1,
        seed=f"demo-{today.year}",
    )
    for inspection in draw.inspections.all():
        services.inspection_record(
            actor=planner.user,
            inspection=inspection,
            officer_ids=[p for p in draw.picks[0]["officers"]],
            findings="按许可证载明的范围和条件建设，未发现违法行为。",
        )
    services.draw_publish(actor=planner.user, draw=draw)
    soon = (
        selectors.visible_licences(None)
        .filter(agency=county, valid_until__lte=today + dt.timedelta(days=30))
        .count()
    )
    return (
        f"许可：{len(licences)} 件许可证（{soon} 件30日内到期）、1 件已撤销许可、4 件在办申请（1 件听证中）、"
        "1 件不予许可、1 次动态巡查、1 次已公开的双随机抽查"
    )
