"""Demo guidance of the county bureau: a 提示书, a 指导意见书 with a rectification deadline, on-site
guidance, two published typical cases and inquiries (one handed over, one taken online)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load(loader: Any) -> str | None:
    from guidance import selectors, services

    agency = loader.agencies["county"]
    if selectors.visible_records(None).filter(agency=agency).exists():
        return None
    today = loader.today
    officer, colleague = loader.officers["zhangwei"], loader.officers["liuyang"]
    reviewer = loader.officers["lina"]
    services.guidance_record(
        actor=officer.user,
        kind="prompt",
        method="remind",
        party_name="信丰县某某石料有限公司",
        party_address="信丰县嘉定镇工业园",
        matter="采矿许可证有效期即将届满",
        advice="一、采矿许可证将于三个月后到期，请在到期三十日前申请延续。\n二、到期未延续的，不得继续开采。",
        basis="《矿产资源开采登记管理办法》第七条",
        occurred_on=today - dt.timedelta(days=10),
    )
    services.guidance_record(
        actor=officer.user,
        kind="opinion",
        method="advise",
        party_name="信丰县某某建材厂",
        party_address="信丰县大塘埠镇",
        matter="临时用地期满未复垦",
        advice="一、停止在临时用地上堆放砂石。\n二、按照土地复垦方案恢复种植条件。",
        basis="《土地管理法》第五十七条",
        occurred_on=today - dt.timedelta(days=5),
        rectification_text="清理砂石并完成复垦",
        rectification_deadline=today + dt.timedelta(days=25),
    )
    services.guidance_record(
        actor=officer.user,
        kind="onsite",
        method="demonstrate",
        party_name="刘某某",
        place="信丰县嘉定镇东门村",
        officer_ids=[officer.pk, colleague.pk],
        matter="农村村民建房用地审批",
        advice="现场讲解宅基地申请条件和审批流程，示范填写申请表。",
        occurred_on=today - dt.timedelta(days=3),
    )
    entries = [
        {
            "category": "method",
            "field": "land",
            "method": "interview",
            "title": "约谈促使企业主动退还违法占用的土地",
            "summary": "对初次违法、情节轻微的企业采取约谈，企业十日内自行清理并退还土地。",
            "body": (
                "某建材企业未经批准占用集体土地约300平方米堆放砂石。"
                "执法人员约谈企业负责人，讲解土地管理法的规定和首违不罚清单的适用条件。"
                "企业当场承诺并于十日内清理完毕，退还土地。"
                "经核查属首次违法、危害后果轻微并及时改正，依法不予行政处罚。"
            ),
            "lessons": (
                "约谈适用于初次、轻微且能及时纠正的违法行为，应同时告知当事人首违不罚的条件和再次违法的后果。"
            ),
        },
        {
            "category": "case",
            "field": "mineral",
            "method": "prompt",
            "title": "采矿许可证到期前提示避免无证开采",
            "summary": "到期前九十日发出提示书，企业按期申请延续，未出现无证开采。",
            "body": (
                "本局在某采石场采矿许可证到期前九十日送达行政提示书，提示延续申请的期限和材料。"
                "企业在到期前四十日提交延续申请，许可证按期延续。"
            ),
            "lessons": "事前提示把违法消除在发生之前，是服务型执法的重要方式。",
        },
    ]
    for data in entries:
        tc = services.typical_case_create(actor=officer.user, data=data)
        services.typical_case_submit(actor=officer.user, typical_case=tc)
        services.typical_case_review(actor=reviewer.user, typical_case=tc, publish=True, note="同意发布。")
    asked = services.inquiry_receive(
        actor=officer.user,
        agency_id=agency.pk,
        channel="phone",
        asker_name="陈先生",
        asker_phone="13907975678",
        question="在自家承包地上建养殖棚需要办理什么手续？",
    )
    services.inquiry_handover(
        actor=officer.user,
        inquiry=asked,
        officer_id=loader.officers["zhuting"].pk,
        reason="属设施农业用地备案，由规划股答复",
    )
    services.inquiry_receive(
        actor=None,
        agency_id=agency.pk,
        channel="online",
        asker_name="周女士",
        asker_email="zhou@example.com",
        question="不动产登记需要多长时间？",
    )
    return "行政指导：3 条记录、2 个已发布的典型案例、2 件咨询（首问负责）"
