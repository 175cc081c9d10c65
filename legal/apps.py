from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Legal department registers")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {}
