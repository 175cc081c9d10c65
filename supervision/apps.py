from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    # Reads are decided by supervision.policies (scope by agency); these let the screens show up.
    role_permissions: dict[str, list[str]] = {
        "head": ["supervision.view_supervisionorder", "supervision.add_supervisionorder"],
        "supervisor": ["supervision.view_supervisionorder", "supervision.add_supervisionorder"],
        "legal_reviewer": ["supervision.view_supervisionorder"],
        "officer": ["supervision.view_supervisionorder"],
    }

    def ready(self) -> None:
        from core.acts import register_acts
        from supervision.documents import register_kinds

        register_kinds()

        register_acts(
            {
                "supervision.supervision_issue": _("Supervision order (督办) issued"),
                "supervision.correction_issue": _("Case file returned for correction"),
                "supervision.order_respond": _("Supervision order answered"),
                "supervision.order_accept": _("Response to a supervision order accepted"),
                "supervision.order_reject": _("Response to a supervision order not accepted"),
                "supervision.order_withdraw": _("Supervision order withdrawn"),
                "supervision.autoreview": _("Automatic case-file review run"),
                "supervision.sheet_save": _("Scoring sheet saved"),
                "supervision.sample_draw": _("Case-file review sample drawn"),
                "supervision.score": _("Case file scored"),
                "supervision.indicator_save": _("Assessment indicator saved"),
                "supervision.assessment_run": _("Assessment run and ranked"),
                "supervision.admonition": _("Admonition talk recorded"),
                "supervision.transfer_proposal": _("Proposal to move off enforcement duty recorded"),
                "supervision.target_set": _("Responsibility target set"),
            }
        )
