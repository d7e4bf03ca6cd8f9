import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A generated PDF is a GeneratedDocument: "document" alone also names a work product (the Dokumenter tab)."""

    dependencies = [
        ("projects", "0007_date_rule_and_one_line_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Document", "GeneratedDocument"),
        migrations.RenameModel("HistoricalDocument", "HistoricalGeneratedDocument"),
        migrations.AlterField(
            model_name="generateddocument",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="generated_documents", to="projects.project"
            ),
        ),
    ]
