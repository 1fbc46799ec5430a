"""factory_boy factories for the core; arenas add theirs beside their tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from marketplace.models import Category, Membership, Organisation, Role, ServiceArea, Terms, User
from marketplace.validators import ORG_NUMBER_WEIGHTS


def valid_org_number(seed: int) -> str:
    """A 9-digit organisation number with a correct MOD11 check digit, derived from `seed`."""
    n = seed
    while True:
        base = f"{910000000 + (n * 7919) % 89999999:09d}"[:8]
        remainder = sum(int(d) * w for d, w in zip(base, ORG_NUMBER_WEIGHTS)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return base + str(check)
        n += 10_000_019  # far away: `n + 1` would give the next seed's number (a duplicate)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Testesen"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.MUNICIPALITY
    org_number = factory.Sequence(lambda n: valid_org_number(n + 1))
    municipality_number = factory.LazyAttribute(lambda o: f"34{(o.org_number[-2:])}" if o.kind == Organisation.Kind.MUNICIPALITY else "")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "kommunale-helsetjenester"
    name = "Kommunale helsetjenester"


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    slug = factory.Sequence(lambda n: f"omrade-{n}")
    name = factory.Sequence(lambda n: f"Tjenesteområde {n}")
    category = factory.SubFactory(CategoryFactory)


class TermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Terms

    audience = Terms.Audience.ALL
    version = factory.Sequence(lambda n: f"1.{n}")
    title = "Vilkår for deltakelse"
    body = "## Formål\n\nDeltakerne følger de samme rammene."
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    status = Terms.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation (ORG-3); pass status/expires_at for other cases."""

    class Meta:
        model = "marketplace.Invitation"

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.no")
    role = Role.MEMBER
    token = factory.Sequence(lambda n: f"invitation-token-{n:06d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "marketplace.Notification"

    recipient = factory.SubFactory(UserFactory)
    kind = "terms.new_version"
    title = factory.Sequence(lambda n: f"Varsel {n}")
    url = "/vilkar/"
