from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoreConfig(AppConfig):
    name = "store"
    verbose_name = _("Butikken")

    def ready(self) -> None:
        from . import notifications, panels, rules  # noqa: F401  (register kinds, start-page panels, permissions)

        self._ready_catalogue()
        self._ready_procurement()

    def _ready_catalogue(self) -> None:
        """Butikken: follow listings and products from verification through its hooks, which its services call
        (no model signals: STYLE, "no signals for domain flow"; its beat tasks are in settings)."""
        from verification.hooks import on_listing_changed, on_product_changed

        from .services.catalogue import store_follow_listing, store_follow_product

        on_listing_changed("store", store_follow_listing)
        on_product_changed("store", store_follow_product)

    def _ready_procurement(self) -> None:
        """Felleskjøp: its section on the listing page (its beat task is in settings)."""
        from .plugins import register_listing_section
        from .views.procurement import listing_agreements_context

        register_listing_section(
            "procurement", template="store/procurement/_listing_agreements.html", context=listing_agreements_context,
            order=20, title=_("Felleskjøp"),
        )
