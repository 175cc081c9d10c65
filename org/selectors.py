"""Reads of the organisation, scoped to the actor, and the certification questions.

Scope (decided here, documented in org/roles.py):
- an enforcement officer, legal reviewer or head reads their own agency;
- a supervisor reads their own agency and every agency below it (read-only: see org.policies);
- the three administrators read and administer their own agency and every agency below it
  (on a province-wide platform the provincial administrators set up the city and county bureaus);
- a superuser (bootstrap only) and the system (actor None) read everything;
- a user without an active officer record reads nothing.

`visible_agency_ids`, `alert_recipients`, `agency_label` and `actor_agency_id` are the hooks core
calls through settings (core/scoping.py).
"""

from __future__ import annotations

import datetime
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import LegalSetting
from core.prepared import PreparedRead, fetch_together
from org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Department,
    EnforcementField,
    Officer,
    RoleAssignment,
    User,
)
from org.roles import ADMIN_ROLES, ENFORCEMENT_ROLES, Role

log = logging.getLogger(__name__)

WIDE_READ_ROLES = frozenset({Role.SUPERVISOR}) | ADMIN_ROLES


# --- who is the actor -------------------------------------------------------------------------


# A page asks "which officer is this user, which roles do they hold" a dozen times (policies, every
# guard of every action, the template). The answers are memoised on the user object, which Django
# loads afresh for every request (session or API token), so a change of roles is seen by the next
# request. Within one process any save or delete of an officer, role assignment, agency or
# department invalidates every memo at once (a generation counter bumped by signals), so code that
# changes roles and asks again with the same user object (services, tests) sees the change at once;
# and a memo is never older than MEMO_SECONDS, for user objects that outlive a request (commands).
# QuerySet.update() sends no signal: code that changes these rows that way must not rely on a
# memo taken earlier on the same user object.
MEMO_SECONDS = 5.0
_MEMO_ATTR = "_org_selectors_memo"
_generation = [0]


def _invalidate_memos(**_kwargs: Any) -> None:
    _generation[0] += 1


for _model in (Officer, RoleAssignment, Agency, Department):
    post_save.connect(_invalidate_memos, sender=_model, weak=False, dispatch_uid=f"org-memo-save-{_model}")
    post_delete.connect(_invalidate_memos, sender=_model, weak=False, dispatch_uid=f"org-memo-del-{_model}")


@dataclass
class _Memo:
    generation: int
    user_id: Any
    started: float
    values: dict[str, Any] = field(default_factory=dict)


def _valid_memo(user: Any, now: float) -> _Memo | None:
    memo = getattr(user, _MEMO_ATTR, None)
    if (
        not isinstance(memo, _Memo)
        or memo.generation != _generation[0]
        or memo.user_id != user.pk
        or now - memo.started > MEMO_SECONDS
    ):
        return None
    return memo


def _memoised(user: Any, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per user object (see above); not memoised for objects that refuse it."""
    now = time.monotonic()
    memo = _valid_memo(user, now)
    if memo is None:
        memo = _Memo(_generation[0], user.pk, now)
        try:
            setattr(user, _MEMO_ATTR, memo)
        except AttributeError:
            return compute()
    if key not in memo.values:
        memo.values[key] = compute()
    return memo.values[key]


def officer_for(user: Any) -> Officer | None:
    """The officer record of `user` (None for anonymous users and users who are not officers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return _principal(user)[0]


def officer_of_user_id(user_id: int) -> Officer | None:
    """The officer record of the user with this id (one compiled read): for a stored reference to a
    user (who recorded a lead), without loading the user."""
    return _OFFICER_OF_USER.first(int(user_id))


def roles_of(*, user: Any) -> frozenset[Role]:
    """The roles `user` holds through an active officer record (empty otherwise)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return _principal(user)[1]


def _principal(user: Any) -> tuple[Officer | None, frozenset[Role]]:
    """The user's officer record and roles, asked on every request: one query when the officer holds
    a role (each role row brings the officer along), a second only for an officer with none."""

    def compute() -> tuple[Officer | None, frozenset[Role]]:
        return _principal_from(user, _ROLE_ROWS_OF_USER(user.pk))

    return _memoised(user, "principal", compute)  # type: ignore[no-any-return]


def _principal_from(user: Any, rows: list[RoleAssignment]) -> tuple[Officer | None, frozenset[Role]]:
    if not rows:
        return _OFFICER_OF_USER.first(user.pk), frozenset()
    officer = rows[0].officer
    return officer, frozenset(Role(r.role) for r in rows) if officer.active else frozenset()


def principal_with[M: Model](user: Any, read: PreparedRead[M]) -> list[M]:
    """`read(user.pk)` — another prepared read about the signed-in user (the MFA device) — and, in
    the same round trip, the user's officer and roles when they are not known yet for this request
    (`_principal`): the two reads every signed-in request makes."""
    memo = _valid_memo(user, time.monotonic())
    if memo is not None and "principal" in memo.values:
        return read(user.pk)
    rows, roles = fetch_together((read, (user.pk,)), (_ROLE_ROWS_OF_USER, (user.pk,)))
    _memoised(user, "principal", lambda: _principal_from(user, roles))
    return rows


# Compiled once per process (core.prepared).
_OFFICER_OF_USER: PreparedRead[Officer] = PreparedRead(
    lambda user_id: Officer.objects.select_related("agency", "department").filter(user_id=user_id)
)
_ROLE_ROWS_OF_USER: PreparedRead[RoleAssignment] = PreparedRead(
    lambda user_id: RoleAssignment.objects.filter(officer__user_id=user_id).select_related(
        "officer__agency", "officer__department"
    )
)


def is_unrestricted(user: Any) -> bool:
    """The system (None) and a bootstrap superuser see and may do everything."""
    return user is None or bool(getattr(user, "is_superuser", False) and user.is_active)


# --- hierarchy --------------------------------------------------------------------------------


def subtree_ids(agency: Agency) -> list[int]:
    """The agency and every agency below it (one indexed query on the materialised path)."""
    return list(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))


def descendants(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(path__startswith=agency.path).exclude(pk=agency.pk)


def ancestors(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=agency.ancestor_ids)


def read_agency_ids(user: Any) -> list[int] | None:
    """Agency ids `user` may read; None means every agency."""
    if is_unrestricted(user):
        return None
    officer = officer_for(user)
    if officer is None or not officer.active or not user.is_active:
        return []
    if roles_of(user=user) & WIDE_READ_ROLES:
        return subtree_ids(officer.agency)
    return [officer.agency_id]


def administered_agency_ids(user: Any) -> list[int] | None:
    """Agency ids whose organisation data an administrator manages; None means every agency."""
    if is_unrestricted(user):
        return None
    officer = officer_for(user)
    if officer is None or not officer.active or not user.is_active or not (roles_of(user=user) & ADMIN_ROLES):
        return []
    return subtree_ids(officer.agency)


def visible_agency_ids(user: Any) -> list[int]:
    """Hook for core (settings.ZHIFA_VISIBLE_AGENCIES): agency ids whose records `user` may read."""
    ids = read_agency_ids(user)
    if ids is None:
        return list(Agency.objects.values_list("pk", flat=True))
    return ids


def visible_agencies(actor: Any) -> QuerySet[Agency]:
    ids = read_agency_ids(actor)
    qs = Agency.objects.select_related("parent")
    return qs if ids is None else qs.filter(pk__in=ids)


def visible_departments(actor: Any) -> QuerySet[Department]:
    ids = read_agency_ids(actor)
    qs = Department.objects.select_related("agency")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def visible_officers(actor: Any) -> QuerySet[Officer]:
    ids = read_agency_ids(actor)
    qs = Officer.objects.select_related("agency", "department", "user")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def visible_certificates(actor: Any) -> QuerySet[Certificate]:
    ids = read_agency_ids(actor)
    qs = Certificate.objects.select_related("officer", "officer__agency").prefetch_related("fields")
    return qs if ids is None else qs.filter(officer__agency_id__in=ids)


# --- hooks for core ---------------------------------------------------------------------------


def agency_heads(*, agency_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        officer__agency_id=agency_id,
        officer__active=True,
        officer__role_assignments__role=Role.HEAD,
    ).distinct()


def alert_recipients(*, agency_id: int, responsible: Any) -> list[User]:
    """Hook for core (settings.ZHIFA_ALERT_RECIPIENTS): the responsible user and the agency's heads."""
    recipients: list[User] = []
    if responsible is not None and getattr(responsible, "is_active", False):
        recipients.append(responsible)
    seen = {u.pk for u in recipients}
    for head in agency_heads(agency_id=agency_id).order_by("pk"):
        if head.pk not in seen:
            recipients.append(head)
            seen.add(head.pk)
    return recipients


def actor_agency_id(user: Any) -> int | None:
    """Hook for core (settings.ZHIFA_ACTOR_AGENCY): the agency `user` acts for; for None (the
    system) the top-level agency when exactly one agency has no parent."""
    if user is None:
        roots = list(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True)[:2])
        return roots[0] if len(roots) == 1 else None
    if not getattr(user, "pk", None):
        return None
    return Officer.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()


def agency_label(agency_id: int) -> dict[str, str]:
    """Hook for core (settings.ZHIFA_AGENCY_LABEL): an agency's code, name and short name."""
    agency = Agency.objects.only("code", "name", "short_name").get(pk=agency_id)
    return {"code": agency.code, "name": agency.name, "short_name": agency.short_name or agency.name}


# --- certification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether an officer may act; `reason` is in Chinese, for the officer to read."""

    allowed: bool
    reason: str
    certificate: Certificate | None = None
    code: str = ""


def _certificate_refusal(cert: Certificate, on: datetime.date) -> tuple[str, str]:
    if cert.status == CertificateStatus.REVOKED:
        return "certificate_revoked", _(
            "Enforcement certificate %(number)s was revoked (%(reason)s); a new certificate must be issued."
        ) % {"number": cert.number, "reason": cert.status_reason or _("no reason recorded")}
    if cert.status == CertificateStatus.SUSPENDED:
        return "certificate_suspended", _(
            "Enforcement certificate %(number)s is suspended (%(reason)s); it must be reinstated first."
        ) % {"number": cert.number, "reason": cert.status_reason or _("no reason recorded")}
    if on < cert.issued_on:
        return "certificate_not_yet_valid", _(
            "Enforcement certificate %(number)s is valid only from %(start)s."
        ) % {"number": cert.number, "start": cert.issued_on.isoformat()}
    return "certificate_expired", _(
        "Enforcement certificate %(number)s expired on %(end)s; it must be renewed."
    ) % {"number": cert.number, "end": cert.expires_on.isoformat()}


def officer_may_enforce(*, officer: Officer, field_code: str, on: datetime.date) -> Verdict:
    """May `officer` perform enforcement acts in field `field_code` on date `on`?

    行政处罚法 Art.42: enforcement acts need officers with 执法资格 who show their 执法证件; an
    auxiliary (执法辅助人员) never acts alone; an expired, suspended or revoked certificate means no.
    Only an officer holding an enforcement role (officer, legal reviewer, head, supervisor) and no
    administrator role (等保2.0 三员分立) may act, whatever certificate they hold.
    """
    return officers_may_enforce(officers=[officer], field_code=field_code, on=on)[officer.pk]


def officers_may_enforce(
    *, officers: Sequence[Officer], field_code: str, on: datetime.date
) -> dict[int, Verdict]:
    """`officer_may_enforce` for each officer (by pk), in three queries whatever their number: the
    field, the officers' roles, their certificates for the field."""
    field_obj = EnforcementField.objects.filter(code=field_code).first()
    ids = [o.pk for o in officers]
    held: dict[int, set[Role]] = {pk: set() for pk in ids}
    certs: dict[int, list[Certificate]] = {pk: [] for pk in ids}
    if field_obj is not None and ids:
        roles = RoleAssignment.objects.filter(officer_id__in=ids).values_list("officer_id", "role")
        for officer_id, role in roles:
            held[officer_id].add(Role(role))
        held_certs = Certificate.objects.filter(officer_id__in=ids, fields=field_obj)
        for cert in held_certs.order_by("-expires_on", "-pk"):
            certs[cert.officer_id].append(cert)
    return {
        o.pk: _enforce_verdict(o, field_code, field_obj, frozenset(held[o.pk]), certs[o.pk], on)
        for o in officers
    }


def _enforce_verdict(
    officer: Officer,
    field_code: str,
    field_obj: EnforcementField | None,
    held: frozenset[Role],
    certs: list[Certificate],
    on: datetime.date,
) -> Verdict:
    if field_obj is None:
        return Verdict(False, _("Unknown field of enforcement “%(code)s”.") % {"code": field_code},
                       code="unknown_field")
    if not officer.active or not officer.user.is_active:
        return Verdict(False, _("%(name)s is no longer an active officer (行政处罚法 Art.42).") % {
            "name": officer.name}, code="officer_inactive")
    if officer.is_auxiliary:
        return Verdict(False, _(
            "%(name)s is auxiliary staff (执法辅助人员) and may only assist a certified officer, "
            "never perform an enforcement act (行政处罚法 Art.42)."
        ) % {"name": officer.name}, code="auxiliary")
    if held & ADMIN_ROLES:
        return Verdict(False, _(
            "%(name)s is %(roles)s and performs no enforcement acts (等保2.0 三员分立: administrators "
            "hold no enforcement role); an enforcement officer must act instead."
        ) % {"name": officer.name, "roles": "、".join(str(r.label) for r in sorted(held & ADMIN_ROLES))},
            code="administrator")
    if not held & ENFORCEMENT_ROLES:
        return Verdict(False, _(
            "%(name)s holds no enforcement role (enforcement officer, legal reviewer, agency head or "
            "supervisor) and may not perform enforcement acts (行政处罚法 Art.42); the security "
            "administrator must grant one first."
        ) % {"name": officer.name}, code="no_enforcement_role")
    for cert in certs:
        if cert.is_current_on(on):
            return Verdict(True, _("Certificate %(number)s covers %(field)s until %(end)s.") % {
                "number": cert.number, "field": field_obj.name, "end": cert.expires_on.isoformat()},
                certificate=cert, code="ok")
    if not certs:
        return Verdict(False, _(
            "%(name)s holds no enforcement certificate for %(field)s (行政处罚法 Art.42); the security "
            "administrator must issue one covering this field."
        ) % {"name": officer.name, "field": field_obj.name}, code="no_certificate")
    code, reason = _certificate_refusal(certs[0], on)
    return Verdict(False, _("%(name)s may not act in %(field)s: %(reason)s (行政处罚法 Art.42)") % {
        "name": officer.name, "field": field_obj.name, "reason": reason}, certificate=certs[0], code=code)


def officers_certified(*, agency: Agency, field_code: str, on: datetime.date) -> QuerySet[Officer]:
    """The agency's officers who may perform enforcement acts in `field_code` on `on`, in ONE query:
    the conditions of `officer_may_enforce` (active officer and user, not auxiliary, an enforcement
    role and no administrator role, a valid certificate covering the field on that day; 行政处罚法
    Art.42). For choice lists (the second officer on the spot, the officers of a verification)."""
    roles = RoleAssignment.objects.filter(officer=OuterRef("pk"))
    certificate = Certificate.objects.filter(
        officer=OuterRef("pk"),
        status=CertificateStatus.VALID,
        issued_on__lte=on,
        expires_on__gte=on,
        fields__code=field_code,
    )
    return (
        Officer.objects.filter(agency=agency, active=True, user__is_active=True, is_auxiliary=False)
        .filter(Exists(roles.filter(role__in=[r.value for r in ENFORCEMENT_ROLES])))
        .exclude(Exists(roles.filter(role__in=[r.value for r in ADMIN_ROLES])))
        .filter(Exists(certificate))
        .select_related("user")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class InvestigationVerdict:
    """At least two distinct certified officers (行政处罚法 Arts.42/55)."""

    allowed: bool
    reason: str
    per_officer: dict[int, Verdict] = field(default_factory=dict)


def officers_may_investigate(
    *, officers: Sequence[Officer], field_code: str, on: datetime.date
) -> InvestigationVerdict:
    """Investigation and inspection need ≥2 distinct officers with 执法资格 (行政处罚法 Arts.42/55)."""
    distinct = {o.pk: o for o in officers}
    per = officers_may_enforce(officers=list(distinct.values()), field_code=field_code, on=on)
    qualified = [pk for pk, v in per.items() if v.allowed]
    if len(qualified) >= 2:
        return InvestigationVerdict(True, _("%(count)d certified officers take part.") % {
            "count": len(qualified)}, per)
    reasons = "；".join(v.reason for v in per.values() if not v.allowed)
    message = _(
        "Investigation needs at least two distinct officers certified for this field "
        "(行政处罚法 Arts.42 and 55); only %(count)d qualify. Add certified officers."
    ) % {"count": len(qualified)}
    return InvestigationVerdict(False, f"{message} {reasons}".strip(), per)


def certificates_expiring(*, agency: Agency, within_days: int = 30,
                          today: datetime.date | None = None) -> QuerySet[Certificate]:
    """Valid certificates of the agency's active officers that expire within `within_days` days."""
    start = today or timezone.localdate()
    return (
        Certificate.objects.filter(
            officer__agency=agency, officer__active=True, status=CertificateStatus.VALID,
            expires_on__gte=start, expires_on__lte=start + datetime.timedelta(days=within_days),
        )
        .select_related("officer")
        .order_by("expires_on", "pk")
    )


def certificates_expiring_for_user(
    *, user: Any, within_days: int = 30, today: datetime.date | None = None
) -> QuerySet[Certificate]:
    """The user's own valid certificates expiring within `within_days` days (home page panel)."""
    officer = officer_for(user)
    if officer is None:
        return Certificate.objects.none()
    return certificates_expiring(agency=officer.agency, within_days=within_days, today=today).filter(
        officer=officer
    )


# --- public projection ------------------------------------------------------------------------


def public_officers(
    *, agency_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> list[dict[str, Any]]:
    """The public list of officers (执法人员公示): name, certificate number, fields, status, agency.

    Nothing else: no phone, no login, no identity number. Only active, non-auxiliary officers
    with a certificate; one row per certificate.
    """
    day = on or timezone.localdate()
    qs = Certificate.objects.filter(officer__active=True, officer__is_auxiliary=False).exclude(
        status=CertificateStatus.REVOKED
    )
    if agency_ids is not None:
        qs = qs.filter(officer__agency_id__in=list(agency_ids))
    qs = qs.select_related("officer__agency").prefetch_related("fields").order_by(
        "officer__agency__path", "officer__name", "number"
    )
    rows = []
    for cert in qs:
        expired = cert.status == CertificateStatus.VALID and not cert.is_current_on(day)
        status = "expired" if expired else cert.status
        rows.append({
            "name": cert.officer.name,
            "certificate_number": cert.number,
            "fields": [f.name for f in cert.fields.all()],
            "status": status,
            "agency": cert.officer.agency.name,
            "agency_code": cert.officer.agency.code,
        })
    return rows


def officers_filtered(
    actor: Any, *, department_id: int | None = None, role: str | None = None,
    certificate_status: str | None = None, agency_id: int | None = None, query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Officer]:
    """The officer list screen: visible officers filtered by department, role and certificate state.

    certificate_status: "valid" (a current certificate), "expiring" (valid, ends within 30 days),
    "expired", "suspended", "revoked", "none" (no certificate at all).
    """
    day = today or timezone.localdate()
    qs = visible_officers(actor)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if role:
        qs = qs.filter(role_assignments__role=role)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(certificates__number__contains=query))
    valid_now = Q(certificates__status=CertificateStatus.VALID, certificates__issued_on__lte=day,
                  certificates__expires_on__gte=day)
    if certificate_status == "valid":
        qs = qs.filter(valid_now)
    elif certificate_status == "expiring":
        qs = qs.filter(valid_now, certificates__expires_on__lte=day + datetime.timedelta(days=30))
    elif certificate_status == "expired":
        qs = qs.filter(certificates__status=CertificateStatus.VALID, certificates__expires_on__lt=day)
    elif certificate_status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        qs = qs.filter(certificates__status=certificate_status)
    elif certificate_status == "none":
        qs = qs.filter(certificates__isnull=True)
    return qs.distinct().order_by("agency_id", "name", "pk")


# --- fields of enforcement --------------------------------------------------------------------


def enforcement_fields(*, include_inactive: bool = True) -> QuerySet[EnforcementField]:
    """The fields of enforcement (platform-wide reference data, readable by every officer)."""
    qs = EnforcementField.objects.order_by("-active", "code")
    return qs if include_inactive else qs.filter(active=True)


# --- legal reviewers (法制审核人员) -------------------------------------------------------------

LEGAL_REVIEWER_MIN_RATIO_KEY = "org.legal_reviewer_min_ratio"
DEFAULT_LEGAL_REVIEWER_MIN_RATIO = Decimal("0.05")


def legal_reviewer_min_ratio() -> Decimal:
    """The configured minimum share of legal reviewers among enforcement staff (default 5%).

    Stored as data (core.LegalSetting, seeded by org/0004). A stored value that is not a number
    between 0 and 1 is logged and the default applies, so a bad value never breaks a page.
    """
    setting = LegalSetting.objects.filter(key=LEGAL_REVIEWER_MIN_RATIO_KEY)
    value = setting.values_list("value", flat=True).first()
    if value is None:
        return DEFAULT_LEGAL_REVIEWER_MIN_RATIO
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        ratio = Decimal(-1)
    if not (ratio.is_finite() and Decimal(0) <= ratio <= Decimal(1)):
        log.warning("legal setting %s has an invalid value %r; using %s",
                    LEGAL_REVIEWER_MIN_RATIO_KEY, value, DEFAULT_LEGAL_REVIEWER_MIN_RATIO)
        return DEFAULT_LEGAL_REVIEWER_MIN_RATIO
    return ratio


@dataclass(frozen=True)
class ReviewerRatio:
    """How an agency stands against the legal-reviewer ratio; unpacks as (ratio, required, ok).

    `ratio` is reviewers / enforcement staff (None when the agency has no enforcement staff),
    `required` the least number of legal reviewers the configured minimum asks for.
    """

    ratio: Decimal | None
    required: int
    ok: bool
    reviewers: int
    staff: int
    min_ratio: Decimal

    def __iter__(self) -> Iterator[Any]:
        return iter((self.ratio, self.required, self.ok))

    @property
    def min_percent(self) -> str:
        return f"{(self.min_ratio * 100).normalize():f}"


def legal_reviewer_ratio(*, agency: Agency) -> ReviewerRatio:
    """Legal reviewers ≥ the configured share (default 5%) of the agency's enforcement staff.

    国办发〔2018〕118号 and seed 002 (武定县 2023, 二(三)2): "法制审核人员不少于本单位执法人员总数的5%".
    Enforcement staff: the agency's active, non-auxiliary officers holding an enforcement role
    (enforcement officer, legal reviewer, head, supervisor); the administrators are not counted.
    """
    min_ratio = legal_reviewer_min_ratio()
    active = Officer.objects.filter(agency=agency, active=True, user__is_active=True, is_auxiliary=False)
    staff = active.filter(role_assignments__role__in=list(ENFORCEMENT_ROLES)).distinct().count()
    reviewers = active.filter(role_assignments__role=Role.LEGAL_REVIEWER).distinct().count()
    required = math.ceil(min_ratio * staff)  # Decimal keeps 5% of 20 at exactly 1
    ratio = Decimal(reviewers) / Decimal(staff) if staff else None
    return ReviewerRatio(ratio=ratio, required=required, ok=reviewers >= required, reviewers=reviewers,
                         staff=staff, min_ratio=min_ratio)
