"""法制机构的台账: legal advisers and their opinions, normative documents (规范性文件) from drafting to
cleanup, inter-agency referrals (移送) and joint enforcement actions (联合执法), and accountability
findings (责任追究), which only the legal department and the heads read.

Nothing outside `legal.services` saves these models; every change is a ledger act. Statuses change
only through the transition tables in `legal.services` and one `_move`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import TimeStamped


class Adviser(TimeStamped):
    """法律顾问 (seed 004: 建立健全法律顾问制度)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    firm = models.CharField(_("law firm or unit"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    specialties = models.CharField(_("specialties"), max_length=200, blank=True)
    contract_start = models.DateField(_("engaged from"))
    contract_end = models.DateField(_("engaged until"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "name", "pk"]
        verbose_name = _("legal adviser")

    def __str__(self) -> str:
        return self.name


class OpinionStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class OpinionRequest(TimeStamped):
    """A request for a legal adviser's opinion on a case or on a draft."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(Adviser, on_delete=models.PROTECT, related_name="requests")
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True, db_index=True)
    document = models.ForeignKey(
        "legal.NormativeDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    draft_title = models.CharField(_("draft"), max_length=200, blank=True)
    question = models.TextField(_("question"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("requested on"))
    status = models.CharField(
        _("status"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.REQUESTED
    )
    opinion = models.TextField(_("opinion"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("request for a legal opinion")

    def __str__(self) -> str:
        return f"{self.adviser_id}: {self.question[:30]}"


class DocumentStatus(models.TextChoices):
    DRAFTING = "drafting", _("drafting")
    REVIEWING = "reviewing", _("legality review")
    REVIEWED = "reviewed", _("passed the legality review")
    DECIDED = "decided", _("decided")
    FILED = "filed", _("filed with the level above")
    PUBLISHED = "published", _("published")
    REPEALED = "repealed", _("repealed")


class NormativeDocument(TimeStamped):
    """规范性文件: drafted, reviewed for legality, decided, filed (备案) with the level above with its
    receipt, published, and cleaned up (清理) periodically (seed 003: 审查与备案率均达100%)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFTING
    )
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    review_opinion = models.TextField(_("legality review opinion"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.CharField(_("decided by (meeting)"), max_length=200, blank=True)
    filed_with = models.CharField(_("filed with"), max_length=200, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_receipt = models.CharField(_("filing receipt number"), max_length=100, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_where = models.CharField(_("published in"), max_length=200, blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The power-list items (by code, stable across their versions) this document is an enforcement
    # basis for: once published, the catalog shows it with their legal bases (issue 9 §10).
    power_codes = models.JSONField(_("power-list items it is a basis for"), default=list, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("normative document")

    def __str__(self) -> str:
        return self.title


class CleanupResult(models.TextChoices):
    RETAIN = "retain", _("retain")
    AMEND = "amend", _("amend")
    REPEAL = "repeal", _("repeal")


class Cleanup(models.Model):
    """One document's result in a cleanup round (清理)."""

    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="cleanups")
    round = models.CharField(_("cleanup round"), max_length=60)
    result = models.CharField(_("result"), max_length=8, choices=CleanupResult.choices)
    reason = models.TextField(_("reason"))
    done_on = models.DateField(_("done on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("cleanup result")
        constraints = [models.UniqueConstraint(fields=["document", "round"], name="legal_cleanup_once")]

    def __str__(self) -> str:
        return f"{self.round}: {self.result}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent, awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class Referral(TimeStamped):
    """移送: a case sent to another agency (or a judicial organ), with its acceptance receipt."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True, db_index=True)
    to_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_name = models.CharField(_("referred to"), max_length=200)
    subject = models.CharField(_("matter"), max_length=200)
    reason = models.TextField(_("reason and legal basis"))
    sent_on = models.DateField(_("sent on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    receipt_number = models.CharField(_("acceptance receipt number"), max_length=100, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("referral")

    def __str__(self) -> str:
        return self.subject


class JointAction(TimeStamped):
    """联合执法: a joint enforcement action with the participating agencies and its results."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.JSONField(_("participating agencies"), default=list)
    result = models.TextField(_("result"), blank=True)
    violations_found = models.PositiveIntegerField(_("violations found"), null=True, blank=True)
    cases_opened = models.PositiveIntegerField(_("cases opened"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("joint enforcement action")

    def __str__(self) -> str:
        return self.title


class FaultKind(models.TextChoices):
    OMISSION = "omission", _("omission (不作为)")
    WRONG_CASE = "wrong_case", _("wrong case (错案)")
    ABUSE = "abuse", _("abuse of power (滥用职权)")


class Accountability(TimeStamped):
    """责任追究: a fault finding against staff; read only by the legal department and the heads."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of fault"), max_length=12, choices=FaultKind.choices)
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True, db_index=True)
    persons = models.ManyToManyField("org.Officer", related_name="+", verbose_name=_("persons"))
    finding = models.TextField(_("finding"))
    consequence = models.CharField(_("consequence"), max_length=200, blank=True)
    exemptions = models.JSONField(_("exemptions that apply (免予追究)"), default=list, blank=True)
    exempted = models.BooleanField(_("exempted from accountability"), default=False)
    found_on = models.DateField(_("found on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("accountability finding")

    def __str__(self) -> str:
        return f"{self.kind} {self.found_on}"
