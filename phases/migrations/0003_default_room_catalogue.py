"""The default room catalogue and area norms (DESIGN.md §5), as a starting point coordinators edit."""

from django.db import migrations

from phases.workproducts.space.defaults import install  # the same defaults seed_demo restores


def add(apps, schema_editor):
    install(apps.get_model("phases", "RoomType"), apps.get_model("phases", "AreaNorm"))


class Migration(migrations.Migration):
    dependencies = [("phases", "0002_default_ebe_services")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
