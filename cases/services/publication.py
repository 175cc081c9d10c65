"""事后公开 as a step of the case workflow (国办发〔2018〕118号, 行政处罚法 Art.48; LEGAL.md §2, §8).

- On delivery of a penalty decision (`deliver`) and on a no-penalty decision (`decide_no_penalty`)
  the decision's text, built from the same context as the served document (cases/documents.py), and
  the parties' data go to `publicity.services.publication_draft`, which masks it at once; a
  Deadline `cases.publication` starts on the clock from the decision date: penalty decisions 7
  working days, other enforcement decisions 20 (legal settings). Warning-only penalties are not
  published unless the setting `cases.publish_warning_only` says so (the 总局令第45号 model).
- The deadline is satisfied when publicity publishes: publicity sends `publication_moved`
  (publicity.signals) and `on_publication_moved` below, connected in cases/apps.py, satisfies it.
  publicity never imports cases.
- `close` is refused while a required publication is neither published nor withdrawn
  (`publication_settled`).
- A revocation, change or finding of unlawfulness withdraws the publication, published or not yet
  (`withdraw_for_remedy` → publicity.services.publication_withdraw_for_case, actor None = the
  system): a draft is withdrawn so that it can never be published as it stood.
- Summary-procedure decisions (当场处罚决定书) are penalty decisions too: LEGAL.md §2 (国办发〔2018〕118号)
  publishes 处罚 decisions within 7 working days and excepts none, so they are drafted for
  publication when handed over on the spot (`decide_on_spot`), unless the setting
  `cases.publish_summary` is 0; warning-only ones follow `cases.publish_warning_only` (LEGAL.md §8).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cases.documents import violation_name
from cases.models import Case, PartyType, PenaltyKind, Procedure
from cases.selectors import case_deadlines, legal_setting, legal_setting_int
from cases.workflow.engine import Context, Violation
from core.services.calendar import add_workdays
from core.services.clock import deadline_satisfy

PUBLICATION_DEADLINE = "cases.publication"
BASIS = "国办发〔2018〕118号；行政处罚法 Art.48"

# Legal settings read here: key → (default, description, basis); seeded by cases/0008.
SETTINGS: dict[str, tuple[int, str, str]] = {
    "cases.publication_penalty_workdays": (
        7,
        "penalty decisions published within (working days of the decision)",
        "国办发〔2018〕118号",
    ),
    "cases.publication_other_workdays": (
        20,
        "other enforcement decisions (e.g. not to penalise) published within (working days of the decision)",
        "国办发〔2018〕118号",
    ),
    "cases.publish_warning_only": (
        0,
        "publish decisions whose only penalty is a warning (1 = yes, 0 = no; 总局令第45号 model: no)",
        "国办发〔2018〕118号；总局令第45号",
    ),
    "cases.publish_no_penalty": (
        1,
        "publish decisions not to penalise (1 = yes, 0 = no)",
        "国办发〔2018〕118号",
    ),
    "cases.publish_summary": (
        1,
        "publish summary-procedure decisions (当场处罚; 1 = yes, 0 = no; warning-only ones as above)",
        "国办发〔2018〕118号（处罚决定7个工作日内公开）；行政处罚法 Art.48",
    ),
}


def _flag(key: str) -> bool:
    value = legal_setting(key, SETTINGS[key][0])
    try:
        return int(value) != 0
    except (TypeError, ValueError):
        return bool(value)


@dataclass(frozen=True)
class PublicationRule:
    workdays: int
    kind: str  # the decision's document kind: "penalty_decision" / "no_penalty_decision"
    title: str
    basis: str = BASIS


def publication_rule(case: Case) -> PublicationRule | None:
    """Whether (and within how many working days) the case's decision must be published; None when
    it need not (no decision, summary procedure or warning-only by configuration)."""
    if not case.decision_number or case.decided_on is None:
        return None
    summary = case.procedure == Procedure.SUMMARY
    if summary and not _flag("cases.publish_summary"):
        return None
    kinds = list(case.decided_kinds or [])
    if kinds:
        if set(kinds) == {PenaltyKind.WARNING} and not _flag("cases.publish_warning_only"):
            return None
        days = legal_setting_int("cases.publication_penalty_workdays", 7)
        if summary:
            return PublicationRule(days, "summary_decision", "当场行政处罚决定书")
        return PublicationRule(days, "penalty_decision", "行政处罚决定书")
    if summary:
        return None
    if not _flag("cases.publish_no_penalty"):
        return None
    days = legal_setting_int("cases.publication_other_workdays", 20)
    return PublicationRule(days, "no_penalty_decision", "不予行政处罚决定书")


def party_data(case: Case) -> dict[str, list[str]]:
    """What masking must find: the parties' names, identity numbers, addresses and phones."""
    keys = ("persons", "organisations", "id_numbers", "addresses", "phones")
    out: dict[str, list[str]] = {k: [] for k in keys}
    for p in case.parties.all():
        out["persons" if p.party_type == PartyType.NATURAL else "organisations"].append(p.name)
        for key, value in (("id_numbers", p.id_number), ("addresses", p.address), ("phones", p.phone)):
            if (value or "").strip():
                out[key].append(value.strip())
    return out


def decision_text(case: Case, kind: str) -> str:
    """The decision as served, in plain text, from the document's context (cases/documents.py)."""
    from cases.documents import case_document_context, cn_date

    c = case_document_context(kind, case, data={}, on=case.decided_on)
    evidence = c.get("evidence") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    title = {"penalty_decision": "行政处罚决定书", "summary_decision": "当场行政处罚决定书"}.get(
        kind, "不予行政处罚决定书"
    )
    lines = [
        f"{case.agency.name}{title}",
        case.decision_number,
        f"当事人：{c.get('party_name', '')}",
    ]
    if c.get("party_id_number"):
        lines.append(f"身份证件号码（统一社会信用代码）：{c['party_id_number']}")
    if c.get("party_address"):
        lines.append(f"住所（地址）：{c['party_address']}")
    if c.get("party_representative"):
        lines.append(f"法定代表人（负责人）：{c['party_representative']}")
    if c.get("case_name"):
        lines.append(f"案由：{c['case_name']}")
    if kind == "summary_decision":
        lines.append(f"违法时间、地点：{c.get('violation_time', '')}，{c.get('violation_place', '')}")
    lines.append(f"违法事实：{c.get('facts', '')}")
    if evidence:
        lines.append("证据：" + "；".join(str(e) for e in evidence))
    if kind in ("penalty_decision", "summary_decision"):
        if c.get("discretion_reason"):
            lines.append(f"裁量理由：{c['discretion_reason']}")
        lines.append(f"处罚依据：{c.get('basis', '')}")
        lines.append(f"处罚内容：{c.get('penalty_text', '')}")
        if c.get("performance"):
            lines.append(f"履行方式和期限：{c['performance']}")
    else:
        lines.append(f"不予处罚理由：{c.get('no_penalty_reason', '')}")
        lines.append(f"依据：{c.get('basis', '')}")
    if c.get("reconsideration_body") or c.get("court"):
        lines.append(
            f"救济途径：如不服本决定，可以依法向{c.get('reconsideration_body', '')}申请行政复议，"
            f"或者向{c.get('court', '')}提起行政诉讼。"
        )
    lines.append(f"{case.agency.name}　{cn_date(case.decided_on)}")
    return "\n".join(line for line in lines if line)


def draft_publication(ctx: Context) -> None:
    """Effect of `deliver` / `decide_no_penalty`: draft (and mask) the publication, start the deadline."""
    from cases.workflow.effects import deadline_open
    from publicity.services import publication_draft

    case = ctx.case
    rule = publication_rule(case)
    if rule is None or case.decided_on is None:
        return
    if _publication(case) is not None:  # drafted already (e.g. a delivery recorded again)
        return
    due = add_workdays(case.decided_on, rule.workdays).date
    pub = publication_draft(
        actor=ctx.actor,
        case_id=case.pk,
        agency_id=case.agency_id,
        title=f"{case.agency.name}{rule.title}（{case.decision_number}）"[:200],
        text=decision_text(case, rule.kind),
        party_data=party_data(case),
        due_on=due,
        document_number=case.decision_number,
        decided_on=case.decided_on,
        category=violation_name(case)[:100],
    )
    deadline_open(
        ctx,
        kind=PUBLICATION_DEADLINE,
        title="处罚决定公开期限" if rule.kind == "penalty_decision" else "执法决定公开期限",
        basis=rule.basis,
        unit="workdays",
        amount=rule.workdays,
        start=case.decided_on,
    )
    ctx.notes["publication"] = {"id": pub.pk, "due_on": due.isoformat()}


def _publication(case: Case) -> Any:
    from publicity.selectors import latest_publication_of_case

    return latest_publication_of_case(case.pk)


def case_publication(case: Case) -> dict[str, Any] | None:
    """For the case page: the rule, the publication (status, due date) if any."""
    rule = publication_rule(case)
    pub = _publication(case)
    if rule is None and pub is None:
        return None
    return {
        "required": rule is not None,
        "workdays": rule.workdays if rule else None,
        "publication": pub,
        "overdue": bool(
            pub is not None
            and pub.status not in ("published", "withdrawn", "expired")
            and pub.due_on < datetime.date.today()
        ),
    }


def publication_settled(ctx: Context) -> Violation | None:
    """结案: a decision that must be published is published (or withdrawn after a revocation)."""
    case = ctx.case
    rule = publication_rule(case)
    if rule is None or case.decision_revoked_on is not None:
        return None
    pub = _publication(case)
    if pub is not None and pub.status in ("published", "withdrawn", "expired"):
        return None
    if pub is None:
        state = _("has not been drafted")
    else:
        state = _("is “%(status)s”, due by %(due)s") % {"status": pub.get_status_display(), "due": pub.due_on}
    return Violation(
        "publication_pending",
        _(
            "The decision must be published within %(days)s working days of the decision; its publication "
            "%(state)s. Have the masked text reviewed and published on the publication screen, then close "
            "the case."
        )
        % {"days": rule.workdays, "state": state},
        rule.basis,
    )


def on_publication_moved(sender: Any, *, publication: Any, status: str, actor: Any = None, **kw: Any) -> None:
    """publicity.signals.publication_moved: a published decision satisfies the case's deadline."""
    if status != "published":
        return
    case = Case.objects.filter(pk=publication.case_id).first()
    if case is None:
        return
    for dl in case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True):
        deadline_satisfy(actor=actor, deadline=dl, by_act="publication.publish")


_BODY = {"reconsideration": "经行政复议", "litigation": "经行政诉讼"}
_FOUND = {"changed": "原决定被变更", "revoked": "原决定被撤销", "confirmed_unlawful": "原决定被确认违法"}


def withdrawal_reason(remedy_kind: str, outcome: str) -> str:
    """The public reason for the withdrawal: the body and outcome, never a person's data."""
    return (
        f"{_BODY.get(remedy_kind, '')}，{_FOUND.get(outcome, '原决定已被变更或撤销')}，"
        "依法撤回公开（行政处罚法第四十八条第二款）"
    ).lstrip("，")


def withdraw_for_remedy(
    *, case: Case, remedy_kind: str, outcome: str, revoked_on: datetime.date | None = None
) -> list[Any]:
    """Withdraw the case's publications (system act) with a reason free of personal data
    (行政处罚法 Art.48(2), within 3 working days of `revoked_on`).

    Published or not yet: a draft, masked or approved publication is withdrawn too, so that a
    revoked or changed decision is never published as it stood; the case's publication deadline is
    cancelled (publicity.services.publication_withdraw_for_case).
    """
    from core.services.clock import deadline_cancel
    from publicity.services import publication_withdraw_for_case

    for dl in case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True):
        deadline_cancel(actor=None, deadline=dl, reason=f"decision {outcome}")
    if _publication(case) is None:
        return []
    return publication_withdraw_for_case(
        actor=None,
        case_id=case.pk,
        reason=withdrawal_reason(remedy_kind, outcome),
        revoked_on=revoked_on or datetime.date.today(),
    )
