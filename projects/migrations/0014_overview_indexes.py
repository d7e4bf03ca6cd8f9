import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0013_historicalproject_previous_record_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["role", "project", "created_at"], name="membership_role_project"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("actual_move_in", "planned_move_in"),
                models.F("name"),
                models.F("id"),
                name="project_move_in_name",
            ),
        ),
    ]
