"""A role of no body (curator, observer, administrator) held twice by one person: `role_unique` let it in, since
NULL bodies differ. The copies are removed, each written in the audit log by «система» (the person keeps the role,
once), and the database refuses a second copy from now on."""

from typing import Any

from django.db import migrations, models

REASON = "обновление: роль без органа была внесена сотруднику дважды, лишняя запись удалена"


def drop_copies(apps: Any, schema_editor: Any) -> None:
    role_model = apps.get_model("org", "Role")
    entry_model = apps.get_model("audit", "AuditEntry")
    labels = dict(role_model._meta.get_field("kind").choices)
    seen: set[tuple[int, str]] = set()
    for role in role_model.objects.filter(body__isnull=True).select_related("person").order_by("id"):
        key = (role.person_id, role.kind)
        if key not in seen:
            seen.add(key)
            continue
        person = role.person
        name = " ".join(p for p in (person.last_name, person.first_name, person.middle_name) if p)
        entry_model.objects.create(
            actor=None,
            actor_name="система",
            action="delete",
            model="org.Role",
            object_pk=str(role.pk),
            object_repr=f"{name or person.username}: {labels.get(role.kind, role.kind)}"[:300],
            before={"person": role.person_id, "kind": role.kind, "body": None},
            after=None,
            reason=REASON,
        )
        role.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_administrators_open_the_admin"),
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(drop_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", True)),
                fields=("person", "kind"),
                name="role_unique_without_body",
                violation_error_message="У сотрудника уже есть эта роль.",
            ),
        ),
    ]
