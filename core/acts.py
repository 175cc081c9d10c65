"""Chinese labels of the ledger's act codes, for the ledger browser ("label (code)").

One registry: core lists every act the platform records today; an app that adds acts may add their
labels with `register_acts` (in its AppConfig.ready). An act without a label is shown by its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACT_LABELS: dict[str, Any] = {
    "api.permission_denied": _("API request refused"),
    "api.token_issued": _("API token issued"),
    "api.token_revoked": _("API token revoked"),
    "auth.lockout": _("Account locked after failed logins"),
    "auth.login": _("Login"),
    "auth.login_failed": _("Failed login"),
    "auth.logout": _("Logout"),
    "auth.mfa_enrol_started": _("MFA enrolment started"),
    "auth.mfa_enrolled": _("MFA enrolled"),
    "auth.mfa_failed": _("MFA code refused"),
    "auth.mfa_reset": _("MFA authenticator reset"),
    "auth.mfa_verified": _("MFA verified"),
    "auth.password_changed": _("Password changed"),
    "auth.permission_denied": _("Permission denied"),
    "calendar.official_published": _("Official calendar entered"),
    "calendar.override_removed": _("Calendar day reset"),
    "calendar.override_set": _("Calendar day set"),
    "calendar.provisional_computed": _("Provisional calendar computed"),
    "case.create": _("Case lead registered"),
    "case.facts_updated": _("Case facts recorded"),
    "case.officer_assigned": _("Case officers assigned"),
    "case.party_added": _("Party added"),
    "case.recusal_applied": _("Recusal applied for"),
    "case.recusal_decided": _("Recusal decided"),
    "case.check": _("Lead checked"),
    "case.decline": _("Lead declined (no case)"),
    "case.register": _("Case registered"),
    "case.investigate": _("Investigation"),
    "case.report": _("Investigation report"),
    "case.reinvestigate": _("Returned for further investigation"),
    "case.notify": _("Prior notice sent"),
    "case.record_statement": _("Statement recorded"),
    "case.request_hearing": _("Hearing requested"),
    "case.schedule_hearing": _("Hearing scheduled"),
    "case.hold_hearing": _("Hearing held"),
    "case.decide": _("Penalty decided"),
    "case.decide_no_penalty": _("No-penalty decision"),
    "case.transfer": _("Case transferred"),
    "case.deliver": _("Decision delivered"),
    "case.execute": _("Execution"),
    "case.complete_execution": _("Execution completed"),
    "case.close": _("Case closed"),
    "case.archive": _("Case archived"),
    "catalog.exemption_save": _("First-violation exemption saved"),
    "catalog.major_rule_create": _("Major-decision rule created"),
    "catalog.major_rule_retire": _("Major-decision rule retired"),
    "catalog.major_rule_seed": _("Major-decision rule seeded"),
    "catalog.major_rule_update": _("Major-decision rule changed"),
    "catalog.power_create": _("Power item created"),
    "catalog.power_publish": _("Power item published"),
    "catalog.power_retire": _("Power item retired"),
    "catalog.power_revise": _("Power item revised"),
    "catalog.provision_create": _("Legal provision created"),
    "catalog.provision_update": _("Legal provision changed"),
    "catalog.standard_create": _("Discretion standard created"),
    "catalog.standard_publish": _("Discretion standard published"),
    "catalog.standard_retire": _("Discretion standard retired"),
    "catalog.standard_update": _("Discretion standard changed"),
    "deadline.cancelled": _("Deadline cancelled"),
    "deadline.paused": _("Deadline paused"),
    "deadline.recomputed": _("Deadline recomputed"),
    "deadline.reassigned": _("Deadline given to a new responsible officer"),
    "deadline.resumed": _("Deadline resumed"),
    "deadline.satisfied": _("Deadline met"),
    "deadline.scan": _("Deadline scan"),
    "deadline.started": _("Deadline started"),
    "deadline.status_changed": _("Deadline status changed"),
    "evidence.attached": _("Evidence attached"),
    "file.store": _("File stored"),
    "ledger.head_signed": _("Ledger head signed"),
    "ledger.verified": _("Ledger verified"),
    "number.issued": _("Document number issued"),
    "number.pattern_set": _("Numbering pattern set"),
    "org.agency_created": _("Agency created"),
    "org.agency_updated": _("Agency changed"),
    "org.certificate_issued": _("Certificate issued"),
    "org.certificate_reinstated": _("Certificate reinstated"),
    "org.certificate_renewed": _("Certificate renewed"),
    "org.certificate_revoked": _("Certificate revoked"),
    "org.certificate_suspended": _("Certificate suspended"),
    "org.department_created": _("Department created"),
    "org.department_updated": _("Department changed"),
    "org.enforcement_field_created": _("Field of enforcement created"),
    "org.enforcement_field_updated": _("Field of enforcement changed"),
    "org.legal_setting_changed": _("Legal setting changed"),
    "org.officer_created": _("Officer created"),
    "org.officer_deactivated": _("Officer deactivated"),
    "org.officer_reactivated": _("Officer reactivated"),
    "org.officer_transferred": _("Officer transferred"),
    "org.officer_updated": _("Officer changed"),
    "org.qualification_recorded": _("Legal qualification recorded"),
    "org.role_granted": _("Role granted"),
    "org.role_revoked": _("Role revoked"),
    "review.deliberation_recorded": _("Collective deliberation recorded"),
    "review.legal_review_assigned": _("Legal review assigned"),
    "review.legal_review_concluded": _("Legal review concluded"),
    "review.legal_review_submitted": _("Submitted for legal review"),
    "review.risk_assessment_approved": _("Risk assessment approved"),
    "review.risk_assessment_recorded": _("Risk assessment recorded"),
    "signing.key_created": _("Signing key created"),
}


def register_acts(labels: Mapping[str, Any]) -> None:
    """Add (or replace) labels of act codes: {"app.act": gettext_lazy("English label")}."""
    ACT_LABELS.update(labels)


def act_label(code: str) -> str:
    """The act's Chinese label ("" when it has none)."""
    label = ACT_LABELS.get(code)
    return str(label) if label else ""


def act_display(code: str) -> str:
    """ "label (code)", or the code alone when the act has no label."""
    label = act_label(code)
    return f"{label} ({code})" if label else code


def object_type_display(object_type: str) -> str:
    """A model's verbose name with its label ("user (org.user)"), or the object type as stored."""
    if "." not in object_type:
        return object_type
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return f"{model._meta.verbose_name} ({object_type})"
