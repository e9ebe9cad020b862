"""The CLI contracts: otklik classifier train|predict, otklik moderate, otklik analyze (JSON Lines, id echoed,
a bad line gives an error object in Russian and the run goes on)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command

from otklik.analysis.routing import route, topics_to_route
from otklik.org.models import Municipality, Settlement


def run(
    argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, *, utility: bool = True
) -> list[dict[str, Any]]:
    """Run `otklik ARGV` with stdin and stdout replaced. ``utility=False`` goes through call_command: the
    command line (ManagementUtility) closes the database connections at the end, which ends the test's
    transaction on PostgreSQL, so a test that reads the database afterwards uses call_command."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    if utility:
        ManagementUtility(["otklik", *argv]).execute()
    else:
        call_command(*argv, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def jsonl(*objects: Any) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objects) + "\n"


def test_moderate_echoes_ids_and_reports_bad_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(
        ["moderate"],
        jsonl(
            {"id": "a", "text": "Глава района — мразь"},
            "{не json",
            {"id": 7, "text": "Просим починить фонарь у школы"},
            {"id": 8},
            "",
            {"id": "b", "text": "Опять бл@ть трубу прорвало"},
        ),
        monkeypatch,
    )
    assert [o["id"] for o in out] == ["a", None, 7, 8, "b"]
    assert out[0]["blocked"] is True and out[0]["reasons"][0]["text"] == "мразь"
    assert out[1]["line"] == 2 and "не JSON" in out[1]["error"]
    assert out[2] == {"id": 7, "blocked": False, "reasons": [], "score": out[2]["score"]}
    assert "text" in out[3]["error"] and out[3]["line"] == 4
    assert out[4]["blocked"] is True and out[4]["reasons"][0]["kind"] == "obscene"


def _training_lines() -> list[dict[str, Any]]:
    roads = [
        "яма на дороге",
        "разбитый асфальт",
        "нет разметки на трассе",
        "ямы во дворе",
        "дорогу не ремонтируют",
    ]
    water = [
        "нет горячей воды",
        "ржавая вода из крана",
        "прорвало трубу",
        "нет холодной воды",
        "слабый напор воды",
    ]
    trash = [
        "не вывозят мусор",
        "переполнены баки",
        "свалка в лесу",
        "мусор у контейнеров",
        "мусоровоз не приехал",
    ]
    lines: list[dict[str, Any]] = []
    for n, (label, phrases) in enumerate((("дороги", roads), ("вода", water), ("мусор", trash))):
        for i, phrase in enumerate(phrases):
            for place in ("в Гатчине", "у нас во дворе", "на улице Ленина", "третий день"):
                lines.append({"id": f"{n}-{i}-{place}", "text": f"{phrase} {place}", "kind": label})
    return lines


def test_classifier_train_then_predict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(jsonl(*_training_lines(), "сломано", {"id": "x", "text": "без метки"}), encoding="utf-8")
    model = tmp_path / "model"
    summary = run(
        ["classifier", "train", "--input", str(data), "--label", "kind", "--out", str(model)], "", monkeypatch
    )
    assert [o["line"] for o in summary if "error" in o] == [61, 62]
    assert "метки «kind»" in summary[-2]["error"]
    assert summary[-1]["examples"] == 60 and summary[-1]["labels"] == 3
    assert (model / "weights.npz").is_file()

    out = run(
        ["classifier", "predict", "--model", str(model)],
        jsonl(
            {"id": 1, "text": "Огромная яма на дороге возле школы"},
            {"id": 2, "text": "Из крана течёт ржавая вода"},
            "[1, 2]",
            {"id": 3, "text": "Мусор не вывозят неделю, баки переполнены"},
        ),
        monkeypatch,
    )
    assert [o["id"] for o in out] == [1, 2, None, 3]
    assert [out[0]["label"], out[1]["label"], out[3]["label"]] == ["дороги", "вода", "мусор"]
    assert "ожидается объект" in out[2]["error"]
    for o in (out[0], out[1], out[3]):
        assert o["confidence"] == o["top"][0][1]
        assert [label for label, _ in o["top"]] and len(o["top"]) == 3
        assert abs(sum(p for _, p in o["top"]) - 1.0) < 1e-3
        assert o["top"][0][1] >= o["top"][1][1] >= o["top"][2][1]


def test_classifier_train_with_a_fine_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _training_lines()
    for n, line in enumerate(lines):
        line["sub"] = f"{line['kind']}-{n % 2}"
    lines[0] = {"id": "no-sub", "text": "яма", "kind": "дороги"}
    data = tmp_path / "train.jsonl"
    data.write_text(jsonl(*lines), encoding="utf-8")
    model = tmp_path / "model"
    summary = run(
        [
            "classifier",
            "train",
            "--input",
            str(data),
            "--label",
            "kind",
            "--fine",
            "sub",
            "--out",
            str(model),
        ],
        "",
        monkeypatch,
    )
    assert summary[0]["line"] == 1 and "метки «sub»" in summary[0]["error"]
    assert summary[-1]["examples"] == 59 and summary[-1]["labels"] == 3
    out = run(
        ["classifier", "predict", "--model", str(model)],
        jsonl({"id": 1, "text": "Из крана течёт ржавая вода"}),
        monkeypatch,
    )
    assert out[0]["label"] == out[0]["top"][0][0] == "вода"


def test_analyze_works_without_a_loaded_directory(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh install: migrated, directory not loaded — the shipped models and the shipped gazetteer work.
    assert not Municipality.objects.exists()
    out = run(
        ["analyze"], jsonl({"id": 1, "text": "Во Всеволожске третий день нет горячей воды"}), monkeypatch
    )
    assert out[0]["municipality"] == "Всеволожский муниципальный район"
    assert out[0]["settlement"] == "Всеволожск" and out[0]["settlement_id"] is None
    assert out[0]["topic"] == "Отсутствие горячей воды" and out[0]["topic_group"] == "ЖКХ"
    assert out[0]["bodies"] == []


def test_analyze_gives_the_whole_annotation(directory: None, monkeypatch: pytest.MonkeyPatch) -> None:
    tosno = Municipality.objects.get(name="Тосненский муниципальный район")
    gatchina = Municipality.objects.get(name="Гатчинский муниципальный район")
    out = run(
        ["analyze"],
        jsonl(
            {
                "id": "m1",
                "text": "В Гатчине третий день нет горячей воды во всём доме, дети моются в тазике",
                "author": "u1",
            },
            {"id": "m2", "text": "Глава района — мразь, бл@ть"},
            "oops",
            {"id": "m3", "text": "Когда починят фонари у школы?", "municipality": tosno.name},
            {
                "id": "m4",
                "text": "В Гатчине уже третий день нет горячей воды во всём доме, дети моются в тазике!!!",
            },
        ),
        monkeypatch,
        utility=False,
    )
    assert [o["id"] for o in out] == ["m1", "m2", None, "m3", "m4"]
    first = out[0]
    assert first["blocked"] is False and first["moderation"]["blocked"] is False
    assert first["topic"] == "Отсутствие горячей воды" and first["topic_group"] == "ЖКХ"
    assert len(first["topics"]) == 3
    assert first["settlement"] == "Гатчина"
    assert first["settlement_id"] == Settlement.objects.get(name="Гатчина").pk
    assert first["municipality"] == "Гатчинский муниципальный район"
    assert first["importance"]["level"] == "high" and first["importance"]["reasons"]
    expected = route(topics_to_route([(t["topic"], t["probability"]) for t in first["topics"]]), gatchina.pk)
    assert [b["body_id"] for b in first["bodies"]] == [b.body_id for b in expected] != []
    assert first["repeats"] == []
    assert out[1]["blocked"] is True and {r["kind"] for r in out[1]["moderation"]["reasons"]} >= {
        "insult",
        "obscene",
    }
    assert "не JSON" in out[2]["error"]
    assert (out[3]["municipality_id"], out[3]["place"]["source"]) == (tosno.pk, "source")
    assert out[4]["repeats"][0]["id"] == "m1" and out[4]["repeats"][0]["similarity"] >= 0.75
