from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Markedsplassen")

    def ready(self) -> None:
        from . import checks, panels  # noqa: F401  (registers system checks and the core's start-page panels)
