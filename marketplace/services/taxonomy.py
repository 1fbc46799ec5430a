"""Service areas and categories (INN-1), maintained by the operator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..errors import NotFound
from ..models import Category, ServiceArea, User
from ..permissions import ensure_allowed

CATEGORY_FIELDS = ("name", "name_en", "order")
SERVICE_AREA_FIELDS = ("name", "name_en", "category", "description", "order", "is_active")


def _slug_for(model, name: str, current_pk: int | None = None) -> str:
    base = slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:45] or "omrade"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=current_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save(obj, *, actor: User, fields: dict, allowed: tuple[str, ...], verb: str):
    changed = {k: v for k, v in fields.items() if k in allowed and getattr(obj, k, None) != v}
    for key, value in changed.items():
        setattr(obj, key, value)
    creating = obj.pk is None
    if creating:
        obj.slug = _slug_for(type(obj), obj.name)
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    obj.save()
    audit_record(actor=actor, verb=f"{verb}.{'created' if creating else 'updated'}", target=obj,
                 data={k: str(v) for k, v in changed.items()})
    return obj


@transaction.atomic
def category_save(*, actor: User, category_id: int | None = None, **fields) -> Category:
    """Create or change a category of service areas (platform administrators)."""
    ensure_allowed(actor, "marketplace.manage_taxonomy")
    category = Category() if category_id is None else Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound(_("Category not found."))
    return _save(category, actor=actor, fields=fields, allowed=CATEGORY_FIELDS, verb="category")


@transaction.atomic
def service_area_save(*, actor: User, service_area_id: int | None = None, **fields) -> ServiceArea:
    """Create or change a service area; retiring one hides it from new needs and products (is_active)."""
    ensure_allowed(actor, "marketplace.manage_taxonomy")
    area = ServiceArea() if service_area_id is None else ServiceArea.objects.select_for_update().filter(pk=service_area_id).first()
    if area is None:
        raise NotFound(_("Service area not found."))
    return _save(area, actor=actor, fields=fields, allowed=SERVICE_AREA_FIELDS, verb="service_area")
