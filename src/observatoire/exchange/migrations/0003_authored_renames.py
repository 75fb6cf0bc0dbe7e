# Authored objects (accounts.authored.Authored): one name for the author and the
# creation time in every app. Renames only: the stored rows are kept as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0002_territory_fields"),
    ]

    operations = [
        migrations.RenameField("document", "created_by", "author"),
        migrations.RenameField("document", "created", "created_at"),
        migrations.RenameField("document", "updated", "updated_at"),
        migrations.RenameField("call", "opened_by", "author"),
        migrations.RenameField("call", "opened_at", "created_at"),
        migrations.RenameField("answer", "created", "created_at"),
        migrations.RenameField("defi", "asked_by", "author"),
        migrations.RenameField("defi", "created", "created_at"),
        migrations.RenameField("defianswer", "created", "created_at"),
    ]
