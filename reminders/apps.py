from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {
        "officer": ["reminders.view_reminder"],
        "legal_reviewer": ["reminders.view_reminder"],
        "head": ["reminders.view_reminder"],
        "supervisor": ["reminders.view_reminder"],
        "system_admin": ["reminders.view_reminderrule", "reminders.manage_reminderrule"],
    }

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "reminder.scan": _("Reminder scan"),
                "reminder.sent": _("Reminder sent"),
                "reminder.retry": _("Reminder delivery failed, will be retried"),
                "reminder.channel_changed": _("Reminder moved to the next channel"),
                "reminder.failed": _("Reminder failed"),
                "reminder.delivered": _("Reminder delivered"),
                "reminder.task": _("Reminder handed to an officer"),
                "reminder.no_contact": _("Reminder without a contact channel handed to an officer"),
                "reminder.cancelled": _("Reminder cancelled (deadline no longer running)"),
                "reminder.task_done": _("Reminder task recorded"),
                "reminder.task_handover": _("Reminder task handed over to a colleague"),
                "reminder.letter_issued": _("Reminder letter (提示书) issued"),
                "reminder.rule_changed": _("Reminder rule changed"),
                "notification.queued": _("Notification to a party queued"),
                "notification.no_contact": _("Notification to a party without a contact channel recorded"),
                "notification.sent": _("Notification to a party sent"),
                "notification.retry": _("Notification to a party failed, will be retried"),
                "notification.delivered": _("Notification to a party delivered"),
                "notification.failed": _("Notification to a party failed"),
            }
        )
