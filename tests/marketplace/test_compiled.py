"""marketplace.compiled: a hot read compiled once per connection gives what the queryset gives, for every
value it is run with, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import DataError, connections, transaction

from marketplace.compiled import CompiledQuery, as_instance, rows_together
from marketplace.models import AuditEvent, Organisation, ServiceArea
from tests.factories import OrganisationFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db

BY_KIND_AND_NAME = CompiledQuery(
    lambda kind, name: Organisation.objects.filter(kind=kind, name=name).order_by("name").values("id", "name", "kind")
)
BY_IDS = CompiledQuery(lambda ids: Organisation.objects.filter(pk__in=ids).order_by("pk").values("id", "name"))
AREAS = CompiledQuery(lambda: ServiceArea.objects.order_by("slug").values("slug", "name", "category_id", "order"))


def test_rows_are_what_the_queryset_gives_for_each_value():
    OrganisationFactory(name="Ringsaker kommune", kind="municipality")
    OrganisationFactory(name="Ringerike kommune", kind="municipality")
    OrganisationFactory(name="Ringvoll AS", kind="vendor")
    asked = [
        ("municipality", "Ringsaker kommune"),
        ("vendor", "Ringvoll AS"),
        ("municipality", "Ringvoll AS"),
        ("county", "x"),
    ]
    for kind, name in asked:
        expected = list(Organisation.objects.filter(kind=kind, name=name).order_by("name").values("id", "name", "kind"))
        assert BY_KIND_AND_NAME.rows(kind=kind, name=name) == expected
    assert [r["name"] for r in BY_KIND_AND_NAME.rows(kind="municipality", name="Ringerike kommune")] == [
        "Ringerike kommune"
    ]
    assert BY_KIND_AND_NAME.rows(kind="municipality", name="Ringvoll AS") == []


def test_a_value_is_a_parameter_never_sql():
    OrganisationFactory(name="O'Brien AS", kind="vendor")
    assert [r["name"] for r in BY_KIND_AND_NAME.rows(kind="vendor", name="O'Brien AS")] == ["O'Brien AS"]
    assert BY_KIND_AND_NAME.rows(kind="vendor", name="' OR '1'='1") == []
    assert Organisation.objects.filter(name="O'Brien AS").exists()


def test_a_list_compiles_once_per_length(django_assert_num_queries):
    first, second, third = OrganisationFactory.create_batch(3)
    assert [r["id"] for r in BY_IDS.rows(ids=[third.pk, first.pk])] == sorted([first.pk, third.pk])
    assert [r["id"] for r in BY_IDS.rows(ids=[first.pk, second.pk, third.pk])] == [first.pk, second.pk, third.pk]
    with django_assert_num_queries(1):  # compiled already: one query, nothing else
        assert [r["name"] for r in BY_IDS.rows(ids=[second.pk])] == [second.name]
    compiled = connections["default"].__dict__["_compiled_queries"]
    assert {shape for key, shape in compiled if key is BY_IDS} == {(("ids", 2),), (("ids", 3),), (("ids", 1),)}


def test_values_are_converted_as_the_orm_converts_them():
    area = ServiceAreaFactory()
    row = next(r for r in AREAS.rows() if r["slug"] == area.slug)
    assert row == {"slug": area.slug, "name": area.name, "category_id": area.category_id, "order": area.order}
    OrganisationFactory(name="Hamar kommune", kind="municipality")
    event = AuditEvent.objects.create(verb="test.compiled", data={"n": 1, "names": ["Hamar"]})
    events = CompiledQuery(lambda pk: AuditEvent.objects.filter(pk=pk).values("data", "created_at"))
    assert events.first(pk=event.pk) == {"data": {"n": 1, "names": ["Hamar"]}, "created_at": event.created_at}
    assert events.first(pk=event.pk + 1000) is None


def test_an_argument_used_twice_or_not_at_all_is_refused():
    twice = CompiledQuery(lambda pk: Organisation.objects.filter(pk=pk, id__gte=pk).values("id"))
    unused = CompiledQuery(lambda pk: Organisation.objects.values("id"))
    for query in (twice, unused):
        with pytest.raises(ValueError, match="exactly once"):
            query.rows(pk=1)


def test_an_instance_from_a_row_defers_what_the_row_lacks(django_assert_num_queries):
    organisation = OrganisationFactory(name="Bodø kommune", kind="municipality")
    row = BY_KIND_AND_NAME.first(kind="municipality", name="Bodø kommune")
    with django_assert_num_queries(0):
        loaded = as_instance(Organisation, row)
        assert (loaded.pk, loaded.name, loaded.kind) == (organisation.pk, "Bodø kommune", "municipality")
        assert loaded._state.adding is False
    with django_assert_num_queries(1):  # a field the row lacks is read when asked for
        assert loaded.slug == organisation.slug


def test_an_instance_from_a_row_is_the_instance_the_orm_loads(django_assert_num_queries):
    """Built without Model.__init__: it compares, saves and refreshes as the ORM's own, and a value of
    another name in the row is left out."""
    organisation = OrganisationFactory(name="Bodø kommune", kind="municipality")
    loaded = as_instance(Organisation, {"id": organisation.pk, "name": "Bodø kommune", "extra": 1, "kind": "municipality"})
    assert loaded == organisation and not hasattr(loaded, "extra")
    assert loaded._state.db == "default"
    loaded.name = "Bodø"
    loaded.save(update_fields=["name"])
    organisation.refresh_from_db()
    assert organisation.name == "Bodø"


def test_a_model_that_builds_its_instances_itself_is_refused():
    class Custom(Organisation):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

        class Meta:
            app_label = "marketplace"
            proxy = True

    with pytest.raises(TypeError, match="read it through the ORM"):
        as_instance(Custom, {"id": 1})


def _prepared_statements() -> list[str]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_compiled_read_run_often_is_prepared_and_nothing_else_is():
    municipality = OrganisationFactory(name="Hamar kommune", kind="municipality")
    OrganisationFactory(name="Hamar AS", kind="vendor")
    for _run in range(6):  # psycopg prepares from the fifth run on a connection (DB_PREPARE_THRESHOLD)
        assert BY_KIND_AND_NAME.rows(kind="municipality", name="Hamar kommune") == [
            {"id": municipality.pk, "name": "Hamar kommune", "kind": "municipality"}
        ]
        assert list(Organisation.objects.filter(name="Hamar AS").values_list("kind", flat=True)) == ["vendor"]
    prepared = _prepared_statements()
    assert any('"marketplace_organisation"."kind" = $1' in statement for statement in prepared)
    # Django's own cursors bind on the client: the ORM's read by name alone is never prepared.
    by_name_alone = [
        statement for statement in prepared
        if '"marketplace_organisation"."name" = $1' in statement and '"kind" = $' not in statement
    ]
    assert by_name_alone == []
    # A prepared read still gives each value's rows.
    assert BY_KIND_AND_NAME.rows(kind="vendor", name="Hamar AS")[0]["kind"] == "vendor"


def test_reads_asked_together_give_what_each_gives_alone(django_assert_num_queries):
    hamar = OrganisationFactory(name="Hamar kommune", kind="municipality")
    vendor = OrganisationFactory(name="Hamar AS", kind="vendor")
    ServiceAreaFactory()
    reads = [
        (BY_IDS, {"ids": [vendor.pk, hamar.pk]}),
        (BY_KIND_AND_NAME, {"kind": "vendor", "name": "Hamar AS"}),
        (AREAS, {}),
        (BY_KIND_AND_NAME, {"kind": "county", "name": "Innlandet"}),
    ]
    alone = [query.rows(**arguments) for query, arguments in reads]
    with django_assert_num_queries(4):  # each read is still a query of its own, logged and counted
        together = rows_together(*reads)
    assert together == alone
    assert together[0] == [{"id": hamar.pk, "name": "Hamar kommune"}, {"id": vendor.pk, "name": "Hamar AS"}]
    assert together[3] == []


def test_reads_of_two_databases_are_not_asked_together():
    elsewhere = CompiledQuery(BY_IDS.build, using="replica")
    with pytest.raises(ValueError, match="one database"):
        rows_together((BY_IDS, {"ids": [1]}), (elsewhere, {"ids": [1]}))


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="PostgreSQL's bigint refuses text")
def test_a_read_that_fails_among_others_raises_django_s_error_and_the_connection_goes_on():
    organisation = OrganisationFactory()
    with pytest.raises(DataError), transaction.atomic():
        rows_together((BY_IDS, {"ids": [organisation.pk]}), (BY_IDS, {"ids": ["not a number"]}))
    assert BY_IDS.rows(ids=[organisation.pk]) == [{"id": organisation.pk, "name": organisation.name}]
