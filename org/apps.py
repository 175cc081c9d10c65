from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from org.groups import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="org.sync_role_groups")
