from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "complaint.submit": _("Complaint received"),
                "complaint.accept": _("Complaint accepted (first contact)"),
                "complaint.identify": _("Officer complained about identified"),
                "complaint.assign": _("Complaint assigned to a department"),
                "complaint.handover": _("Complaint handed over"),
                "complaint.convert": _("Report turned into a case lead"),
                "complaint.no_lead": _("Report not turned into a case lead"),
                "complaint.reply": _("Complaint answered"),
                "complaint.feedback": _("Complainant's satisfaction recorded"),
                "complaint.close": _("Complaint closed"),
                "complaint.attachment": _("Complaint attachment stored"),
                "complaint.mailed": _("E-mail sent to the complainant"),
                "complaint.mail_failed": _("E-mail to the complainant failed"),
            }
        )
