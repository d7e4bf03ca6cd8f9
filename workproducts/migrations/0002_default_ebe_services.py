"""The services EBE offers on the order form, as a starting list that coordinators edit (Bergen guide)."""

from django.db import migrations

from workproducts.defaults import SERVICES  # the same starting list seed_demo restores)


def add(apps, schema_editor):
    OrderService = apps.get_model("workproducts", "OrderService")
    for n, (name, description) in enumerate(SERVICES, start=1):
        OrderService.objects.get_or_create(name=name, defaults={"description": description, "order": n * 10})


class Migration(migrations.Migration):
    dependencies = [("workproducts", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
