from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Enforcement identity (agency, roles, certificates) lives on Officer."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
