"""Make the audit table append-only in the database itself, so no ORM path, admin or SQL client can change
history (see otklik.audit.db)."""

from django.db import migrations

from otklik.audit.db import drop_triggers, install_triggers


def forwards(apps, schema_editor):
    install_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
