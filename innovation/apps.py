from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "innovation"
    verbose_name = _("Innovasjonsarena")

    def ready(self) -> None:
        from . import notifications, panels, rules  # noqa: F401  (register kinds, start-page panels, permissions)
