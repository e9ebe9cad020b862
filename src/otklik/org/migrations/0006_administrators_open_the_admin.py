"""The role «администратор» opens Django's admin from now on (`org.signals`: «статус персонала» comes with the role,
`Person.has_perm`: every model inside). An administrator given the role before had no way in unless someone ticked
the flag by hand: they get it here, each written in the audit log as the signal would have written it, by «система»."""

from typing import Any

from django.db import migrations

REASON = "обновление: роль «администратор» открывает «Администрирование»"


def open_the_admin(apps: Any, schema_editor: Any) -> None:
    person_model = apps.get_model("org", "Person")
    entry_model = apps.get_model("audit", "AuditEntry")
    people = person_model.objects.filter(roles__kind="administrator", is_staff=False).distinct()
    for person in people:
        person.is_staff = True
        person.save(update_fields=["is_staff"])
        name = " ".join(p for p in (person.last_name, person.first_name, person.middle_name) if p)
        entry_model.objects.create(
            actor=None,
            actor_name="система",
            action="update",
            model="org.Person",
            object_pk=str(person.pk),
            object_repr=(name or person.username)[:300],
            before={"is_staff": False},
            after={"is_staff": True},
            reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_directory_key"),
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [migrations.RunPython(open_the_admin, migrations.RunPython.noop)]
