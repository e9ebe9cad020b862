"""`otklik demo`: the Governor's posts (R-7.1 … R-7.4) — three posts of the Governor's VK community over the last
working days with comments, driven through the real triage, checks and actions on a controlled clock.

- three working days back: a post (all its checks done) whose health question got an interim answer, the
  author's details (R-7.3) and the answer; a thank-you that is no question; a roads question answered late (an
  R-7.2 violation, R-12);
- the last working day: a roads question answered in time, and a health question after the first two hours
  with an interim answer still waiting for the author's details;
- today: a post with a health question still open.
The health committee's responsible official requires approval of its executors' answers (R-7.1), so they
approve them. The checks (R-7.4) run as the clock would (`run_checks` a few minutes after every check moment
and every comment); the posts and comments are stored here as ingestion would store them, and `otklik
fake_networks` serves them from the database on the fake VK (`demo_wall`, the same ids), so the clock of
`make run` does the remaining checks on the same wall and an answer published later finds its comment (R-8.7).
Deadlines come from the working-time engine only. Idempotent: nothing is added when the first demo post is
there."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from otklik.cases import policy, sla
from otklik.cases.actions import ActionRefused, default_executor
from otklik.cases.models import Case
from otklik.intake.demo import GOVERNOR_GROUP, GOVERNOR_TITLE, add_demo_sources, demo_message
from otklik.intake.models import Message, Post, Source
from otklik.integrations.vk import schemas
from otklik.org.models import Body, Person, Role
from otklik.worktime.service import worktime_for

from . import actions, service
from .models import Check, Comment, Watch

log = logging.getLogger(__name__)

HEALTH_KEY = "health"  # its line in the starting directory (`org.loaders`)
OWNER = -GOVERNOR_GROUP
CLOCK_LAG = timedelta(minutes=3)  # the clock's run after a check's moment or a comment's receipt

POSTS = {
    1: "Сегодня в Гатчине открылась новая поликлиника на 600 посещений в смену: терапевты, педиатры, кабинет "
    "УЗИ. Спасибо строителям и врачам!",
    2: "Провёл совещание о ремонте региональных дорог: в этом году отремонтируем более 300 км, список участков "
    "опубликуем на сайте комитета.",
    3: "Встретился с главными врачами районных больниц: обсудили электронную запись к врачам и работу скорой "
    "помощи.",
}


class _Clock:
    """The demo's controlled clock: before each step at `t`, the checks run at every moment the clock would
    have run them until `t` (a few minutes after each check moment and each comment's receipt)."""

    def __init__(self, now: datetime, source: Source) -> None:
        self.now = now
        self.source = source
        self.wt: Any = worktime_for(None)
        self.last: datetime | None = None
        self.pending: set[datetime] = set()
        self.seq = 0

    def advance(self, t: datetime) -> None:
        t = min(t, self.now)
        while True:
            due = {
                c.due_at + CLOCK_LAG
                for c in Check.objects.filter(watch__post__source=self.source, state=Check.State.DUE)
            }
            moments = sorted(m for m in self.pending | due if m <= t and (self.last is None or m > self.last))
            if not moments:
                return
            self.last = moments[0]
            self.pending.discard(moments[0])
            service.run_checks(now=moments[0], fetch=False)  # the wall is stored, not fetched

    def post(self, n: int, at: datetime) -> Post:
        self.advance(at)
        post = Post.objects.create(
            network="vk",
            external_id=f"{OWNER}_{n}",
            source=self.source,
            url=f"https://vk.com/wall{OWNER}_{n}",
            text=POSTS[n],
            published_at=at,
            is_governor=True,
        )
        self.pending.add(at + CLOCK_LAG)
        return post

    def comment(
        self, post: Post, at: datetime, author: tuple[str, str], text: str, reply_to: Message | None = None
    ) -> Message:
        self.advance(at)
        self.seq += 1
        key = 100 + self.seq
        message = demo_message(
            network="vk",
            external_id=f"{post.external_id}_{key}",
            source=self.source,
            url=f"{post.url}?reply={key}",
            author_id=author[0],
            author_name=author[1],
            text=text,
            text_raw=text,
            published_at=at,
            post=post,
            reply_to=reply_to,
            lag=timedelta(minutes=1),
        )
        self.pending.add(at + timedelta(minutes=1) + CLOCK_LAG)
        return message

    def answer(self, message: Message, at: datetime, text: str, *, interim: bool = False) -> datetime:
        """The body's executor answers the question of `message` at `at` (its head approves it when the body
        requires approval) and confirms the answer's link under the comment; returns when it was published."""
        self.advance(at)
        case = Comment.objects.get(message=message).case
        if case is None:  # no competent body found (a changed directory): left for the bodies to take
            return at
        try:
            return self._answer(case, message, at, text, interim)
        except ActionRefused as exc:  # e.g. nobody on duty in the body: the question stays open, as in life
            log.warning("demo governor question %s left unanswered: %s", case.pk, exc.message)
            return at

    def _answer(self, case: Case, message: Message, at: datetime, text: str, interim: bool) -> datetime:
        part = actions.parts_of(case)[0]
        executor = part.executor or default_executor(part.body)
        if executor is None:
            return at
        actions.submit_answer(case, executor, text, interim=interim, now=at)
        part.refresh_from_db()
        if actions.part_phase(part) == Case.Status.REVIEW:
            head = Person.objects.filter(
                roles__kind=Role.Kind.RESPONSIBLE, roles__body=part.body, is_active=True
            ).first()
            if head is None:
                return at
            at = self.wt.add(at, 15)
            self.advance(at)
            actions.approve_answer(case, head, now=at)
        at = self.wt.add(at, 5)
        self.advance(at)
        self.seq += 1
        # the answer's own link: a reply of its own under the post, in the comment's thread (never the comment's link)
        thread = message.external_id.rsplit("_", 1)[1]
        url = f"{message.url.split('?', 1)[0]}?reply={9000 + self.seq}&thread={thread}"
        actions.confirm_publication(case, method="manual", url=url, actor=executor, now=at)
        return at


def _working_day_back(wt: Any, now: datetime, back: int) -> datetime:
    """09:00 of the `back`-th working day before today (local time)."""
    day = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    while back:
        day -= timedelta(days=1)
        if wt.is_working(day.replace(hour=11)):
            back -= 1
    return day


def add_demo_governor(now: datetime | None = None) -> int:
    """Create the demo's Governor's posts once, their history ending at `now`; returns how many posts."""
    add_demo_sources()
    source = Source.objects.filter(network="vk", title=GOVERNOR_TITLE, is_governor=True).first()
    if source is None or Post.objects.filter(network="vk", external_id=f"{OWNER}_1").exists():
        return 0
    health = Body.objects.filter(directory_key=HEALTH_KEY).first()  # renamed since or not
    head = Person.objects.filter(username="health_head").first()
    if health is None or head is None:
        return 0
    policy.ensure_defaults()
    now = now or timezone.now()
    clock = _Clock(now, source)
    wt = clock.wt
    actions.set_require_approval(health, head, True)  # the head approves the health answers

    # Three working days back (all its checks done): an interim answer, the author's details and the answer; a late roads answer.
    at = wt.next_working_moment(_working_day_back(wt, now, 3).replace(hour=10))
    first = clock.post(1, at)
    asks = clock.comment(
        first,
        at + timedelta(minutes=20),
        ("381001", "Ирина Соколова"),
        "Когда в поликлинике Гатчины появится терапевт? Записаться невозможно.",
    )
    clock.comment(
        first, at + timedelta(minutes=30), ("381002", "Сергей Павлов"), "Спасибо, отличная новость!"
    )
    late = clock.comment(
        first,
        at + timedelta(minutes=40),
        ("381003", "Наталья Крылова"),
        "Когда отремонтируют дорогу в Гатчине? Ямы по колено.",
    )
    clock.answer(
        asks,
        wt.add(at, 50),
        "Здравствуйте, Ирина! Уточните, пожалуйста, к какой поликлинике вы прикреплены и к какому терапевту "
        "не удаётся записаться — проверим расписание.",
        interim=True,
    )
    window_end = Watch.objects.get(post=first).first_window_end or at
    clock.advance(wt.add(window_end, 5))
    sla.sweep(now=min(wt.add(window_end, 5), now))  # the clock's sweep records the breach
    published = clock.answer(
        late,
        wt.add(window_end, 45),
        "Наталья, ямочный ремонт улиц Гатчины включён в план этого месяца, подрядчик приступит на "
        "следующей неделе.",
    )
    details = clock.comment(
        first,
        published + timedelta(minutes=20),
        ("381001", "Ирина Соколова"),
        "Поликлиника на улице Рощинской, участок 12, запись закрыта третью неделю.",
        reply_to=asks,
    )
    clock.answer(
        asks,
        wt.add(details.published_at, 60),
        "Ирина, на участок 12 назначен новый терапевт, запись к нему открыта на Госуслугах и по телефону "
        "122 с понедельника.",
    )

    # The last working day: a roads question answered in time; a health question waiting for the author.
    at = wt.next_working_moment(_working_day_back(wt, now, 1).replace(hour=11))
    second = clock.post(2, at)
    roads = clock.comment(
        second,
        at + timedelta(minutes=25),
        ("381004", "Дмитрий Орлов"),
        "Когда отремонтируют дорогу в деревне? Там одни ямы, не проехать.",
    )
    clock.answer(
        roads,
        wt.add(at, 60),
        "Дмитрий, напишите, пожалуйста, название деревни в сообщениях сообщества комитета — участок включим "
        "в обследование; список ремонтов на этот год уже на сайте комитета.",
    )
    waiting = clock.comment(
        second,
        wt.add(at, 150),
        ("381005", "Ольга Ветрова"),
        "Скажите, когда в Тосно откроют запись к кардиологу? Электронная запись не работает.",
    )
    clock.answer(
        waiting,
        wt.add(waiting.published_at, 30),
        "Ольга, уточните, пожалуйста, в какой поликлинике Тосно вы наблюдаетесь — проверим расписание "
        "кардиолога.",
        interim=True,
    )

    # Today: a question still open.
    at = now - timedelta(minutes=40)
    third = clock.post(3, at)
    clock.comment(
        third,
        at + timedelta(minutes=20),
        ("381006", "Алексей Смирнов"),
        "Когда в Гатчине заработает электронная запись к врачу? Сайт не открывается уже неделю.",
    )
    clock.advance(now)
    sla.sweep(now=now)
    return 3


GOVERNOR_NAME = "Губернатор Ленинградской области"  # the community's name on the fake VK


def demo_wall() -> dict[str, list[dict[str, Any]]]:
    """The Governor's demo community as VK's API lists it, read from the database: the posts `add_demo_governor`
    stored and every comment under them (with what ingestion stored there since: the answers published through
    the API come back as comments), under the ids they have here; their authors for ``extended=1``.

    `otklik fake_networks` puts it on the fake VK (``FakeVK.add_wall``), so that an answer published under a
    demo comment is a reply to that comment (R-7.1, R-8.7) instead of a refusal taken for its deletion, and the
    clock's checks read the same posts and comments (R-7.4). Nobody deletes a comment on the fake VK, so a
    comment marked deleted here is listed too: the mark came from a refusal of the fake before it held the wall
    (the next read or publication clears it)."""
    source = Source.objects.filter(network="vk", title=GOVERNOR_TITLE, is_governor=True).first()
    if source is None:
        return {"posts": []}
    posts: dict[int, dict[str, Any]] = {}
    for post in Post.objects.filter(network="vk", source=source).order_by("id"):
        owner, post_id, comment_id = _split(post.external_id)
        if owner != OWNER or post_id is None or comment_id is not None:
            continue
        posts[post.pk] = {
            "id": post_id,
            "owner_id": OWNER,
            "from_id": OWNER,
            "date": _unix(post.published_at),
            "text": post.text,
            "type": "post",
            "post_type": "post",
            "attachments": [],
            "comments": {"can_post": 1, "count": 0, "groups_can_post": True},
            "likes": {"can_like": 1, "count": 0, "user_likes": 0, "can_publish": 1},
            "reposts": {"count": 0, "user_reposted": 0},
            "views": {"count": 0},
        }
    messages = {
        m.pk: m
        for m in Message.objects.filter(network="vk", post_id__in=posts).order_by("published_at", "id")
    }
    by_key = {m.external_id: m for m in messages.values()}
    comments: list[dict[str, Any]] = []
    profiles: dict[int, dict[str, Any]] = {}
    for m in messages.values():
        owner, post_id, comment_id = _split(m.external_id)
        under = posts.get(m.post_id or 0)
        if owner != OWNER or comment_id is None or under is None or post_id != under["id"]:
            continue
        parent = _parent(m, messages, by_key)
        root = parent
        for _ in range(len(messages)):  # VK threads are one level deep: a reply's thread is its top comment's
            above = _parent(root, messages, by_key) if root is not None else None
            if above is None:
                break
            root = above
        from_id = int(m.author_id) if m.author_id.lstrip("-").isdigit() else 0
        item: dict[str, Any] = {
            "id": comment_id,
            "from_id": from_id,
            "date": _unix(m.published_at or m.received_at),
            "text": m.text_raw or m.text,
            "post_id": post_id,
            "owner_id": OWNER,
            "parents_stack": [_split(root.external_id)[2]] if root is not None else [],
            "likes": {"can_like": 1, "count": 0, "user_likes": 0, "can_publish": 1},
            "attachments": (m.raw.get("attachments") or []) if isinstance(m.raw, dict) else [],
        }
        if parent is not None:
            item["reply_to_comment"] = _split(parent.external_id)[2]
            item["reply_to_user"] = int(parent.author_id) if parent.author_id.lstrip("-").isdigit() else 0
        comments.append(item)
        if from_id > 0 and from_id not in profiles:
            first, _, last = m.author_name.partition(" ")
            profiles[from_id] = {"id": from_id, "first_name": first, "last_name": last, "is_closed": False}
    group = {
        "id": GOVERNOR_GROUP,
        "name": GOVERNOR_NAME,
        "screen_name": "demo_governor_lenobl",
        "type": "page",
        "is_closed": 0,
    }
    return {
        "posts": list(posts.values()),
        "comments": comments,
        "profiles": [*profiles.values()],
        "groups": [group],
    }


def _split(external_id: str) -> tuple[int | None, int | None, int | None]:
    try:
        return schemas.split_key(external_id)
    except ValueError:
        return None, None, None


def _parent(m: Message, messages: dict[int, Message], by_key: dict[str, Message]) -> Message | None:
    """The comment `m` replies to among the wall's comments, by link or by the network's id of it."""
    if m.reply_to_id is not None:
        return messages.get(m.reply_to_id)
    return by_key.get(m.reply_to_external_id) if m.reply_to_external_id else None


def _unix(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0
