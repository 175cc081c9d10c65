from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Administrative mediation")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {}

    def ready(self) -> None:
        from core.acts import register_acts
        from mediation.documents import register_kinds

        register_kinds()

        register_acts(
            {
                "mediation.apply": _("Application for mediation received"),
                "mediation.accept": _("Application for mediation accepted"),
                "mediation.refuse": _("Application for mediation not accepted"),
                "mediation.mediator": _("Mediator named"),
                "mediation.party": _("Party or representative added to a mediation"),
                "mediation.session": _("Mediation session recorded"),
                "mediation.extend": _("Mediation time limit extended with the parties' agreement"),
                "mediation.agreement": _("Terms of the mediation agreement recorded"),
                "mediation.sign": _("Party's signature of the mediation agreement recorded"),
                "mediation.conclude": _("Mediation agreement issued"),
                "mediation.fail": _("Mediation failed"),
                "mediation.withdraw": _("Application for mediation withdrawn"),
                "mediation.recusal_applied": _("Recusal of a mediator applied for"),
                "mediation.recusal_decided": _("Recusal of a mediator decided"),
            }
        )
