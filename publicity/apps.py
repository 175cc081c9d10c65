from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("Publicity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from complaints.selectors import register_reply_masker
        from core.acts import register_acts
        from publicity import masking

        # Complaint answers are masked like decisions before the public tracking page shows them.
        register_reply_masker(lambda text, party: masking.mask(text, party).text)

        register_acts(
            {
                "publication.draft": _("Publication drafted"),
                "publication.mask": _("Publication masked"),
                "publication.approve": _("Publication approved"),
                "publication.publish": _("Decision published"),
                "publication.withdraw": _("Publication withdrawn"),
                "publication.expire": _("Publication's display period ended"),
                "annual_report.compute": _("Annual report computed"),
                "annual_report.approve": _("Annual report approved"),
                "annual_report.publish": _("Annual report published"),
                "violator.propose": _("Serious-violator listing proposed"),
                "violator.notify": _("Party notified of the intended listing"),
                "violator.objection": _("Party's objection to the listing recorded"),
                "violator.objection_rejected": _("Objection to the listing rejected"),
                "violator.list": _("Party listed as a serious violator"),
                "violator.drop": _("Serious-violator listing dropped"),
                "violator.remove": _("Party removed from the serious-violator list"),
                "violator.repair_apply": _("Credit repair applied for"),
                "violator.repair_refused": _("Credit repair refused"),
            }
        )
