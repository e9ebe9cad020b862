from django.db import migrations


def seed(apps, schema_editor):
    from otklik.cases.policy import DEFAULTS

    Policy = apps.get_model("cases", "Policy")
    for d in DEFAULTS.values():
        Policy.objects.get_or_create(
            key=d.key, defaults={"rid": d.rid, "title": d.title, "value": d.value, "unit": d.unit}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
