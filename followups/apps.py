from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up visits")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {}
