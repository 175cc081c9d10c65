from typing import Any

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# field → {value: label}: the labels stay lazy, so one dict serves every language.
_CHOICE_LABELS: dict[Any, dict[Any, Any]] = {}


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk update/delete so that history cannot be rewritten through the ORM."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError(f"{self.model.__name__} is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError(f"{self.model.__name__} is append-only")

    def bulk_update(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError(f"{self.model.__name__} is append-only")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        """`get_<field>_display()`, with each field's choices made a dict once per process. Django's
        own builds the dict on every call and, hashing every lazy label, translates all of them: a
        list of 25 cases spent 650 gettext calls on its status and procedure columns."""
        if isinstance(field.choices, CallableChoiceIterator):
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = {make_hashable(v): label for v, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
