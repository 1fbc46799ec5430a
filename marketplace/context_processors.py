"""Template context shared by every page: main menu, acting organisation, unread notifications."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .acting import memberships_of
from .i18n import per_language
from .links import fixed_url

MAIN_MENU = (
    ("terms", _("Vilkår"), "marketplace:terms"),
    ("qualification", _("Kvalifisering"), "verification:qualification_home"),
    ("innovation", _("Innovasjonsarena"), "innovation:home"),
    ("verification", _("Verifikasjon"), "verification:home"),
    ("store", _("Butikken"), "store:home"),
    ("procurement", _("Felleskjøp"), "store:procurement_list"),
    ("experience", _("Erfaringsarena"), "experience:home"),
    ("help", _("Hjelp"), "marketplace:help"),
)


@per_language
def _menu_labels() -> list[str]:
    """The menu's labels as text in the language: the layout shows each on every page, and a lazy text would
    be translated again at every use."""
    return [str(label) for _key, label, _name in MAIN_MENU]


def marketplace(request) -> dict:
    user = request.user
    items = [
        (key, label, fixed_url(name))
        for (key, _lazy, name), label in zip(MAIN_MENU, _menu_labels())
    ]
    # The current section is the longest menu URL the path starts with (Kvalifisering lives under
    # /verifikasjon/, Felleskjøp under /butikken/).
    matches = [url for _key, _label, url in items if url != "/" and request.path.startswith(url)]
    current = max(matches, key=len) if matches else None
    context = {
        "main_menu": [(key, label, url, url == current) for key, label, url in items],
        "operator_contact_email": settings.OPERATOR_CONTACT_EMAIL,
    }
    if getattr(user, "is_authenticated", False):
        from .terms import terms_pending_for

        organisation = getattr(user, "acting_organisation", None)
        context.update(
            acting_organisation=organisation,
            acting_membership=getattr(user, "acting_membership", None),
            my_memberships=sorted(memberships_of(user).values(), key=lambda m: m.organisation.name),
            unread_notifications=user.notifications.filter(read_at=None).count(),
            pending_terms=terms_pending_for(organisation) if organisation else [],
        )
    return context
