"""The store app on the start page (ORG-6). Each panel costs a fixed number of queries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.dashboard import Panel, register


# Butikken (STO-5) ----------------------------------------------------------------------------------------


@register(order=50)
def adoption_requests_panel(request) -> Panel | None:
    """Vendors: requests to take our products into use that wait for our answer. One query."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_vendor:
        return None
    from .selectors.catalogue import adoption_requests_waiting

    waiting = adoption_requests_waiting(organisation=organisation)
    if not waiting:
        return None
    return Panel(
        title=_("Adoption requests to answer"), template="store/catalogue/panels/_adoption_requests.html",
        context={"adoptions": waiting, "can_answer": request.user.has_perm("store.answer_adoption", waiting[0])},
        count=len(waiting),
    )


@register(order=51)
def products_in_use_panel(request) -> Panel | None:
    """Municipalities and counties: the products we use, those starting, and our requests waiting. One query."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_municipal:
        return None
    from .selectors.catalogue import products_in_use

    adoptions = products_in_use(organisation=organisation)
    if not adoptions:
        return None
    return Panel(
        title=_("Products we use"), template="store/catalogue/panels/_products_in_use.html",
        context={"adoptions": adoptions}, count=sum(1 for a in adoptions if a.is_active),
    )


# Felleskjøp (PRO-1 … PRO-6) ----------------------------------------------------------------------------


@register(order=60)
def procurements_led_panel(request) -> Panel | None:
    """Joint procurements our organisation leads, with questions waiting for an answer. Two queries."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or organisation.is_vendor:
        return None
    from .selectors.procurement import procurements_led, questions_waiting

    procurements = procurements_led(organisation=organisation)
    if not procurements:
        return None
    return Panel(
        title=_("Joint procurements we lead"),
        template="store/procurement/panels/_led.html",
        context={"procurements": procurements, "questions_waiting": questions_waiting(organisation=organisation)},
        count=len(procurements),
    )


@register(order=61)
def procurements_for_municipality_panel(request) -> Panel | None:
    """Municipalities and counties: procurements open for intent, and agreements we can call off under. Two queries."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_municipal:
        return None
    from .selectors.procurement import agreements_for_participant, procurements_open_for_intent

    open_for_intent = procurements_open_for_intent(organisation=organisation)
    agreements = agreements_for_participant(organisation=organisation)
    if not open_for_intent and not agreements:
        return None
    return Panel(
        title=_("Felleskjøp"),
        template="store/procurement/panels/_municipality.html",
        context={"open_for_intent": open_for_intent, "agreements": agreements},
        count=len(open_for_intent) + len(agreements),
    )


@register(order=62)
def procurements_for_vendor_panel(request) -> Panel | None:
    """Vendors: procurements in market dialogue or competition, and whether we have an offer in. Two queries."""
    organisation = getattr(request.user, "acting_organisation", None)
    if organisation is None or not organisation.is_vendor:
        return None
    from .selectors.procurement import procurements_for_vendor

    procurements = procurements_for_vendor(organisation=organisation)
    if not procurements:
        return None
    return Panel(
        title=_("Joint procurements open to vendors"),
        template="store/procurement/panels/_vendor.html",
        context={"procurements": procurements},
        count=len(procurements),
    )
