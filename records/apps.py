from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records and evidence")

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "records.record_created": _("Text record made"),
                "records.record_corrected": _("Text record corrected (new version)"),
                "records.file_captured": _("Evidence file captured"),
                "records.file_duplicate": _("Evidence file uploaded again (recognised)"),
                "records.upload_started": _("Chunked upload started"),
                "records.evidence_listed": _("Evidence listed"),
                "records.evidence_excluded": _("Evidence excluded"),
                "records.evidence_reinstated": _("Evidence reinstated"),
                "records.av_rule_changed": _("Audio-video rule changed"),
                "records.av_rule_seeded": _("Audio-video rule seeded"),
                "records.case_archived": _("Case-file archive package built"),
                "records.sensitive_viewed": _("Sensitive record viewed"),
                "records.sensitive_downloaded": _("Sensitive file downloaded"),
                "records.release_requested": _("Release after retention requested"),
                "records.release_approved": _("Release after retention approved"),
                "records.release_refused": _("Release after retention refused"),
                "records.retention_rule_changed": _("Retention rule changed"),
                "records.upload_abandoned": _("Abandoned upload cleaned up"),
            }
        )
