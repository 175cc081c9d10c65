"""Template versions and issued documents.

A `TemplateVersion` is the Django-template HTML body of one kind of document (documents/kinds.py);
editing makes a new version, and a kind has at most one active version. A `Document` is immutable
once issued: it records the template version that produced it, its number, date, the SHA-256 of
its PDF and the stored file; a correction is a new document that `supersedes` the old one.
The document refers to what it is about by generic strings (`subject_type` such as "cases.case",
`subject_id`): this app never imports the apps whose records it renders.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.base import AppendOnlyQuerySet
from documents.kinds import KINDS, kind_choices


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")


# The only status changes (documents.services._move): a draft is activated, an active version is
# retired when another version of its kind is activated.
TEMPLATE_TRANSITIONS: dict[str, set[str]] = {
    TemplateStatus.DRAFT: {TemplateStatus.ACTIVE},
    TemplateStatus.ACTIVE: {TemplateStatus.RETIRED},
    TemplateStatus.RETIRED: set(),
}


class TemplateVersion(models.Model):
    kind = models.CharField(_("kind"), max_length=60, choices=kind_choices())
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("template body (Django template HTML)"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("document template version")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="documents_template_kind_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(status="active"), name="documents_template_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({self.status})"

    @property
    def kind_title(self) -> str:
        spec = KINDS.get(self.kind)
        return str(spec.title) if spec else self.kind


class Document(models.Model):
    """An issued document (文书); never changed after it is created."""

    kind = models.CharField(_("kind"), max_length=60, choices=kind_choices())
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("template version"),
    )
    subject_type = models.CharField(_("subject type"), max_length=60, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=60, blank=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("document number"), max_length=120, unique=True)
    issued_number = models.OneToOneField(
        "core.IssuedNumber", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    issued_on = models.DateField(_("date of the document"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    context = models.JSONField(_("data rendered"), default=dict)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    # The agency's signature (core.services.signing) of `signed_data()`, with the public key used.
    signature = models.TextField(_("signature"), blank=True)
    signature_public_key = models.TextField(_("public key of the signature"), blank=True)
    signature_key_fingerprint = models.CharField(_("key fingerprint"), max_length=64, blank=True)
    # The caller's idempotency key (documents.services.document_issue `key`): a repeated request with
    # the same subject, kind and key gets the document already issued, never a second one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, blank=True, default="")
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("document")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="documents_subject_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="documents_document_idempotent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("An issued Document is immutable; issue a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("An issued Document is immutable")

    @property
    def kind_title(self) -> str:
        spec = KINDS.get(self.kind)
        return str(spec.title) if spec else self.kind

    def signed_data(self) -> bytes:
        """What the agency signs: the document's number and the SHA-256 of its PDF."""
        return f"zhifa.document:{self.number}:{self.pdf_sha256}".encode()

    @property
    def verification_code_display(self) -> str:
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class AgencySeal(models.Model):
    """An agency's seal image (PNG), uploaded by its system administrator, bytes in the core store.

    Every upload is a new row (and a ledger act); the newest row of an agency is its seal, placed
    in the seal area of the documents it issues from then on. A row with `removed` set withdraws it
    (documents show the text 「（印章）」 again)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    stored_file = models.ForeignKey(
        "core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed = models.BooleanField(_("removed"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "-uploaded_at", "-pk"]
        verbose_name = _("agency seal")

    def __str__(self) -> str:
        return f"seal of agency {self.agency_id}"
