"""Demo registers of the county bureau's 法规科: a legal adviser and an opinion on a case, normative
documents at several steps (one filed and published, one in the legality review), a referral to the
public security bureau, a joint action with the agriculture bureau, and one accountability finding."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load(loader: Any) -> str | None:
    from cases import selectors as case_selectors
    from legal import selectors, services

    county = loader.agencies["county"]
    if selectors.advisers_for(None).filter(agency_id=county.pk).exists():
        return None
    today = loader.today
    legal = loader.officers["lina"].user
    head = loader.officers["wangqiang"].user
    adviser = services.adviser_add(
        actor=legal,
        agency=county,
        name="周文律师",
        firm="江西某律师事务所（示例）",
        phone="0797-0000000",
        specialties="行政处罚、土地管理",
        contract_start=today - dt.timedelta(days=200),
        contract_end=today + dt.timedelta(days=165),
    )
    cases = list(case_selectors.visible_cases(None).filter(agency_id=county.pk).order_by("pk")[:3])
    if cases:
        request = services.opinion_request(
            actor=legal,
            adviser=adviser,
            case_id=cases[0].pk,
            question="本案当事人主张其建房已取得村委会同意，是否影响违法性认定？",
        )
        services.opinion_record(
            actor=legal,
            request=request,
            answered_on=today,
            opinion="村委会同意不能替代依法批准，不影响非法占地的认定；可作为从轻情节考虑。",
        )

    done = services.document_draft(
        actor=legal,
        agency=county,
        title="信丰县自然资源局行政处罚裁量权适用规则",
        summary="规定行政处罚裁量基准的适用规则和说理要求。",
        # In force once published: the catalog shows it beside these items' legal bases.
        power_codes=["ZR-CF-001", "ZR-CF-002"],
    )
    services.document_submit(actor=legal, document=done)
    services.document_review(
        actor=legal, document=done, lawful=True, opinion="制定主体、权限、程序合法，内容与上位法一致。"
    )
    decided_on = today - dt.timedelta(days=20)
    services.document_decide(
        actor=head,
        document=done,
        doc_number=f"信自然资发〔{today.year}〕8号",
        decided_on=decided_on,
        decided_by="局务会议集体讨论",
    )
    services.document_file(
        actor=legal,
        document=done,
        filed_with="信丰县司法局",
        filed_on=decided_on + dt.timedelta(days=5),
        receipt=f"信司备〔{today.year}〕12号",
    )
    services.document_publish(
        actor=legal,
        document=done,
        published_on=decided_on + dt.timedelta(days=6),
        published_where="信丰县人民政府门户网站",
    )
    draft = services.document_draft(
        actor=legal, agency=county, title="信丰县自然资源局执法全过程记录实施细则（征求意见稿）"
    )
    services.document_submit(actor=legal, document=draft)

    services.referral_send(
        actor=legal,
        agency=county,
        case_id=cases[1].pk if len(cases) > 1 else None,
        to_name="信丰县公安局",
        subject="非法采矿涉嫌犯罪线索",
        reason="开采量经鉴定达到立案追诉标准，依《行政执法机关移送涉嫌犯罪案件的规定》第三条移送。",
        sent_on=today - dt.timedelta(days=2),
    )
    action = services.joint_action_record(
        actor=head,
        agency=county,
        title="农村乱占耕地建房联合整治行动",
        held_on=today - dt.timedelta(days=10),
        participants=["信丰县农业农村局", "嘉定镇人民政府"],
        place="嘉定镇",
    )
    services.joint_action_result(
        actor=head,
        action=action,
        result="排查点位42处，发现违法占地6处，已责令停止建设。",
        violations_found=6,
        cases_opened=3,
    )
    services.accountability_record(
        actor=head,
        agency=county,
        kind="omission",
        person_ids=[loader.officers["huanglei"].pk],
        finding="接到群众举报后超过规定时限未进行现场核查。",
        consequence="批评教育，责令书面检查",
        found_on=today - dt.timedelta(days=5),
    )
    return (
        "法规科台账：1 名法律顾问及 1 份案件法律意见、2 件规范性文件（1 件已备案并公布）、"
        "1 件移送、1 次联合执法、1 条责任追究记录"
    )
