"""Demo of the portal's remainders: the annual reports of the county bureau (last year approved and
published, this year a draft) computed from the demo cases, and one serious violator on the public
list (严重违法失信名单, issue 8 §7) — the party of a published demolition decision, proposed under the
rule "demolition", told in writing (拟列入告知书), objected in time, objection rejected by the head,
then listed once the objection window had closed. The demo cases' published decisions are fines only,
so the first demo case heard with a proposed demolition (示例 in 已听证) is decided — fine and
限期拆除 — delivered and its decision published first, through the cases and publicity services.
The other published decisions come from demo/cases.py (each is indexed for search when published)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def load(loader: Any) -> str | None:
    from publicity.annual_services import annual_report_approve, annual_report_compute, annual_report_publish
    from publicity.selectors import annual_reports_for

    notes = [_violator(loader)]
    agency = loader.agencies["county"]
    if not annual_reports_for(None).filter(agency_id=agency.pk).exists():
        head = loader.officers["wangqiang"].user
        officer = loader.officers["zhangwei"].user
        year = loader.today.year
        current = annual_report_compute(actor=officer, agency_id=agency.pk, year=year)
        current = annual_report_approve(actor=head, report=current)
        annual_report_publish(actor=head, report=current)
        annual_report_compute(actor=officer, agency_id=agency.pk, year=year - 1)
        notes.append(f"年度报告：{year} 年度统计已批准并公开，{year - 1} 年度为草稿。")
    return "；".join(n for n in notes if n) or None


def _violator(loader: Any) -> str | None:
    """One listed serious violator through publicity's services (nothing when one exists already)."""
    from publicity.models import ViolatorEntry, ViolatorRule
    from publicity.selectors import publications_for
    from publicity.violators import (
        decision_facts,
        qualifies,
        violator_list,
        violator_notify,
        violator_objection,
        violator_objection_decide,
        violator_propose,
    )

    agency = loader.agencies["county"]
    if ViolatorEntry.objects.filter(agency_id=agency.pk).exists():
        return None
    rule = ViolatorRule.objects.filter(code="demolition", active=True).first()
    if rule is None:
        return None
    publication = next(
        (
            p
            for p in publications_for(None).filter(agency_id=agency.pk, status="published").order_by("pk")
            if qualifies(rule, decision_facts(p.case_id))
        ),
        None,
    )
    officer = loader.officers["zhangwei"].user
    head = loader.officers["wangqiang"].user
    if publication is None:
        publication = _demolition_decision(loader, head=head, officer=officer)
    if publication is None:
        return None
    notified_on = loader.today - dt.timedelta(days=8)
    entry = violator_propose(actor=officer, publication=publication, rule_code=rule.code)
    entry = violator_notify(actor=officer, entry=entry, today=notified_on)
    entry = violator_objection(
        actor=officer,
        entry=entry,
        text="当事人称已自行拆除部分建筑物，请求不予列入严重违法失信名单。",
        received_on=notified_on + dt.timedelta(days=2),
    )
    entry = violator_objection_decide(
        actor=head,
        entry=entry,
        upheld=False,
        reason="经现场核查，责令拆除的建筑物主体仍未拆除，申辩理由不成立。",
    )
    if entry.objection_until is None or entry.objection_until >= loader.today:
        return f"严重违法失信名单：{entry.party_label}已告知，异议期未满，待列入。"
    entry = violator_list(actor=head, entry=entry, today=loader.today)
    return (
        f"严重违法失信名单：{entry.party_label}（{entry.decision_number}）经书面告知、异议被驳回后列入，"
        f"公示至{entry.display_until:%Y年%m月%d日}。"
    )


def _demolition_decision(loader: Any, *, head: Any, officer: Any) -> Any:
    """Decide, deliver and publish the first heard demo case with a proposed demolition (or None)."""
    from cases.selectors import case_handler_user_ids, visible_cases
    from cases.services import case_act
    from core.errors import DomainError
    from publicity.selectors import publications_for
    from publicity.services import publication_approve, publication_publish

    agency = loader.agencies["county"]
    case = next(
        (
            c
            for c in visible_cases(None).filter(agency_id=agency.pk, status="hearing_held").order_by("pk")
            if "demolition" in (c.proposed_kinds or [])
        ),
        None,
    )
    if case is None:
        return None
    handlers = sorted(case_handler_user_ids(case_id=case.pk) - {head.pk})
    lead = next((o.user for o in loader.officers.values() if handlers and o.user.pk == handlers[0]), officer)
    decided_on = loader.today - dt.timedelta(days=10)
    delivered_on = decided_on + dt.timedelta(days=1)
    orders = [{"kind": "demolish", "days": 30, "description": "拆除在非法占用的土地上新建的建筑物和其他设施"}]
    try:
        case = case_act(
            case=case,
            actor=head,
            action="decide",
            data={"decided_on": decided_on.isoformat(), "orders": orders},
            today=decided_on,
        )
        case = case_act(
            case=case,
            actor=lead,
            action="deliver",
            data={"delivered_on": delivered_on.isoformat(), "method": "direct"},
            today=delivered_on,
        )
    except DomainError:
        return None
    publication = publications_for(None).filter(case_id=case.pk).order_by("-pk").first()
    if publication is None:
        return None
    if publication.status == "masked":
        publication = publication_approve(actor=head, publication=publication)
    return publication_publish(actor=lead, publication=publication)
