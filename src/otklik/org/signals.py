"""The administrator's role opens Django's admin (R-6 roles; docs/operations.md § First day): a person given the
role «администратор» gets «статус персонала» (`is_staff`, the admin's door; what is inside follows from the role,
`Person.has_perm`), and loses it with the role's last row. Saved through the person's own row, so the audit log
records who gave or took it and when, as every change of a card."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from .models import Person, Role

logger = logging.getLogger(__name__)


def _remember(sender: type[Role], instance: Role, raw: bool = False, **kwargs: Any) -> None:
    """The row as stored before this save: an administrator's role moved to another person or made another kind
    is taken from its earlier holder."""
    instance._admin_before = None  # type: ignore[attr-defined]
    if raw or instance.pk is None:
        return
    before = Role.objects.filter(pk=instance.pk).values_list("person_id", "kind").first()
    if before is not None and before[1] == Role.Kind.ADMINISTRATOR:
        instance._admin_before = before[0]  # type: ignore[attr-defined]


def _saved(sender: type[Role], instance: Role, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    earlier = getattr(instance, "_admin_before", None)
    if instance.kind == Role.Kind.ADMINISTRATOR:
        give_admin_access(instance.person)
        if earlier is not None and earlier != instance.person_id:
            _take_from(earlier)
    elif earlier is not None:
        _take_from(earlier)


def _deleted(sender: type[Role], instance: Role, origin: Any = None, **kwargs: Any) -> None:
    if instance.kind != Role.Kind.ADMINISTRATOR:
        return
    if isinstance(origin, Person):  # the person is being deleted with their roles: nothing to take away
        return
    _take_from(instance.person_id)


def give_admin_access(person: Person) -> None:
    """«Статус персонала» for a holder of the administrator's role (written once: a second row gives nothing)."""
    person.__dict__.pop("_role_kinds", None)  # the role checks cached on this instance are read again
    # the row decides, not this copy: a form saving the person's roles may have taken it off (an administrator's
    # role deleted and added again in one save) after the copy was read
    if Person.objects.filter(pk=person.pk, is_staff=True).exists():
        person.is_staff = True
        return
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    logger.info("person %s: admin access given with the administrator's role", person.pk)


def _take_from(person_id: int) -> None:
    person = Person.objects.filter(pk=person_id).first()
    if person is not None:
        take_admin_access(person)


def take_admin_access(person: Person) -> None:
    """«Статус персонала» taken off once the person holds no administrator's role — unless it is Django's own: a
    superuser's (createsuperuser's account) or that of a person given permissions in the admin by hand, which are
    the administrators' to change there."""
    if not person.is_staff or person.roles.filter(kind=Role.Kind.ADMINISTRATOR).exists():
        return
    if person.is_superuser or person.user_permissions.exists() or person.groups.exists():
        logger.info(
            "person %s: the administrator's role taken off; admin access kept (superuser or own permissions)",
            person.pk,
        )
        return
    person.is_staff = False
    person.save(update_fields=["is_staff"])
    logger.info("person %s: admin access taken off with the administrator's role", person.pk)


def connect() -> None:
    pre_save.connect(_remember, sender=Role, dispatch_uid="org.admin_access.remember")
    post_save.connect(_saved, sender=Role, dispatch_uid="org.admin_access.saved")
    post_delete.connect(_deleted, sender=Role, dispatch_uid="org.admin_access.deleted")
