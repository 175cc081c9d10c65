"""Automatic case-file review (案卷评查): named checks, each with its legal basis, run on a closed
case and producing findings.

Each check reads the case through the other domains' selectors (cases, review, records, documents,
publicity, org) and the procedure declaration's own helpers (cases.workflow.guards), so the review
asks the same questions the workflow asked when the case moved — after the fact, over the file as
it now stands. A check that does not apply to the case (e.g. no fine → no publication needed)
reports `applicable: False` and never fails.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import selectors as case_selectors
from cases.workflow import guards
from core.services.calendar import add_workdays
from documents import selectors as document_selectors
from org import selectors as org_selectors
from publicity import selectors as publicity_selectors
from records import selectors as record_selectors

DECISION_KINDS = ("penalty_decision", "no_penalty_decision")


@dataclass(frozen=True)
class Check:
    code: str
    label: Any
    basis: str
    run: Callable[[Any], tuple[bool, bool, str]]  # case → (applicable, ok, message)


def _na() -> tuple[bool, bool, str]:
    return False, True, ""


def _ok() -> tuple[bool, bool, str]:
    return True, True, ""


def _fail(message: str) -> tuple[bool, bool, str]:
    return True, False, message


def _penalised(case: Any) -> bool:
    return bool(case.decided_kinds)


def notice_before_decision(case: Any) -> tuple[bool, bool, str]:
    if not _penalised(case):
        return _na()
    if case.notice_delivered_on is None:
        return _fail(_("The party was never notified of the proposed penalty before the decision."))
    if case.decided_on and case.notice_delivered_on > case.decided_on:
        return _fail(
            _("The notice was delivered on %(notice)s, after the decision of %(decided)s.")
            % {"notice": case.notice_delivered_on, "decided": case.decided_on}
        )
    return _ok()


def statement_window(case: Any) -> tuple[bool, bool, str]:
    if not _penalised(case) or case.notice_delivered_on is None or case.decided_on is None:
        return _na()
    if case.statement.get("received_on") or case.statement.get("waived"):
        return _ok()
    end = guards.statement_window_end(case)
    if end is not None and case.decided_on <= end:
        return _fail(
            _(
                "Decided on %(decided)s, before the statement window ended on %(end)s, "
                "with no statement recorded."
            )
            % {"decided": case.decided_on, "end": end}
        )
    return _ok()


def legal_review(case: Any) -> tuple[bool, bool, str]:
    if case.decided_on is None:
        return _na()
    steps = [s for s in case_selectors.review_steps(case=case, today=case.decided_on) if s["required"]]
    if not steps:
        return _na()
    missing = [s for s in steps if not s["done"]]
    if missing:
        return _fail(
            _("Required but not completed: %(steps)s.")
            % {"steps": "、".join(f"{s['kind']}（{s['rule']}）" for s in missing)}
        )
    return _ok()


def two_certified_officers(case: Any) -> tuple[bool, bool, str]:
    records = list(record_selectors.case_records(actor=None, case=case))
    if not records:
        return _fail(_("The case file holds no investigative record (笔录)."))
    problems = []
    for record in records:
        day = timezone.localdate(record.started_at)
        officers = list(record.officers.all())
        certified = [
            o
            for o in officers
            if org_selectors.officer_may_enforce(officer=o, field_code=case.field_code, on=day).allowed
        ]
        if len(certified) < 2:
            problems.append(
                _("%(record)s of %(day)s: %(n)d certified officer(s)")
                % {"record": record, "day": day, "n": len(certified)}
            )
    if problems:
        return _fail("；".join(problems))
    return _ok()


def av_recorded(case: Any) -> tuple[bool, bool, str]:
    actions = sorted({e.action for e in case_selectors.case_events(case=case)})
    missing: list[str] = []
    for action in actions:
        missing += [str(m) for m in record_selectors.av_missing(case_id=case.pk, action=action, data=None)]
    if missing:
        return _fail("；".join(missing))
    return _ok()


def decision_elements(case: Any) -> tuple[bool, bool, str]:
    if case.decided_on is None:
        return _na()
    problems = []
    if not case.decision_number:
        problems.append(_("no decision number"))
    if _penalised(case) and "fine" in case.decided_kinds and case.decided_amount is None:
        problems.append(_("a fine without its amount"))
    issued = document_selectors.documents_for_subject(
        actor=None, subject_type="cases.case", subject_id=case.pk
    )
    if not issued.filter(kind__in=DECISION_KINDS).exists():
        problems.append(_("no decision document issued (its elements are checked when it is issued)"))
    if problems:
        return _fail("；".join(str(p) for p in problems))
    return _ok()


def delivery_in_time(case: Any) -> tuple[bool, bool, str]:
    if case.decided_on is None:
        return _na()
    if case.delivered_on is None:
        return _fail(_("The decision was never delivered."))
    days = case_selectors.legal_setting_int("cases.delivery_workdays", 7)
    limit = add_workdays(case.decided_on, days).date
    if case.delivered_on > limit:
        return _fail(
            _("Delivered on %(on)s, after the limit of %(limit)s (%(days)d working days).")
            % {"on": case.delivered_on, "limit": limit, "days": days}
        )
    return _ok()


def publication_in_time(case: Any) -> tuple[bool, bool, str]:
    pub = publicity_selectors.publications_for(None).filter(case_id=case.pk).order_by("pk").first()
    if pub is None:
        if not _penalised(case) or set(case.decided_kinds) <= {"warning"}:
            return _na()
        return _fail(_("The decision was never published."))
    if pub.published_at is None:
        return _fail(
            _("The publication was drafted but never published (due %(due)s).") % {"due": pub.due_on}
        )
    published = timezone.localdate(pub.published_at)
    if published > pub.due_on:
        return _fail(
            _("Published on %(on)s, after the limit of %(due)s.") % {"on": published, "due": pub.due_on}
        )
    return _ok()


def archive_complete(case: Any) -> tuple[bool, bool, str]:
    missing = record_selectors.archive_missing(case_id=case.pk)
    if missing:
        return _fail("；".join(str(m) for m in missing))
    return _ok()


CHECKS: list[Check] = [
    Check(
        "notice_before_decision",
        gettext_lazy("notice before the decision"),
        "行政处罚法 Art.44",
        notice_before_decision,
    ),
    Check(
        "statement_window", gettext_lazy("statement window respected"), "行政处罚法 Art.45", statement_window
    ),
    Check("legal_review", gettext_lazy("legal review where required"), "行政处罚法 Art.58", legal_review),
    Check(
        "two_certified_officers",
        gettext_lazy("two certified officers on every investigative record"),
        "行政处罚法 Arts.42, 55",
        two_certified_officers,
    ),
    Check("av_recorded", gettext_lazy("audio-video where required"), "国办发〔2018〕118号", av_recorded),
    Check(
        "decision_elements", gettext_lazy("elements of the decision"), "行政处罚法 Art.59", decision_elements
    ),
    Check(
        "delivery_in_time",
        gettext_lazy("decision delivered within the limit"),
        "行政处罚法 Art.61",
        delivery_in_time,
    ),
    Check(
        "publication_in_time",
        gettext_lazy("decision published within the limit"),
        "国办发〔2018〕118号; 行政处罚法 Art.48",
        publication_in_time,
    ),
    Check(
        "archive_complete", gettext_lazy("case file archived complete"), "行政处罚法 Art.47", archive_complete
    ),
]
CHECK_BY_CODE = {c.code: c for c in CHECKS}


def run_checks(case: Any) -> list[dict[str, Any]]:
    """One finding per check: {check, basis, applicable, ok, message}."""
    out = []
    for check in CHECKS:
        applicable, ok, message = check.run(case)
        out.append(
            {
                "check": check.code,
                "basis": check.basis,
                "applicable": applicable,
                "ok": ok,
                "message": message,
            }
        )
    return out


def check_label(code: str) -> str:
    check = CHECK_BY_CODE.get(code)
    return str(check.label) if check else code


def closed_statuses() -> tuple[str, ...]:
    return ("closed", "archived")


def today() -> datetime.date:
    return timezone.localdate()
