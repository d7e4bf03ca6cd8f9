# The participation protocol moved to projects.Document (one mechanism for every generated PDF).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_step_is_prepared"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="protocoldocument", name="protocol_version_unique"),
        migrations.DeleteModel(name="HistoricalProtocolDocument"),
        migrations.DeleteModel(name="ProtocolDocument"),
    ]
