"""INN-1: the operator maintains service areas and categories; nobody else can."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.errors import PermissionRefused
from marketplace.models import AuditEvent, Category, ServiceArea
from marketplace.services.taxonomy import category_save, service_area_save

from ..conftest import login
from ..factories import CategoryFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db


def test_platform_admin_creates_and_retires_a_service_area(platform_admin):
    category = CategoryFactory()
    area = service_area_save(actor=platform_admin, name="Velferdsteknologi", name_en="Welfare technology",
                             category=category, description="", order=3, is_active=True)
    assert area.slug == "velferdsteknologi"
    service_area_save(actor=platform_admin, service_area_id=area.pk, name=area.name, name_en=area.name_en,
                      category=category, description="", order=3, is_active=False)
    area.refresh_from_db()
    assert area.is_active is False
    assert list(AuditEvent.objects.filter(target_id=str(area.pk), verb__startswith="service_area.").values_list("verb", flat=True)) \
        == ["service_area.updated", "service_area.created"]


def test_organisation_admin_cannot_change_service_areas(municipal_admin):
    area = ServiceAreaFactory(name="Legevakt")
    with pytest.raises(PermissionRefused):
        service_area_save(actor=municipal_admin, service_area_id=area.pk, name="Endret", category=area.category)
    area.refresh_from_db()
    assert area.name == "Legevakt"


def test_a_category_needs_a_name(platform_admin):
    with pytest.raises(ValidationError) as error:
        category_save(actor=platform_admin, name="", name_en="", order=0)
    assert "name" in error.value.message_dict
    assert not Category.objects.exists()


def test_taxonomy_screens_are_for_platform_admins_only(platform_admin, municipal_admin):
    CategoryFactory()
    assert login(municipal_admin).get("/tjenesteomrader/").status_code == 404
    assert login(municipal_admin).post("/tjenesteomrader/ny/", {"name": "X"}).status_code == 404
    admin = login(platform_admin)
    page = admin.get("/tjenesteomrader/")
    assert page.status_code == 200
    response = admin.post("/tjenesteomrader/ny/", {"name": "Helsestasjon", "name_en": "", "category": Category.objects.get().pk,
                                                   "description": "", "order": 1, "is_active": "on"})
    assert response.status_code == 302
    assert ServiceArea.objects.filter(name="Helsestasjon", is_active=True).exists()


def test_bad_input_on_the_screen_gives_field_errors_and_changes_nothing(platform_admin):
    response = login(platform_admin).post("/tjenesteomrader/ny/", {"name": "", "category": "999", "order": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "category", "order"}
    assert not ServiceArea.objects.exists()
