"""core.models.TimeStamped._get_FIELD_display: the per-field dict of labels gives what Django's own
gives, for every choice of every model built on TimeStamped, in Chinese and in English."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation

from cases.models import Case, CaseStatus
from core.models.base import TimeStamped


def test_every_choice_label_is_djangos():
    compared = 0
    for model in apps.get_models():
        if not issubclass(model, TimeStamped):
            continue
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            values = [v for v, _label in field.flatchoices] + ["no-such-value"]
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    for value in values:
                        obj = model()
                        setattr(obj, field.attname, value)
                        ours = getattr(obj, f"get_{field.name}_display")()
                        assert ours == models.Model._get_FIELD_display(obj, field), (model, field, value)
                        compared += 1
    assert compared > 200


def test_the_label_follows_the_active_language():
    case = Case(status=CaseStatus.INVESTIGATING)
    with translation.override("en"):
        english = case.get_status_display()
    with translation.override("zh-hans"):
        chinese = case.get_status_display()
    assert (english, chinese) == ("investigating", "调查取证")  # the dict holds lazy labels
