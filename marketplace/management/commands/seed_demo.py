"""Fill a fresh database with realistic demo data for every arena (X-8)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from marketplace import demo, demo_data
from marketplace.acting import act_for
from marketplace.models import Category, Organisation, Role, ServiceArea, Terms, User

DEMO_PASSWORD = "demo-passord"
# Organisations left without accepting the current terms, to show the Vilkår gate.
NOT_ACCEPTED = {"vinje", "hammerfest"}


class Command(BaseCommand):
    help = "Create demo organisations, people, service areas, terms and each arena's demo content."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when organisations exist already.")

    def handle(self, *args, if_empty: bool = False, **options):
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("Demo data: the database has data already; nothing to do.")
                return
            raise CommandError("The database is not empty; seed_demo fills a fresh database only.")
        ctx = demo.DemoContext(log=lambda msg: self.stdout.write(f"  {msg}"))
        with transaction.atomic():
            for order, name, seeder in demo.seeders():
                self.stdout.write(f"Demo data: {name}")
                seeder(ctx)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(ctx.organisations)} organisations, {len(ctx.people)} people. Password: {DEMO_PASSWORD}"
        ))


def _user(email: str, first_name: str, last_name: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@demo.register(order=0, name="organisations, people, service areas and terms")
def seed_core(ctx: demo.DemoContext) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from marketplace.services.organisations import membership_add, organisation_create
    from marketplace.services.terms import terms_accept, terms_create, terms_publish

    for data in demo_data.CATEGORIES:
        Category.objects.create(slug=data["slug"], name=data["name"], name_en=data["name_en"], order=data["order"])
    categories = {c.slug: c for c in Category.objects.all()}
    for data in demo_data.SERVICE_AREAS:
        ctx.service_areas[data["slug"]] = ServiceArea.objects.create(
            slug=data["slug"], name=data["name"], name_en=data["name_en"], category=categories[data["category"]],
            order=data["order"], description=data["description"],
        )

    # Bootstrap: the operator and its first platform administrator exist before anyone can create others.
    ks_data = next(o for o in demo_data.ORGANISATIONS if o["kind"] == "operator")
    ks = Organisation.objects.create(
        slug=ks_data["key"], name=ks_data["name"], kind=ks_data["kind"], org_number=ks_data["org_number"],
        website=ks_data["website"], description=ks_data["description"],
    )
    ctx.organisations[ks_data["key"]] = ks
    people = {p["email"]: p for p in demo_data.PEOPLE}
    root_data = next(p for p in demo_data.PEOPLE if p["platform_admin"] and (ks_data["key"], "admin") in p["memberships"])
    # Not a Django superuser: a superuser passes every permission check, and a platform administrator
    # must act with the operator's rights like everyone else acts with their organisation's.
    root = _user(root_data["email"], root_data["first_name"], root_data["last_name"])
    from marketplace.models import Membership

    Membership.objects.create(user=root, organisation=ks, role=Role.ADMIN)
    act_for(root, ks)
    ctx.people[root.email] = root

    for data in demo_data.ORGANISATIONS:
        if data["key"] in ctx.organisations:
            continue
        organisation = organisation_create(
            actor=root, name=data["name"], kind=data["kind"], org_number=data["org_number"],
            municipality_number=data.get("municipality_number") or "", inhabitants=data.get("inhabitants"),
            website=data.get("website") or "", description=data.get("description") or "",
        )
        if organisation.slug != data["key"]:
            organisation.slug = data["key"]
            organisation.save(update_fields=["slug"])
        ctx.organisations[data["key"]] = organisation

    for email, data in people.items():
        user = ctx.people.get(email) or _user(email, data["first_name"], data["last_name"])
        ctx.people[email] = user
        for org_key, role in data["memberships"]:
            organisation = ctx.organisations[org_key]
            if not user.memberships.filter(organisation=organisation).exists():
                membership_add(actor=root, organisation=organisation, user=user, role=role)
            if role == Role.ADMIN:
                ctx.admins.setdefault(org_key, user)
        if data["platform_admin"]:
            TOTP.activate(user, generate_totp_secret())
    ctx.admins.setdefault(ks_data["key"], root)

    today = timezone.localdate()
    for data in sorted(demo_data.TERMS, key=lambda t: -t["effective_from_days_ago"]):
        terms = terms_create(
            actor=root, audience=data["audience"], version=data["version"], title=data["title"], body=data["body"],
            changes=data.get("changes", ""), effective_from=today - timedelta(days=data["effective_from_days_ago"]),
        )
        terms_publish(actor=root, terms_id=terms.pk)
    ctx.log(f"{Terms.objects.count()} terms versions published")

    for key, organisation in ctx.organisations.items():
        if key in NOT_ACCEPTED or organisation.is_operator or key not in ctx.admins:
            continue
        from marketplace.terms import current_terms, audiences_for

        admin = ctx.admin_for(key)
        for audience, terms in current_terms().items():
            if audience in audiences_for(organisation):
                terms_accept(actor=admin, organisation=organisation, terms_id=terms.pk)
    ctx.log(f"terms accepted by all but {', '.join(sorted(NOT_ACCEPTED))}")
