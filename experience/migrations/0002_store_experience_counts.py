"""Hand the store the number of published experiences per product (its listing page asks for experiences only
when there are any; from now on the experience services keep the count)."""

from django.db import migrations
from django.db.models import Count


def count_experiences(apps, schema_editor):
    Experience = apps.get_model("experience", "Experience")
    StoreEntry = apps.get_model("store", "StoreEntry")
    counts = (
        Experience.objects.filter(status="published", product__isnull=False)
        .values("product_id")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        StoreEntry.objects.filter(product_id=row["product_id"]).update(experience_count=row["n"])


class Migration(migrations.Migration):
    dependencies = [
        ("experience", "0001_initial"),
        ("store", "0003_entry_page_document"),
    ]

    operations = [migrations.RunPython(count_experiences, migrations.RunPython.noop)]
