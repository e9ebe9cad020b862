"""R-14: surges of social activity — message counts per topic group × municipal formation in a sliding window,
against a baseline that knows the hour of day and the kind of day (working day by the production calendar,
Friday, Saturday, Sunday/holiday), an alert when the rise is significant, once per ongoing surge; a rise of one
topic group in many municipal formations at once is one oblast-wide alert (a wave), not one per place.

The baseline of a key (topic group, municipal formation) at a moment is the larger of
- its own mean count in the same window of the day on the previous days of the same kind, and
- the oblast-wide mean count in that window on those days × the key's share of all messages in the history
  (pooling: most keys are too sparse for an hourly profile of their own), and a floor;
multiplied by the key's recent level (`recent_days`: its count over the last days against what its 28-day
history expects for them, when higher), so a multi-day season raises its own baseline.

Counts are over-dispersed: people write in clusters (one person files a row of appeals, a snowfall sets off a
street). Each key's over-dispersion is estimated from its own history — counts in window-sized bins of the
previous `history_days`, against the mean of the same time of day on days of the same kind (method of moments) —
shrunk toward its topic group's estimate, that toward the oblast's, and that toward `dispersion_prior` (`shrink`
= each prior's weight, in units of the bins' Σ mean (linear) or Σ mean² (quadratic), so a sparse key takes its
group's). `dispersion` = "linear" (the default): variance = mean·(1 + d), clusters of a steady size whatever the
hour — the negative binomial with r = mean/d; "quadratic": variance = mean + φ·mean², r = 1/φ; "poisson": none.
On the real appeal times the linear model holds the false alarms of quiet hours (night and evening clusters)
best (docs/quality.md, "Surges").

The false-alarm budget: `alpha` per key and window on average; `activity_weight` s spends it by activity — a key
is held to alpha × ((1 − s) + s × K × its share of the history's messages), K the keys with a history (the
weights sum to K, so the total is the same), since a surge is likelier where more people write; and
`activity_time_weight` u spends it by the time of day and week the same way — × ((1 − u) + u × (the oblast's mean
count in the window on days of the same kind + 1) / (its mean per window over the history + 1)): more in the working
hours, when people write and a surge is read at once, less at night, when a filer's row of messages is most of what
there is.

A window is significant when count ≥ `min_count`, count ≥ `min_ratio` × baseline and the tail
P(X ≥ count | baseline, dispersion) is below the key's share of `alpha`. A surge stays "ongoing" (no new alert) until the key has been quiet — not
significant — for `quiet_minutes`.

A wave: the topic group over the whole oblast is significant by the same test (its own baseline and dispersion, ratio
≥ `wave_ratio`) and it rises in at least `wave_places` municipal formations at once (each: count ≥ 3, ≥
`min_ratio` × its baseline, its own tail < `wave_place_alpha`) — or `wave_places` of its keys are significant at
once. A wave raises one oblast-level alert; while it goes on (quiet for `quiet_minutes` ends it) the group's
per-place surges are part of it: they raise nothing and keep it going.

Topic keys: a message whose case has a topic counts also in ((topic group, topic), municipal formation), tested
the same way with its own budget (`topic_alpha`; 0 turns them off), weights and over-dispersion (`topic_dispersion`,
priors from the topic over the oblast). A topic's surge and its group's in the same place are one surge
(`family`): the alert is told by the most significant topic, and the other topics that rise while it goes on are
added to its evidence (`other_topic_ids`). The oblast-wide series (`Series.all`, the pooled baseline) counts
each message once, by its group key.

The core (`Series`, `scan`, `Tracker`) is pure and fast (numpy, sorted epoch seconds); `detect` reads the
database, and raises the alerts through `otklik.notify.alerts`.

`detect` runs every 5 minutes (the clock). Besides the window ending now it examines every window it has not
examined with the data now known (`windows_to_examine`): the windows since its previous run (the worker was down)
and the earlier ones whose counts changed because the curator sent their messages on after they had been examined
(a message counts once its case gives it a topic group and a place, by its publication time) — back to the same
time of the previous working day (`lookback_start`). A surge found there is reported late, saying when it was and
why it comes late; like the windows of the runs themselves, such windows keep an alert's surge going, so whether a
surge went quiet is judged from the messages, not from when the detector last ran (beyond the look-back, after a
longer outage, from its key's counts: `_Alerts._went_on`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

MSK = ZoneInfo("Europe/Moscow")
SURGE_RUN = "surges"  # the detector's run lock (`notify.services.hold_run_lock`)
DAY = 86400
KINDS = ("work", "fri", "sat", "off")
_PRIOR = object()  # tags the over-dispersion priors among the keys' estimates


@dataclass(frozen=True)
class SurgeSettings:
    """Sensitivity (settings.OTKLIK_SURGE overrides any field)."""

    window_minutes: int = 60
    history_days: int = 28
    min_count: int = 5
    min_ratio: float = 2.5
    alpha: float = 1e-6
    # one level down: the same test per topic × municipal formation (a surge is mostly about one thing, and a
    # topic's own background is far quieter than its group's); its own false-alarm budget per key and window
    # (0: topic keys off). 7e-5: the loosest with under one false alarm a week on the evaluation's tuning part,
    # its background counting a filer's rows and a filer's identical texts as one author each (docs/quality.md,
    # "Surges"; 3e-6 until 2026-12-01, when a filer's identical texts counted as many people)
    topic_alpha: float = 7e-5
    # the least baseline a key has (messages per window): 0.05 held the false alarms of the evaluation's tuning
    # part as 0.2 did and finds a quiet key's 5 messages in an hour (0.02: one more false alarm)
    floor: float = 0.05
    quiet_minutes: int = 180
    samples: int = 5
    # over-dispersion, each key's own (shrunk toward its group's): "linear" — variance = mean·(1 + d), people
    # write in clusters of a steady size (negative binomial, r = mean/d); "quadratic" — variance = mean + φ·mean²
    # (negative binomial, r = 1/φ); "poisson" — none
    dispersion: str = "linear"
    # the same for topic keys ("": as `dispersion`)
    topic_dispersion: str = ""
    shrink: float = 2.0
    dispersion_prior: float = 1.0
    # the false-alarm budget spent by activity: alpha × ((1 − s) + s × K × the key's share of the messages)
    activity_weight: float = 0.5
    # the false-alarm budget spent by the time of day and week: × ((1 − u) + u × (the oblast's mean count in this
    # window on days of the same kind + 1) / (its mean count per window over the history + 1)) — more in the hours people
    # write in, less at night. 1: on the evaluation's tuning part the same false alarms (0.90 a week) and more
    # bursts found in working hours (tripling 53 → 55 %, 10 in 1 h 90 → 94 %; docs/quality.md, "Surges")
    activity_time_weight: float = 1.0
    # the recent level: the last `recent_days` against the history (0: off)
    recent_days: int = 7
    # oblast-wide waves of one topic group (0: off)
    wave_places: int = 3
    wave_ratio: float = 1.5
    wave_place_alpha: float = 1e-2
    # `detect` examines, besides the window ending now, every window it has not examined with the data now known:
    # those since its previous run (the worker was down) and those whose counts changed after they were examined
    # (the curator sent their messages on late: only a case has a topic and a place). Their ends lie every
    # `step_minutes` (the clock's period, `otklik clock`: 5 minutes) back to the same time of day
    # `lookback_working_days` working days before (the previous working day: a weekend's messages sent on on
    # Monday morning still count), at most `lookback_max_hours` back; 0 working days: the window ending now only
    step_minutes: int = 5
    lookback_working_days: int = 1
    lookback_max_hours: int = 96

    def __post_init__(self) -> None:
        for name, value in (("dispersion", self.dispersion), ("topic_dispersion", self.topic_dispersion)):
            if value not in ("linear", "quadratic", "poisson") and (name == "dispersion" or value):
                raise ValueError(f"OTKLIK_SURGE {name}: linear, quadratic or poisson, not {value!r}")
        if not 0 <= self.activity_weight <= 1:
            raise ValueError("OTKLIK_SURGE activity_weight: between 0 and 1")
        if not 0 <= self.activity_time_weight <= 1:
            raise ValueError("OTKLIK_SURGE activity_time_weight: between 0 and 1")

    def alpha_for(self, topic: bool) -> float:
        """The false-alarm budget per key and window of topic keys (and their waves) or of group ones."""
        return self.topic_alpha if topic else self.alpha

    def dispersion_form(self, topic: bool) -> str:
        """The over-dispersion form of the tests of topic keys (and waves) or of group ones."""
        return (self.topic_dispersion or self.dispersion) if topic else self.dispersion

    @classmethod
    def from_settings(cls) -> SurgeSettings:
        from django.conf import settings

        overrides = getattr(settings, "OTKLIK_SURGE", None) or {}
        return cls(**overrides)


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam), summed upward from k (exact for small tails, where 1 − cdf loses digits)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    term = math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))
    total = term
    i = k
    while True:
        i += 1
        term *= lam / i
        total += term
        if i > lam and term < 1e-16 * total:
            break
    return min(1.0, total)


def nbinom_sf(k: int, mean: float, phi: float) -> float:
    """P(X ≥ k) for a negative binomial X with this mean and variance mean + phi·mean² (phi → 0: Poisson)."""
    if k <= 0:
        return 1.0
    if phi <= 1e-9:
        return poisson_sf(k, mean)
    if mean <= 0:
        return 0.0
    r = 1.0 / phi
    p = mean / (r + mean)
    # the tail summed upward from k (exact for small tails, where 1 − cdf loses digits)
    log_term = math.lgamma(k + r) - math.lgamma(r) - math.lgamma(k + 1) + r * math.log1p(-p) + k * math.log(p)
    term = math.exp(log_term)
    total = term
    i = k
    while i < k + 100000:
        term *= (i + r) / (i + 1) * p
        total += term
        i += 1
        if term < 1e-12 * total and (i + r) / (i + 1) * p < 0.999:
            break
    return min(1.0, total)


def day_kind(day: date, is_working_day: Callable[[date], bool]) -> str:
    """Mon–Thu working days share a profile; Friday is shorter; Saturday; Sunday and holidays."""
    if is_working_day(day):
        return "fri" if day.weekday() == 4 else "work"
    return "sat" if day.weekday() == 5 else "off"


def group_of(key: Hashable) -> Hashable | None:
    """Keys are (topic group, municipal formation) or, one level down, ((topic group, topic), municipal
    formation); the first part is the key's group: its oblast-wide series, its waves. Anything else has no
    group (and no waves)."""
    return key[0] if isinstance(key, tuple) and len(key) == 2 else None


def is_topic(key: Hashable) -> bool:
    """A key (or wave) of one topic, ((topic group, topic), place)."""
    return isinstance(group_of(key), tuple)


def family(key: Hashable) -> Hashable:
    """The topic group's key of the same place (or wave): a topic's surge and its group's are one surge."""
    g = group_of(key)
    return (g[0], key[1]) if isinstance(g, tuple) and isinstance(key, tuple) else key


@dataclass
class Series:
    """Message times (epoch seconds, sorted) overall (each message once, by its group key), per key and per
    topic group or topic (the whole oblast)."""

    all: npt.NDArray[np.int64]
    by_key: dict[Hashable, npt.NDArray[np.int64]]
    by_group: dict[Hashable, npt.NDArray[np.int64]] = field(default_factory=dict)
    members: dict[Hashable, list[Hashable]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_group:
            members: dict[Hashable, list[Hashable]] = {}
            for key in self.by_key:
                g = group_of(key)
                if g is not None:
                    members.setdefault(g, []).append(key)
            self.members = members
            self.by_group = {
                g: np.sort(np.concatenate([self.by_key[k] for k in ks])) for g, ks in members.items()
            }

    @classmethod
    def from_events(cls, events: Iterable[tuple[float, Hashable]]) -> Series:
        keyed: dict[Hashable, list[float]] = {}
        every: list[float] = []
        for t, key in events:
            if not is_topic(key):  # a message is in one group key (and maybe a topic key): counted once
                every.append(t)
            keyed.setdefault(key, []).append(t)
        return cls(
            np.sort(np.asarray(every, dtype=np.int64)),
            {k: np.sort(np.asarray(v, dtype=np.int64)) for k, v in keyed.items()},
        )

    def with_events(self, key: Hashable, times: Iterable[float]) -> Series:
        """A copy with more messages of one key (cheap: only that key's, its group's and the overall arrays)."""
        extra = np.asarray(list(times), dtype=np.int64)
        by_key = dict(self.by_key)
        by_key[key] = np.sort(np.concatenate([by_key.get(key, np.empty(0, dtype=np.int64)), extra]))
        g = group_of(key)
        by_group, members = dict(self.by_group), {g2: list(ks) for g2, ks in self.members.items()}
        if g is not None:
            by_group[g] = np.sort(np.concatenate([by_group.get(g, np.empty(0, dtype=np.int64)), extra]))
            if key not in members.setdefault(g, []):
                members[g].append(key)
        every = self.all if is_topic(key) else np.sort(np.concatenate([self.all, extra]))
        return Series(every, by_key, by_group, members)


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
    """A significant window of a key — or, with `place` None, of a topic group over the oblast (a wave, with the
    elevated places as (key, count, baseline) in `places`)."""

    key: Hashable
    count: int
    baseline: float
    p_value: float
    window_start: int
    window_end: int
    dispersion: float = 0.0  # the key's over-dispersion: d (linear) or φ (quadratic); 0 with "poisson"
    places: tuple[tuple[Hashable, int, float], ...] = ()

    @property
    def is_wave(self) -> bool:
        return isinstance(self.key, tuple) and len(self.key) == 2 and self.key[1] is None


def _moments(
    times: npt.NDArray[np.int64],
    edges: npt.NDArray[np.int64],
    cells: npt.NDArray[np.intp],
    ncells: int,
    linear: bool,
) -> tuple[float, float]:
    """Method-of-moments pieces of the over-dispersion for counts in the bins between `edges`, grouped by `cells`
    (kind of day × time of day): Σ(n−1)(s² − m) and Σ(n−1)m (linear: d ≈ their ratio) or Σ(n−1)m² (quadratic:
    φ ≈ their ratio) over the cells."""
    x = np.diff(np.searchsorted(times, edges, side="left")).astype(np.float64)
    n = np.bincount(cells, minlength=ncells).astype(np.float64)
    s1 = np.bincount(cells, weights=x, minlength=ncells)
    s2 = np.bincount(cells, weights=x * x, minlength=ncells)
    ok = n > 1
    m = np.where(ok, s1 / np.maximum(n, 1), 0.0)
    ss = s2 - n * m * m  # (n−1)·s²
    num = float(np.sum(np.where(ok, ss - (n - 1) * m, 0.0)))
    den = float(np.sum(np.where(ok, (n - 1) * (m if linear else m * m), 0.0)))
    return num, den


class Baseline:
    """Same-kind previous days for a moment, cached by day; each key's and group's over-dispersion, cached by
    day (estimated from the history before that day, so one Baseline serves one series — or copies of it that
    differ only on or after the day)."""

    def __init__(self, cfg: SurgeSettings, is_working_day: Callable[[date], bool]) -> None:
        self.cfg = cfg
        self.is_working_day = is_working_day
        self._days: dict[date, list[int]] = {}
        self._phi: dict[date, dict[Hashable, float]] = {}
        self._weights: dict[date, dict[Hashable, float]] = {}

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

    def weights(self, series: Series, at: int) -> dict[Hashable, float]:
        """Each key's share of the false-alarm budget for the day of `at`: (1 − s) + s·K·(its share of the
        history's messages), s = `activity_weight`, K = the keys with a history; over those keys they sum to K,
        so the budget (K × alpha) is the same as with one alpha for all, spent more where people write more.
        Topic keys and group keys are two such budgets, each over its own keys. A key without a history (none
        here, or new since) gets 1 − s."""
        day = datetime.fromtimestamp(at, MSK).date()
        cached = self._weights.get(day)
        if cached is None:
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=MSK).timestamp())
            lo = midnight - self.cfg.history_days * DAY
            counts = {k: _count(t, lo, midnight) for k, t in series.by_key.items()}
            s = self.cfg.activity_weight
            cached = {}
            for level in (False, True):
                part = {k: n for k, n in counts.items() if is_topic(k) == level}
                active = sum(1 for n in part.values() if n)
                total = sum(part.values())
                cached.update(
                    {k: (1 - s) + s * active * n / total if total else 1.0 for k, n in part.items()}
                )
            self._weights[day] = cached
        return cached

    def dispersion(self, series: Series, at: int) -> dict[Hashable, float]:
        """The over-dispersion (d or φ, by `dispersion`) of every key and of every group ((group, None)) for the
        day of `at`."""
        day = datetime.fromtimestamp(at, MSK).date()
        cached = self._phi.get(day)
        if cached is not None:
            return cached
        cfg = self.cfg
        w = cfg.window_minutes * 60
        per_day = max(1, DAY // w)
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=MSK).timestamp())
        lo = midnight - cfg.history_days * DAY
        edges = np.asarray(
            [lo + d * DAY + i * w for d in range(cfg.history_days) for i in range(per_day)] + [midnight],
            dtype=np.int64,
        )
        kinds = [
            KINDS.index(day_kind(day - timedelta(days=cfg.history_days - d), self.is_working_day))
            for d in range(cfg.history_days)
        ]
        cells = np.asarray([k * per_day + i for k in kinds for i in range(per_day)], dtype=np.intp)
        ncells = len(KINDS) * per_day
        tau = cfg.shrink
        phi: dict[Hashable, float] = {}
        for level in (False, True):  # group keys, topic keys: each level its own form and priors
            linear = cfg.dispersion_form(level) == "linear"
            keys = {
                k: _moments(t, edges, cells, ncells, linear)
                for k, t in series.by_key.items()
                if is_topic(k) == level
            }
            groups = {
                g: _moments(t, edges, cells, ncells, linear)
                for g, t in series.by_group.items()
                if isinstance(g, tuple) == level
            }
            num_all = sum(n for n, _ in keys.values())
            den_all = sum(d for _, d in keys.values())
            phi_all = max(0.0, (num_all + tau * cfg.dispersion_prior) / (den_all + tau))
            group_prior: dict[Hashable, float] = {}
            for g, ks in series.members.items():
                if isinstance(g, tuple) == level:
                    num = sum(keys[k][0] for k in ks)
                    den = sum(keys[k][1] for k in ks)
                    group_prior[g] = max(0.0, (num + tau * phi_all) / (den + tau))
            for k, (num, den) in keys.items():
                prior = group_prior.get(group_of(k), phi_all)
                phi[k] = max(0.0, (num + tau * prior) / (den + tau))
            # for keys new since (a copy of the series with more messages): their group's prior, or the level's
            phi.update({(_PRIOR, g): v for g, v in group_prior.items()})
            phi[(_PRIOR, level)] = phi_all
            g_num = sum(n for n, _ in groups.values())
            g_den = sum(d for _, d in groups.values())
            phi_groups = max(0.0, (g_num + tau * cfg.dispersion_prior) / (g_den + tau))
            for g, (num, den) in groups.items():
                phi[(g, None)] = max(0.0, (num + tau * phi_groups) / (den + tau))
        self._phi[day] = phi
        return phi


def _expected(
    times: npt.NDArray[np.int64], a: int, b: int, offsets: list[int], cfg: SurgeSettings
) -> tuple[float, int]:
    """The key's own mean count in [a, b) on the same-kind days, and its count over the history."""
    history_start = b - cfg.history_days * DAY
    own = sum(_count(times, a - o, b - o) for o in offsets) / len(offsets) if offsets else 0.0
    hist = _count(times, history_start, a)
    return own, hist


def _level(times: npt.NDArray[np.int64], a: int, hist: int, cfg: SurgeSettings) -> float:
    """The recent level: the last `recent_days` against what the history expects for them (≥ 1)."""
    if cfg.recent_days <= 0:
        return 1.0
    recent = _count(times, a - cfg.recent_days * DAY, a)
    expected = hist * cfg.recent_days / cfg.history_days
    return max(1.0, (recent + 2.0) / (expected + 2.0))


def top_group(of: Hashable) -> Hashable | None:
    """The topic group of a key, a wave or a group's series (`Series.by_group`); of a topic's, the topic's group."""
    g = group_of(of) if isinstance(of, tuple) and len(of) == 2 else of
    return g[0] if isinstance(g, tuple) else g


@dataclass
class Part:
    """What a scan tests when not everything: these keys, and these groups' series (`Series.by_group`) for waves."""

    keys: set[Hashable] = field(default_factory=set)
    groups: set[Hashable] = field(default_factory=set)


def scan(
    series: Series, at: int, cfg: SurgeSettings, baseline: Baseline, only: Part | None = None
) -> list[Candidate]:
    """Significant windows [at − window, at) of every key, and the waves of topic groups over the oblast; with
    `only`, of its keys and groups alone (`worth_scanning`)."""
    w = cfg.window_minutes * 60
    a, b = at - w, at
    history_start = at - cfg.history_days * DAY
    offsets = baseline.offsets(at)
    out: list[Candidate] = []
    shared: list[tuple[int, float]] = []  # `oblast()`, computed once
    phi: dict[Hashable, float] = {}

    def oblast() -> tuple[int, float]:
        """The oblast's count over the history and its mean count in this window on the same-kind days (once a
        scan, when first asked for)."""
        if not shared:
            slot = sum(_count(series.all, a - o, b - o) for o in offsets) / len(offsets) if offsets else 0.0
            shared.append((_count(series.all, history_start, a), slot))
        return shared[0]

    def key_lambda(times: npt.NDArray[np.int64]) -> float:
        total_hist, slot_all = oblast()
        own, key_hist = _expected(times, a, b, offsets, cfg)
        pooled = slot_all * (key_hist / total_hist) if total_hist else 0.0
        return max(own, pooled, cfg.floor) * _level(times, a, key_hist, cfg)

    def time_weight() -> float:
        u = cfg.activity_time_weight
        if not u:
            return 1.0
        total_hist, slot_all = oblast()
        per_window = total_hist * w / (cfg.history_days * DAY)
        # one message a window added to both: an hour the history has (almost) nothing in keeps a share of the
        # budget, and a young installation's few messages move it little
        return (1 - u) + u * (slot_all + 1.0) / (per_window + 1.0)

    def tail(n: int, lam: float, key: Hashable) -> tuple[float, float]:
        nonlocal phi
        form = cfg.dispersion_form(is_topic(key))
        if form == "poisson":
            return poisson_sf(n, lam), 0.0
        if not phi:
            phi = baseline.dispersion(series, at)
        f = phi.get(key)  # d (linear) or φ (quadratic): what the evidence shows
        if f is None:
            f = phi.get((_PRIOR, group_of(key)), phi.get((_PRIOR, is_topic(key)), 0.0))
        return nbinom_sf(n, lam, f / lam if form == "linear" else f), f

    keyed: Iterable[tuple[Hashable, npt.NDArray[np.int64]]] = series.by_key.items()
    grouped: Iterable[tuple[Hashable, npt.NDArray[np.int64]]] = series.by_group.items()
    if only is not None:
        keyed = [(k, series.by_key[k]) for k in only.keys if k in series.by_key]
        grouped = [(g, series.by_group[g]) for g in only.groups if g in series.by_group]
    significant: dict[Hashable, int] = {}
    for key, times in keyed:
        n = _count(times, a, b)
        if n < cfg.min_count:
            continue
        lam = key_lambda(times)
        if n < cfg.min_ratio * lam:
            continue
        p, f = tail(n, lam, key)
        weight = (
            baseline.weights(series, at).get(key, 1 - cfg.activity_weight) if cfg.activity_weight else 1.0
        )
        if p < cfg.alpha_for(is_topic(key)) * weight * time_weight():
            out.append(Candidate(key, n, round(lam, 3), p, a, b, round(f, 3)))
            g = group_of(key)
            significant[g] = significant.get(g, 0) + 1
    if cfg.wave_places <= 0:
        return out
    for g, times in grouped:
        n = _count(times, a, b)
        if n < cfg.min_count:
            continue
        own, hist = _expected(times, a, b, offsets, cfg)
        lam = max(own, cfg.floor) * _level(times, a, hist, cfg)
        by_many = significant.get(g, 0) >= cfg.wave_places
        if not by_many:
            if n < cfg.wave_ratio * lam:
                continue
            p, f = tail(n, lam, (g, None))
            if p >= cfg.alpha_for(isinstance(g, tuple)):
                continue
        else:
            p, f = tail(n, lam, (g, None))
        places = []
        for key in series.members.get(g, []):
            times_k = series.by_key[key]
            n_k = _count(times_k, a, b)
            if n_k < 3:
                continue
            lam_k = key_lambda(times_k)
            if n_k >= cfg.min_ratio * lam_k and tail(n_k, lam_k, key)[0] < cfg.wave_place_alpha:
                places.append((key, n_k, round(lam_k, 3)))
        if len(places) >= cfg.wave_places:
            places.sort(key=lambda x: -x[1])
            out.append(Candidate((g, None), n, round(lam, 3), p, a, b, round(f, 3), tuple(places)))
    return out


@dataclass
class Tracker:
    """Suppresses alerts for a surge that goes on: a place of a topic group alerts again only after
    `quiet_minutes` without a significant window of the group or any of its topics there (a topic's surge and
    its group's are one surge, told by the topic when it shows). While a wave of a topic group (or of one of its
    topics) goes on, the group's per-place surges are part of it: they raise nothing and keep the wave going."""

    cfg: SurgeSettings
    last_significant: dict[Hashable, int] = field(default_factory=dict)

    def _ongoing(self, key: Hashable, at: int) -> bool:
        last = self.last_significant.get(key)
        return last is not None and at - last <= self.cfg.quiet_minutes * 60

    def update(self, candidates: list[Candidate], at: int) -> list[Candidate]:
        new = []
        for c in sorted(candidates, key=order):
            fam = family(c.key)
            wave = (group_of(fam), None)
            if not c.is_wave and self._ongoing(wave, at):
                self.last_significant[wave] = at
            elif not self._ongoing(fam, at):
                new.append(c)
            self.last_significant[fam] = at
        return new


def order(c: Candidate) -> tuple[bool, bool, float]:
    """Waves first (they absorb their places), a topic before its group (it tells more), the most significant
    first."""
    return (not c.is_wave, not is_topic(c.key), c.p_value)


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
    import logging

    from otklik.worktime.calendar import CalendarRangeError
    from otklik.worktime.service import worktime_for

    wt = worktime_for(None)
    cache: dict[date, bool] = {}

    def check(day: date) -> bool:
        if day not in cache:
            start = datetime(day.year, day.month, day.day, tzinfo=MSK)
            try:
                cache[day] = wt.between(start, start + timedelta(days=1)) > 0
            except CalendarRangeError as exc:  # past the loaded years: the detector goes on, the log says why
                logging.getLogger(__name__).error(
                    "surges: %s is outside the production calendar, counted as a working day if Monday to "
                    "Friday; load the calendar of %s (%s)",
                    day,
                    day.year,
                    exc,
                )
                cache[day] = day.weekday() < 5
        return cache[day]

    return check


class _KeptBaseline(Baseline):
    """A `Baseline` whose over-dispersion of a day is kept between the runs of one process (the clock's worker):
    it depends only on the keys and their messages before that day and on the kinds of the days, so the next run —
    and a run's windows of yesterday — reuse it while those are the same (their fingerprint is the key), instead
    of estimating it from every key's 28 days again."""

    _kept: ClassVar[dict[Hashable, dict[Hashable, float]]] = {}
    KEEP = 4  # today's and yesterday's, of one or two settings

    def dispersion(self, series: Series, at: int) -> dict[Hashable, float]:
        day = datetime.fromtimestamp(at, MSK).date()
        if day not in self._phi:
            key = self._fingerprint(series, day)
            kept = self._kept.get(key)
            if kept is None:
                kept = super().dispersion(series, at)
                self._kept[key] = kept
                while len(self._kept) > self.KEEP:
                    self._kept.pop(next(iter(self._kept)))
            self._phi[day] = kept
        return self._phi[day]

    def _fingerprint(self, series: Series, day: date) -> Hashable:
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=MSK).timestamp())
        edges = [midnight - self.cfg.history_days * DAY, midnight]
        kinds = tuple(
            day_kind(day - timedelta(days=d), self.is_working_day)
            for d in range(1, self.cfg.history_days + 1)
        )
        messages = frozenset(
            (k, hash(t[slice(*np.searchsorted(t, edges, side="left").tolist())].tobytes()))
            for k, t in series.by_key.items()
        )
        return (self.cfg, day, kinds, messages)


def lookback_start(now: datetime, cfg: SurgeSettings, is_working_day: Callable[[date], bool]) -> datetime:
    """The earliest end of a window a run at `now` examines: the same time of day `lookback_working_days` working
    days before (by the production calendar), at most `lookback_max_hours` back; `now` itself with 0 days."""
    if cfg.lookback_working_days <= 0:
        return now
    limit = now - timedelta(hours=cfg.lookback_max_hours)
    local = now.astimezone(MSK)
    day, found = local.date(), 0
    while found < cfg.lookback_working_days:
        day -= timedelta(days=1)
        if datetime(day.year, day.month, day.day, tzinfo=MSK) < limit - timedelta(days=1):
            return limit
        found += is_working_day(day)
    start = datetime.combine(day, local.timetz())
    return max(start, limit)


def windows_to_examine(
    at: int, prev: int | None, lo: int, late: dict[Hashable, set[int]], cfg: SurgeSettings
) -> dict[int, set[Hashable] | None]:
    """The ends of the windows a run at `at` examines, each with the topic groups whose keys (and waves) it tests
    there (None: all): the window ending now; the windows since the previous run at `prev` (the worker was down;
    ends every `step_minutes` back from `at`, the one within half a step of `prev` being the one that run
    examined); and, of the earlier windows, those holding a message of `late` (topic group → publication times of
    its messages sent on since `prev`), for that group alone — all ending at `lo` or after."""
    step, w = cfg.step_minutes * 60, cfg.window_minutes * 60
    plan: dict[int, set[Hashable] | None] = {at: None}
    if prev is None or prev >= at:
        return plan
    examined = prev + step // 2  # the previous run's window and the earlier ones end by then
    end = at - step
    while end >= lo and end > examined:
        plan[end] = None
        end -= step
    for g, times in late.items():
        for t in times:  # the windows [end − window, end) holding t that were examined before t was known
            last = min(t + w, examined)
            end = at - -((last - at) // step) * step  # the latest end on the grid by `last`
            while end > t and end >= lo:
                groups = plan.setdefault(end, set())
                if groups is not None:
                    groups.add(g)
                end -= step
    return plan


def worth_scanning(
    plan: dict[int, set[Hashable] | None], at: int, series: Series, cfg: SurgeSettings
) -> dict[int, Part | None]:
    """`plan` (`windows_to_examine`) as what each window's scan tests: the window ending at `at`, everything; an
    earlier one, of the topic groups asked for (None: all), only the keys and groups' series with `min_count`
    messages there — the rest cannot be significant nor make a wave. Counted for all those windows at once, so an
    outage's night or a late message in a quiet hour costs no scan; a window with nothing left is dropped."""
    out: dict[int, Part | None] = {at: None}
    past = sorted(end for end in plan if end != at)
    if not past:
        return out
    every = any(plan[end] is None for end in past)
    wanted = set().union(*(plan[end] or set() for end in past))
    ends = np.asarray(past, dtype=np.int64)
    w = cfg.window_minutes * 60
    parts: dict[int, Part] = {}

    def busy(times: npt.NDArray[np.int64]) -> list[int]:
        n = np.searchsorted(times, ends, side="left") - np.searchsorted(times, ends - w, side="left")
        return np.flatnonzero(n >= cfg.min_count).tolist() if n.max(initial=0) >= cfg.min_count else []

    for g, times in series.by_group.items():
        top = top_group(g)
        if not every and top not in wanted:
            continue
        hits = [(i, g, True) for i in busy(times)]
        hits += [(i, k, False) for k in series.members.get(g, []) for i in busy(series.by_key[k])]
        for i, name, is_group in hits:
            asked = plan[past[i]]
            if asked is None or top in asked:
                part = parts.setdefault(past[i], Part())
                (part.groups if is_group else part.keys).add(name)
    out.update(sorted(parts.items()))
    return out


def _evidence(
    c: Candidate, cfg: SurgeSettings, window_start: datetime, at: int, samples: list[Any], **extra: Any
) -> dict[str, Any]:
    """What an alert shows as its evidence: the count against the baseline, the test, sample messages."""
    return {
        "count": c.count,
        "baseline": c.baseline,
        "ratio": round(c.count / c.baseline, 1) if c.baseline else None,
        "p_value": c.p_value,
        "dispersion": c.dispersion,
        "window_minutes": cfg.window_minutes,
        "window_start": window_start.isoformat(),
        "window_end": datetime.fromtimestamp(at, MSK).isoformat(),
        "last_seen": at,
        "samples": [{**s, "text": s["text"][:300]} for s in samples],
        **extra,
    }


# messages of a window read for its samples, per sample shown: enough to find that many different authors
SAMPLE_READ = 50


def _samples(
    group_id: int, topic_id: int | None, municipality_ids: list[int], since: datetime, until: datetime, n: int
) -> list[Any]:
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from otklik.intake.models import Message

    about = (
        {"case_link__case__topic_id": topic_id} if topic_id else {"case_link__case__topic_group_id": group_id}
    )
    from .moderation import hide_obscene

    window = (
        Message.objects.annotate(t=Coalesce(F("published_at"), F("received_at")))
        .filter(t__gte=since, t__lt=until, case_link__case__municipality_id__in=municipality_ids, **about)
        .order_by("-t", "-id")
        .values("id", "text", "url", "network", "author_id")
    )
    # the people the surge counts (`one_per_author`): each author's newest message, not one person's repeats
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in window[: n * SAMPLE_READ]:
        who = (row["network"], row.pop("author_id") or "")
        if who[1]:
            if who in seen:
                continue
            seen.add(who)
        rows.append(row)
        if len(rows) == n:
            break
    # the samples reach the Governor's office: an obscene word as «б…», as in a significant mark
    return [{**row, "text": hide_obscene(row["text"])[0]} for row in rows]


def _moment(t: float, now: datetime) -> str:
    """«12:30» on the day of `now`, «07.10.2025 12:30» on another."""
    local = datetime.fromtimestamp(t, MSK)
    return f"{local:%H:%M}" if local.date() == now.astimezone(MSK).date() else f"{local:%d.%m.%Y %H:%M}"


class _Alerts:
    """The surge alerts of the keys one run meets — loaded once a key, under the run lock, and kept as the run
    raises and updates them — and which of them a significant window is part of."""

    def __init__(self, cfg: SurgeSettings, series: Series, unexamined: tuple[int, int] | None) -> None:
        self.cfg = cfg
        self.series = series
        self.unexamined = unexamined  # the windows no run examined: ends in (the previous run, the look-back)
        self._of: dict[str, list[Any]] = {}

    def of(self, prefix: str) -> list[Any]:
        from otklik.notify.models import Alert

        if prefix not in self._of:
            newest = Alert.objects.filter(kind=Alert.Kind.SURGE, key__startswith=prefix).order_by(
                "-created_at"
            )
            self._of[prefix] = list(newest[:20])
        return self._of[prefix]

    def ongoing(self, prefix: str, at: int) -> Any:
        """The alert whose surge the significant window ending at `at` is part of, else None (a new surge): one
        significant within `quiet_minutes` of it — the latest significant window of its surge that any run has
        examined, or its first (a window the curator's late sending on showed) — or, when the worker was down
        longer than the look-back, one whose key's counts in the windows no run examined went on raised
        (`_went_on`)."""
        quiet = self.cfg.quiet_minutes * 60
        for alert in sorted(self.of(prefix), key=lambda a: -int(a.evidence.get("last_seen", 0))):
            last = int(alert.evidence.get("last_seen", 0))
            if at > last + quiet:
                return alert if self._went_on(alert, last, at) else None
            if at >= self._first(alert) - quiet:
                return alert
        return None

    def _first(self, alert: Any) -> int:
        ev = alert.evidence
        try:
            start = datetime.fromisoformat(ev["window_start"])
        except (KeyError, TypeError, ValueError):
            return int(ev.get("last_seen", 0))
        return int(start.timestamp()) + int(ev.get("window_minutes", self.cfg.window_minutes)) * 60

    def _went_on(self, alert: Any, last: int, at: int) -> bool:
        """Whether the surge of `alert` (significant last at `last`) went on to within `quiet_minutes` of `at`
        through the windows no run examined, judged by the messages: its key's count stayed at least `min_count`
        and `min_ratio` (a wave: `wave_ratio`) × the alert's baseline, with no quieter stretch of
        `quiet_minutes`."""
        if self.unexamined is None:
            return False
        cfg, ev = self.cfg, alert.evidence
        _, group, where, _ = [*alert.key.split(":"), "", "", "", ""][:4]
        try:
            g = int(group)
            topic = int(ev["topic_id"]) if ev.get("topic_id") else None
            if where == "oblast":
                times = self.series.by_group.get((g, topic) if topic else g)
                ratio = cfg.wave_ratio
            else:
                m = int(where)
                times = self.series.by_key.get(((g, topic), m) if topic else (g, m))
                ratio = cfg.min_ratio
        except (TypeError, ValueError):
            return False
        if times is None:
            return False
        threshold = max(cfg.min_count, ratio * float(ev.get("baseline") or 0))
        step, w, quiet = cfg.step_minutes * 60, cfg.window_minutes * 60, cfg.quiet_minutes * 60
        ends = np.arange(max(last, self.unexamined[0]) + step, min(self.unexamined[1], at) + 1, step)
        counts = np.searchsorted(times, ends, side="left") - np.searchsorted(times, ends - w, side="left")
        seen = last
        for end in ends[counts >= threshold].tolist():
            if end - seen > quiet:
                return False
            seen = end
        return at - seen <= quiet


def _carry_on(alert: Any, at: int, update: dict[str, Any]) -> None:
    """The significant window ending at `at` is part of the surge of `alert`: record `update`, and that the surge
    was seen going on then (`last_seen`, never moved back by a window examined in arrears)."""
    ev = alert.evidence
    alert.evidence = {**ev, **update, "last_seen": max(int(ev.get("last_seen", 0)), at)}
    alert.save(update_fields=["evidence"])


def detect(now: datetime | None = None, cfg: SurgeSettings | None = None) -> list[Any]:
    """Look for surges now; raise one R-14 alert per new surge (an ongoing one only updates its evidence), and
    one oblast-level alert per wave of a topic group (its places' surges are part of it while it goes on). A
    surge of one topic is told by its topic; it and its group's surge in the same place are one alert.

    Besides the window ending now, a run examines every window it has not examined with the data now known
    (`windows_to_examine`, back to `lookback_start`): those since the previous run, when the worker was down,
    and those whose messages the curator sent on after the window had been examined (only a case has the topic
    and the place a message is counted by). A surge found there is reported late, saying when it was and why it
    is late; a window of an ongoing surge keeps it going, so an outage does not split one surge in two."""
    from django.db import transaction
    from django.db.models import Case as SqlCase
    from django.db.models import DateTimeField, F, When
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from otklik.intake.models import Message
    from otklik.notify.alerts import raise_alert
    from otklik.notify.models import Alert, RunLock
    from otklik.notify.services import hold_run_lock
    from otklik.org.models import Municipality, Topic, TopicGroup
    from otklik.web.numbers import counted, significant

    now = now or timezone.now()
    cfg = cfg or SurgeSettings.from_settings()
    at = int(now.timestamp())
    step, w = cfg.step_minutes * 60, cfg.window_minutes * 60
    is_working_day = _is_working_day()
    # the previous run (read before the lock: a run at the same moment examines the same windows, and the lock
    # then makes it find the first one's alerts ongoing)
    ran_at = RunLock.objects.filter(name=SURGE_RUN).values_list("ran_at", flat=True).first()
    prev = int(ran_at.timestamp()) if ran_at is not None and ran_at < now else None
    lo = int(lookback_start(now, cfg, is_working_day).timestamp()) if prev is not None else at
    # a day more than the history: the over-dispersion is estimated on whole days before the window's day
    since = datetime.fromtimestamp(lo, MSK) - timedelta(days=cfg.history_days + 1, minutes=cfg.window_minutes)
    recent = datetime.fromtimestamp(lo - w, MSK)  # the windows a run may examine: when was each sent on
    rows = (
        Message.objects.annotate(
            t=Coalesce(F("published_at"), F("received_at")),
            sent_on=SqlCase(When(t__gte=recent, then=F("case_link__added_at")), output_field=DateTimeField()),
        )
        .filter(t__gte=since, t__lt=now, case_link__case__topic_group__isnull=False)
        .filter(case_link__case__municipality__isnull=False)
        .order_by("t")
        .values_list(
            "t",
            "case_link__case__topic_group_id",
            "case_link__case__topic_id",
            "case_link__case__municipality_id",
            "network",
            "author_id",
            "sent_on",
        )
    )
    # the messages sent on since the previous run but written before it, by topic group; a minute's margin: one
    # sent on as that run read may have been committed after
    late: dict[Hashable, set[int]] = {}
    late_after = (prev - 60) if prev is not None else None
    late_before = (prev + step // 2) if prev is not None else at  # in the windows the runs examined
    # (publication, sent on) of each key's messages of the windows a run may examine: when a late surge's
    # messages were sent on
    known: dict[Hashable, list[tuple[float, float]]] = {}

    def keyed() -> Iterator[tuple[float, Hashable, Hashable]]:
        for t, g, topic, m, network, author, added in rows.iterator(chunk_size=5000):
            ts = t.timestamp()
            # a person is an author in one network: VK's «123» and Telegram's «123» are two people
            who = (network, author) if author else None
            keys: list[Hashable] = [(g, m)]
            if cfg.topic_alpha > 0 and topic is not None:
                keys.append(((g, topic), m))
            if added is not None:
                sent_on = added.timestamp()
                for key in keys:
                    known.setdefault(key, []).append((ts, sent_on))
                if late_after is not None and sent_on > late_after and ts < late_before:
                    late.setdefault(g, set()).add(int(ts))
            for key in keys:
                yield ts, key, who

    series = Series.from_events(one_per_author(keyed(), cfg.window_minutes))
    base = _KeptBaseline(cfg, is_working_day)
    plan = worth_scanning(windows_to_examine(at, prev, lo, late, cfg), at, series, cfg)
    found = [(end, scan(series, end, cfg, base, only)) for end, only in sorted(plan.items())]
    unexamined = (prev, lo) if prev is not None and lo > prev + step // 2 else None

    def lateness(c: Candidate, end: int) -> dict[str, str] | None:
        """Why a surge of a window ending before now is reported only now, for its alert."""
        if end >= at:
            return None
        keys = [k for k, _, _ in c.places] if c.is_wave else [c.key]
        sent_on = max((s for k in keys for t, s in known.get(k, ()) if end - w <= t < end), default=None)
        if sent_on is not None and sent_on > end:
            why = {
                "reason": "routing",
                "routed_at": datetime.fromtimestamp(sent_on, MSK).isoformat(),
                "text": f"сообщения классифицированы в {_moment(sent_on, now)}",
            }
        elif prev is not None and prev < end:
            why = {
                "reason": "outage",
                "text": f"проверка не выполнялась с {_moment(prev, now)} до {_moment(at, now)}",
            }
        else:
            why = {"reason": "", "text": ""}
        start = datetime.fromtimestamp(end - w, MSK)
        finish = datetime.fromtimestamp(end, MSK)
        when = (
            f"{start:%d.%m.%Y %H:%M}–{finish:%H:%M}"
            if start.date() == finish.date()
            else f"{start:%d.%m.%Y %H:%M} – {finish:%d.%m.%Y %H:%M}"
        )
        told = f"выявлен с опозданием: {why['text']}" if why["text"] else "выявлен с опозданием"
        return {**why, "reported_at": now.isoformat(), "sentence": f"Время всплеска: {when}; {told}."}

    raised = []
    # Serialised (R-14: one alert per surge): every worker and clock may start the detector, and two runs at once
    # would both read «no ongoing surge» and alert twice (their keys' window starts differ). The alerting holds
    # the run lock until it commits; a run at the same moment waits for it and then finds its alerts ongoing.
    with transaction.atomic():
        hold_run_lock(SURGE_RUN, now)
        alerts = _Alerts(cfg, series, unexamined)
        # in time order, so a surge found in an earlier window is ongoing in the later ones; in each, waves first
        # (they absorb their places), topics before groups
        for end, candidates in found:
            for c in sorted(candidates, key=order):
                head, municipality_id = cast(tuple[Any, int | None], c.key)
                group_id, topic_id = cast(tuple[int, int | None], head if is_topic(c.key) else (head, None))
                group = TopicGroup.objects.get(pk=group_id)
                topic = Topic.objects.get(pk=topic_id) if topic_id else None
                about = f"{group.name} / {topic.name}" if topic else group.name
                window_start = datetime.fromtimestamp(c.window_start, MSK)
                window_end = datetime.fromtimestamp(c.window_end, MSK)
                wave_prefix = f"surge:{group_id}:oblast:"
                if c.is_wave:
                    place_ids = [cast(tuple[int, int], k)[1] for k, _, _ in c.places]
                    ongoing = alerts.ongoing(wave_prefix, end)
                    if ongoing is not None:
                        seen = sorted({*ongoing.evidence.get("municipality_ids", []), *place_ids})
                        now_count = {"last_count": c.count} if end == at else {}  # as the run sees it now
                        _carry_on(ongoing, end, {"municipality_ids": seen, **now_count})
                        continue
                    late_note = lateness(c, end)
                    told_late = f" {late_note['sentence']}" if late_note else ""
                    names = dict(Municipality.objects.filter(pk__in=place_ids).values_list("pk", "name"))
                    places = [
                        {"municipality_id": m, "name": names.get(m, "?"), "count": n, "baseline": lam}
                        for (_, m), n, lam in cast(list[tuple[tuple[int, int], int, float]], list(c.places))
                    ]
                    samples = _samples(group_id, topic_id, place_ids, window_start, window_end, cfg.samples)
                    listing = "; ".join(
                        f"{p['name']} — {p['count']} (обычно {significant(p['baseline'])})" for p in places
                    )
                    text = (
                        f"Волна сообщений по области: «{about}». За {cfg.window_minutes} мин — {c.count} "
                        f"(обычно в это время {significant(c.baseline)}), "
                        f"рост сразу в {len(places)} муниципальных образованиях: "
                        f"{listing}.{told_late} Примеры:\n"
                        + "\n".join(f"— {s['text'][:200]}" for s in samples)
                    )
                    evidence = _evidence(
                        c,
                        cfg,
                        window_start,
                        end,
                        samples,
                        scope="oblast",
                        topic_id=topic_id,
                        places=places,
                        municipality_ids=sorted(place_ids),
                        **({"late": late_note} if late_note else {}),
                    )
                    alert = raise_alert(
                        Alert.Kind.SURGE,
                        f"{wave_prefix}{c.window_start}",
                        f"Волна активности по области: {about} ({len(places)} МО)",
                        text,
                        link=" ".join(s["url"] for s in samples[:3] if s["url"]),
                        place="по области: " + ", ".join(str(p["name"]) for p in places),
                        audience=f"{counted(c.count, 'сообщение')} за {cfg.window_minutes} мин в {len(places)} МО",
                        evidence=evidence,
                        now=now,
                    )
                    if alert is not None:
                        raised.append(alert)
                        alerts.of(wave_prefix).insert(0, alert)
                    continue
                assert municipality_id is not None
                wave = alerts.ongoing(wave_prefix, end)
                if wave is not None:  # a place of an ongoing wave: part of it
                    seen = sorted({*wave.evidence.get("municipality_ids", []), municipality_id})
                    _carry_on(wave, end, {"municipality_ids": seen})
                    continue
                prefix = f"surge:{group_id}:{municipality_id}:"
                ongoing = alerts.ongoing(prefix, end)
                # the same surge: another of its topics rising is added to the evidence
                if ongoing is not None:
                    ev = ongoing.evidence
                    update: dict[str, Any] = {}
                    if topic_id == ev.get("topic_id"):  # the alert's own key
                        if end == at:  # its count as the run sees it now
                            update["last_count"] = c.count
                    elif topic is not None and topic.pk not in ev.get("other_topic_ids", []):
                        update["other_topic_ids"] = [*ev.get("other_topic_ids", []), topic.pk]
                        update["other_topics"] = [*ev.get("other_topics", []), topic.name]
                    _carry_on(ongoing, end, update)
                    continue
                place = Municipality.objects.get(pk=municipality_id)
                late_note = lateness(c, end)
                told_late = f" {late_note['sentence']}" if late_note else ""
                samples = _samples(
                    group_id, topic_id, [municipality_id], window_start, window_end, cfg.samples
                )
                evidence = _evidence(
                    c,
                    cfg,
                    window_start,
                    end,
                    samples,
                    scope="municipality",
                    topic_id=topic_id,
                    **({"late": late_note} if late_note else {}),
                )
                text = (
                    f"Всплеск сообщений: «{about}», {place.name}. За {cfg.window_minutes} мин — {c.count} "
                    f"(обычно в это время {significant(c.baseline)}).{told_late} Примеры:\n"
                    + "\n".join(f"— {s['text'][:200]}" for s in samples)
                )
                alert = raise_alert(
                    Alert.Kind.SURGE,
                    f"{prefix}{c.window_start}",
                    f"Всплеск активности: {about} — {place.name}",
                    text,
                    link=" ".join(s["url"] for s in samples[:3] if s["url"]),
                    place=place.name,
                    audience=f"{counted(c.count, 'сообщение')} за {cfg.window_minutes} мин",
                    evidence=evidence,
                    now=now,
                )
                if alert is not None:
                    raised.append(alert)
                    alerts.of(prefix).insert(0, alert)
    return raised
