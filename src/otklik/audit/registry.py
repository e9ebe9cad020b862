"""Which models are audited, and the signal handlers that write the rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .context import current_actor, current_reason

# Values never copied into the log (still recorded as "changed").
SECRET_FIELDS = {"password"}
MASK = "••••••"
CHANGED_MASK = "•••••• (изменён)"
LOGIN_ONLY = frozenset({"last_login"})
# Keys of a settings JSON (`track(..., secret_json=…)`) whose values are credentials: a source's «token»,
# «secret_key», «api_key», «oauth_token», «callback_secret», «webhook_secret»… A value «env:NAME» only names the
# environment variable the worker reads it from and is logged as it is.
SECRET_KEY = re.compile(r"token|secret|password|passwd|api_?key|private|credential", re.IGNORECASE)

_tracked: list[type[models.Model]] = []
_secret_json: dict[type[models.Model], frozenset[str]] = {}

Path = tuple[str | int, ...]


def _is_secret_value(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value) and not value.startswith("env:")
    return value is not None and value != {} and value != []


def _json_secrets(value: Any, path: Path = ()) -> dict[Path, Any]:
    """The credentials in a settings JSON: path of keys → value."""
    found: dict[Path, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if SECRET_KEY.search(str(key)):
                if _is_secret_value(item):  # masked whole, whatever it holds
                    found[(*path, key)] = item
            else:
                found.update(_json_secrets(item, (*path, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.update(_json_secrets(item, (*path, i)))
    return found


def _put(value: Any, path: Path, replacement: Any) -> Any:
    """`value` with the item at `path` replaced (a copy of the containers on the way)."""
    if not path:
        return replacement
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _put(value[head], rest, replacement)}
    copy = list(value)
    copy[int(head)] = _put(copy[int(head)], rest, replacement)
    return copy


def _masked_json(value: Any) -> Any:
    for path in _json_secrets(value):
        value = _put(value, path, MASK)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    secret_json = _secret_json.get(type(instance), frozenset())
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if field.name in SECRET_FIELDS:
            value = MASK if value else ""
        elif field.name in secret_json:
            value = _masked_json(value)
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        elif isinstance(value, (date, time)):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = field.value_to_string(instance)
        data[field.name] = value
    for m2m in instance._meta.many_to_many:
        if instance.pk is not None:
            data[m2m.name] = sorted(
                str(pk) for pk in getattr(instance, m2m.name).values_list("pk", flat=True)
            )
    return data


def _write(action: str, instance: models.Model, before: Any, after: Any) -> None:
    from .models import AuditEntry

    actor = current_actor()
    AuditEntry.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor is not None else "система",
        action=action,
        model=instance._meta.label,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
        reason=current_reason()[:300],
    )


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]
    instance._audit_secrets = _secrets(old) if old is not None else {}  # type: ignore[attr-defined]


def _secrets(instance: models.Model) -> dict[Any, Any]:
    """The values the log masks: a password field by its name, a credential in a settings JSON by
    (field name, path of keys)."""
    found: dict[Any, Any] = {
        f.name: f.value_from_object(instance)
        for f in instance._meta.concrete_fields
        if f.name in SECRET_FIELDS
    }
    for name in _secret_json.get(type(instance), frozenset()):
        for path, value in _json_secrets(getattr(instance, name)).items():
            found[(name, path)] = value
    return found


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if kwargs.get("update_fields") == LOGIN_ONLY:
        return  # a sign-in (Django's `update_last_login`) is no change of the card; sign-ins are in the server log
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    old_secrets = getattr(instance, "_audit_secrets", {})
    for name, value in _secrets(instance).items():
        if name in old_secrets and old_secrets[name] != value:
            if isinstance(name, tuple):  # a credential in a settings JSON: marked at its key
                field, path = name
                after[field] = _put(after[field], path, CHANGED_MASK)
            else:
                after[name] = CHANGED_MASK
    if created or before is None:
        _write("create", instance, None, after)
    elif before != after:
        _write("update", instance, before, after)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _write("delete", instance, snapshot(instance), None)


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """A many-to-many change (a person's groups or permissions, granted in the admin after the person's own row
    is saved) is a change of the tracked object: one "update" row with the field before and after."""
    stage, _, verb = action.partition("_")
    if reverse:  # e.g. group.user_set.add(person): the tracked objects are those on the other side
        field = next(f for f in model._meta.many_to_many if f.remote_field.through is sender)
        manager = model._default_manager
    else:
        field = next(f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender)
    if stage == "pre":
        if not reverse:
            targets = [instance]
        elif verb == "clear":
            targets = list(manager.filter(**{field.name: instance}))
        else:
            targets = list(manager.filter(pk__in=pk_set or ()))
        instance._audit_m2m_before = {t.pk: (t, snapshot(t)) for t in targets}  # type: ignore[attr-defined]
        return
    befores: dict[Any, tuple[models.Model, dict[str, Any]]] = (
        getattr(instance, "_audit_m2m_before", None) or {}
    )
    instance._audit_m2m_before = None  # type: ignore[attr-defined]
    for target, before in befores.values():
        after = snapshot(target)
        if before.get(field.name) != after.get(field.name):
            _write(
                "update", target, {field.name: before.get(field.name)}, {field.name: after.get(field.name)}
            )


def track(model: type[models.Model], secret_json: tuple[str, ...] = ()) -> type[models.Model]:
    """Audit every create, update and delete of `model`, and changes of its many-to-many fields (usable as a
    class decorator). `secret_json` names JSON fields of settings whose credentials (`SECRET_KEY`) are masked in
    the log as passwords are: «••••••», «•••••• (изменён)» when a new one replaced it."""
    uid = f"audit:{model._meta.label}"
    if secret_json:
        _secret_json[model] = frozenset(secret_json)
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + ":pre")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + ":post")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + ":del")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}:m2m:{field.name}")
    _tracked.append(model)
    return model


def tracked_models() -> list[type[models.Model]]:
    return list(_tracked)
