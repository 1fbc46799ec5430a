"""Writing experiences (EXP-1): drafts, publishing, the edit history, attachments and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from experience import services
from experience.models import Experience, ExperienceVersion, Follow, Topic
from marketplace.errors import Conflict, IllegalTransition, NotFound, PermissionRefused, TermsNotAccepted
from marketplace.models import AuditEvent, Document, Notification, Role
from marketplace.services.documents import documents_for
from tests.conftest import login, make_member
from tests.factories import OrganisationFactory, ServiceAreaFactory
from tests.innovation.factories import advance, make_need

from .factories import TEXTS, adopt, listed_product, write

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_new_experience_is_a_draft_only_its_writers_see(inger, kari, colleague, siri, product, area):
    """EXP-1: a draft belongs to the author's organisation; other organisations get 404 (ORG-4)."""
    draft = write(inger, product=product, area=area, publish=False)
    assert draft.status == Experience.Status.DRAFT
    assert draft.organisation == inger.acting_organisation
    assert inger.has_perm("experience.view_experience", draft)
    assert kari.has_perm("experience.view_experience", draft)  # an organisation admin
    assert not colleague.has_perm("experience.view_experience", draft)
    assert not siri.has_perm("experience.view_experience", draft)
    assert login(siri).get(draft.get_absolute_url()).status_code == 404
    assert login(siri).get(f"/api/v1/experiences/{draft.pk}/").status_code == 404
    assert not Experience.objects.published().exists()


def test_publishing_records_context_version_one_and_the_author_follows(
    inger, product, in_use, area, vera, django_capture_on_commit_callbacks
):
    """EXP-1: context (organisation, size in inhabitants, service area) is kept with the published text."""
    with django_capture_on_commit_callbacks(execute=True):
        experience = write(inger, product=product, area=area)
    assert experience.status == Experience.Status.PUBLISHED
    assert experience.published_at is not None
    assert experience.inhabitants == 35_000
    assert experience.size_band == "m"
    assert experience.service_area == area
    assert experience.version == 1
    version = experience.versions.get()
    assert (version.number, version.title, version.what_worked) == (1, experience.title, TEXTS["what_worked"])
    assert Follow.objects.filter(experience=experience, user=inger).exists()
    assert AuditEvent.objects.filter(
        verb="experience.published", target_id=str(experience.pk), to_state="published"
    ).exists()
    # The vendor is told, so that it may reply.
    assert Notification.objects.filter(recipient=vera, kind="experience.on_our_product").count() == 1


def test_organisations_using_the_product_are_told_of_a_new_experience(
    inger, product, in_use, area, siri, django_capture_on_commit_callbacks
):
    adopt(siri.acting_organisation, product)
    with django_capture_on_commit_callbacks(execute=True):
        write(inger, product=product, area=area)
    assert Notification.objects.filter(recipient=siri, kind="experience.on_used_product").count() == 1
    assert not Notification.objects.filter(recipient=inger, kind="experience.on_used_product").exists()


def test_publish_refused_until_the_required_parts_are_written(inger, product):
    """EXP-1: what worked, what did not, advice and the service area are required to publish."""
    draft = services.experience_create(
        actor=inger, topic=Topic.PRODUCT, product_id=product.pk, title="Tidlig utkast"
    )
    with pytest.raises(ValidationError) as error:
        services.experience_publish(actor=inger, experience_id=draft.pk)
    assert set(error.value.message_dict) >= {"what_worked", "what_did_not", "advice"}
    draft.refresh_from_db()
    assert draft.status == Experience.Status.DRAFT
    assert draft.service_area in product.service_areas.all()  # defaulted from the product


def test_publish_refused_when_the_organisation_has_not_accepted_the_terms(
    municipality, terms_all, product, area
):
    """TRM-3: an organisation that has not accepted the current terms cannot publish experiences."""
    user = make_member(municipality, Role.MEMBER)
    with pytest.raises(TermsNotAccepted):
        services.experience_create(actor=user, topic=Topic.PRODUCT, product_id=product.pk, title="Erfaring")
    assert not Experience.objects.exists()


def test_publish_refused_after_the_terms_changed(inger, product, area):
    """TRM-3/TRM-4: a draft written before a new version of the terms cannot be published until accepted."""
    from tests.factories import TermsFactory

    draft = write(inger, product=product, area=area, publish=False)
    TermsFactory(audience="all", version="2.0", title="Vilkår for deltakelse")
    from marketplace.terms import forget_pending_terms

    forget_pending_terms(inger.acting_organisation)
    with pytest.raises(TermsNotAccepted):
        services.experience_publish(actor=inger, experience_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == Experience.Status.DRAFT


def test_publishing_twice_is_an_illegal_transition(experience, inger):
    with pytest.raises(IllegalTransition):
        services.experience_publish(actor=inger, experience_id=experience.pk)
    assert experience.versions.count() == 1


def test_editing_a_published_experience_keeps_the_previous_version(experience, inger, area):
    """EXP-1: the edit history keeps every published version."""
    services.experience_update(
        actor=inger,
        experience_id=experience.pk,
        title="Felles kartlegging – etter ett år",
        service_area_id=area.pk,
        **{**TEXTS, "advice": "Kalibrer etter en måned og etter et halvt år."},
        change_note="La til erfaring etter ett år.",
    )
    experience.refresh_from_db()
    assert experience.version == 2
    assert experience.advice == "Kalibrer etter en måned og etter et halvt år."
    first, second = ExperienceVersion.objects.filter(experience=experience).order_by("number")
    assert first.advice == TEXTS["advice"] and first.title == "Felles kartlegging ga likere vurderinger"
    assert second.advice == experience.advice and second.change_note == "La til erfaring etter ett år."


def test_saving_unchanged_text_makes_no_new_version(experience, inger, area):
    services.experience_update(
        actor=inger, experience_id=experience.pk, title=experience.title, service_area_id=area.pk, **TEXTS
    )
    experience.refresh_from_db()
    assert experience.version == 1


def test_what_a_published_experience_is_about_cannot_change(experience, inger, area, vendor):
    other = listed_product(vendor, name="Kartleggeren Egenrapport")
    with pytest.raises(ValidationError) as error:
        services.experience_update(
            actor=inger,
            experience_id=experience.pk,
            title=experience.title,
            product_id=other.pk,
            service_area_id=area.pk,
            **TEXTS,
        )
    assert "topic" in error.value.message_dict
    experience.refresh_from_db()
    assert experience.product_id != other.pk


def test_an_organisation_admin_may_edit_a_colleagues_experience(experience, kari, area):
    services.experience_update(
        actor=kari, experience_id=experience.pk, title="Rettet tittel", service_area_id=area.pk, **TEXTS
    )
    experience.refresh_from_db()
    assert experience.title == "Rettet tittel"
    assert experience.versions.first().edited_by == kari


def test_editing_someone_elses_experience_is_refused(experience, colleague, siri, area):
    """A colleague who is not the author nor an admin is refused; another organisation cannot edit it."""
    with pytest.raises(PermissionRefused):
        services.experience_update(
            actor=colleague, experience_id=experience.pk, title="Endret", service_area_id=area.pk, **TEXTS
        )
    with pytest.raises(PermissionRefused):
        services.experience_update(
            actor=siri, experience_id=experience.pk, title="Endret", service_area_id=area.pk, **TEXTS
        )
    client = login(siri)
    assert client.get(f"/erfaringsarena/{experience.pk}/rediger/").status_code == 403
    response = client.patch(
        f"/api/v1/experiences/{experience.pk}/", {"title": "Endret"}, content_type="application/json"
    )
    assert response.status_code == 403
    experience.refresh_from_db()
    assert experience.title == "Felles kartlegging ga likere vurderinger"
    assert experience.version == 1


def test_vendors_do_not_write_experiences_about_products(vera, product):
    with pytest.raises(ValidationError) as error:
        services.experience_create(
            actor=vera, topic=Topic.PRODUCT, product_id=product.pk, title="Vår løsning er best"
        )
    assert "topic" in error.value.message_dict
    assert not Experience.objects.exists()


def test_products_not_in_the_store_cannot_be_written_about(inger, vendor):
    from verification.models import Product

    hidden = Product.objects.create(vendor=vendor, name="Ikke verifisert", short_description="Utkast")
    with pytest.raises(ValidationError) as error:
        services.experience_create(actor=inger, topic=Topic.PRODUCT, product_id=hidden.pk, title="Erfaring")
    assert "product" in error.value.message_dict


def test_an_experience_about_a_need_must_be_about_a_published_need(inger, area):
    """EXP-1: innovation work; a need that is not public cannot be referenced from a public experience."""
    owner = make_member(OrganisationFactory(kind="county", municipality_number=""), Role.ADMIN)
    from tests.conftest import accept_terms

    accept_terms(owner.acting_organisation, by=owner)
    need = make_need(owner, areas=[area])
    with pytest.raises(ValidationError) as error:
        services.experience_create(actor=inger, topic=Topic.NEED, need_id=need.pk, title="Innovasjonsarbeid")
    assert "need" in error.value.message_dict
    advance(owner, need, "published")
    experience = write(
        inger, topic=Topic.NEED, need_id=need.pk, area=area, title="Hva vi lærte av kjerneteamet"
    )
    assert experience.need == need and experience.product is None
    assert experience.subject == need


def test_a_draft_can_be_deleted_but_a_published_experience_cannot(inger, product, area, experience):
    draft = write(inger, product=product, area=area, publish=False, title="Utkast")
    services.experience_document_add(actor=inger, experience_id=draft.pk, upload=pdf())
    services.experience_delete(actor=inger, experience_id=draft.pk)
    assert not Experience.objects.filter(pk=draft.pk).exists()
    assert not Document.objects.filter(owner_id=draft.pk, kind="attachment").exists()
    with pytest.raises(Conflict):
        services.experience_delete(actor=inger, experience_id=experience.pk)
    assert Experience.objects.filter(pk=experience.pk).exists()


def test_attachments_are_sniffed_and_served_like_the_experience(experience, inger, siri, product, area):
    """EXP-1 attachments through document_upload (X-5): type from content; drafts' files stay private."""
    document = services.experience_document_add(
        actor=inger, experience_id=experience.pk, upload=pdf(), title="Rapport"
    )
    assert list(documents_for(experience)) == [document]
    assert login(siri).get(document.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError) as error:
        services.experience_document_add(
            actor=inger,
            experience_id=experience.pk,
            upload=SimpleUploadedFile(
                "x.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="application/pdf"
            ),
        )
    assert "file" in error.value.message_dict
    draft = write(inger, product=product, area=area, publish=False, title="Utkast")
    private = services.experience_document_add(actor=inger, experience_id=draft.pk, upload=pdf())
    assert login(siri).get(private.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionRefused):
        services.experience_document_add(actor=siri, experience_id=experience.pk, upload=pdf())
    assert documents_for(experience).count() == 1


def test_missing_and_forbidden_experiences_are_both_not_found(siri, inger, product, area):
    draft = write(inger, product=product, area=area, publish=False)
    for pk in (draft.pk, 999_999, "x"):
        with pytest.raises(NotFound):
            services.experience_publish(actor=siri, experience_id=pk)


def test_bad_input_gets_field_messages(inger, product):
    with pytest.raises(ValidationError) as error:
        services.experience_create(actor=inger, topic="gossip", title="Hei")
    assert "topic" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.experience_create(
            actor=inger, topic=Topic.PRODUCT, product_id=product.pk, title=" ", service_area_id=999_999
        )
    assert set(error.value.message_dict) == {"title", "service_area"}
    with pytest.raises(ValidationError) as error:
        services.experience_create(
            actor=inger, topic=Topic.PRODUCT, product_id=product.pk, title="Lang", what_worked="x" * 10_001
        )
    assert "what_worked" in error.value.message_dict
    assert not Experience.objects.exists()


def test_the_size_band_follows_the_organisations_inhabitants(inger, product, in_use, area):
    organisation = inger.acting_organisation
    organisation.inhabitants = 3_900
    organisation.save(update_fields=["inhabitants"])
    experience = write(inger, product=product, area=ServiceAreaFactory())
    assert experience.size_band == "xs"
    assert experience.size_label


def test_an_experience_about_a_joint_procurement_must_be_about_an_announced_one(inger, area, operator):
    """EXP-1: experiences from Felleskjøp reference a procurement everybody may read."""
    from datetime import timedelta

    from django.utils import timezone

    from store.models import Procurement

    owner = make_member(OrganisationFactory(kind="county", municipality_number=""), Role.ADMIN)
    from tests.conftest import accept_terms

    accept_terms(owner.acting_organisation, by=owner)
    need = advance(owner, make_need(owner, areas=[area]), "published")
    now = timezone.now()
    procurement = Procurement.objects.create(
        need=need,
        title="Felleskjøp kognitiv kartlegging",
        lead=operator,
        intent_deadline=now + timedelta(days=10),
        offer_deadline=now + timedelta(days=40),
    )
    with pytest.raises(ValidationError) as error:
        services.experience_create(
            actor=inger, topic=Topic.PROCUREMENT, procurement_id=procurement.pk, title="Felleskjøpet"
        )
    assert "procurement" in error.value.message_dict
    procurement.announced_at = now
    procurement.save(update_fields=["announced_at"])
    experience = write(
        inger,
        topic=Topic.PROCUREMENT,
        procurement_id=procurement.pk,
        area=area,
        title="Markedsdialogen ga bedre tilbud",
    )
    assert experience.procurement == procurement and experience.subject == procurement
    assert login(inger).get(experience.get_absolute_url()).status_code == 200
