# Authored objects (accounts.authored.Authored): one name for the author and the
# creation time in every app. Renames only: the stored rows are kept as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_territory_fields"),
    ]

    operations = [
        migrations.RenameField("upload", "uploaded_by", "author"),
        migrations.RenameField("upload", "uploaded_at", "created_at"),
    ]
