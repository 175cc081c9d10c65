from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Enforcement documents")

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "document.issue": _("Document issued"),
                "document.file_store": _("Document PDF stored"),
                "document.template_create": _("Document template version created"),
                "document.template_activate": _("Document template version activated"),
                "document.seal_file_store": _("Agency seal image stored"),
                "document.seal_set": _("Agency seal image set"),
                "document.seal_remove": _("Agency seal image removed"),
            }
        )
