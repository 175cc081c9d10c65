from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "service"
    verbose_name = _("Licences and inspections")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    # The rules of who may act live in service.policies; nothing here is checked by Django's perms.
    role_permissions: dict[str, list[str]] = {}

    def ready(self) -> None:
        from core.acts import register_acts
        from service.documents import register_kinds

        register_kinds()
        register_acts(
            {
                "application.submit": _("Licence application received"),
                "application.decide": _("Licence application decided"),
                "application.attachment": _("Licence application attachment stored"),
                "application.take": _("Licence application taken (first contact)"),
                "application.handover": _("Licence application handed over"),
                "application.correction": _("Missing materials listed (补正)"),
                "application.accept": _("Licence application accepted"),
                "application.accept_deemed": _("Licence application accepted on receipt by law"),
                "application.reject": _("Licence application not accepted"),
                "application.pause": _("Licence time limit suspended (hearing, expert review)"),
                "application.resume": _("Licence time limit resumed"),
                "application.extend": _("Licence decision time limit extended by the head"),
                "application.grant": _("Licence granted"),
                "application.refuse": _("Licence refused"),
                "application.issue": _("Licence issued"),
                "application.deemed_renewed": _("Renewal deemed granted"),
                "licence.issue": _("Licence registered"),
                "licence.renew": _("Licence renewed"),
                "licence.renew_deemed": _("Licence renewed by law (no decision before expiry)"),
                "licence.expire": _("Licence expired"),
                "licence.risk": _("Licence risk level changed"),
                "inspection.record": _("Inspection recorded"),
                "inspection.lead": _("Inspection finding turned into a case lead"),
                "patrol.record": _("Patrol recorded"),
                "patrol.lead": _("Patrol finding turned into a case lead"),
                "draw.make": _("Random inspection draw made"),
                "draw.publish": _("Random inspection results published"),
                "licence.revoke": _("Licence revoked (撤销)"),
                "licence.withdraw": _("Licence withdrawn (撤回)"),
                "licence.cancel": _("Licence cancelled (注销)"),
                "hearing.notify": _("Right to a licence hearing notified"),
                "hearing.request": _("Licence hearing requested"),
                "hearing.waive": _("Licence hearing not requested"),
                "hearing.schedule": _("Licence hearing scheduled and notified"),
                "hearing.record": _("Licence hearing held and recorded"),
                "notice.delivery": _("Licensing notice delivered"),
                "notice.downloaded": _("Licensing notice downloaded by the applicant"),
                "licence_kind.create": _("Licence kind created"),
                "licence_kind.change": _("Licence kind changed"),
                "supervision_frequency.change": _("Supervision frequency changed"),
            }
        )
