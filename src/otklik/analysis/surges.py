"""R-14: surges of social activity — message counts per topic group × municipal formation in a sliding window,
against a baseline that knows the hour of day and the kind of day (working day by the production calendar,
Friday, Saturday, Sunday/holiday), an alert when the rise is significant, once per ongoing surge.

The baseline of a key at a moment is the larger of
- its own mean count in the same window of the day on the previous days of the same kind, and
- the oblast-wide mean count in that window on those days × the key's share of all messages in the history
  (pooling: most keys are too sparse for an hourly profile of their own), and a floor.
A window is significant when count ≥ `min_count`, count ≥ `min_ratio` × baseline and the Poisson tail
P(X ≥ count | baseline) < `alpha`. A surge stays "ongoing" (no new alert) until the key has been quiet — not
significant — for `quiet_minutes`.

The core (`Series`, `scan`, `Tracker`) is pure and fast (numpy, sorted epoch seconds); `detect` reads the
database, and raises the alerts through `otklik.notify.alerts`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

MSK = ZoneInfo("Europe/Moscow")
DAY = 86400


@dataclass(frozen=True)
class SurgeSettings:
    """Sensitivity (settings.OTKLIK_SURGE overrides any field)."""

    window_minutes: int = 60
    history_days: int = 28
    min_count: int = 5
    min_ratio: float = 2.5
    alpha: float = 1e-4
    floor: float = 0.2
    quiet_minutes: int = 180
    samples: int = 5

    @classmethod
    def from_settings(cls) -> SurgeSettings:
        from django.conf import settings

        overrides = getattr(settings, "OTKLIK_SURGE", None) or {}
        return cls(**overrides)


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    cdf = term
    for i in range(1, k):
        term *= lam / i
        cdf += term
    return max(0.0, 1.0 - cdf)


def day_kind(day: date, is_working_day: Callable[[date], bool]) -> str:
    """Mon–Thu working days share a profile; Friday is shorter; Saturday; Sunday and holidays."""
    if is_working_day(day):
        return "fri" if day.weekday() == 4 else "work"
    return "sat" if day.weekday() == 5 else "off"


@dataclass
class Series:
    """Message times (epoch seconds, sorted) overall and per key."""

    all: npt.NDArray[np.int64]
    by_key: dict[Hashable, npt.NDArray[np.int64]]

    @classmethod
    def from_events(cls, events: Iterable[tuple[float, Hashable]]) -> Series:
        keyed: dict[Hashable, list[float]] = {}
        every: list[float] = []
        for t, key in events:
            every.append(t)
            keyed.setdefault(key, []).append(t)
        return cls(
            np.sort(np.asarray(every, dtype=np.int64)),
            {k: np.sort(np.asarray(v, dtype=np.int64)) for k, v in keyed.items()},
        )


def one_per_author(
    events: Iterable[tuple[float, Hashable, Hashable]], window_minutes: int
) -> list[tuple[float, Hashable]]:
    """Social activity is people, not posts: a second message of the same author on the same key within the
    window does not count (one person posting five times is not a surge). Events must be in time order."""
    last: dict[tuple[Hashable, Hashable], float] = {}
    out: list[tuple[float, Hashable]] = []
    w = window_minutes * 60
    for t, key, who in events:
        if who in (None, ""):
            out.append((t, key))
            continue
        seen = last.get((key, who))
        last[(key, who)] = t
        if seen is None or t - seen >= w:
            out.append((t, key))
    return out


def _count(arr: npt.NDArray[np.int64], a: int, b: int) -> int:
    return int(np.searchsorted(arr, b, side="left") - np.searchsorted(arr, a, side="left"))


@dataclass
class Candidate:
    key: Hashable
    count: int
    baseline: float
    p_value: float
    window_start: int
    window_end: int


class Baseline:
    """Same-kind previous days for a moment, cached by (day, kind)."""

    def __init__(self, cfg: SurgeSettings, is_working_day: Callable[[date], bool]) -> None:
        self.cfg = cfg
        self.is_working_day = is_working_day
        self._days: dict[date, list[int]] = {}

    def offsets(self, at: int) -> list[int]:
        """Shifts (seconds) to the previous days of the same kind as the day of `at`, within the history."""
        local = datetime.fromtimestamp(at, MSK)
        day = local.date()
        cached = self._days.get(day)
        if cached is None:
            kind = day_kind(day, self.is_working_day)
            cached = [
                d * DAY
                for d in range(1, self.cfg.history_days + 1)
                if day_kind(day - timedelta(days=d), self.is_working_day) == kind
            ]
            self._days[day] = cached
        return cached


def scan(series: Series, at: int, cfg: SurgeSettings, baseline: Baseline) -> list[Candidate]:
    """Significant windows [at − window, at) of every key."""
    w = cfg.window_minutes * 60
    a, b = at - w, at
    history_start = at - cfg.history_days * DAY
    offsets = baseline.offsets(at)
    out: list[Candidate] = []
    total_hist: int | None = None
    slot_all: float | None = None
    for key, times in series.by_key.items():
        n = _count(times, a, b)
        if n < cfg.min_count:
            continue
        if total_hist is None:
            total_hist = _count(series.all, history_start, a)
            slot_all = (
                sum(_count(series.all, a - o, b - o) for o in offsets) / len(offsets) if offsets else 0.0
            )
        key_hist = _count(times, history_start, a)
        own = sum(_count(times, a - o, b - o) for o in offsets) / len(offsets) if offsets else 0.0
        pooled = (slot_all or 0.0) * (key_hist / total_hist) if total_hist else 0.0
        lam = max(own, pooled, cfg.floor)
        if n < cfg.min_ratio * lam:
            continue
        p = poisson_sf(n, lam)
        if p < cfg.alpha:
            out.append(Candidate(key, n, round(lam, 3), p, a, b))
    return out


@dataclass
class Tracker:
    """Suppresses alerts for a surge that goes on: a key alerts again only after `quiet_minutes` without a
    significant window."""

    cfg: SurgeSettings
    last_significant: dict[Hashable, int] = field(default_factory=dict)

    def update(self, candidates: list[Candidate], at: int) -> list[Candidate]:
        new = []
        for c in candidates:
            last = self.last_significant.get(c.key)
            if last is None or at - last > self.cfg.quiet_minutes * 60:
                new.append(c)
            self.last_significant[c.key] = at
        return new


def run(
    series: Series,
    start: int,
    end: int,
    cfg: SurgeSettings,
    is_working_day: Callable[[date], bool],
    step_minutes: int = 10,
) -> list[tuple[int, Candidate]]:
    """Replay the detector every `step_minutes` over [start, end): the alerts it would raise, in order."""
    base = Baseline(cfg, is_working_day)
    tracker = Tracker(cfg)
    alerts: list[tuple[int, Candidate]] = []
    for at in range(start, end, step_minutes * 60):
        for c in tracker.update(scan(series, at, cfg, base), at):
            alerts.append((at, c))
    return alerts


# ------------------------------------------------------------------------------------------ the database side
def _is_working_day() -> Callable[[date], bool]:
    from otklik.worktime.service import worktime_for

    wt = worktime_for(None)
    cache: dict[date, bool] = {}

    def check(day: date) -> bool:
        if day not in cache:
            start = datetime(day.year, day.month, day.day, tzinfo=MSK)
            cache[day] = wt.between(start, start + timedelta(days=1)) > 0
        return cache[day]

    return check


def detect(now: datetime | None = None, cfg: SurgeSettings | None = None) -> list[Any]:
    """Look for surges now; raise one R-14 alert per new surge (an ongoing one only updates its evidence)."""
    from django.db.models import F
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from otklik.intake.models import Message
    from otklik.notify.alerts import raise_alert
    from otklik.notify.models import Alert
    from otklik.org.models import Municipality, TopicGroup

    now = now or timezone.now()
    cfg = cfg or SurgeSettings.from_settings()
    at = int(now.timestamp())
    since = now - timedelta(days=cfg.history_days, minutes=cfg.window_minutes)
    rows = (
        Message.objects.annotate(t=Coalesce(F("published_at"), F("received_at")))
        .filter(t__gte=since, t__lt=now, case_link__case__topic_group__isnull=False)
        .filter(case_link__case__municipality__isnull=False)
        .order_by("t")
        .values_list("t", "case_link__case__topic_group_id", "case_link__case__municipality_id", "author_id")
    )
    events = ((t.timestamp(), (g, m), who) for t, g, m, who in rows.iterator(chunk_size=5000))
    series = Series.from_events(one_per_author(events, cfg.window_minutes))
    candidates = scan(series, at, cfg, Baseline(cfg, _is_working_day()))
    raised = []
    for c in candidates:
        group_id, municipality_id = cast(tuple[int, int], c.key)
        prefix = f"surge:{group_id}:{municipality_id}:"
        ongoing = (
            Alert.objects.filter(kind=Alert.Kind.SURGE, key__startswith=prefix)
            .order_by("-created_at")
            .first()
        )
        if ongoing is not None and at - int(ongoing.evidence.get("last_seen", 0)) <= cfg.quiet_minutes * 60:
            ongoing.evidence = {**ongoing.evidence, "last_seen": at, "last_count": c.count}
            ongoing.save(update_fields=["evidence"])
            continue
        group = TopicGroup.objects.get(pk=group_id)
        place = Municipality.objects.get(pk=municipality_id)
        window_start = datetime.fromtimestamp(c.window_start, MSK)
        samples = list(
            Message.objects.annotate(t=Coalesce(F("published_at"), F("received_at")))
            .filter(
                t__gte=window_start,
                t__lt=now,
                case_link__case__topic_group_id=group_id,
                case_link__case__municipality_id=municipality_id,
            )
            .order_by("-t")
            .values("id", "text", "url", "network")[: cfg.samples]
        )
        evidence = {
            "count": c.count,
            "baseline": c.baseline,
            "ratio": round(c.count / c.baseline, 1) if c.baseline else None,
            "p_value": c.p_value,
            "window_minutes": cfg.window_minutes,
            "window_start": window_start.isoformat(),
            "last_seen": at,
            "samples": [{**s, "text": s["text"][:300]} for s in samples],
        }
        text = (
            f"Всплеск сообщений: «{group.name}», {place.name}. За {cfg.window_minutes} мин — {c.count} "
            f"(обычно в это время {c.baseline:g}). Примеры:\n"
            + "\n".join(f"— {s['text'][:200]}" for s in samples)
        )
        alert = raise_alert(
            Alert.Kind.SURGE,
            f"{prefix}{c.window_start}",
            f"Всплеск активности: {group.name} — {place.name}",
            text,
            link=" ".join(s["url"] for s in samples[:3] if s["url"]),
            place=place.name,
            audience=f"{c.count} сообщений за {cfg.window_minutes} мин",
            evidence=evidence,
            now=now,
        )
        if alert is not None:
            raised.append(alert)
    return raised
