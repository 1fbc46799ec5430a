"""Reads of Felleskjøp for screens, API, exports and panels, scoped to what the actor may see (PRO-1 … PRO-6).

`offer_visibility()` is the one place that decides who sees an offer: before the offer deadline only the
offering vendor; afterwards also the lead organisation and platform administrators. Every read of offers,
scores, totals, ranks, counts and exports goes through it (PRO-4, "sealed offers").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.acting import acting_organisation
from marketplace.compiled import CompiledQuery, as_instance
from marketplace.errors import NotFound
from marketplace.models import AuditEvent, Document, Organisation

from ..models.procurement import (
    CallOff,
    Offer,
    OfferScore,
    Participation,
    Phase,
    Procurement,
    ProcurementCriterion,
    ProcurementQuestion,
)

TWO_PLACES = Decimal("0.01")


# Who may see which procurement -----------------------------------------------------------------------


def procurement_visibility(user: Any) -> Q:
    """Announced procurements for everyone; planning ones for the lead, the need's owner and platform admins."""
    public = Q(announced_at__isnull=False)
    organisation = acting_organisation(user)
    if organisation is None:
        return public
    if organisation.is_operator:
        return Q()
    return public | Q(lead=organisation) | Q(need__owner=organisation)


def visible_procurements(user: Any) -> QuerySet[Procurement]:
    return Procurement.objects.filter(procurement_visibility(user))


def _participant_summary(qs: QuerySet[Procurement]) -> QuerySet[Procurement]:
    declared = Participation.objects.filter(procurement=OuterRef("pk"), status=Participation.Status.DECLARED)
    return qs.annotate(
        participant_count=Coalesce(
            Subquery(declared.order_by().values("procurement_id").annotate(c=Count("pk")).values("c"),
                     output_field=IntegerField()),
            Value(0),
        ),
        total_volume=Coalesce(
            Subquery(declared.order_by().values("procurement_id").annotate(s=Sum("volume")).values("s"),
                     output_field=IntegerField()),
            Value(0),
        ),
    )


def procurement_list(
    *,
    user: Any,
    q: str = "",
    phase: str = "",
    mine: bool = False,
    need_id: int | None = None,
) -> QuerySet[Procurement]:
    """Procurements the actor may see, with participant count and total volume, newest change first.

    The free-text search looks at the procurement's own public text and its need, never at offers.
    """
    qs = visible_procurements(user)
    if phase:
        qs = qs.filter(phase=phase)
    if need_id:
        qs = qs.filter(need_id=need_id)
    if mine:
        organisation = acting_organisation(user)
        if organisation is None:
            return Procurement.objects.none()
        qs = qs.filter(
            Q(lead=organisation)
            | Q(pk__in=Participation.objects.filter(organisation=organisation, status=Participation.Status.DECLARED)
                .values("procurement_id"))
            | Q(pk__in=Offer.objects.filter(vendor=organisation).values("procurement_id"))
        )
    if q:
        words = q.split()
        for word in words[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(need__title__icontains=word))
    return _participant_summary(qs.select_related("need", "lead")).order_by("-updated_at", "-id")


def procurement_get(*, user: Any, pk: int) -> Procurement:
    """A procurement the actor may see; NotFound for missing and forbidden alike."""
    procurement = (
        Procurement.objects.filter(pk=pk).select_related("need", "need__owner", "lead", "opened_by", "awarded_by").first()
    )
    if procurement is None or not user.has_perm("store.view_procurement", procurement):
        raise NotFound(_("Joint procurement not found."))
    return procurement


def openable_needs(*, user: Any) -> QuerySet:
    """Published needs the actor may open a procurement from: its own organisation's (as admin), all for platform admins.
    Needs with an open procurement are left out."""
    from innovation.models import Need, Stage

    organisation = acting_organisation(user)
    if organisation is None:
        return Need.objects.none()
    qs = Need.objects.filter(stage=Stage.PUBLISHED).exclude(
        pk__in=Procurement.objects.exclude(phase__in=Procurement.FINISHED_PHASES).values("need_id")
    )
    if not organisation.is_operator:
        membership = getattr(user, "acting_membership", None)
        if membership is None or not membership.is_admin:
            return Need.objects.none()
        qs = qs.filter(owner=organisation)
    return qs.select_related("owner").order_by("title")


def lead_choices(*, user: Any, need) -> list[Organisation]:
    """Who may lead a procurement opened from `need`: the owner; platform admins may also choose the operator
    or a municipal organisation of the need's core team."""
    organisation = acting_organisation(user)
    if organisation is None:
        return []
    if not organisation.is_operator:
        return [organisation] if need.owner_id == organisation.pk else []
    from innovation.models import Collaboration

    team = Organisation.objects.filter(
        Q(pk=need.owner_id)
        | Q(pk__in=Collaboration.objects.filter(need=need, status=Collaboration.Status.ACCEPTED).values("organisation_id"))
    ).filter(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.COUNTY]).order_by("name")
    return [organisation, *team]


def criteria(procurement: Procurement) -> list[ProcurementCriterion]:
    return list(ProcurementCriterion.objects.filter(procurement=procurement).order_by("order", "id"))


def procurement_documents(procurement: Procurement) -> QuerySet[Document]:
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Procurement), owner_id=procurement.pk
    ).select_related("uploaded_by", "organisation").order_by("-created_at")


def procurement_history(procurement: Procurement) -> QuerySet[AuditEvent]:
    """The procurement's timeline: its own events and those of participations and questions (never offers)."""
    procurement_type = ContentType.objects.get_for_model(Procurement)
    participation_type = ContentType.objects.get_for_model(Participation)
    question_type = ContentType.objects.get_for_model(ProcurementQuestion)
    participation_ids = [str(pk) for pk in Participation.objects.filter(procurement=procurement).values_list("pk", flat=True)]
    question_ids = [
        str(pk) for pk in ProcurementQuestion.objects.filter(procurement=procurement).values_list("pk", flat=True)
    ]
    return (
        AuditEvent.objects.filter(
            Q(target_type=procurement_type, target_id=str(procurement.pk))
            | Q(target_type=participation_type, target_id__in=participation_ids)
            | Q(target_type=question_type, target_id__in=question_ids, verb__in=["procurementquestion.published"])
        )
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )


# Participation (PRO-3) ---------------------------------------------------------------------------------


def participant_ids(procurement: Procurement) -> set[int]:
    """Ids of the organisations that have declared intent (not withdrawn); loaded once per instance."""
    cached = getattr(procurement, "_participant_ids", None)
    if cached is None:
        cached = set(
            Participation.objects.filter(procurement=procurement, status=Participation.Status.DECLARED)
            .values_list("organisation_id", flat=True)
        )
        procurement._participant_ids = cached
    return cached


def participations(procurement: Procurement, *, include_withdrawn: bool = False) -> QuerySet[Participation]:
    qs = Participation.objects.filter(procurement=procurement).select_related("organisation", "declared_by")
    if not include_withdrawn:
        qs = qs.filter(status=Participation.Status.DECLARED)
    return qs.order_by("organisation__name", "id")


def participation_of(procurement: Procurement, organisation: Organisation | None) -> Participation | None:
    if organisation is None:
        return None
    return Participation.objects.filter(procurement=procurement, organisation=organisation).first()


def participation_totals(procurement: Procurement) -> dict[str, int]:
    """How many organisations intend to participate and the total expected volume (PRO-3)."""
    row = Participation.objects.filter(procurement=procurement, status=Participation.Status.DECLARED).aggregate(
        count=Count("pk"), volume=Coalesce(Sum("volume"), 0)
    )
    return {"count": row["count"], "volume": row["volume"]}


def participations_visible(*, user: Any) -> QuerySet[Participation]:
    """Participations in procurements the actor may see (participation is public: who buys together, how much)."""
    return Participation.objects.filter(
        procurement__in=visible_procurements(user)
    ).select_related("organisation", "procurement")


# Market dialogue -----------------------------------------------------------------------------------


def questions_visible(*, user: Any, procurement: Procurement | None = None) -> QuerySet[ProcurementQuestion]:
    """Published answers for everyone who sees the procurement; a vendor also sees its own questions;
    the lead and platform admins see every question."""
    organisation = acting_organisation(user)
    condition = Q(status=ProcurementQuestion.Status.PUBLISHED)
    if organisation is not None:
        if organisation.is_operator:
            condition = Q()
        else:
            condition |= Q(vendor=organisation) | Q(procurement__lead=organisation)
    qs = ProcurementQuestion.objects.filter(condition, procurement__in=visible_procurements(user))
    if procurement is not None:
        qs = qs.filter(procurement=procurement)
    return qs.select_related("procurement", "vendor", "asked_by", "answered_by").order_by(
        "procurement_id", "number", "created_at", "id"
    )


def question_get(*, user: Any, pk: int) -> ProcurementQuestion:
    question = questions_visible(user=user).filter(pk=pk).first()
    if question is None:
        raise NotFound(_("Question not found."))
    return question


def published_questions(procurement: Procurement) -> QuerySet[ProcurementQuestion]:
    return ProcurementQuestion.objects.filter(
        procurement=procurement, status=ProcurementQuestion.Status.PUBLISHED
    ).order_by("number", "id")


# Offers: sealed until the deadline (PRO-4) ---------------------------------------------------------------


def offer_visibility(user: Any) -> Q:
    """THE sealed-offer rule: the offering vendor always; the lead and platform admins once the deadline passed."""
    organisation = acting_organisation(user)
    if organisation is None:
        return Q(pk__in=[])
    own = Q(vendor=organisation)
    unsealed = Q(procurement__offer_deadline__lte=timezone.now())
    if organisation.is_operator:
        return own | unsealed
    return own | (unsealed & Q(procurement__lead=organisation))


def offers_visible(*, user: Any, procurement: Procurement | None = None) -> QuerySet[Offer]:
    qs = Offer.objects.filter(offer_visibility(user))
    if procurement is not None:
        qs = qs.filter(procurement=procurement)
    return qs.select_related(
        "procurement", "vendor", "product", "declaration_version", "submitted_by"
    ).order_by("procurement_id", "rank", "submitted_at", "id")


def offer_get(*, user: Any, pk: int, procurement_id: int | None = None) -> Offer:
    """An offer the actor may see; NotFound for missing, sealed and forbidden alike."""
    qs = offers_visible(user=user).filter(pk=pk)
    if procurement_id is not None:
        qs = qs.filter(procurement_id=procurement_id)
    offer = qs.first()
    if offer is None:
        raise NotFound(_("Offer not found."))
    return offer


def own_offer(procurement: Procurement, organisation: Organisation | None) -> Offer | None:
    """The acting vendor's current (not withdrawn) offer in a procurement."""
    if organisation is None or not organisation.is_vendor:
        return None
    return (
        Offer.objects.filter(procurement=procurement, vendor=organisation, status=Offer.Status.SUBMITTED)
        .select_related("product", "declaration_version").first()
    )


def offer_documents(offer: Offer) -> QuerySet[Document]:
    """Call only with an offer from `offers_visible()`/`offer_get()`."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Offer), owner_id=offer.pk
    ).select_related("uploaded_by").order_by("-created_at")


def offerable_versions(*, organisation: Organisation | None) -> list:
    """The vendor's products that may be offered, each with the declaration version an offer points to:
    the listed version of an active listing, otherwise the version in verification (PRO-4)."""
    from verification.models import DeclarationVersion, Listing, Product

    if organisation is None or not organisation.is_vendor:
        return []
    products = list(Product.objects.filter(vendor=organisation).order_by("name", "id"))
    if not products:
        return []
    ids = [p.pk for p in products]
    listed = {
        listing.product_id: listing.version
        for listing in Listing.objects.active().filter(product_id__in=ids).select_related("version")
    }
    verifying: dict[int, Any] = {}
    for version in DeclarationVersion.objects.filter(product_id__in=ids, status__in=OFFERABLE_VERSION_STATES).order_by("-number"):
        verifying.setdefault(version.product_id, version)
    result = []
    for product in products:
        version = listed.get(product.pk) or verifying.get(product.pk)
        if version is not None:
            product.offer_version = version
            product.offer_is_listed = product.pk in listed
            result.append(product)
    return result


# Declaration versions that are "in verification" for an offer: frozen, being checked or awaiting review.
OFFERABLE_VERSION_STATES = ("in_verification", "verified", "submitted")


def prefetch_winners() -> Prefetch:
    """For lists: the awarded offers of each procurement in one query (see `winning_offers`)."""
    return Prefetch(
        "offers",
        queryset=Offer.objects.filter(is_winner=True, status=Offer.Status.SUBMITTED)
        .select_related("product", "vendor", "declaration_version").order_by("rank", "id"),
        to_attr="prefetched_winners",
    )


def winning_offers(procurement: Procurement) -> list[Offer]:
    """The awarded offers; public once the procurement is awarded (the award is published)."""
    if procurement.awarded_at is None:
        return []
    if hasattr(procurement, "prefetched_winners"):
        return procurement.prefetched_winners
    return list(
        Offer.objects.filter(procurement=procurement, is_winner=True, status=Offer.Status.SUBMITTED)
        .select_related("product", "vendor", "declaration_version").order_by("rank", "id")
    )


# Evaluation (PRO-5) -----------------------------------------------------------------------------------


def weighted_total(scores: Mapping[int, int], weights: Mapping[int, int]) -> Decimal:
    """Σ score × weight / 10 over the scored criteria: 0–100 points when every criterion is scored 0–10 and the
    weights sum to 100. Rounded half up to two decimals."""
    total = sum((Decimal(scores[c]) * Decimal(w) for c, w in weights.items() if c in scores), Decimal(0))
    return (total / Decimal(10)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rank_totals(totals: Mapping[Any, Decimal]) -> dict[Any, int]:
    """Competition ranking, highest total first; equal totals share a rank (1, 1, 3)."""
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[Any, int] = {}
    previous = None
    for position, (key, total) in enumerate(ordered, start=1):
        if previous is not None and total == previous[1]:
            ranks[key] = previous[0]
        else:
            ranks[key] = position
        previous = (ranks[key], total)
    return ranks


@dataclass
class MatrixRow:
    offer: Offer
    cells: list[OfferScore | None]
    total: Decimal
    complete: bool
    rank: int | None = None


@dataclass
class EvaluationMatrix:
    criteria: list[ProcurementCriterion]
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and all(row.complete for row in self.rows)

    @property
    def missing(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell is None)


def evaluation_matrix(procurement: Procurement, *, offers: Iterable[Offer] | None = None) -> EvaluationMatrix:
    """Criteria × submitted offers with each score, the weighted totals and (when complete) the ranking.

    Three queries. The caller checks `store.view_evaluation` first: the matrix holds sealed content.
    """
    crits = criteria(procurement)
    weights = {c.pk: c.weight for c in crits}
    if offers is None:
        offers = Offer.objects.filter(procurement=procurement, status=Offer.Status.SUBMITTED).select_related(
            "vendor", "product", "declaration_version"
        ).order_by("submitted_at", "id")
    offers = list(offers)
    scores: dict[int, dict[int, OfferScore]] = defaultdict(dict)
    for score in OfferScore.objects.filter(offer__in=[o.pk for o in offers]).select_related("scored_by"):
        scores[score.offer_id][score.criterion_id] = score
    rows = []
    for offer in offers:
        by_criterion = scores.get(offer.pk, {})
        total = weighted_total({c: s.score for c, s in by_criterion.items()}, weights)
        cells = [by_criterion.get(c.pk) for c in crits]
        rows.append(MatrixRow(offer=offer, cells=cells, total=total, complete=bool(crits) and all(cells)))
    matrix = EvaluationMatrix(criteria=crits, rows=rows)
    if matrix.complete:
        ranks = rank_totals({row.offer.pk: row.total for row in rows})
        for row in rows:
            row.rank = ranks[row.offer.pk]
        rows.sort(key=lambda r: (r.rank, r.offer.submitted_at, r.offer.pk))
    return matrix


def matrix_snapshot(matrix: EvaluationMatrix) -> dict:
    """The matrix as plain data, kept on the procurement at the award."""
    return {
        "criteria": [{"id": c.pk, "name": c.name, "weight": c.weight} for c in matrix.criteria],
        "rows": [
            {
                "offer": row.offer.pk,
                "vendor": row.offer.vendor.name,
                "product": row.offer.product.name,
                "scores": [
                    {"criterion": c.pk, "score": cell.score, "justification": cell.justification} if cell else None
                    for c, cell in zip(matrix.criteria, row.cells)
                ],
                "total": str(row.total),
                "rank": row.rank,
            }
            for row in matrix.rows
        ],
    }


def matrix_csv_rows(matrix: EvaluationMatrix) -> list[list[str]]:
    """The matrix as CSV rows: one row per offer, score and justification per criterion, total and rank."""
    header = [_("Rank"), _("Vendor"), _("Product"), _("Price per year (NOK)"), _("Price per unit (NOK)")]
    for criterion in matrix.criteria:
        header += [
            _("%(criterion)s (%(weight)s %%): score") % {"criterion": criterion.name, "weight": criterion.weight},
            _("%(criterion)s: justification") % {"criterion": criterion.name},
        ]
    header.append(_("Weighted total (0–100)"))
    rows = [header]
    for row in matrix.rows:
        line = [
            str(row.rank or ""), row.offer.vendor.name, row.offer.product.name,
            f"{row.offer.price_per_year:.2f}", f"{row.offer.price_per_unit:.2f}",
        ]
        for cell in row.cells:
            line += [str(cell.score) if cell else "", cell.justification if cell else ""]
        line.append(f"{row.total:.2f}")
        rows.append(line)
    return rows


def scores_visible(*, user: Any) -> QuerySet[OfferScore]:
    """Scores of offers whose evaluation the actor may see: the lead and platform admins, after the deadline."""
    organisation = acting_organisation(user)
    if organisation is None:
        return OfferScore.objects.none()
    unsealed = Q(offer__procurement__offer_deadline__lte=timezone.now())
    if not organisation.is_operator:
        unsealed &= Q(offer__procurement__lead=organisation)
    return OfferScore.objects.filter(unsealed).select_related("offer", "criterion", "scored_by")


# Agreement and call-off (PRO-6) ---------------------------------------------------------------------------


def call_offs(procurement: Procurement) -> QuerySet[CallOff]:
    return CallOff.objects.filter(procurement=procurement).select_related(
        "organisation", "offer", "offer__product", "called_off_by"
    ).order_by("-created_at", "-id")


def call_offs_visible(*, user: Any) -> QuerySet[CallOff]:
    """Call-offs are public like the agreement they are made under (which organisations use it)."""
    return CallOff.objects.filter(procurement__in=visible_procurements(user)).select_related(
        "organisation", "offer", "offer__product", "procurement"
    )


def agreement_for_product(product_id: int, *, today: date | None = None) -> Procurement | None:
    """The longest-lasting active joint-procurement agreement the product was awarded under, if any (for the
    "Felleskjøpt" badge of its store entry)."""
    today = today or timezone.localdate()
    return (
        Procurement.objects.filter(
            phase=Phase.AGREEMENT_ACTIVE, agreement_end__gte=today,
            offers__product_id=product_id, offers__is_winner=True, offers__status=Offer.Status.SUBMITTED,
        ).order_by("-agreement_end", "-id").first()
    )


AGREEMENT_COLUMNS = ("id", "title", "phase", "agreement_start", "agreement_end", "lead_id")
# Compiled (and so prepared on PostgreSQL): every visit to a felleskjøpt product's listing page asks it, and
# as a DISTINCT join of all of Procurement's columns its planning alone took most of a millisecond.
_ACTIVE_AGREEMENTS = CompiledQuery(
    lambda product_id: Procurement.objects.filter(
        Exists(
            Offer.objects.filter(
                procurement=OuterRef("pk"),
                product_id=product_id,
                is_winner=True,
                status=Offer.Status.SUBMITTED,
            )
        ),
        phase=Phase.AGREEMENT_ACTIVE,
    )
    .order_by("agreement_end", "pk")
    .values(*AGREEMENT_COLUMNS, "lead__name")
)


def active_agreements_for_product(product_id: int) -> list[Procurement]:
    """Procurements whose active agreement covers the product, soonest ending first, with the lead's name (for
    the listing page of Butikken: what its "Felleskjøpt" section shows, one query)."""
    agreements = []
    for row in _ACTIVE_AGREEMENTS.rows(product_id=product_id):
        agreement = as_instance(Procurement, {name: row[name] for name in AGREEMENT_COLUMNS})
        agreement.lead = as_instance(Organisation, {"id": row["lead_id"], "name": row["lead__name"]})
        agreements.append(agreement)
    return agreements


# Start page (ORG-6) -------------------------------------------------------------------------------------


def procurements_led(*, organisation: Organisation, limit: int = 8) -> list[Procurement]:
    """Open procurements the organisation leads, with participation totals (one query)."""
    return list(
        _participant_summary(
            Procurement.objects.filter(lead=organisation).exclude(phase__in=Procurement.FINISHED_PHASES)
            .select_related("need")
        ).order_by("offer_deadline", "id")[:limit]
    )


def procurements_open_for_intent(*, organisation: Organisation, limit: int = 8) -> list[Procurement]:
    """Announced procurements where the organisation may still declare intent and has not (one query)."""
    return list(
        Procurement.objects.filter(
            announced_at__isnull=False, phase__in=Procurement.PARTICIPATION_PHASES, intent_deadline__gt=timezone.now()
        ).exclude(
            pk__in=Participation.objects.filter(organisation=organisation, status=Participation.Status.DECLARED)
            .values("procurement_id")
        ).exclude(lead=organisation).select_related("lead").order_by("intent_deadline", "id")[:limit]
    )


def agreements_for_participant(*, organisation: Organisation, limit: int = 8) -> list[Procurement]:
    """Active agreements the organisation takes part in and may call off under (one query)."""
    return list(
        Procurement.objects.filter(
            phase=Phase.AGREEMENT_ACTIVE,
            participations__organisation=organisation, participations__status=Participation.Status.DECLARED,
        ).select_related("lead").order_by("agreement_end", "id")[:limit]
    )


def procurements_for_vendor(*, organisation: Organisation, limit: int = 8) -> list[Procurement]:
    """Announced procurements in market dialogue or competition, with whether the vendor has an offer in (two queries)."""
    procurements = list(
        Procurement.objects.filter(
            announced_at__isnull=False, phase__in=[Phase.MARKET_DIALOGUE, Phase.COMPETITION]
        ).select_related("lead").order_by("offer_deadline", "id")[:limit]
    )
    offered = set(
        Offer.objects.filter(
            vendor=organisation, status=Offer.Status.SUBMITTED, procurement__in=[p.pk for p in procurements]
        ).values_list("procurement_id", flat=True)
    ) if procurements else set()
    for procurement in procurements:
        procurement.has_own_offer = procurement.pk in offered
    return procurements


def questions_waiting(*, organisation: Organisation) -> int:
    """Questions in procurements the organisation leads that wait for an answer or for publishing."""
    return ProcurementQuestion.objects.filter(
        procurement__lead=organisation,
        status__in=[ProcurementQuestion.Status.OPEN, ProcurementQuestion.Status.ANSWERED],
    ).count()


def prefetch_participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.filter(status=Participation.Status.DECLARED).select_related("organisation"),
        to_attr="declared_participations",
    )
