"""Demo mediations of the county bureau (行政调解): one agreed, one being mediated, one refused."""

from __future__ import annotations

from typing import Any


def load(loader: Any) -> str | None:
    from mediation import selectors, services

    agency = loader.agencies["county"]
    if selectors.visible_mediations(None).filter(agency=agency).exists():
        return None
    head = loader.officers["wangqiang"].user
    mediator = loader.officers["liuyang"]
    today = loader.today

    def apply(kind: str, summary: str, applicant: dict[str, str], respondent: dict[str, str]) -> Any:
        return services.mediation_apply(
            actor=head,
            agency_id=agency.pk,
            kind=kind,
            channel="window",
            summary=summary,
            request="请求依法调解。",
            location="嘉定镇",
            applicant=applicant,
            respondent=respondent,
        )

    def session(m: Any, record: str) -> None:
        services.mediation_accept(actor=head, mediation=m, mediator_id=mediator.pk)
        services.mediation_session_record(
            actor=mediator.user,
            mediation=m,
            held_on=today,
            place="信丰县自然资源局调解室",
            attendees="双方当事人；调解人刘洋；记录人陈静",
            record=record,
        )

    agreed = apply(
        "land_use",
        "双方对嘉定镇东门村一组宅基地之间约40平方米通道的使用权有争议。",
        {"name": "刘某甲", "address": "信丰县嘉定镇东门村一组", "phone": "13907970001"},
        {"name": "刘某乙", "address": "信丰县嘉定镇东门村一组", "phone": "13907970002"},
    )
    session(agreed, "双方陈述各自使用通道的历史；经调解，双方同意通道共同使用，任何一方不得堆放杂物。")
    services.mediation_agreement_draft(
        actor=mediator.user,
        mediation=agreed,
        terms="一、争议通道由双方共同使用，宽度保持2米。\n二、任何一方不得在通道内堆放杂物或搭建建筑物。",
        performance="自本协议生效之日起履行。",
    )
    for party in agreed.parties.all():
        services.mediation_signature_record(
            actor=mediator.user, mediation=agreed, party_id=party.pk, signed_on=today
        )
    services.mediation_conclude(actor=mediator.user, mediation=agreed)

    ongoing = apply(
        "mining",
        "两家采石场对相邻矿区范围界线有争议，均称对方越界开采。",
        {"name": "信丰县某某石料有限公司", "representative": "张某", "representative_role": "法定代表人"},
        {"name": "信丰县某某建材厂", "representative": "李某", "representative_role": "委托代理人"},
    )
    session(ongoing, "双方提交各自采矿许可证及矿区范围图；约定下次现场核对界桩。")

    refused = apply(
        "water",
        "邻里之间因生活污水排放发生纠纷。",
        {"name": "王某某", "phone": "13907970003"},
        {"name": "赵某某"},
    )
    services.mediation_refuse(
        actor=head,
        mediation=refused,
        reason="该纠纷不属于本机关行政调解的范围，请向所在乡镇人民调解委员会申请调解。",
    )
    return "行政调解：3 件（已达成协议 1 件、调解中 1 件、不予受理 1 件）"
