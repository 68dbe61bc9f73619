from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from campaigns import aggregates  # noqa: F401 - registers SQLite's MEDIAN
        from campaigns.cache import connect_invalidation

        connect_invalidation(self)
