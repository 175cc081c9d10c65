from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Reporting upward")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {
        "head": ["exchange.view_exportbatch", "exchange.add_exportbatch", "exchange.view_receivedbatch"],
        "legal_reviewer": [
            "exchange.view_exportbatch",
            "exchange.add_exportbatch",
            "exchange.view_receivedbatch",
        ],
        "supervisor": ["exchange.view_receivedbatch"],
    }

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "exchange.batch_file": _("Upward export stored"),
                "exchange.batch_exported": _("Upward export batch made"),
                "exchange.batch_received": _("Batch received from a subordinate agency"),
                "exchange.batch_refused": _("Batch of a subordinate agency refused (signature)"),
                "exchange.source_key_pinned": _("Signing key of a subordinate agency trusted"),
            }
        )
