"""Loading the starting directory (bodies, municipalities, settlements, topics, competences). Idempotent."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction

from .gazetteer import municipality_forms, name_forms
from .models import Body, Competence, Municipality, Settlement, Topic, TopicGroup


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


@transaction.atomic
def load_directory() -> LoadReport:
    report = LoadReport()
    directory = _data("directory.json")

    municipalities: dict[str, Municipality] = {}
    for row in csv.DictReader(_data("municipal_formations.csv").splitlines()):
        name = row["name"]
        kind = Municipality.Kind.CITY_DISTRICT if "городской округ" in name else Municipality.Kind.DISTRICT
        m, created = Municipality.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "admin_center": row["admin_center"],
                "population": int(row["population"]) if row["population"] else None,
                "name_forms": municipality_forms(name),
            },
        )
        report.municipalities += created
        municipalities[name] = m

    for m_name, items in directory["settlements"].items():
        for kind, name in items:
            _, created = Settlement.objects.get_or_create(
                municipality=municipalities[m_name],
                name=name,
                kind=kind,
                defaults={"name_forms": name_forms(name)},
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

    coordinator, created = Body.objects.get_or_create(
        name=directory["coordinator"]["name"],
        defaults={
            "short_name": directory["coordinator"]["short_name"],
            "is_coordinator": True,
            "to_verify": False,
        },
    )
    report.bodies += created
    bodies: dict[str, Body] = {"@coordinator": coordinator}
    for item in directory["oblast_bodies"]:
        body, created = Body.objects.get_or_create(
            name=item["name"], defaults={"short_name": item["short_name"], "to_verify": True}
        )
        report.bodies += created
        bodies[item["key"]] = body
    administrations: dict[int, Body] = {}
    for m in municipalities.values():
        body, created = Body.objects.get_or_create(
            name=administration_name(m.name),
            defaults={
                "level": Body.Level.MUNICIPAL,
                "municipality": m,
                "to_verify": True,
                "short_name": administration_name(m.name).replace(" муниципального района", " р-на"),
            },
        )
        report.bodies += created
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
                    else:
                        Competence.objects.create(topic=topic, body=bodies[key])
                        report.competences += 1
    return report
