from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperienceConfig(AppConfig):
    name = "experience"
    verbose_name = _("Erfaringsarena")

    def ready(self) -> None:
        # Notification kinds, start-page panels, permissions, and the sections this app plugs into the pages
        # of earlier apps (the store's listing page, the need page).
        from . import notifications, panels, plugins, rules  # noqa: F401

        plugins.register()
