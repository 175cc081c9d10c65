"""The demo's penalty cases: about forty 非法占用土地 cases of the county bureau in every state of the
general procedure, driven through the cases and review services with dates in the past.

Every name, parcel and identity number is sample data (示例数据); the identity numbers are made up
and only carry valid check digits (GB 11643 / GB 32100, computed with python-stdnum).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stdnum.cn import ric, uscc

REGION = "360722"  # 信丰县
SQM_PER_MU = Decimal("666.67")

# Officer pairs of the demo (lead, assistant): all hold a valid 执法证 for land.
PAIRS = [("zhangwei", "liuyang"), ("xuli", "maqiang"), ("linfeng", "hejun")]
HEAD = "wangqiang"
REVIEWERS = ["lina", "guoyu"]  # 法规科; never handlers of a demo case

TOWNS = [
    ("嘉定镇", ["东门村", "西牛坝村", "龙舌村", "水东村"]),
    ("大塘埠镇", ["大塘村", "长岗村", "坳背村"]),
    ("古陂镇", ["古陂村", "蛇塘村", "太平村"]),
    ("大桥镇", ["大桥村", "新桥村"]),
    ("新田镇", ["新田村", "百石村"]),
    ("安西镇", ["安西村", "河坝村"]),
    ("小江镇", ["小江村", "山香村"]),
    ("铁石口镇", ["铁石口村", "大坪村"]),
    ("西牛镇", ["西牛村", "曾屋村"]),
    ("正平镇", ["正平村", "中心村"]),
]
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["建国", "春生", "桂英", "金华", "秀兰", "水生", "国平", "冬梅", "德明", "小红", "石生", "福林"]
COMPANIES = [
    "信丰县某建材有限公司",
    "信丰县某砂石开发有限公司",
    "赣州某农业开发有限公司",
    "信丰县某物流有限公司",
    "信丰县某混凝土有限公司",
    "信丰县某养殖专业合作社",
]
USES = [
    ("建房", "未经批准占用{land}建设住房一栋"),
    ("堆场", "未经批准占用{land}硬化地面作砂石堆场"),
    ("厂房", "未经批准占用{land}建设钢构厂房"),
    ("养殖", "未经批准占用{land}建设养殖棚舍"),
    ("停车场", "未经批准占用{land}硬化作停车场"),
]
LAND_LABELS = {"basic_farmland": "永久基本农田", "farmland": "一般耕地", "other": "林地及其他农用地"}

# How many demo cases end in each status (the general procedure); 42 in all.
SPREAD = [
    ("lead", 3),
    ("preliminary_check", 3),
    ("declined", 2),
    ("registered", 3),
    ("investigating", 3),
    ("investigation_reported", 3),
    ("notified", 3),
    ("hearing_requested", 2),
    ("hearing_scheduled", 2),
    ("hearing_held", 2),
    ("decided", 3),
    ("delivered", 2),
    ("executing", 2),
    ("executed", 2),
    ("closed", 3),
    ("archived", 1),
    ("no_penalty", 2),
    ("transferred", 1),
]

BASE = ["check", "register", "investigate", "report", "notify"]
DECIDE = [*BASE, "record_statement", "decide"]
ROUTES: dict[str, list[str]] = {
    "lead": [],
    "preliminary_check": ["check"],
    "declined": ["check", "decline"],
    "registered": ["check", "register"],
    "investigating": ["check", "register", "investigate"],
    "investigation_reported": ["check", "register", "investigate", "report"],
    "notified": BASE,
    "hearing_requested": [*BASE, "request_hearing"],
    "hearing_scheduled": [*BASE, "request_hearing", "schedule_hearing"],
    "hearing_held": [*BASE, "request_hearing", "schedule_hearing", "hold_hearing"],
    "decided": DECIDE,
    "delivered": [*DECIDE, "deliver"],
    "executing": [*DECIDE, "deliver", "execute"],
    "executed": [*DECIDE, "deliver", "execute", "complete_execution"],
    "closed": [*DECIDE, "deliver", "execute", "complete_execution", "close"],
    "archived": [*DECIDE, "deliver", "execute", "complete_execution", "close", "archive"],
    "no_penalty": ["check", "register", "investigate", "report", "decide_no_penalty"],
    "transferred": ["check", "register", "investigate", "transfer"],
}
HEAD_ACTIONS = {"decline", "register", "decide", "decide_no_penalty", "transfer", "close"}
# Day of each action after the discovery of the lead (calendar days).
DAY = {
    "check": 1,
    "decline": 5,
    "register": 4,
    "investigate": 5,
    "report": 25,
    "notify": 28,
    "record_statement": 31,
    "request_hearing": 29,
    "decide": 40,
    "decide_no_penalty": 35,
    "transfer": 20,
    "deliver": 42,
    "execute": 43,
    "complete_execution": 55,
    "close": 58,
    "archive": 62,
}


def resident_id(n: int) -> str:
    """A fictitious 身份证号 of 信丰县 with a valid check digit."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=199 * n)
    body = f"{REGION}{birth:%Y%m%d}{100 + n * 7 % 900:03d}"
    number = body + ric.calc_check_digit(body + "0")  # stdnum reads the digits before the last
    # Checksum and birth date valid; stdnum's region table predates 360722 (a warning, not an error).
    assert ric.calc_check_digit(number) == number[-1] and ric.get_birth_date(number) == birth, number
    return number


def company_code(n: int) -> str:
    """A fictitious 统一社会信用代码 registered in 信丰县 with a valid check digit."""
    body = f"91{REGION}MA3{n:05d}X"[:17]
    number = body + uscc.calc_check_digit(body + "0")
    assert uscc.is_valid(number), number
    return number


@dataclass
class DemoCase:
    title: str
    status: str
    party_type: str
    party_name: str
    id_number: str
    address: str
    land_class: str
    area_m2: Decimal
    parcel: str
    village: str
    description: str
    lead: str
    assistant: str
    reviewer: str
    fine: Decimal
    heavy: bool
    discovered_on: dt.date


GROUPS = "一二三四五六七八"

FINISHED = {"declined", "closed", "archived", "no_penalty", "transferred"}


def _age(status: str, n: int) -> int:
    """Days since discovery: finished cases are older; open ones took their last step days ago."""
    last = max((DAY.get(a, 0) for a in ROUTES[status]), default=0)
    if status.startswith("hearing"):
        last = DAY["request_hearing"] + 2 + 14
    return last + (60 + n * 7 % 120 if status in FINISHED else 3 + n * 3 % 18)


def demo_cases(today: dt.date) -> list[DemoCase]:
    """The plan: deterministic, so that a second run finds the same titles."""
    out: list[DemoCase] = []
    n = 0
    for status, count in SPREAD:
        for _k in range(count):
            town, villages = TOWNS[n % len(TOWNS)]
            village = f"{town}{villages[n % len(villages)]}"
            land_class = ("farmland", "basic_farmland", "other", "farmland")[n % 4]
            hearing = status.startswith("hearing")
            company = n % 3 == 2
            if status == "transferred":
                land_class, area = "basic_farmland", Decimal(4200)  # 6.3 亩 ≥ 5 亩: suspected crime
            else:
                area = Decimal(120 + (n * 137) % 1800)
            use, act = USES[n % len(USES)]
            if company:
                name, id_number = COMPANIES[n % len(COMPANIES)], company_code(n + 1)
                party_type = "legal"
                title = f"{name}非法占用土地{use}案"
            else:
                name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
                id_number, party_type = resident_id(n + 1), "natural"
                title = f"{name}非法占用土地{use}案"
            # Fines per m² as in the discretion standard (示例): 10–30 元/m²; every fifth individual case
            # above 1万元 goes through legal review (法制审核) before the decision.
            per_m2 = Decimal(30 if land_class == "basic_farmland" else 20 if land_class == "farmland" else 10)
            fine = (area * per_m2).quantize(Decimal("1"))
            if not company and n % 5 == 0 and status in ("decided", "delivered", "executing", "closed"):
                fine = max(fine, Decimal(12000))
            elif not company:
                fine = min(fine, Decimal(9800))
            fine = min(fine, Decimal(29000))
            lead, assistant = PAIRS[n % len(PAIRS)]
            mu = (area / SQM_PER_MU).quantize(Decimal("0.01"))
            out.append(
                DemoCase(
                    title=f"{title}（示例{n + 1:02d}）",
                    status=status,
                    party_type=party_type,
                    party_name=name,
                    id_number=id_number,
                    # A household address down to the house number, as a resident's is: a village
                    # alone is also where the land lies, which decisions publish.
                    address=f"信丰县{village}{GROUPS[n % len(GROUPS)]}组{n * 7 % 40 + 1}号",
                    land_class=land_class,
                    area_m2=area,
                    parcel=f"{REGION}-{2024 + n % 2}-{n + 1:04d}",
                    village=village,
                    description=(
                        f"巡查发现{village}（图斑{REGION}-{2024 + n % 2}-{n + 1:04d}）"
                        + act.format(land=LAND_LABELS[land_class])
                        + f"，面积约{area}平方米（合{mu}亩）。"
                    ),
                    lead=lead,
                    assistant=assistant,
                    reviewer=REVIEWERS[n % 2],
                    fine=fine,
                    heavy=hearing,
                    discovered_on=today - dt.timedelta(days=_age(status, n)),
                )
            )
            n += 1
    return out


def step_data(action: str, case: Any, plan: DemoCase, on: dt.date, chair_id: int) -> dict[str, Any]:
    from core.services.calendar import add_workdays

    d = on.isoformat()
    if action == "report":
        if plan.status == "no_penalty":
            return {
                "proposed_outcome": "first_violation",
                "report": "当事人系首次违法，危害后果轻微并及时改正。",
            }
        kinds = ["fine", "demolition"] if plan.heavy else ["fine"]
        return {
            "proposed_outcome": "penalty",
            "kinds": kinds,
            "amount": str(plan.fine),
            "report": f"经调查，{plan.party_name}{plan.description[2:]}违反《土地管理法》第四十四条。",
        }
    data: dict[str, dict[str, Any]] = {
        "decline": {"reason": "经核查，该地块已依法办理农用地转用审批手续，不予立案。"},
        "notify": {"delivered_on": d},
        "record_statement": {
            "received_on": d,
            "points": [{"point": "当事人称占地面积有误", "response": "经实地复测，面积与调查认定一致"}],
            "hearing_waived": True,
        },
        "request_hearing": {"requested_on": d},
        "schedule_hearing": {
            "notice_on": d,
            "hearing_date": add_workdays(on, 8).date.isoformat(),
            "chair_id": chair_id,
        },
        "hold_hearing": {"held_on": d, "attended": True, "record": "当事人到场陈述，对占地事实无异议。"},
        "decide": {"decided_on": d},
        "decide_no_penalty": {"outcome": "first_violation", "decided_on": d},
        "transfer": {
            "to": "public_security",
            "reason": "占用永久基本农田面积达到刑事立案标准，涉嫌非法占用农用地罪",
            "recipient": "信丰县公安局",
        },
        "deliver": {"delivered_on": d, "method": "direct"},
        "complete_execution": {
            "completed_on": d,
            "paid_amount": str(case.decided_amount or "0"),
            "receipt_number": f"赣非税{on:%Y%m%d}{case.pk:04d}",
        },
    }
    return data.get(action, {})


def load_cases(*, agency: Any, officers: dict[str, Any], today: dt.date) -> int:
    """Create the demo cases unless they exist (by title); returns how many were created."""
    from cases.models import Case
    from cases.services import case_act, case_facts_update, case_officer_assign, lead_register, party_add
    from core.services.calendar import add_workdays
    from review.models import ChecklistPoint, PointVerdict
    from review.services import legal_review_conclude, legal_review_submit

    plans = demo_cases(today)
    if Case.objects.filter(agency=agency, title__in=[p.title for p in plans]).exists():
        return 0
    head = officers[HEAD].user
    chair = officers["zhuting"]  # 国土空间规划股: never an investigator of a demo case
    checklist = {
        p.value: {
            "verdict": PointVerdict.NOT_APPLICABLE if p == ChecklistPoint.CRIME_TRANSFER else "compliant"
        }
        for p in ChecklistPoint
    }
    for plan in plans:
        lead = officers[plan.lead].user
        case = lead_register(
            actor=lead,
            agency=agency,
            source="patrol",
            discovered_on=plan.discovered_on,
            description=plan.description,
            location=plan.village,
            title=plan.title,
        )
        party_add(
            actor=lead,
            case=case,
            party_type=plan.party_type,
            name=plan.party_name,
            id_number=plan.id_number,
            address=plan.address,
            representative="法定代表人（示例）" if plan.party_type != "natural" else "",
        )
        case_facts_update(
            actor=lead,
            case=case,
            act_started_on=plan.discovered_on - dt.timedelta(days=40),
            continuing=True,
            facts={
                "land_class": plan.land_class,
                "area_m2": str(plan.area_m2),
                "parcel": plan.parcel,
                "village": plan.village,
                "location": plan.village,
                # what the documents state (行政处罚法 Art.59): the provision violated and the evidence
                "legal_basis": "《中华人民共和国土地管理法》第七十七条第一款",
                "evidence": [
                    f"现场勘测笔录及勘测定界图（图斑{plan.parcel}）",
                    "询问笔录",
                    "现场照片",
                    "土地利用现状图及国土空间规划图",
                    "营业执照复印件" if plan.party_type != "natural" else "当事人身份证复印件",
                ],
            },
        )
        if plan.status != "lead":
            case_officer_assign(actor=head, case=case, officer_id=officers[plan.lead].pk, role="lead")
            case_officer_assign(actor=head, case=case, officer_id=officers[plan.assistant].pk)
        case.refresh_from_db()
        hearing_on = None
        for action in ROUTES[plan.status]:
            on = plan.discovered_on + dt.timedelta(days=DAY.get(action, 0))
            if action == "schedule_hearing":
                on = plan.discovered_on + dt.timedelta(days=DAY["request_hearing"] + 2)
                hearing_on = add_workdays(on, 8).date
            elif action == "hold_hearing":
                on = hearing_on or on
            if action == "decide" and plan.fine >= 10000 and plan.party_type == "natural":
                review = legal_review_submit(
                    actor=lead, case_id=case.pk, note="拟处较大数额罚款，提请法制审核。"
                )
                legal_review_conclude(
                    actor=officers[plan.reviewer].user,
                    review=review,
                    checklist=checklist,
                    opinion="pass",
                    reasons="",
                )
            if action == "close":
                _publish_decision(case, approver=head, publisher=lead)
            if action == "archive":
                from records.services.archive import archive_build

                archive_build(actor=lead, case=case)  # the case file's package (records), then 归档
            actor = head if action in HEAD_ACTIONS else lead
            case = case_act(
                case=case,
                actor=actor,
                action=action,
                data=step_data(action, case, plan, on, chair.pk),
                today=on,
            )
        assert case.status == plan.status, (plan.title, case.status, plan.status)
    return len(plans)


def _publish_decision(case: Any, *, approver: Any, publisher: Any) -> None:
    """事后公开 before 结案: the masked publication drafted on delivery is approved and published."""
    from publicity.selectors import publications_for
    from publicity.services import publication_approve, publication_publish

    pub = publications_for(None).filter(case_id=case.pk).order_by("-pk").first()
    if pub is None or pub.status in ("published", "withdrawn"):
        return
    if pub.status == "masked":
        pub = publication_approve(actor=approver, publication=pub)
    publication_publish(actor=publisher, publication=pub)
