"""Audit log: a row for every directory change (who, when, what, before/after), and rows can never change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from otklik.audit.context import acting_as
from otklik.audit.models import AuditEntry, ImmutableAuditError
from otklik.org.models import (
    Absence,
    Body,
    Competence,
    Municipality,
    OfficialAccount,
    Role,
    Settlement,
    Topic,
    TopicGroup,
)
from tests.conftest import Personas, msk


def entries(obj: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=obj._meta.label, object_pk=str(obj.pk)).order_by("id"))  # type: ignore[attr-defined]


def test_every_directory_model_is_audited_on_create_update_delete(personas: Personas) -> None:
    with acting_as(personas.admin):
        m = Municipality.objects.create(name="Тосненский муниципальный район")
        s = Settlement.objects.create(municipality=m, name="Тосно", kind="город")
        g = TopicGroup.objects.create(name="Дороги")
        t = Topic.objects.create(group=g, name="Ямы на дорогах")
        b = Body.objects.create(name="Администрация Тосненского района", level="municipal", municipality=m)
        c = Competence.objects.create(topic=t, body=b, municipality=m)
        a = OfficialAccount.objects.create(
            body=b, network="vk", title="Тосно", url="https://vk.com/tosno_demo"
        )
        r = Role.objects.create(person=personas.bob, kind=Role.Kind.EXECUTOR, body=b)
        ab = Absence.objects.create(
            person=personas.bob,
            starts_at=msk(2025, 1, 9, 9, 0),
            ends_at=msk(2025, 1, 10, 9, 0),
            reason="training",
        )
        objects = [m, s, g, t, b, c, a, r, ab]
        for obj in objects:
            obj.save()  # no change: no row
        a.title = "Администрация Тосно"
        a.save()
        for obj in reversed(objects):
            pk = obj.pk
            obj.delete()
            obj.pk = pk

    for obj in objects:
        actions = [e.action for e in entries(obj)]
        expected = ["create", "update", "delete"] if obj is a else ["create", "delete"]
        assert actions == expected, obj
        assert all(e.actor == personas.admin for e in entries(obj))
    update = entries(a)[1]
    assert update.before["title"] == "Тосно"
    assert update.after["title"] == "Администрация Тосно"
    assert update.changed_fields() == [("title", "Тосно", "Администрация Тосно")]


def test_passwords_never_reach_the_log(personas: Personas) -> None:
    personas.bob.set_password("новый-пароль-2025")
    personas.bob.save()
    row = entries(personas.bob)[-1]
    assert row.action == "update"
    assert "новый-пароль" not in str(row.before) + str(row.after)
    assert row.before["password"] == "••••••"
    assert row.after["password"] == "•••••• (изменён)"


def test_a_sign_in_is_not_a_change_of_the_card(personas: Personas, client: Client) -> None:
    """R-6 audit: signing in writes the person's last sign-in time, which changes nothing anybody edited; the log
    keeps the directory's changes, not a row per sign-in. A real change of the card is still logged."""
    bob = personas.bob
    bob.set_password("пароль-для-входа-2025")
    bob.save()
    before = len(entries(bob))
    response = client.post("/login/", {"username": bob.username, "password": "пароль-для-входа-2025"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.last_login is not None
    assert len(entries(bob)) == before
    bob.phone = "+7 813 000-00-00"
    bob.save()
    assert entries(bob)[-1].after["phone"] == "+7 813 000-00-00"


def test_web_change_is_attributed_to_the_signed_in_user(personas: Personas, client: Client) -> None:
    client.force_login(personas.health_head)
    response = client.post(
        f"/directory/people/{personas.alice.pk}/edit/",
        {
            "last_name": "Алексеева-Смирнова",
            "first_name": "Тест",
            "middle_name": "",
            "position": "специалист",
            "email": "",
            "phone": "",
            "body": personas.health.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    row = entries(personas.alice)[-1]
    assert row.actor == personas.health_head
    assert row.before["last_name"] == "Алексеева"
    assert row.after["last_name"] == "Алексеева-Смирнова"
    assert row.reason.startswith("POST /directory/people/")


def test_rows_cannot_be_changed_or_deleted_through_the_orm(personas: Personas) -> None:
    row = AuditEntry.objects.first()
    assert row is not None
    row.reason = "подделка"
    with pytest.raises(ImmutableAuditError):
        row.save()
    with pytest.raises(ImmutableAuditError):
        row.delete()
    with pytest.raises(ImmutableAuditError):
        AuditEntry.objects.filter(pk=row.pk).update(reason="подделка")
    with pytest.raises(ImmutableAuditError):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_rows_cannot_be_changed_or_deleted_with_sql() -> None:
    with acting_as(None):
        TopicGroup.objects.create(name="Экология")
    count = AuditEntry.objects.count()
    assert count == 1
    for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get().reason == ""


def test_admin_offers_no_change_or_delete(personas: Personas, client: Client) -> None:
    personas.admin.is_staff = True
    personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    row = AuditEntry.objects.first()
    assert row is not None
    assert client.get(f"/admin/audit/auditentry/{row.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/audit/auditentry/{row.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.post(f"/admin/audit/auditentry/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    row.refresh_from_db()
    assert row.reason != "x"


def test_audit_page_is_for_administrators_only(personas: Personas, client: Client) -> None:
    client.force_login(personas.curator)
    assert client.get("/audit/").status_code == 403
    client.force_login(personas.admin)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "Журнал изменений" in page.content.decode()


def test_the_deadline_table_and_the_rating_weights_are_audited(personas: Personas) -> None:
    """R-8.3, R-13: who changed a working-time limit or a weight of the rating, and from what to what."""
    from decimal import Decimal

    from otklik.cases.policy import Policy
    from otklik.reports.models import RatingComponent
    from otklik.reports.rating import active_formula

    policy = Policy.objects.get(key="overall_normal")  # the rows the migration put in
    assert active_formula()  # the default formula, as the migration (reports 0005) writes it
    weight = RatingComponent.objects.get(metric="on_time")
    with acting_as(personas.admin):
        policy.value = 480
        policy.save()
        weight.weight = Decimal("2.5")
        weight.save()
    (changed,) = entries(policy)
    assert changed.action == "update" and changed.actor == personas.admin
    assert changed.before["value"] == 540 and changed.after["value"] == 480
    (reweighted,) = entries(weight)
    assert reweighted.action == "update" and Decimal(str(reweighted.after["weight"])) == Decimal("2.5")
