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
    return not person_change_refusal(user, person)


def person_change_refusal(user: Person, person: Person) -> str:
    """Why `user` may not change `person`'s card (switch the account off, re-address its mail), in Russian; ""
    when they may. R-6: administrators change every card; a body's responsible official changes the cards of the
    body's own staff — its executors and responsible officials holding no role beyond the body's — and her own. A
    card that names the body but belongs to an administrator, a curator, an observer, someone working for another
    body too or an account of the admin site is the administrators' to change."""
    if user.is_administrator:
        return ""
    bodies = user.responsible_body_ids()
    if person.body_id is None or person.body_id not in bodies:
        return "Изменять карточку может администратор или ответственное должностное лицо органа сотрудника."
    if person.pk == user.pk:
        return ""
    beyond = [
        str(role.get_kind_display()) + (f" ({role.body})" if role.body_id else "")
        for role in person.roles.select_related("body")
        if role.kind not in WORKING_ROLES or role.body_id not in bodies
    ]
    if person.is_superuser or person.is_staff:
        beyond.insert(0, "доступ к администрированию")
    if beyond:
        return (
            f"Карточку сотрудника {person} изменяет администратор: у сотрудника есть роли и права вне органа "
            f"({', '.join(beyond)}). Ответственное должностное лицо изменяет карточки исполнителей и ответственных "
            "должностных лиц своего органа."
        )
    return ""


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
