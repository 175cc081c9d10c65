from typing import Any

from django.db import models


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
