import hashlib

from django.db import migrations, models

import projects.models


def hash_stored_files(apps, schema_editor):
    """Item attachments stored before they kept a SHA-256 get it from their file (empty if the file is gone)."""
    ItemAttachment = apps.get_model("phases", "ItemAttachment")
    for attachment in ItemAttachment.objects.filter(sha256=""):
        try:
            with attachment.file.open("rb") as f:
                digest = hashlib.sha256()
                for chunk in iter(lambda: f.read(65536), b""):
                    digest.update(chunk)
        except (FileNotFoundError, ValueError):
            continue
        ItemAttachment.objects.filter(pk=attachment.pk).update(sha256=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0008_default_room_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalitemattachment",
            name="sha256",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="itemattachment",
            name="sha256",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="itemattachment",
            name="file",
            field=models.FileField(max_length=300, upload_to=projects.models.attachment_upload_to),
        ),
        migrations.RunPython(hash_stored_files, migrations.RunPython.noop),
    ]
