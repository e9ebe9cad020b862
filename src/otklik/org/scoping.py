"""What a signed-in person may see and change in the directory. One place, used by every view."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Absence, Person, Role


def can_edit_directory(user: Person) -> bool:
    """Administrators edit the whole directory; curators route, so they edit competences and accounts."""
    return user.is_administrator


def can_edit_routing(user: Person) -> bool:
    return user.has_role(Role.Kind.ADMINISTRATOR, Role.Kind.CURATOR)


def editable_people(user: Person) -> QuerySet[Person]:
    """People whose card `user` may open for editing: all for administrators, their bodies' for
    responsible officials, themselves for everybody else. Others are invisible (404)."""
    if user.is_administrator:
        return Person.objects.all()
    body_ids = user.responsible_body_ids()
    return Person.objects.filter(pk=user.pk) | Person.objects.filter(body_id__in=body_ids)


def can_change_person(user: Person, person: Person) -> bool:
    if user.is_administrator:
        return True
    return person.body_id is not None and person.body_id in user.responsible_body_ids()


def visible_absences(user: Person) -> QuerySet[Absence]:
    qs = Absence.objects.select_related("person", "person__body", "substitute")
    if user.has_role(Role.Kind.ADMINISTRATOR, Role.Kind.CURATOR, Role.Kind.OBSERVER):
        return qs
    body_ids = set(user.roles.exclude(body=None).values_list("body_id", flat=True))
    if user.body_id:
        body_ids.add(user.body_id)
    return qs.filter(person__body_id__in=body_ids) | qs.filter(person=user)


def people_for_absence(user: Person) -> QuerySet[Person]:
    """Whose absences `user` may record: their own, and their bodies' people for responsible officials."""
    return editable_people(user)
