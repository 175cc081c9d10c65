from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file in the content-addressed store, named by its digest; stored once, never changed."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    algorithm = models.CharField(_("hash algorithm"), max_length=16)
    size = models.BigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    storage_name = models.CharField(_("storage path"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.digest}"
