from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Penalty cases")

    def ready(self) -> None:
        from core.acts import register_acts

        # Labels of the ledger acts written by cases.services.execution and .remedies.
        register_acts(
            {
                "case.delivery_record": _("Document served (delivery recorded)"),
                "case.delivery_receipt_linked": _("Signed delivery receipt linked"),
                "case.payment_record": _("Payment recorded"),
                "case.remedy_record": _("Reconsideration or litigation recorded"),
                "case.remedy_outcome": _("Outcome of reconsideration or litigation"),
            }
        )
        from cases.workflow.summary import ACT_LABELS as SUMMARY_ACTS

        register_acts(SUMMARY_ACTS)

        from cases.services.publication import on_publication_moved
        from publicity.signals import publication_moved

        publication_moved.connect(on_publication_moved, dispatch_uid="cases.publication_deadline")
