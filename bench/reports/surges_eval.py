"""Evaluate R-14 surge detection on real message times: the appeals of "Наш Санкт-Петербург" (Oct 2020 – Feb
2021, /work/shared/data/appeals-spb) as the background, key = category × district and (unless --topic-alpha 0)
topic × district, the ЦУР topic of the appeal's reason within its category, with injected bursts of known size
and start, about one topic (--mixed: the key's usual mix). Prints a Markdown section for docs/quality.md
("## Surges").

    .venv/bin/python bench/reports/surges_eval.py [--trials 200] [--seed 1] [--period all|tune|test] [--rows]
        [--same-text HOURS]

The default's figures (docs/quality.md) come from `--rows --same-text 1`: a filer's row of address-less appeals
and a filer's identical texts within the hour stand in for the author the portal masks.

The periods: `tune` = the evaluated days of 2020 (the settings were chosen on it), `test` = January–February
2021 (held out), `all` = both. The history before the period (28 days) always comes from the data itself.
Every alert on the background counts as a false alarm, per-place and oblast-wide (wave) alerts alike.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Hashable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from otklik.analysis.surges import (
    Baseline,
    Candidate,
    Series,
    SurgeSettings,
    Tracker,
    family,
    group_of,
    is_topic,
    one_per_author,
    run,
    scan,
)

MSK = ZoneInfo("Europe/Moscow")
DATA = Path("/work/shared/data/appeals-spb/appeals-2020-10_2021-02.jsonl.gz")
# the portal's reasons → ЦУР topics, as the shipped topic model maps them
TOPICS = Path(__file__).resolve().parents[2] / "src/otklik/analysis/data/topics/reason_to_cur.csv"
# Days off of the RF production calendar in the span (besides weekends), and moved working days: none moved here.
HOLIDAYS = {date(2020, 11, 4), date(2021, 2, 22), date(2021, 2, 23)} | {
    date(2021, 1, d) for d in range(1, 11)
}
HOLIDAYS.add(date(2020, 12, 31))  # declared a day off in St Petersburg in 2020
THRESHOLDS = np.arange(1, 60)
ROW_MINUTES = 10.0
ROW_GAPS = (5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0)  # --row-minutes: the edges of `row_merges`' gap bins
ROW_METRES = 300.0
SPLIT = int(datetime(2021, 1, 1, tzinfo=MSK).timestamp())  # tune: before; test: from


def working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


Appeal = tuple[float, Hashable, str | None, tuple[float, float] | None, Hashable, str]


def appeals(topics: bool = False) -> list[Appeal]:
    """Every appeal in time order: (time, key, address, (lat, lon), topic key or None, its text as `same_text`
    compares it); with `topics`, the topic key is ((category, ЦУР topic of its reason), district)."""
    with TOPICS.open(encoding="utf-8") as f:
        cur = {(r["category"], r["reason"]): r["cur_topic"] for r in csv.DictReader(f)}
    events = []
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            petitions = row.get("petitions") or []
            if not petitions:
                continue
            t = datetime.fromisoformat(petitions[0]["dt"]).replace(tzinfo=MSK)
            category, reason = row.get("category") or "?", row.get("reason") or "?"
            key = (category, row.get("district") or "?")
            topic = ((category, cur.get((category, reason), reason)), key[1]) if topics else None
            where = (float(row["lat"]), float(row["lon"])) if row.get("lat") and row.get("lon") else None
            text = plain_text(petitions[0].get("text") or "")
            events.append((t.timestamp(), key, row.get("address") or None, where, topic, text))
    events.sort(key=lambda e: e[0])
    return events


def load(
    events: list[Appeal],
    distinct: bool = True,
    rows: str = "",
    row_minutes: float = ROW_MINUTES,
    row_metres: float = ROW_METRES,
    same_text_hours: float = 0.0,
    same_text_metres: float = math.inf,
    unjoin: float = 0.0,
    unjoin_seed: int = 0,
) -> list[tuple[float, Hashable]]:
    """The background from `appeals()`: (time, key) of every appeal (and of its topic key, if any); with
    `distinct`, one per author and key per window, the address standing in for the masked author (57 % of the
    appeals have none: yards, streets, territories). With `rows` "unaddressed", an appeal without an address that
    comes less than `row_minutes` after the previous such appeal of its key and within `row_metres` of it
    continues that appeal's row, and a row counts as one author; with "all", any appeal after any (a filer
    walking a street, house by house). With `same_text_hours`, an appeal of the same key and the same text
    (`plain_text`) as one less than that many hours before and at most `same_text_metres` from it is by that
    appeal's author (a filer who files «снег на дороге» at house after house); `unjoin` of those joins, drawn at
    random (`unjoin_seed`), are left undone — the sensitivity of the figures to joins of two different people."""
    if not distinct:
        return [(t, k) for t, key, _, _, topic, _ in events for k in (key, topic) if k is not None]
    authored: list[tuple[float, Hashable, Hashable]] = []
    last: dict[Hashable, tuple[float, tuple[float, float] | None, Hashable]] = {}
    wrote: dict[tuple[Hashable, str], tuple[float, Hashable, tuple[float, float] | None]] = {}
    unjoined = random.Random(unjoin_seed)
    for n, (at, key, address, where, topic, text) in enumerate(events):
        who: Hashable = address
        if in_rows(rows, address):
            before = last.get(key)
            if (
                before is not None
                and where is not None
                and before[1] is not None
                and at - before[0] < row_minutes * 60
                and metres(where, before[1]) <= row_metres
            ):
                who = before[2]  # the row goes on
            else:
                who = address or ("row", n)
            last[key] = (at, where, who)
        if same_text_hours and text:
            earlier = wrote.get((key, text))
            if (
                earlier is not None
                and at - earlier[0] < same_text_hours * 3600
                and (where is None or earlier[2] is None or metres(where, earlier[2]) <= same_text_metres)
            ):
                if (
                    unjoin and unjoined.random() < unjoin
                ):  # taken for another person; the filer's chain goes on
                    authored.append((at, key, who))
                    if topic is not None:
                        authored.append((at, topic, who))
                    continue
                who = earlier[1]
                if in_rows(rows, address):
                    last[key] = (at, where, who)
            wrote[(key, text)] = (at, who if who is not None else ("text", n), where)
            who = wrote[(key, text)][1]
        authored.append((at, key, who))
        if topic is not None:
            authored.append((at, topic, who))
    return one_per_author(authored, SurgeSettings.window_minutes)


def plain_text(text: str) -> str:
    """A petition's text as `load`'s same-text rule compares it: the portal's masks gone, lower case, ё as е,
    letters and digits only, single spaces."""
    text = text.replace("[скрыто]", " ").lower().replace("ё", "е")
    return " ".join(re.findall(r"\w+", text))


def same_text_merges(
    events: list[Appeal], hours: float, metres_apart: float
) -> tuple[int, float, float | None]:
    """How many appeals the same-text rule joins to an earlier one (same key and text, < `hours` before and
    ≤ `metres_apart` from it), and two estimates of the share of those joins that are two different people:
    - against another day: `row_merges`' method — the share π of such pairs by one filer from how many lie within
      2 km against a null, an appeal of the same key and text 7–21 days away at the same time of day; a filer who
      comes back on another day with the same words (the portal's busiest texts are a few people's) is taken for
      two people, and one who drives further than 2 km too, so this one is high;
    - against another district (only without a distance limit: pairs of districts near a border are mostly one
      filer): how often two appeals of the same category < `hours` apart in *different* districts have the same text — people who are not the same filer, at the
      same moment, a snowfall's evening included — against how often two in the same district have; a filer who
      crosses a district's border counts as two people here, so this one is high too, but it cannot see people
      of one district who word a local event alike."""
    rng = random.Random(0)
    by_key: dict[Hashable, list[tuple[float, tuple[float, float], str]]] = {}
    for at, key, _, where, _, text in events:
        if text and where is not None:
            by_key.setdefault(key, []).append((at, where, text))
    span = hours * 3600
    pairs: list[float] = []
    null: list[float] = []
    for seq in by_key.values():
        times = np.asarray([t for t, _, _ in seq])
        last: dict[str, tuple[float, tuple[float, float]]] = {}
        for at, where, text in seq:
            if text in last and at - last[text][0] < span:
                pairs.append(metres(where, last[text][1]))
            last[text] = (at, where)
            shifted = at + rng.choice((-21, -14, -7, 7, 14, 21)) * 86400
            a, b = int(np.searchsorted(times, shifted - span)), int(np.searchsorted(times, shifted))
            null.extend(metres(where, seq[j][1]) for j in range(a, b) if seq[j][2] == text)
    if not pairs or not null:
        return 0, 0.0, None
    x, near = np.asarray(pairs), np.asarray(null)
    null_far = float(np.mean(near <= 2000))
    pi = min(1.0, max(0.0, (float(np.mean(x <= 2000)) - null_far) / (1 - null_far)))
    joined = int(np.sum(x <= metres_apart))
    wrong = len(x) * (1 - pi) * float(np.mean(near <= metres_apart))
    if math.isfinite(metres_apart):
        return joined, wrong / joined if joined else 0.0, None
    by_category: dict[Hashable, list[tuple[float, Hashable, tuple[float, float], str]]] = {}
    for key, seq in by_key.items():
        by_category.setdefault(cast(tuple[Hashable, Hashable], key)[0], []).extend(
            (t, key, w, s) for t, w, s in seq
        )
    same = [0, 0]  # pairs with the same text: same district, other district
    all_ = [0, 0]
    for seq in by_category.values():
        seq.sort(key=lambda e: e[0])
        times = np.asarray([t for t, _, _, _ in seq])
        for i, (at, key, _, text) in enumerate(seq):
            for j in range(int(np.searchsorted(times, at - span)), i):
                other = seq[j]
                side = 0 if other[1] == key else 1
                all_[side] += 1
                same[side] += other[3] == text
    rate_here = same[0] / all_[0] if all_[0] else 0.0
    rate_across = same[1] / all_[1] if all_[1] else 0.0
    return joined, wrong / joined if joined else 0.0, min(1.0, rate_across / rate_here) if rate_here else 0.0


def in_rows(rows: str, address: str | None) -> bool:
    """Whether the row rule (`rows`: "", "unaddressed" or "all") applies to an appeal with this address."""
    return rows == "all" or (rows == "unaddressed" and address is None)


def row_merges(events: list[Appeal], rows: str, row_minutes: float, row_metres: float) -> tuple[int, float]:
    """How many consecutive pairs of appeals the row rule joins, and the estimated share of them that join two
    different people. Per gap (0–5, 5–10, 10–15, 15–20, 20–30, 30–45, 45–60 min) the share π of pairs by one
    filer comes from the distances: a filer's next appeal lies within 2 km, two people's as often as in the
    null — an appeal of the same key at the same time of day 7–21 days away (different sessions) — so the pairs
    within 2 km are π + (1 − π)·null(2 km); the rule's wrong joins in the gap are then (1 − π)·null(row_metres)
    of its pairs."""
    rng = random.Random(0)
    by_key: dict[Hashable, list[tuple[float, tuple[float, float]]]] = {}
    for at, key, address, where, _, _ in events:
        if where is not None and in_rows(rows, address):
            by_key.setdefault(key, []).append((at, where))
    edges = [0.0, *ROW_GAPS]
    pairs: list[list[float]] = [[] for _ in edges[1:]]
    null: list[float] = []
    for seq in by_key.values():
        times = np.asarray([t for t, _ in seq])
        for i in range(1, len(seq)):
            gap = (seq[i][0] - seq[i - 1][0]) / 60
            b = int(np.searchsorted(edges, gap, side="right")) - 1
            if b < len(pairs):
                pairs[b].append(metres(seq[i][1], seq[i - 1][1]))
            shifted = seq[i][0] + rng.choice((-21, -14, -7, 7, 14, 21)) * 86400
            j = int(np.searchsorted(times, shifted))
            if 0 < j < len(seq) and abs(times[j] - shifted) < 3600:
                null.append(metres(seq[i - 1][1], seq[j][1]))
    near = np.asarray(null)
    null_far, null_rule = float(np.mean(near <= 2000)), float(np.mean(near <= row_metres))
    joined = wrong = 0.0
    for lo, d in zip(edges, pairs, strict=False):
        if lo >= row_minutes or not d:
            continue
        x = np.asarray(d)
        pi = min(1.0, max(0.0, (float(np.mean(x <= 2000)) - null_far) / (1 - null_far)))
        joined += float(np.sum(x <= row_metres))
        wrong += len(x) * (1 - pi) * null_rule
    return int(joined), wrong / joined if joined else 0.0


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lat, lon) points of the city, in metres (equirectangular)."""
    north = (a[0] - b[0]) * 111_195
    east = (a[1] - b[1]) * 111_195 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(north, east)


def hourly_rate(series: Series, key: object, at: int, cfg: SurgeSettings, base: Baseline) -> float:
    """The key's own mean count in the hour starting at `at` on the same-kind days of the history."""
    offsets = base.offsets(at)
    times = series.by_key[key]

    own = [int(np.searchsorted(times, at + 3600 - o) - np.searchsorted(times, at - o)) for o in offsets]
    return sum(own) / len(offsets) if offsets else 0.0


def working_moment(rng: random.Random, start: int, end: int) -> int:
    while True:
        t = rng.randrange(start, end)
        local = datetime.fromtimestamp(t, MSK)
        if working_day(local.date()) and 9 <= local.hour < 17:
            return t - t % 60


def detected(c: Candidate, key: object) -> bool:
    """An alert about the key itself or one of its topics, or an oblast-wide wave of its topic group (or of one
    of the group's topics) that lists its place."""
    if family(c.key) == key:
        return True
    return (
        c.is_wave and family(c.key) == (group_of(key), None) and any(family(k) == key for k, _, _ in c.places)
    )


def replay(
    series: Series, start: int, cfg: SurgeSettings, base: Baseline, until: object = None
) -> list[tuple[float, Candidate]]:
    """The alerts the detector (run every 10 minutes) raises in the 3 hours after `start`, as (delay in minutes,
    alert), stopping at the first that detects the key `until` if given. The tracker is warmed up over the
    quiet period before, so a surge already going on at `start` raises nothing new. The day's over-dispersion
    and weights come from the days before it, so the background's Baseline cache serves injected copies (the
    burst and the 3 h after it stay within the working day: 9–20 h)."""
    tracker = Tracker(cfg)
    first_run = start - start % 600 + 600
    for at in range(first_run - cfg.quiet_minutes * 60, first_run, 600):
        tracker.update(scan(series, at, cfg, base), at)
    out = []
    for at in range(first_run, start + 3 * 3600, 600):
        for c in tracker.update(scan(series, at, cfg, base), at):
            out.append(((at - start) / 60, c))
            if until is not None and detected(c, until):
                return out
    return out


def count_tables(
    series: Series, keys: list[Hashable], lo: int, hi: int, sizes: list[int | None], min_count: int = 5
) -> tuple[npt.NDArray[np.float64], list[npt.NDArray[np.float64]]]:
    """For a detector that alerts when a key's count in the last hour reaches a threshold k (k = 1…59), per key
    and k over [lo, hi): its false alarms a week on the background alone (each time the count reaches k after
    3 quiet hours) and, for each burst size (None: a tripling), its share of bursts found within the hour
    (background count in the burst's hour + the burst ≥ k; starts every 10 minutes in working hours), weighted
    by the key's activity as the trials are (group keys: a burst of its usual mix; topic keys: a burst of one
    topic)."""
    ends = np.arange(lo - lo % 600 + 3600, hi, 600, dtype=np.int64)
    in_hours = np.asarray(
        [
            working_day((local := datetime.fromtimestamp(int(e) - 3600, MSK)).date()) and 9 <= local.hour < 17
            for e in ends
        ]
    )
    weeks = (hi - lo) / (7 * 86400)
    weights = np.asarray([len(series.by_key[k]) for k in keys], dtype=float)
    weights /= weights.sum()
    fa = np.zeros((len(keys), len(THRESHOLDS)))
    dets = [np.zeros_like(fa) for _ in sizes]
    for j, key in enumerate(keys):
        t = series.by_key[key]
        x = np.searchsorted(t, ends) - np.searchsorted(t, ends - 3600)
        for i, k in enumerate(THRESHOLDS):
            hit = ends[x >= k]
            if hit.size:
                fa[j, i] = (1 + np.count_nonzero(np.diff(hit) > 3 * 3600)) / weeks
        during = x[in_hours]
        for det, size in zip(dets, sizes, strict=True):
            n = max(min_count, round(2 * during.mean())) if size is None else size
            det[j] = [(during + n >= k).mean() * weights[j] for k in THRESHOLDS]
    return fa, dets


def best_thresholds(
    fa: npt.NDArray[np.float64], det: npt.NDArray[np.float64], budget: float
) -> npt.NDArray[np.intp]:
    """One threshold per key (column index) for the most detections at ≤ `budget` false alarms a week in all
    (a Lagrangian search: each key's threshold maximises detections − μ · false alarms, μ bisected)."""
    low, high = 0.0, 1e3
    rows = np.arange(fa.shape[0])
    for _ in range(60):
        mu = (low + high) / 2
        if fa[rows, np.argmax(det - mu * fa, axis=1)].sum() > budget:
            low = mu
        else:
            high = mu
    pick: npt.NDArray[np.intp] = np.argmax(det - high * fa, axis=1)
    return pick


def settings_from(args: argparse.Namespace) -> SurgeSettings:
    if args.legacy:  # the detector as it was before over-dispersion and waves: Poisson, per place only
        base = SurgeSettings(
            alpha=1e-4,
            topic_alpha=0.0,
            floor=0.2,
            dispersion="poisson",
            activity_weight=0.0,
            recent_days=0,
            wave_places=0,
        )
    else:
        base = SurgeSettings()
    changes = {
        name: getattr(args, name)
        for name in (
            "min_count",
            "alpha",
            "topic_alpha",
            "floor",
            "shrink",
            "recent_days",
            "wave_places",
            "min_ratio",
            "dispersion",
            "topic_dispersion",
            "activity_weight",
            "activity_time_weight",
        )
        if getattr(args, name) is not None
    }
    return replace(base, **changes)


def flags(cfg: SurgeSettings) -> str:
    return (
        f"window {cfg.window_minutes} min, min_count {cfg.min_count}, min_ratio {cfg.min_ratio:g}, "
        f"alpha {cfg.alpha:g}, "
        + (f"topic keys with alpha {cfg.topic_alpha:g}" if cfg.topic_alpha else "no topic keys")
        + f", floor {cfg.floor:g}, quiet {cfg.quiet_minutes} min, "
        + (
            f"negative binomial, {cfg.dispersion} over-dispersion (shrink {cfg.shrink:g})"
            if cfg.dispersion != "poisson"
            else "Poisson"
        )
        + (f", topic keys {cfg.dispersion_form(True)}" if cfg.topic_alpha else "")
        + f", activity_weight {cfg.activity_weight:g}"
        + (f", activity_time_weight {cfg.activity_time_weight:g}" if cfg.activity_time_weight else "")
        + f", recent_days {cfg.recent_days}, "
        + (f"waves from {cfg.wave_places} places" if cfg.wave_places else "no waves")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--period", choices=("all", "tune", "test"), default="all")
    ap.add_argument("--legacy", action="store_true", help="the earlier detector (Poisson, no waves)")
    ap.add_argument("--min-count", type=int)
    ap.add_argument("--min-ratio", type=float)
    ap.add_argument("--alpha", type=float)
    ap.add_argument("--topic-alpha", type=float, help="0: no topic keys")
    ap.add_argument(
        "--mixed", action="store_true", help="bursts of the key's usual mix of topics (default: one topic)"
    )
    ap.add_argument("--floor", type=float)
    ap.add_argument("--shrink", type=float)
    ap.add_argument("--recent-days", type=int)
    ap.add_argument("--wave-places", type=int)
    ap.add_argument("--dispersion", choices=("linear", "quadratic", "poisson"))
    ap.add_argument("--topic-dispersion", choices=("linear", "quadratic", "poisson"))
    ap.add_argument("--activity-weight", type=float)
    ap.add_argument("--activity-time-weight", type=float)
    ap.add_argument("--per-message", action="store_true", help="count every message (no one-per-author rule)")
    ap.add_argument(
        "--rows",
        nargs="?",
        const="unaddressed",
        default="",
        choices=("unaddressed", "all"),
        help="an appeal (without an address; `all`: any) < --row-minutes and ≤ --row-metres after the previous of "
        "its key: the same author",
    )
    ap.add_argument("--row-minutes", type=float, default=ROW_MINUTES, choices=ROW_GAPS)
    ap.add_argument("--row-metres", type=float, default=ROW_METRES)
    ap.add_argument(
        "--same-text",
        type=float,
        default=0.0,
        metavar="HOURS",
        help="an appeal of the same key and text as one < HOURS before (and ≤ --same-text-metres from it): the "
        "same author (0: off)",
    )
    ap.add_argument("--same-text-metres", type=float, default=math.inf)
    ap.add_argument(
        "--unjoin", type=float, default=0.0, help="leave this share of the same-text joins undone, at random"
    )
    ap.add_argument("--unjoin-seed", type=int, default=0)
    args = ap.parse_args()
    cfg = settings_from(args)
    topics = cfg.topic_alpha > 0
    read = appeals(topics)
    events = load(
        read,
        distinct=not args.per_message,
        rows=args.rows,
        row_minutes=args.row_minutes,
        row_metres=args.row_metres,
        same_text_hours=args.same_text,
        same_text_metres=args.same_text_metres,
        unjoin=args.unjoin,
        unjoin_seed=args.unjoin_seed,
    )
    series = Series.from_events(events)
    first, last = int(events[0][0]), int(events[-1][0])
    eval_start = first + cfg.history_days * 86400
    eval_start -= eval_start % 3600
    lo, hi = {"all": (eval_start, last), "tune": (eval_start, SPLIT), "test": (SPLIT, last)}[args.period]
    days = (hi - lo) / 86400
    keys = [k for k in series.by_key if not is_topic(k)]
    topic_keys = [k for k in series.by_key if is_topic(k)]
    topics_of: dict[Hashable, list[Hashable]] = {}
    for k in topic_keys:
        topics_of.setdefault(family(k), []).append(k)

    def burst_topics(key: Hashable, n: int) -> list[Hashable]:
        """The topic key of each of a burst's n messages: one topic (or, with --mixed, each its own), drawn
        as the key's own messages spread over its topics."""
        if not topics:
            return []
        ks = topics_of[key]
        w = [len(series.by_key[k]) for k in ks]
        return rng.choices(ks, w, k=n) if args.mixed else rng.choices(ks, w) * n

    def inject(into: Series, key: Hashable, times: list[float], topic: Hashable = None) -> Series:
        """A burst into the key and, with topic keys, into its topic keys (`topic`: that one topic's)."""
        out = into.with_events(key, times)
        by_topic: dict[Hashable, list[float]] = {}
        place = cast(tuple[Hashable, Hashable], key)[1]
        chosen = [(topic, place)] * len(times) if topic is not None else burst_topics(key, len(times))
        for t, k in zip(times, chosen, strict=False):
            by_topic.setdefault(k, []).append(t)
        for k, ts in by_topic.items():
            out = out.with_events(k, ts)
        return out

    t0 = time.perf_counter()
    background = run(series, lo, hi, cfg, working_day, step_minutes=10)
    replay_s = time.perf_counter() - t0
    weeks = days / 7
    rng = random.Random(args.seed)
    base = Baseline(cfg, working_day)
    weights = [len(series.by_key[k]) for k in keys]
    results: dict[str, list[float | None]] = {}
    busiest = str(
        max((g for g in series.by_group if not isinstance(g, tuple)), key=lambda g: len(series.by_group[g]))
    )
    in_busiest: dict[str, list[bool]] = {}
    plans = [("tripling in 1 h", None, 60), ("5 in 1 h", 5, 60), ("10 in 1 h", 10, 60), ("20 in 1 h", 20, 60)]
    for label, size, minutes in plans:
        delays: list[float | None] = []
        where: list[bool] = []
        for _ in range(args.trials):
            key = rng.choices(keys, weights)[0]
            start = working_moment(rng, lo + 86400, hi - 86400)
            n = (
                size
                if size is not None
                else max(cfg.min_count, round(2 * hourly_rate(series, key, start, cfg, base)))
            )
            injected = inject(series, key, [start + minutes * 60 * i / n for i in range(n)])
            hits = [d for d, c in replay(injected, start, cfg, base, key) if detected(c, key)]
            delays.append(hits[0] if hits else None)
            where.append(str(group_of(key)) == busiest)
        results[label] = delays
        in_busiest[label] = where
    # an oblast-wide wave: 6 messages in an hour in each of 6 places of one category (36 in all)
    wave_delays: list[float | None] = []
    wave_alerts: list[int] = []
    wave_as_one = 0
    wave_in_busiest: list[tuple[bool, bool]] = []
    groups = [g for g in series.members if len(series.members[g]) >= 6 and not isinstance(g, tuple)]
    group_weights = [len(series.by_group[g]) for g in groups]
    for _ in range(args.trials):
        g = rng.choices(groups, group_weights)[0]
        members = list(series.members[g])
        places: list[object] = []
        while len(places) < 6:
            k = rng.choices(members, [len(series.by_key[m]) for m in members])[0]
            if k not in places:
                places.append(k)
        start = working_moment(rng, lo + 86400, hi - 86400)
        # a wave is about one thing: one topic of the group everywhere (or, with --mixed, each place its mix)
        one = None
        if topics and not args.mixed:
            labels = [t for t in series.by_group if isinstance(t, tuple) and t[0] == g]
            one = rng.choices(labels, [len(series.by_group[t]) for t in labels])[0]
        injected = series
        for k in places:
            offset = rng.randrange(600)
            injected = inject(injected, k, [start + offset + 600 * i for i in range(6)], one)
        about = [
            (d, c) for d, c in replay(injected, start, cfg, base) if family(c.key) in (*places, (g, None))
        ]
        wave_delays.append(about[0][0] if about and about[0][0] <= 60 else None)
        wave_alerts.append(len(about))
        wave_as_one += any(c.is_wave for _, c in about)
        wave_in_busiest.append((str(g) == busiest, any(c.is_wave for _, c in about)))

    period = {
        "all": "the whole evaluated span",
        "tune": "the tuning part (evaluated days of 2020)",
        "test": "the held-out part (January–February 2021)",
    }[args.period]
    print(f"#### {period}: {flags(cfg)}\n")
    cmd = " ".join(sys.argv[1:])
    print(
        f"Background: {sum(1 for _, k in events if not is_topic(k)):,} real appeal times of «Наш Санкт-Петербург» (one city ≈ one oblast), "
        f"{datetime.fromtimestamp(first, MSK):%d.%m.%Y} – {datetime.fromtimestamp(last, MSK):%d.%m.%Y}; "
        f"key = category × district ({len(keys)} keys, {sum(1 for g in series.by_group if not isinstance(g, tuple))} "
        "categories"
        + (
            f"; and topic × district ({len(topic_keys)} keys, the ЦУР topic of the appeal's reason within its "
            "category); bursts and waves "
            + ("of the key's usual mix of topics" if args.mixed else "about one topic")
            if topics
            else ""
        )
        + "); evaluated "
        f"{datetime.fromtimestamp(lo, MSK):%d.%m.%Y %H:%M} – {datetime.fromtimestamp(hi, MSK):%d.%m.%Y %H:%M} "
        f"({days:.0f} days, the {cfg.history_days} days before as history), detector run every 10 minutes. "
        f"Produced by `bench/reports/surges_eval.py {cmd}`; "
        + (
            "every message counts"
            if args.per_message
            else "one message per author and key per window, the address standing in for the masked author"
            + (
                f", and a row of {'appeals' if args.rows == 'all' else 'appeals without one'} (< "
                f"{args.row_minutes:g} min and ≤ {args.row_metres:g} m apart) as one author — it joins "
                + "{:,} pairs, an estimated {:.0%} of them two different people (`row_merges`)".format(
                    *row_merges(read, args.rows, args.row_minutes, args.row_metres)
                )
                if args.rows
                else ""
            )
            + (
                f", and an appeal of the same key and text as one < {args.same_text:g} h before"
                + (
                    f" and ≤ {args.same_text_metres:g} m from it"
                    if math.isfinite(args.same_text_metres)
                    else ""
                )
                + " as that one's author — it joins {:,} appeals, an estimated {:.0%} of them two different "
                "people against another day{} (`same_text_merges`)".format(
                    *(merged := same_text_merges(read, args.same_text, args.same_text_metres))[:2],
                    f", {merged[2]:.0%} against another district" if merged[2] is not None else "",
                )
                + (
                    f", {args.unjoin:.0%} of them left undone at random (seed {args.unjoin_seed})"
                    if args.unjoin
                    else ""
                )
                if args.same_text
                else ""
            )
        )
        + ".\n"
    )
    waves = sum(1 for _, c in background if c.is_wave)
    per_month = len(background) / (days / 30.4)
    top = Counter(str(group_of(family(c.key))) for _, c in background).most_common(2)
    print(
        f"**False alarms** on the background alone: {len(background)} in {days:.0f} days = "
        f"**{len(background) / weeks:.2f} a week** ({per_month:.1f} a month): {len(background) - waves} per place, "
        f"{waves} oblast-wide waves; most in {', '.join(f'«{g}» {n}' for g, n in top) or '—'}; "
        f"replay took {replay_s:.1f} s.\n"
    )
    print(
        "| injected burst (spread evenly, start in working hours) | trials | detected ≤ 60 min | detected ≤ 3 h "
        f"| median delay, min | ≤ 60 min: «{busiest}» keys / other keys |"
    )
    print("|---|---|---|---|---|---|")
    for label, delays in results.items():
        got = [d for d in delays if d is not None]
        within = sum(1 for d in got if d <= 60)
        med = f"{statistics.median(got):.0f}" if got else "—"
        split = []
        for flag in (True, False):
            part = [d for d, b in zip(delays, in_busiest[label], strict=True) if b == flag]
            hit = sum(1 for d in part if d is not None and d <= 60)
            split.append(f"{hit / len(part):.0%} of {len(part)}" if part else "—")
        print(
            f"| {label} | {len(delays)} | {within / len(delays):.0%} | {len(got) / len(delays):.0%} | {med} "
            f"| {split[0]} / {split[1]} |"
        )
    got_w = [d for d in wave_delays if d is not None]
    print(
        f"\nAn oblast-wide wave — 6 messages in an hour in each of 6 places of one category (36 in all, category "
        f"and places weighted by activity), {args.trials} trials: something about it raised ≤ 60 min in "
        f"{len(got_w) / args.trials:.0%} (median {statistics.median(got_w) if got_w else float('nan'):.0f} min); "
        f"as one oblast-wide alert in {wave_as_one / args.trials:.0%}; alerts about it in 3 h: "
        f"{statistics.mean(wave_alerts):.1f} on average (max {max(wave_alerts)}); as one alert: "
        + " / ".join(
            f"{sum(w for b, w in wave_in_busiest if b == flag) / n:.0%} of {n}"
            if (n := sum(1 for b, _ in wave_in_busiest if b == flag))
            else "—"
            for flag in (True, False)
        )
        + f" («{busiest}» / other categories).\n"
    )
    # the best a count detector with one threshold per key could have done: chosen in hindsight on this very
    # period, and (for the held-out part) chosen on the tuning part as a real detector would have to
    hindsight, ahead = [], []
    sizes = [size for _, size, _ in plans]
    bound_keys = topic_keys if topics and not args.mixed else keys
    rows = np.arange(len(bound_keys))
    fa, dets = count_tables(series, bound_keys, lo, hi, sizes, cfg.min_count)
    if args.period == "test":
        fa_t, dets_t = count_tables(series, bound_keys, eval_start, SPLIT, sizes, cfg.min_count)
    for n, (label, _, _) in enumerate(plans):
        det = dets[n]
        hindsight.append(
            f"{label} {det[rows, best_thresholds(fa, det, 1.0)].sum():.0%} / "
            f"{det[rows, best_thresholds(fa, det, 3.0)].sum():.0%}"
        )
        if args.period == "test":
            pick = best_thresholds(fa_t, dets_t[n], 1.0)
            ahead.append(f"{label} {det[rows, pick].sum():.0%} at {fa[rows, pick].sum():.1f} a week")
    print(
        "The best a detector with one threshold per "
        + ("topic key" if bound_keys is topic_keys else "key")
        + " on the count of its last hour could have done, its "
        "thresholds chosen in hindsight on this very period (`count_tables`, `best_thresholds`) — share of "
        "bursts found within the hour at 1 / 3 false alarms a week: "
        + "; ".join(hindsight)
        + "."
        + (
            " The same detector with its thresholds chosen on the tuning part (1 a week there), as a real one "
            "would have to: " + "; ".join(ahead) + "."
            if ahead
            else ""
        )
        + "\n"
    )
    # how often the background itself has a burst-sized hour: the busiest keys, working hours
    moments = [
        at
        for at in range(lo - lo % 600 + 3600, hi, 600)
        if working_day(datetime.fromtimestamp(at, MSK).date())
        and 10 <= datetime.fromtimestamp(at, MSK).hour < 18
    ]
    ends = np.asarray(moments, dtype=np.int64)
    print(
        "How often the background alone has as many messages in an hour (60-min windows ending 10–18 h on working "
        "days, every 10 min) in the busiest keys — what a burst there has to stand out from:\n"
    )
    print("| key | messages | mean per hour | ≥ 5 | ≥ 10 | ≥ 20 |")
    print("|---|---|---|---|---|---|")
    for k in sorted(keys, key=lambda k: -len(series.by_key[k]))[:4]:
        t = series.by_key[k]
        x = np.searchsorted(t, ends) - np.searchsorted(t, ends - 3600)
        print(
            f"| {' × '.join(map(str, k))} | {len(t)} | {x.mean():.2f} | "
            + " | ".join(f"{np.mean(x >= m):.2%}" for m in (5, 10, 20))
            + " |"
        )
    print()
    target_ok = len(background) / weeks < 1 and (
        sum(1 for d in results["tripling in 1 h"] if d is not None and d <= 60)
        / len(results["tripling in 1 h"])
        >= 0.9
    )
    print(
        f"Target (tripling detected within one working hour in ≥ 90 % of trials, < 1 false alarm a week): "
        f"{'met' if target_ok else 'NOT met'}.\n"
    )


if __name__ == "__main__":
    main()
