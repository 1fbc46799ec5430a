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
        """Butikken: follow listings and products from verification, and the daily tasks."""
        from django.conf import settings

        from .services.catalogue import connect_receivers

        connect_receivers()
        # Kept next to the tasks they run; settings.CELERY_BEAT_SCHEDULE is read when beat starts.
        settings.CELERY_BEAT_SCHEDULE.setdefault("store-adoptions-activate-due", {
            "task": "store.tasks.adoptions_activate_due_task",
            "schedule": 60 * 60,
        })
        settings.CELERY_BEAT_SCHEDULE.setdefault("store-entries-sync", {
            "task": "store.tasks.store_entries_sync_task",
            "schedule": 6 * 60 * 60,
        })

    def _ready_procurement(self) -> None:
        """Felleskjøp: its section on the listing page, and the daily closing of agreements that have ended."""
        from django.conf import settings

        from .plugins import register_listing_section
        from .views.procurement import listing_agreements_context

        register_listing_section(
            "procurement", template="store/procurement/_listing_agreements.html", context=listing_agreements_context,
            order=20, title=_("Felleskjøp"),
        )
        # Kept next to the task it runs; settings.CELERY_BEAT_SCHEDULE is read when beat starts.
        settings.CELERY_BEAT_SCHEDULE.setdefault("procurements-close-expired", {
            "task": "store.tasks.procurements_close_expired_task",
            "schedule": 24 * 60 * 60,
        })
