"""The default room catalogue and area norms (DESIGN.md §5), as a starting point coordinators edit."""

from django.db import migrations

from space.defaults import install  # the same defaults seed_demo restores


def add(apps, schema_editor):
    install(apps.get_model("space", "RoomType"), apps.get_model("space", "AreaNorm"))


class Migration(migrations.Migration):
    dependencies = [("space", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
