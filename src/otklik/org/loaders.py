"""Loading the starting directory (bodies, municipalities, settlements, topics, competences). Idempotent: loading
it again adds only the lines of the data the database has never had.

Each municipal formation, settlement and body loaded keeps the key of its line in the data (`directory_key`: the
`id` of `municipal_formations.csv`, the `key` of a body in `directory.json`) and is found by it on the next load,
never by its name, so what the administrator changed since — renamed (the 2024 reform made districts municipal
okrugs), switched off, moved — stays as she left it and is not loaded a second time beside it. A row loaded before the
keys and renamed before it got one (migration org 0005 recognises what it can) is recognised here by the same rules
(`_recognise_renamed`), never guessed."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from django.db import transaction

from .gazetteer import municipality_forms, name_forms
from .models import Body, Competence, Municipality, Settlement, Topic, TopicGroup

log = logging.getLogger(__name__)
Keyed = TypeVar("Keyed", Municipality, Settlement, Body)


def _data(name: str) -> Any:
    text = resources.files("otklik.org").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


def administration_name(municipality_name: str) -> str:
    """«Гатчинский муниципальный район» → «Администрация Гатчинского муниципального района»."""
    genitive = municipality_name.replace("ский муниципальный район", "ского муниципального района").replace(
        "ский городской округ", "ского городского округа"
    )
    return f"Администрация {genitive}"


@dataclass
class LoadReport:
    municipalities: int = 0
    settlements: int = 0
    topic_groups: int = 0
    topics: int = 0
    bodies: int = 0
    competences: int = 0


# The keys of the rows that have no key column of their own in the data.
COORDINATOR_KEY = "@coordinator"


def settlement_key(municipality_key: str, name: str) -> str:
    """A settlement's key: its district's line and its name in `directory.json` (names are unique there)."""
    return f"{municipality_key}/{name}"


def administration_key(municipality_key: str) -> str:
    """The key of the administration loaded for a municipal formation's line."""
    return f"@municipal/{municipality_key}"


def _keyed(
    model: type[Keyed], key: str, named: dict[str, Any], defaults: dict[str, Any]
) -> tuple[Keyed | None, bool]:
    """The row loaded from the data's line `key`, or a row not loaded from the data yet under the line's own name
    (`named`: a directory loaded before the keys, or a row the administrator entered by hand before the first load),
    which takes the key; else a new row. None (logged) when the name is held by a row loaded from another line: the
    administrator gave one row another's name, and a second row of that name cannot be made."""
    row = model.objects.filter(directory_key=key).first()
    if row is not None:
        return row, False
    unique = {"name": named["name"]} if model is not Settlement else named
    holder = model.objects.filter(**unique).first()
    if holder is not None and not holder.directory_key:
        holder.directory_key = key
        holder.save(update_fields=["directory_key"])
        return holder, False
    if holder is not None:
        log.warning(
            "directory: %s «%s» (line %s of the starting directory) is not loaded: the name is held by the row of"
            " line %s, renamed by hand",
            model._meta.verbose_name,
            named["name"],
            key,
            holder.directory_key,
        )
        return None, False
    return model.objects.create(directory_key=key, **named, **defaults), True


@dataclass(frozen=True)
class _Line:
    """A line of the data as `_recognise_renamed` places it: its key, how `_keyed` finds its row by name (`name`: the
    row's `_name_of`), whether a row can be its at all (kind, formation, level: `fits`), and a body's short name."""

    key: str
    name: Hashable
    fits: Callable[[Any], bool]
    short_name: str = ""


def _body_name(row: Body) -> Hashable:
    return row.name


def _settlement_name(row: Settlement) -> Hashable:
    return (row.municipality_id, row.name, row.kind)


def _recognise_renamed(model: type[Keyed], lines: list[_Line], name_of: Callable[[Any], Hashable]) -> None:
    """Give its line's key to a row loaded before the keys and renamed before it got one (migration org 0005 found
    it by none of its rules, or ran before it had these), so that the load does not put a second one beside it.
    `lines` in the order every version of `load_directory` created their rows (the data's order). A line whose key
    and name match no row is recognised only surely, and else loaded as before (docs/operations.md):

    - an oblast body by its short name, unchanged since it was loaded, held by one unkeyed oblast body only, which lies
      where the loader made it: between the rows of the nearest lines before and after it that are found;
    - any body or settlement by its place: the loader made the rows of a run of consecutive lines one after the other
      in one transaction, so when the rows between those of the lines around the run are exactly as many as the run,
      none keyed, each of its line's kind (a settlement: its formation and kind; a body: the coordinator, an oblast
      body, or the administration of its formation), they are the run's rows in order.
    """
    keyed = dict(model.objects.exclude(directory_key="").values_list("directory_key", "pk"))
    unkeyed = {name_of(row): row.pk for row in model.objects.filter(directory_key="")}
    placed = {line.key: keyed.get(line.key) or unkeyed.get(line.name) for line in lines}
    if all(placed.values()):
        return

    def give(row: Any, line: _Line, how: str) -> None:
        row.directory_key = line.key
        row.save(update_fields=["directory_key"])
        placed[line.key] = row.pk
        log.info(
            "directory: %s «%s» (pk %s) recognised as line %s %s",
            model._meta.verbose_name,
            row,
            row.pk,
            line.key,
            how,
        )

    def free(row: Any) -> bool:
        """Neither keyed nor found by name for another line."""
        return not row.directory_key and row.pk not in placed.values()

    def around(i: int) -> tuple[int, int] | None:
        before = next((placed[x.key] for x in reversed(lines[:i]) if placed[x.key]), None)
        after = next((placed[x.key] for x in lines[i + 1 :] if placed[x.key]), None)
        return None if before is None or after is None else (before, after)

    for i, line in enumerate(lines):
        if line.short_name and not placed[line.key]:
            found = list(
                Body.objects.filter(directory_key="", short_name=line.short_name)[:2]
            )  # a body's line
            bounds = around(i)
            if (
                len(found) == 1
                and free(found[0])
                and line.fits(found[0])
                and bounds
                and bounds[0] < found[0].pk < bounds[1]
            ):
                give(found[0], line, f"by its short name «{line.short_name}»")
    i = 0
    while i < len(lines):
        if placed[lines[i].key]:
            i += 1
            continue
        j = i
        while j < len(lines) and not placed[lines[j].key]:
            j += 1
        run = lines[i:j]
        if i > 0 and j < len(lines):
            low, high = placed[lines[i - 1].key], placed[lines[j].key]
            between = list(model.objects.filter(pk__gt=low, pk__lt=high).order_by("pk")[: len(run) + 1])
            if len(between) == len(run) and all(
                free(row) and line.fits(row) for row, line in zip(between, run, strict=True)
            ):
                for row, line in zip(between, run, strict=True):
                    give(row, line, f"by its place between lines {lines[i - 1].key} and {lines[j].key}")
            elif between:
                log.warning(
                    "directory: lines %s match no %s by key or name, and the rows between those of lines %s and %s"
                    " (pk %s) cannot surely be theirs: loaded as new rows",
                    ", ".join(line.key for line in run),
                    model._meta.verbose_name,
                    lines[i - 1].key,
                    lines[j].key,
                    ", ".join(str(row.pk) for row in between),
                )
        i = j


def _keys_by_name() -> tuple[dict[str, str], dict[str, str]]:
    """The starting directory's keys by the data's own names: of the bodies (the coordinator, the oblast bodies,
    the administrations) and of the municipal formations."""
    directory = _data("directory.json")
    bodies = {directory["coordinator"]["name"]: COORDINATOR_KEY}
    bodies.update({item["name"]: item["key"] for item in directory["oblast_bodies"]})
    places: dict[str, str] = {}
    for line in csv.DictReader(_data("municipal_formations.csv").splitlines()):
        places[line["name"]] = line["id"]
        bodies[administration_name(line["name"])] = administration_key(line["id"])
    return bodies, places


def loaded_body(name: str) -> Body:
    """The body the starting directory loaded under the data's name `name`, whatever the administrator has renamed
    it to since (by its `directory_key`); `Body.DoesNotExist` when it was never loaded (or deleted)."""
    key = _keys_by_name()[0].get(name)
    if key is None:
        raise Body.DoesNotExist(f"no body named {name!r} in the starting directory")
    return Body.objects.get(directory_key=key)


def loaded_municipality(name: str) -> Municipality | None:
    """The municipal formation the starting directory loaded under the data's name `name` (renamed or not)."""
    key = _keys_by_name()[1].get(name)
    return None if key is None else Municipality.objects.filter(directory_key=key).first()


def _in_formation(m: Municipality | None, kind: str) -> Callable[[Any], bool]:
    """Whether a row can be a settlement's line: of its formation (one loaded) and its kind."""
    return lambda row: m is not None and row.municipality_id == m.pk and row.kind == kind


def _administration_of(m: Municipality) -> Callable[[Any], bool]:
    """Whether a row can be the line of a formation's administration: a municipal body of that formation."""
    return lambda row: row.level == Body.Level.MUNICIPAL and row.municipality_id == m.pk


def _settlement_lines(
    directory: dict[str, Any], municipalities: dict[str, tuple[str, Municipality]]
) -> list[_Line]:
    """The settlements' lines in the order the loader creates them; those of a formation not loaded fit no row."""
    lines = []
    for m_name, items in directory["settlements"].items():
        m_key, m = municipalities.get(m_name, ("", None))
        for kind, name in items:
            lines.append(
                _Line(
                    settlement_key(m_key, name) if m is not None else f"?{m_name}/{name}",
                    (m.pk if m is not None else None, name, kind),
                    _in_formation(m, kind),
                )
            )
    return lines


def _body_lines(
    directory: dict[str, Any], municipalities: dict[str, tuple[str, Municipality]]
) -> list[_Line]:
    """The bodies' lines in the order the loader creates them: the coordinator, the oblast bodies, the formations'
    administrations."""
    coordinator = directory["coordinator"]
    lines = [_Line(COORDINATOR_KEY, coordinator["name"], lambda row: row.is_coordinator)]
    lines += [
        _Line(
            item["key"],
            item["name"],
            lambda row: row.level == Body.Level.OBLAST and not row.is_coordinator,
            item["short_name"],
        )
        for item in directory["oblast_bodies"]
    ]
    for m_name, (m_key, m) in municipalities.items():
        lines.append(
            _Line(
                administration_key(m_key),
                administration_name(m_name),
                _administration_of(m),
            )
        )
    return lines


@transaction.atomic
def load_directory() -> LoadReport:
    report = LoadReport()
    directory = _data("directory.json")

    municipalities: dict[str, tuple[str, Municipality]] = {}  # the data's name → (key, row)
    for line in csv.DictReader(_data("municipal_formations.csv").splitlines()):
        name = line["name"]
        kind = Municipality.Kind.CITY_DISTRICT if "городской округ" in name else Municipality.Kind.DISTRICT
        m, created = _keyed(
            Municipality,
            line["id"],
            {"name": name},
            {
                "kind": kind,
                "admin_center": line["admin_center"],
                "population": int(line["population"]) if line["population"] else None,
                "name_forms": municipality_forms(name),
            },
        )
        report.municipalities += created
        if m is not None:
            municipalities[name] = (line["id"], m)

    _recognise_renamed(Settlement, _settlement_lines(directory, municipalities), _settlement_name)
    for m_name, items in directory["settlements"].items():
        if m_name not in municipalities:
            continue
        m_key, m = municipalities[m_name]
        for kind, name in items:
            _, created = _keyed(
                Settlement,
                settlement_key(m_key, name),
                {"municipality": m, "name": name, "kind": kind},
                {"name_forms": name_forms(name)},
            )
            report.settlements += created

    id2label = _data("taxonomy_cur_id2label.json")
    codes = {label: code for code, label in id2label.items()}
    groups: dict[str, TopicGroup] = {}
    for topic_name, group_name in _data("taxonomy_cur_topic2group.json").items():
        if group_name not in groups:
            groups[group_name], created = TopicGroup.objects.get_or_create(name=group_name)
            report.topic_groups += created
        _, created = Topic.objects.get_or_create(
            group=groups[group_name], name=topic_name, defaults={"code": codes.get(topic_name, "")}
        )
        report.topics += created

    _recognise_renamed(Body, _body_lines(directory, municipalities), _body_name)
    coordinator, created = _keyed(
        Body,
        COORDINATOR_KEY,
        {"name": directory["coordinator"]["name"]},
        {
            "short_name": directory["coordinator"]["short_name"],
            "is_coordinator": True,
            "to_verify": False,
        },
    )
    report.bodies += created
    bodies: dict[str, Body] = {COORDINATOR_KEY: coordinator} if coordinator is not None else {}
    unloaded: set[str] = set() if coordinator is not None else {COORDINATOR_KEY}
    for item in directory["oblast_bodies"]:
        body, created = _keyed(
            Body, item["key"], {"name": item["name"]}, {"short_name": item["short_name"], "to_verify": True}
        )
        report.bodies += created
        if body is not None:
            bodies[item["key"]] = body
        else:
            unloaded.add(item["key"])
    administrations: dict[int, Body] = {}
    for m_name, (m_key, m) in municipalities.items():
        # found by its formation's line: a formation renamed since keeps the administration loaded for it
        name = administration_name(m_name)
        body, created = _keyed(
            Body,
            administration_key(m_key),
            {"name": name},
            {
                "level": Body.Level.MUNICIPAL,
                "municipality": m,
                "to_verify": True,
                "short_name": name.replace(" муниципального района", " р-на"),
            },
        )
        report.bodies += created
        if body is not None:
            administrations[m.pk] = body

    # The matrix is only seeded into an empty table: once curators edit it, their choices stand.
    if not Competence.objects.exists():
        for group_name, keys in directory["competence_by_group"].items():
            for topic in Topic.objects.filter(group__name=group_name):
                for key in keys:
                    if key == "@municipal":
                        for m_pk, admin in administrations.items():
                            Competence.objects.create(topic=topic, body=admin, municipality_id=m_pk)
                            report.competences += 1
                    elif key not in unloaded:
                        Competence.objects.create(topic=topic, body=bodies[key])
                        report.competences += 1
    return report
