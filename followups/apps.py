from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up visits")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {
        "officer": ["followups.view_followup"],
        "legal_reviewer": ["followups.view_followup"],
        "head": ["followups.view_followup"],
        "supervisor": ["followups.view_followup"],
        "system_admin": ["followups.view_followuprule", "followups.manage_followuprule"],
    }

    def ready(self) -> None:
        from cases.signals import decision_enclosures
        from core.acts import register_acts

        decision_enclosures.connect(_questionnaire_with_decision, dispatch_uid="followups.questionnaire")

        register_acts(
            {
                "followup.run": _("Follow-up job"),
                "followup.created": _("Follow-up scheduled"),
                "followup.printed": _("Questionnaire delivered with the decision"),
                "followup.answered": _("Questionnaire answered"),
                "followup.unreachable": _("Party not reached for the follow-up"),
                "followup.rule_changed": _("Follow-up rule changed"),
            }
        )


def _questionnaire_with_decision(sender: object, *, case: object, actor: object, **kwargs: object) -> str:
    """cases.signals.decision_enclosures: the 回访意见表 goes to the party with the decision."""
    from followups.services import followup_enclose_with_decision

    return followup_enclose_with_decision(actor=actor, case_id=case.pk)  # type: ignore[attr-defined]
