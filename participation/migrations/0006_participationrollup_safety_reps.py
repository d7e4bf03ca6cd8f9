from django.db import migrations, models

# Every project's safety representatives counted once, in one statement (the same on PostgreSQL and SQLite):
# the overview's "no safety representative" then reads the stored count instead of scanning the memberships.
BACKFILL = """
UPDATE participation_participationrollup SET safety_reps = (
    SELECT COUNT(*) FROM projects_membership m
    WHERE m.project_id = participation_participationrollup.project_id AND m.role = 'safety_rep'
)
"""


class Migration(migrations.Migration):
    dependencies = [("participation", "0005_deputies"), ("projects", "0012_deputies")]

    operations = [
        migrations.AddField(
            model_name="participationrollup",
            name="safety_reps",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
    ]
