import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The overview's stored counts are rollups, not "summaries" (a step's summary is the owner's text)."""

    dependencies = [("participation", "0002_step_is_sent"), ("projects", "0002_global_role_groups")]

    operations = [
        migrations.RenameModel("ParticipationSummary", "ParticipationRollup"),
        migrations.AlterField(
            model_name="participationrollup",
            name="project",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="participation_rollup",
                serialize=False,
                to="projects.project",
            ),
        ),
    ]
