"""An index for the history page's "previous record of the same object" (projects.history._page_records): the
newest historical row of a project before a given one is an index scan of one row on (id, history_date,
history_id) instead of reading and sorting every row of the project (250 ms for a page of a project with 10 000
recorded changes). Raw SQL with no state change: the historical model's Meta is simple-history's, and an index
declared in the migration state only would be taken away again by makemigrations (docs/decisions.md)."""

from django.db import migrations

INDEX = "projects_historicalproject_previous"


class Migration(migrations.Migration):
    dependencies = [("projects", "0012_deputies")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_historicalproject (id, history_date DESC, history_id DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
