from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and exams")
    default_auto_field = "django.db.models.BigAutoField"
    # Role → "app_label.codename" permissions this app adds (merged by org.groups.sync_role_groups).
    role_permissions: dict[str, list[str]] = {
        "officer": ["training.view_exam", "training.view_attempt"],
        "legal_reviewer": [
            "training.view_exam",
            "training.view_attempt",
            "training.add_exam",
            "training.add_question",
            "training.change_attempt",
        ],
        "head": [
            "training.view_exam",
            "training.view_attempt",
            "training.add_exam",
            "training.add_question",
            "training.change_attempt",
        ],
        "supervisor": ["training.view_exam", "training.view_attempt"],
    }

    def ready(self) -> None:
        from core.acts import register_acts

        register_acts(
            {
                "training.plan_created": _("Training plan created"),
                "training.session_recorded": _("Training session recorded"),
                "training.attendance": _("Training attendance recorded"),
                "training.question_added": _("Exam question added"),
                "training.question_retired": _("Exam question retired"),
                "training.exam_created": _("Exam created"),
                "training.attempt_started": _("Exam started"),
                "training.attempt_saved": _("Exam answers saved"),
                "training.attempt_submitted": _("Exam handed in"),
                "training.attempt_marked": _("Exam marked"),
                "training.paper_score_entered": _("Paper exam score entered"),
                "training.annual_review": _("Annual certificate review recorded"),
            }
        )
