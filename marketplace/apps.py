from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Markedsplassen")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers the core's start-page panels)
