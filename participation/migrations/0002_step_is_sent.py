from django.db import migrations


class Migration(migrations.Migration):
    """`Step.is_prepared` meant "a version has been sent for sign-off": named for what it means."""

    dependencies = [("participation", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="step", old_name="is_prepared", new_name="is_sent"),
        migrations.RenameField(model_name="historicalstep", old_name="is_prepared", new_name="is_sent"),
    ]
