from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`zhifa demo`: loads a realistic sample bureau through every domain's services."""

    name = "demo"
    verbose_name = _("demo data")
