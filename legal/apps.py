from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal department registers")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {
        "officer": [
            "legal.view_adviser",
            "legal.view_normativedocument",
            "legal.view_referral",
            "legal.view_jointaction",
        ],
        "supervisor": [
            "legal.view_adviser",
            "legal.view_normativedocument",
            "legal.view_referral",
            "legal.view_jointaction",
        ],
        "legal_reviewer": [
            "legal.view_adviser",
            "legal.add_adviser",
            "legal.view_opinionrequest",
            "legal.add_opinionrequest",
            "legal.view_normativedocument",
            "legal.change_normativedocument",
            "legal.view_referral",
            "legal.add_referral",
            "legal.view_jointaction",
            "legal.add_jointaction",
            "legal.view_accountability",
            "legal.add_accountability",
        ],
        "head": [
            "legal.view_adviser",
            "legal.add_adviser",
            "legal.view_opinionrequest",
            "legal.add_opinionrequest",
            "legal.view_normativedocument",
            "legal.change_normativedocument",
            "legal.view_referral",
            "legal.add_referral",
            "legal.view_jointaction",
            "legal.add_jointaction",
            "legal.view_accountability",
            "legal.add_accountability",
        ],
    }

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "legal.adviser_added": _("Legal adviser engaged"),
                "legal.opinion_requested": _("Legal opinion requested"),
                "legal.opinion_recorded": _("Legal opinion recorded"),
                "legal.document_drafted": _("Normative document drafted"),
                "legal.document_powers_set": _("Normative document linked to power-list items"),
                "legal.document_submitted": _("Normative document sent to the legality review"),
                "legal.document_reviewed": _("Legality review of a normative document"),
                "legal.document_decided": _("Normative document decided"),
                "legal.document_filed": _("Normative document filed with the level above"),
                "legal.document_published": _("Normative document published"),
                "legal.document_cleaned": _("Normative document cleanup result"),
                "legal.referral_sent": _("Case referred to another agency"),
                "legal.referral_answered": _("Referral answered"),
                "legal.joint_action": _("Joint enforcement action recorded"),
                "legal.joint_action_result": _("Joint enforcement action result"),
                "legal.accountability_recorded": _("Accountability finding recorded"),
            }
        )
