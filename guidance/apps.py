from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Guidance and typical cases")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {}

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "guidance.outcome": _("Guidance rectification outcome recorded"),
                "guidance.record": _("Guidance recorded"),
                "guidance.rectified": _("Rectification after guidance recorded"),
                "guidance.not_rectified": _("Not rectified after guidance: case lead registered"),
                "guidance.case_draft": _("Typical case drafted"),
                "guidance.case_edit": _("Typical case edited"),
                "guidance.case_submit": _("Typical case submitted for review"),
                "guidance.case_return": _("Typical case returned to its author"),
                "guidance.case_publish": _("Typical case published"),
                "guidance.case_withdraw": _("Typical case withdrawn"),
                "inquiry.receive": _("Inquiry received"),
                "inquiry.take": _("Inquiry taken (first contact)"),
                "inquiry.handover": _("Inquiry handed over"),
                "inquiry.reply": _("Inquiry answered"),
                "first_contact.escalated": _("Overdue first-contact item reported to the heads"),
            }
        )
