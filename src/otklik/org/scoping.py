"""What a signed-in person may see and change in the directory. One place, used by every view."""

from __future__ import annotations

from django.db.models import QuerySet

from .duty import WORKING_ROLES, substitute_candidates
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


def can_record_absences(user: Person) -> bool:
    """Administrators, responsible officials (their body's staff) and executors (their own) record absences
    (R-6); a curator or an observer without such a role changes nothing here."""
    return user.has_role(Role.Kind.ADMINISTRATOR, Role.Kind.RESPONSIBLE, Role.Kind.EXECUTOR)


def people_for_absence(user: Person) -> QuerySet[Person]:
    """Whose absences `user` may record: everybody's for administrators, their bodies' people and their own for
    responsible officials, their own for executors, nobody's for anyone else."""
    if not can_record_absences(user):
        return Person.objects.none()
    return editable_people(user)


def substitutes_for_absence(user: Person) -> QuerySet[Person]:
    """Who may be offered as a substitute on `user`'s absence form: the executors and responsible officials of
    the bodies whose people `user` records absences for (the server checks the absent person's body again)."""
    people = people_for_absence(user)
    body_ids = {b for b in people.values_list("body_id", flat=True) if b}
    # A person who works for two bodies may be substituted by a colleague of either.
    body_ids |= {
        b
        for b in Role.objects.filter(person__in=people, kind__in=WORKING_ROLES).values_list(
            "body_id", flat=True
        )
        if b
    }
    # a curator's absence: another curator approves in her place
    curators = people.filter(roles__kind=Role.Kind.CURATOR).exists()
    return substitute_candidates(body_ids, curators=curators)
