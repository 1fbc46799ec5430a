"""Screens of Felleskjøp (PRO-1 … PRO-6): thin — parse, call a service or selector, render.

Every page of one procurement shares a header with the phase track and tabs (`procurement_page`). Offers
are read only through the selectors' sealed-offer rule; a sealed or foreign offer is a 404.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.acting import acting_organisation
from marketplace.declaration import DeclarationForm
from marketplace.errors import DomainError
from marketplace.forms import call_service
from marketplace.views import paginate

from ..forms.procurement import (
    AnswerForm,
    AwardForm,
    CallOffForm,
    DocumentForm,
    OfferForm,
    ParticipationForm,
    ProcurementFilterForm,
    ProcurementForm,
    ProcurementOpenForm,
    QuestionForm,
    ReasonForm,
    ScoreForm,
)
from ..models.procurement import PHASE_ORDER, Offer, Phase, Procurement, ProcurementQuestion, VolumeUnit
from ..selectors import procurement as selectors
from ..services import procurement as services

TABS = (
    ("overview", gettext_lazy("Overview"), "store:procurement_detail"),
    ("declaration", gettext_lazy("Produktdeklarasjon"), "store:procurement_declaration"),
    ("criteria", gettext_lazy("Evaluation criteria"), "store:procurement_criteria"),
    ("participants", gettext_lazy("Participants"), "store:procurement_participants"),
    ("questions", gettext_lazy("Questions and answers"), "store:procurement_questions"),
    ("offers", gettext_lazy("Offers"), "store:procurement_offers"),
    ("evaluation", gettext_lazy("Evaluation"), "store:procurement_evaluation"),
    ("agreement", gettext_lazy("Agreement and call-off"), "store:procurement_call_off"),
    ("history", gettext_lazy("History"), "store:procurement_history"),
)
PHASE_ACTIONS = {
    Phase.MARKET_DIALOGUE: gettext_lazy("Start the market dialogue"),
    Phase.COMPETITION: gettext_lazy("Start the competition"),
    Phase.EVALUATION: gettext_lazy("Open the offers for evaluation"),
    Phase.AGREEMENT_ACTIVE: gettext_lazy("Activate the agreement"),
    Phase.CLOSED: gettext_lazy("Close the agreement"),
    Phase.CANCELLED: gettext_lazy("Cancel the procurement"),
}


def arena_crumb() -> tuple[str, str]:
    return (_("Felleskjøp"), reverse("store:procurement_list"))


def report(request: HttpRequest, error: Exception) -> None:
    """Show a refusal from a service as a message on the page."""
    if isinstance(error, DomainError):
        messages.error(request, error.message)
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))


def unit_label(procurement: Procurement) -> str:
    return str(VolumeUnit(procurement.volume_unit).label)


def phase_steps(procurement: Procurement) -> list[dict]:
    """The phase track for the header: done, current or ahead (a cancelled procurement shows where it stopped)."""
    if procurement.phase == Phase.CANCELLED:
        return [{"value": Phase.CANCELLED, "label": Phase.CANCELLED.label, "state": "current"}]
    current = PHASE_ORDER.index(procurement.phase)
    return [
        {"value": value, "label": Phase(value).label,
         "state": "current" if i == current else ("done" if i < current else "ahead")}
        for i, value in enumerate(PHASE_ORDER)
    ]


def procurement_page(request: HttpRequest, procurement: Procurement, tab: str, *, extra: str | None = None,
                     **context: Any) -> dict:
    """The context every tab of a procurement page needs."""
    user = request.user
    label = extra or str(dict((k, v) for k, v, _u in TABS)[tab])
    crumbs = [arena_crumb()]
    if tab == "overview" and extra is None:
        crumbs.append((procurement.title, None))
    else:
        crumbs += [(procurement.title, procurement.get_absolute_url()), (label, None)]
    tabs = [(key, label, reverse(name, args=[procurement.pk])) for key, label, name in TABS
            if key != "evaluation" or user.has_perm("store.view_evaluation", procurement)]
    page = {
        "procurement": procurement,
        "tab": tab,
        "tabs": tabs,
        "steps": phase_steps(procurement),
        "breadcrumbs": crumbs,
        "can_manage": user.has_perm("store.manage_procurement", procurement),
        "unit_label": unit_label(procurement),
        "now": timezone.now(),
    }
    page.update(context)
    return page


def listing_agreements_context(request: HttpRequest, listing: Any) -> dict:
    """The "Felleskjøp" section of a listing page in Butikken: the active agreements that cover the product, and
    whether the acting organisation may call off under them. At most two queries; none for a product the store
    entry shows was never felleskjøpt."""
    product = getattr(listing, "product", listing)
    entry = getattr(listing, "entry", None)
    if entry is not None and entry.procured_until is None:
        return {"agreements": []}  # the store entry knows no agreement was ever set for it: no query
    agreements = selectors.active_agreements_for_product(product.pk)
    organisation = acting_organisation(request.user)
    participating: set[int] = set()
    if agreements and organisation is not None and organisation.is_municipal:
        from ..models.procurement import Participation

        participating = set(Participation.objects.filter(
            procurement__in=[a.pk for a in agreements], organisation=organisation,
            status=Participation.Status.DECLARED,
        ).values_list("procurement_id", flat=True))
    for agreement in agreements:
        agreement.may_call_off = agreement.pk in participating and agreement.agreement_in_force
    return {"agreements": agreements}


# List and opening (PRO-1) ---------------------------------------------------------------------------------


def procurement_list(request: HttpRequest) -> HttpResponse:
    """Joint procurements the reader may see, with their phase, deadlines and participation."""
    form = ProcurementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.procurement_list(user=request.user, q=filters.get("q", ""), phase=filters.get("phase", ""),
                                    mine=bool(filters.get("mine")))
    return render(request, "store/procurement/list.html", {
        "form": form,
        "page": paginate(request, qs),
        "can_open": request.user.is_authenticated and selectors.openable_needs(user=request.user).exists(),
        "breadcrumbs": [(_("Butikken"), reverse("store:home")), (_("Felleskjøp"), None)],
    })


@login_required
def procurement_create(request: HttpRequest) -> HttpResponse:
    """Open a joint procurement from a published need (owner organisation admin or platform administrator)."""
    needs = list(selectors.openable_needs(user=request.user))
    if not needs:
        raise DomainError(_("There is no published need you can open a joint procurement from. The owner "
                            "organisation's admin of a published need, or a platform administrator, opens one."))
    chosen = request.POST.get("need") or request.GET.get("behov")
    need = next((n for n in needs if str(n.pk) == str(chosen)), needs[0] if len(needs) == 1 else None)
    if need is None:
        # First step: which need? The lead organisations to choose from depend on it.
        return render(request, "store/procurement/open.html", {
            "needs": needs, "choosing": True,
            "breadcrumbs": [arena_crumb(), (_("Open a joint procurement"), None)],
        })
    leads = selectors.lead_choices(user=request.user, need=need)
    initial = {"need": need.pk if need else None}
    form = ProcurementOpenForm(request.POST or None, needs=needs, leads=leads, initial=initial)
    if request.method == "POST" and form.is_valid():
        procurement = call_service(form, services.procurement_open, actor=request.user, **form.service_kwargs())
        if procurement is not None:
            messages.success(request, _("The joint procurement is opened in the planning phase. Check the declaration, "
                                        "the criteria and the timeline, then start the market dialogue."))
            return redirect(procurement)
    return render(request, "store/procurement/open.html", {
        "form": form, "need": need,
        "breadcrumbs": [arena_crumb(), (_("Open a joint procurement"), None)],
    }, status=400 if form.is_bound and form.errors else 200)


# One procurement ------------------------------------------------------------------------------------------


def procurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Overview: phase, timeline, participation, published award, documents and the lead's phase actions."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    user = request.user
    organisation = acting_organisation(user)
    can_manage = user.has_perm("store.manage_procurement", procurement)
    actions = []
    if can_manage:
        for target in sorted(Procurement.workflow.targets(procurement.phase),
                             key=lambda p: PHASE_ORDER.index(p) if p in PHASE_ORDER else 99):
            if target == Phase.AWARDED:
                continue  # the award has its own page
            reason_required = target == Phase.CANCELLED or (
                target == Phase.CLOSED and procurement.agreement_end is not None
                and timezone.localdate() <= procurement.agreement_end)
            actions.append({"value": target, "label": PHASE_ACTIONS[target],
                            "blockers": services.phase_blockers(procurement, target),
                            "cancel": target == Phase.CANCELLED, "reason_required": reason_required})
    context = procurement_page(
        request, procurement, "overview",
        totals=selectors.participation_totals(procurement),
        participation=selectors.participation_of(procurement, organisation),
        can_declare=user.has_perm("store.declare_participation", procurement),
        winners=selectors.winning_offers(procurement),
        documents=selectors.procurement_documents(procurement),
        document_form=DocumentForm() if can_manage and (procurement.is_open or procurement.phase == Phase.AGREEMENT_ACTIVE) else None,
        actions=actions,
        reason_form=ReasonForm(),
        can_award=can_manage and procurement.phase == Phase.EVALUATION,
        own_offer=selectors.own_offer(procurement, organisation),
        is_vendor=organisation is not None and organisation.is_vendor,
        can_call_off=user.has_perm("store.call_off", procurement) and procurement.agreement_in_force,
    )
    return render(request, "store/procurement/detail.html", context)


@login_required
def procurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead changes the text and timeline, as far as the phase allows."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    if not request.user.has_perm("store.manage_procurement", procurement):
        raise DomainError(_("Only the lead organisation (%(lead)s) and platform administrators can do this.")
                          % {"lead": procurement.lead.name})
    editable = services.CHANGEABLE.get(procurement.phase)
    if editable is None:
        raise DomainError(_("The procurement is %(phase)s and can no longer be changed.")
                          % {"phase": procurement.get_phase_display().lower()})
    initial = {name: getattr(procurement, name) for name in services.PLANNING_FIELDS}
    form = ProcurementForm(request.POST or None, initial=initial, editable=editable)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.procurement_update, actor=request.user, procurement_id=procurement.pk,
                             **form.service_kwargs())
        if saved is not None:
            messages.success(request, _("The procurement is saved."))
            return redirect(saved)
    return render(request, "store/procurement/edit.html", procurement_page(
        request, procurement, "overview", extra=_("Edit"), form=form,
    ), status=400 if form.is_bound and form.errors else 200)


def procurement_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """The desired product declaration the vendors offer against (taken over from the need)."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    return render(request, "store/procurement/declaration.html", procurement_page(
        request, procurement, "declaration",
        can_edit=request.user.has_perm("store.change_procurement", procurement),
    ))


@login_required
def procurement_declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    if not request.user.has_perm("store.change_procurement", procurement):
        raise DomainError(_("The declaration can be changed by the lead organisation until the competition starts."))
    form = DeclarationForm(request.POST or None, initial=procurement.desired_declaration)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.procurement_update_declaration, actor=request.user,
                             procurement_id=procurement.pk, declaration=form.declaration())
        if saved is not None:
            messages.success(request, _("The desired product declaration is saved."))
            return redirect("store:procurement_declaration", pk=procurement.pk)
    return render(request, "store/procurement/declaration_form.html", procurement_page(
        request, procurement, "declaration", extra=_("Edit the desired product declaration"), form=form,
    ), status=400 if form.is_bound and form.errors else 200)


def procurement_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """The weighted evaluation criteria; the lead edits them until the competition starts."""
    from innovation.forms import CriteriaFormSet

    procurement = selectors.procurement_get(user=request.user, pk=pk)
    criteria = selectors.criteria(procurement)
    can_edit = request.user.has_perm("store.change_procurement", procurement)
    formset, error = None, None
    if request.method == "POST" and not can_edit:
        raise DomainError(_("The criteria can be changed by the lead organisation until the competition starts."))
    if can_edit:
        initial = [{"name": c.name, "description": c.description, "weight": c.weight} for c in criteria]
        formset = CriteriaFormSet(request.POST or None, initial=initial, prefix="criteria")
        if request.method == "POST" and formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                services.procurement_set_criteria(actor=request.user, procurement_id=procurement.pk, criteria=rows)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("The evaluation criteria are saved."))
                return redirect("store:procurement_criteria", pk=procurement.pk)
    invalid = request.method == "POST" and (error or (formset is not None and not formset.is_valid()))
    return render(request, "store/procurement/criteria.html", procurement_page(
        request, procurement, "criteria", criteria=criteria, total=sum(c.weight for c in criteria),
        formset=formset, error=error, can_edit=can_edit,
    ), status=400 if invalid else 200)


@login_required
@require_POST
def procurement_phase(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    """Move the procurement to its next phase (or cancel it), with a reason (lead)."""
    service = services.PHASE_SERVICES.get(phase)
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        service(actor=request.user, procurement_id=pk, reason=reason)
    except (DomainError, ValidationError) as error:
        report(request, error)
    else:
        messages.success(request, _("The procurement is now in the phase %(phase)s.") % {"phase": Phase(phase).label})
    return redirect("store:procurement_detail", pk=pk)


@login_required
@require_POST
def procurement_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.procurement_document_add(actor=request.user, procurement_id=pk, upload=form.cleaned_data["file"],
                                              title=form.cleaned_data["title"])
            messages.success(request, _("The document is added."))
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("store:procurement_detail", args=[pk]) + "#documents")


@login_required
@require_POST
def procurement_document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    try:
        services.procurement_document_delete(actor=request.user, procurement_id=pk, document_id=document_id)
        messages.success(request, _("The document is removed."))
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect(reverse("store:procurement_detail", args=[pk]) + "#documents")


def procurement_history(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    return render(request, "store/procurement/history.html", procurement_page(
        request, procurement, "history", events=selectors.procurement_history(procurement),
    ))


# Participation (PRO-3) ------------------------------------------------------------------------------------


def procurement_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Who intends to participate and the total expected volume; municipalities declare intent here."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    organisation = acting_organisation(request.user)
    participation = selectors.participation_of(procurement, organisation)
    can_declare = request.user.has_perm("store.declare_participation", procurement)
    form = None
    if can_declare and procurement.intent_open:
        initial = {"volume": participation.volume, "note": participation.note} if participation else {}
        if not participation and organisation is not None and organisation.inhabitants and \
                procurement.volume_unit == VolumeUnit.INHABITANTS:
            initial["volume"] = organisation.inhabitants
        form = ParticipationForm(request.POST or None, initial=initial, unit_label=unit_label(procurement))
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form is None:
            try:
                services.participation_declare(actor=request.user, procurement_id=procurement.pk,
                                               volume=request.POST.get("volume"), note=request.POST.get("note", ""))
            except (DomainError, ValidationError) as error:
                report(request, error)
            return redirect("store:procurement_participants", pk=procurement.pk)
        if form.is_valid():
            saved = call_service(form, services.participation_declare, actor=request.user,
                                 procurement_id=procurement.pk, **form.cleaned_data)
            if saved is not None:
                messages.success(request, _("%(organisation)s intends to participate, with %(volume)s %(unit)s.")
                                 % {"organisation": organisation, "volume": saved.volume, "unit": unit_label(procurement)})
                return redirect("store:procurement_participants", pk=procurement.pk)
    return render(request, "store/procurement/participants.html", procurement_page(
        request, procurement, "participants",
        participations=selectors.participations(procurement),
        totals=selectors.participation_totals(procurement),
        participation=participation, can_declare=can_declare, form=form,
        can_withdraw=can_declare and participation is not None and participation.is_declared
        and procurement.phase in Procurement.PARTICIPATION_PHASES,
    ), status=400 if form is not None and form.is_bound and form.errors else 200)


@login_required
@require_POST
def participation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    try:
        services.participation_withdraw(actor=request.user, procurement_id=pk,
                                        reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("Your intent to participate is withdrawn."))
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("store:procurement_participants", pk=pk)


# Market dialogue --------------------------------------------------------------------------------------------


def procurement_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Published answers for all; a vendor asks and sees its own questions; the lead answers and publishes."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    user = request.user
    organisation = acting_organisation(user)
    can_manage = user.has_perm("store.manage_procurement", procurement)
    can_ask = user.has_perm("store.ask_question", procurement) and procurement.questions_open
    form = QuestionForm(request.POST or None) if can_ask else None
    if request.method == "POST":
        if form is None:
            raise DomainError(_("Only qualified vendors can ask questions, during the market dialogue and the "
                                "competition."))
        if form.is_valid():
            question = call_service(form, services.question_ask, actor=user, procurement_id=procurement.pk,
                                    text=form.cleaned_data["text"])
            if question is not None:
                messages.success(request, _("Your question is sent to the lead organisation. The answer is published "
                                            "to all vendors at once, without your name."))
                return redirect("store:procurement_questions", pk=procurement.pk)
    visible = list(selectors.questions_visible(user=user, procurement=procurement))
    published = [q for q in visible if q.status == ProcurementQuestion.Status.PUBLISHED]
    waiting = [q for q in visible if q.status != ProcurementQuestion.Status.PUBLISHED] if can_manage else []
    own = [q for q in visible if organisation is not None and q.vendor_id == organisation.pk
           and q.status != ProcurementQuestion.Status.PUBLISHED] if not can_manage else []
    vendor_qualified = None
    if organisation is not None and organisation.is_vendor:
        from verification.services.qualification import vendor_is_qualified

        vendor_qualified = vendor_is_qualified(organisation)
    return render(request, "store/procurement/questions.html", procurement_page(
        request, procurement, "questions", published=published, waiting=waiting, own=own, form=form,
        ready_count=sum(1 for q in waiting if q.status == ProcurementQuestion.Status.ANSWERED),
        can_answer=can_manage and procurement.phase in Procurement.QUESTION_PHASES,
        vendor_qualified=vendor_qualified,
    ), status=400 if form is not None and form.is_bound and form.errors else 200)


@login_required
def question_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    if not request.user.has_perm("store.manage_procurement", procurement):
        raise Http404
    question = selectors.questions_visible(user=request.user, procurement=procurement).filter(pk=question_id).first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST or None, initial={"public_text": question.public_text or question.text,
                                                     "answer": question.answer})
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.question_answer, actor=request.user, question_id=question.pk,
                             **form.cleaned_data)
        if saved is not None:
            messages.success(request, _("The answer is saved. Publish the answers when they are ready: all vendors "
                                        "get them at once."))
            return redirect("store:procurement_questions", pk=procurement.pk)
    return render(request, "store/procurement/answer.html", procurement_page(
        request, procurement, "questions", extra=_("Answer a question"), question=question, form=form,
    ), status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def questions_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        published = services.questions_publish(actor=request.user, procurement_id=pk)
        messages.success(request, _("%(count)s answers are published to all vendors.") % {"count": len(published)})
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("store:procurement_questions", pk=pk)


# Offers (PRO-4) ----------------------------------------------------------------------------------------------


def procurement_offers(request: HttpRequest, pk: int) -> HttpResponse:
    """A vendor submits and changes its own offer; the lead sees the offers only after the deadline."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    user = request.user
    organisation = acting_organisation(user)
    own = selectors.own_offer(procurement, organisation)
    is_vendor = organisation is not None and organisation.is_vendor
    can_offer = user.has_perm("store.submit_offer", procurement) and procurement.offers_open
    products = selectors.offerable_versions(organisation=organisation) if can_offer else []
    form = None
    if can_offer and products:
        initial = ({"product": own.product_id, "price_per_year": own.price_per_year,
                    "price_per_unit": own.price_per_unit, "description": own.description} if own else {})
        form = OfferForm(request.POST or None, initial=initial, products=products, unit_label=unit_label(procurement))
    if request.method == "POST":
        if form is None:
            raise DomainError(_("Offers are made by qualified vendors, in the competition phase, before the deadline."))
        if form.is_valid():
            if own is None:
                saved = call_service(form, services.offer_submit, actor=user, procurement_id=procurement.pk,
                                     **form.service_kwargs())
                done = _("Your offer is submitted. It stays sealed until the deadline: nobody else can see it.")
            else:
                saved = call_service(form, services.offer_update, actor=user, offer_id=own.pk, **form.service_kwargs())
                done = _("Your offer is changed. It stays sealed until the deadline.")
            if saved is not None:
                messages.success(request, done)
                return redirect("store:procurement_offers", pk=procurement.pk)
    vendor_qualified = None
    if is_vendor:
        from verification.services.qualification import vendor_is_qualified

        vendor_qualified = vendor_is_qualified(organisation)
    can_evaluate = user.has_perm("store.view_evaluation", procurement)
    offers = list(selectors.offers_visible(user=user, procurement=procurement).filter(status=Offer.Status.SUBMITTED)) \
        if can_evaluate else []
    return render(request, "store/procurement/offers.html", procurement_page(
        request, procurement, "offers", own=own, form=form, is_vendor=is_vendor, products_missing=can_offer and not products,
        vendor_qualified=vendor_qualified, offers=offers, can_evaluate=can_evaluate,
        own_documents=selectors.offer_documents(own) if own else [],
        document_form=DocumentForm() if own and procurement.offers_open else None,
        withdraw_form=ReasonForm() if own and procurement.offers_open else None,
    ), status=400 if form is not None and form.is_bound and form.errors else 200)


def offer_detail(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    """One offer: the vendor's own at any time; the lead's and platform admins' after the deadline. Else 404."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    offer = selectors.offer_get(user=request.user, pk=offer_id, procurement_id=procurement.pk)
    from marketplace.declaration import declaration_fit

    return render(request, "store/procurement/offer_detail.html", procurement_page(
        request, procurement, "offers", extra=str(offer.product.name), offer=offer,
        documents=selectors.offer_documents(offer),
        fit=declaration_fit(procurement.desired_declaration, offer.declaration_version.content),
        can_score=request.user.has_perm("store.score_offer", procurement) and procurement.phase == Phase.EVALUATION,
    ))


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    try:
        services.offer_withdraw(actor=request.user, offer_id=offer_id,
                                reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("Your offer is withdrawn. You can submit a new one before the deadline."))
    except (DomainError, ValidationError) as error:
        report(request, error)
    return redirect("store:procurement_offers", pk=pk)


@login_required
@require_POST
def offer_document_add(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.offer_document_add(actor=request.user, offer_id=offer_id, upload=form.cleaned_data["file"],
                                        title=form.cleaned_data["title"])
            messages.success(request, _("The document is added to your offer."))
        except (DomainError, ValidationError) as error:
            report(request, error)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("store:procurement_offers", pk=pk)


# Evaluation (PRO-5) ---------------------------------------------------------------------------------------------


def _evaluation_procurement(request: HttpRequest, pk: int) -> Procurement:
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    if not request.user.has_perm("store.view_evaluation", procurement):
        raise Http404  # sealed, or not the lead's: alike
    return procurement


@login_required
def procurement_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation matrix: criteria × offers, weighted totals and ranking (lead, after the deadline)."""
    procurement = _evaluation_procurement(request, pk)
    matrix = selectors.evaluation_matrix(procurement)
    return render(request, "store/procurement/evaluation.html", procurement_page(
        request, procurement, "evaluation", matrix=matrix,
        can_score=request.user.has_perm("store.score_offer", procurement) and procurement.phase == Phase.EVALUATION,
        can_award=procurement.phase == Phase.EVALUATION,
    ))


@login_required
def procurement_evaluation_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation matrix as CSV (semicolon-separated, UTF-8 with BOM, for spreadsheets in Norwegian locale)."""
    procurement = _evaluation_procurement(request, pk)
    matrix = selectors.evaluation_matrix(procurement)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evaluering-{slugify(procurement.title)[:60]}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for row in selectors.matrix_csv_rows(matrix):
        writer.writerow([_csv_safe(value) for value in row])
    return response


def _csv_safe(value: Any) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@login_required
def offer_scoring(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    """Score one offer on every criterion, 0–10 with a justification (lead, evaluation phase)."""
    procurement = _evaluation_procurement(request, pk)
    offer = selectors.offer_get(user=request.user, pk=offer_id, procurement_id=procurement.pk)
    criteria = selectors.criteria(procurement)
    current = {s.criterion_id: s for s in offer.scores.all()}
    form = ScoreForm(request.POST or None, criteria=criteria, scores=current)
    if request.method == "POST":
        if form.is_valid():
            saved = call_service(form, services.offer_score, actor=request.user, offer_id=offer.pk,
                                 scores=form.scores())
            if saved is not None:
                messages.success(request, _("The scores of %(product)s are saved.") % {"product": offer.product.name})
                return redirect("store:procurement_evaluation", pk=procurement.pk)
    return render(request, "store/procurement/score.html", procurement_page(
        request, procurement, "evaluation", extra=_("Score %(product)s") % {"product": offer.product.name},
        offer=offer, form=form, can_score=procurement.phase == Phase.EVALUATION,
    ), status=400 if form.is_bound and form.errors else 200)


@login_required
def procurement_award(request: HttpRequest, pk: int) -> HttpResponse:
    """Award the agreement to the winning offer(s), with reasons (lead, when the evaluation is complete)."""
    procurement = _evaluation_procurement(request, pk)
    matrix = selectors.evaluation_matrix(procurement)
    offers = [row.offer for row in matrix.rows]
    initial = {"agreement_start": procurement.agreement_start, "agreement_end": procurement.agreement_end,
               "offers": [row.offer.pk for row in matrix.rows if row.rank == 1]}
    form = AwardForm(request.POST or None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(form, services.procurement_award, actor=request.user, procurement_id=procurement.pk,
                             offer_ids=data["offers"], reason=data["reason"], agreement_start=data["agreement_start"],
                             agreement_end=data["agreement_end"])
        if saved is not None:
            messages.success(request, _("The agreement is awarded. Participants and vendors are told, with the reasons."))
            return redirect(saved)
    return render(request, "store/procurement/award.html", procurement_page(
        request, procurement, "evaluation", extra=_("The award"), form=form, matrix=matrix,
        can_award=procurement.phase == Phase.EVALUATION,
    ), status=400 if form.is_bound and form.errors else 200)


# Agreement and call-off (PRO-6) --------------------------------------------------------------------------------


def procurement_call_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement: awarded products, period and call-offs; participating organisations call off here."""
    procurement = selectors.procurement_get(user=request.user, pk=pk)
    user = request.user
    organisation = acting_organisation(user)
    winners = selectors.winning_offers(procurement)
    may_call_off = user.has_perm("store.call_off", procurement) and procurement.agreement_in_force
    form = CallOffForm(request.POST or None, offers=winners) if may_call_off and winners else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form is None:
            try:  # let the service say why (not a participant, outside the period …)
                services.call_off(actor=user, procurement_id=procurement.pk, volume=request.POST.get("volume"),
                                  offer_id=request.POST.get("offer"))
            except (DomainError, ValidationError) as error:
                report(request, error)
            return redirect("store:procurement_call_off", pk=procurement.pk)
        if form.is_valid():
            data = form.cleaned_data
            saved = call_service(form, services.call_off, actor=user, procurement_id=procurement.pk,
                                 offer_id=data["offer"], volume=data["volume"], starts_on=data["starts_on"],
                                 note=data["note"])
            if saved is not None:
                messages.success(request, _("%(product)s is called off under the agreement and taken into use by "
                                            "%(organisation)s.") % {"product": saved.offer.product.name,
                                                                   "organisation": organisation})
                return redirect("store:procurement_call_off", pk=procurement.pk)
    is_participant = organisation is not None and organisation.pk in selectors.participant_ids(procurement)
    return render(request, "store/procurement/agreement.html", procurement_page(
        request, procurement, "agreement", winners=winners, form=form, call_offs=selectors.call_offs(procurement),
        is_participant=is_participant,
        is_municipal=organisation is not None and organisation.is_municipal,
    ), status=400 if form is not None and form.is_bound and form.errors else 200)
