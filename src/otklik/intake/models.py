from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Network(models.TextChoices):
    """Where a message was written (R-4)."""

    VK = "vk", "ВКонтакте"
    OK = "ok", "Одноклассники"
    TELEGRAM = "telegram", "Telegram"
    YOUTUBE = "youtube", "YouTube"
    FEED = "feed", "Блог / сайт (RSS)"
    FORUM = "forum", "Форум"
    MESSENGER = "messenger", "Мессенджер"
    REVIEWS = "reviews", "Сайт отзывов"
    OTHER = "other", "Другое"


class Source(models.Model):
    """What to watch: a community, a channel, a search query, a feed, or an import."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "сообщество / группа"
        CHANNEL = "channel", "канал"
        SEARCH = "search", "поисковый запрос"
        FEED = "feed", "лента RSS/Atom"
        IMPORT = "import", "импорт файлов"
        MANUAL = "manual", "ручной ввод"

    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    external_id = models.CharField(
        "идентификатор в сети",
        max_length=300,
        blank=True,
        help_text="ВКонтакте: число из адреса стены сообщества (vk.com/wall-200000001_… → 200000001), не короткое "
        "имя; Одноклассники: id группы. Для поискового запроса, Telegram, YouTube и RSS не нужен.",
    )
    url = models.URLField("ссылка", max_length=1000, blank=True)
    config = models.JSONField(
        "настройки",
        default=dict,
        blank=True,
        help_text=(
            'JSON, ключи по сети. ВКонтакте: "token"; для поискового запроса "q". Telegram: "token" бота. '
            'Одноклассники: "application_key", "secret_key", "token", "topics" (список id обсуждений). '
            'YouTube: "api_key", "oauth_token" (для ответов), "videos" (список id видео). RSS: "feed_url" '
            '(иначе «ссылка»). Токен можно не хранить в базе: "token": "env:OTKLIK_VK_TOKEN_HEALTH" — '
            "значение берётся из этой переменной окружения. Подробно: docs/operations.md, «Первый день»."
        ),
    )
    body = models.ForeignKey(
        "org.Body",
        verbose_name="орган",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Если это собственное сообщество органа или района",
    )
    municipality = models.ForeignKey(
        "org.Municipality",
        verbose_name="территория источника",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_governor = models.BooleanField("аккаунт Губернатора", default=False)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "источник"
        verbose_name_plural = "источники"
        ordering = ["network", "title"]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.title}"

    def clean(self) -> None:
        """A source is one ingestion can read (R-4): a forum's, messenger's or review site's «сообщество» or
        «канал» has no connector, so it is refused here rather than failing on its cursor every pass
        (`registry.reads`). A VK wall is read by its number: a short name (vk.com/demo_health) reads nothing
        (`owner_id_of`)."""
        from otklik.integrations.registry import NO_CONNECTOR, reads
        from otklik.integrations.vk.connector import owner_id_of

        if not isinstance(self.config, dict):
            # JSON takes a bare string or list as well; every connector reads named settings
            raise ValidationError(
                {
                    "config": "Настройки записываются как объект с названиями полей в фигурных скобках, например "
                    '{"token": "123456789:AAE…"} или {"owner_id": -123456}.'
                }
            )
        if self.network and self.kind and not reads(self.network, self.kind):
            raise ValidationError(
                {
                    "kind": f"Для сети «{self.get_network_display()}» нет подключения: {NO_CONNECTOR}. Выберите "
                    f"вид «{self.Kind.FEED.label}», если у площадки есть лента, иначе «{self.Kind.IMPORT.label}» "
                    f"или «{self.Kind.MANUAL.label}»."
                }
            )
        if self.network != Network.VK or self.kind in (self.Kind.SEARCH, self.Kind.IMPORT, self.Kind.MANUAL):
            return
        configured = self.config.get("owner_id") if isinstance(self.config, dict) else None
        if isinstance(configured, str) and configured.startswith("env:"):
            return  # read from the worker's environment, which this process may not share
        if owner_id_of(self) == 0:
            raise ValidationError(
                {
                    "external_id": "Укажите числовой id сообщества ВКонтакте: число из адреса его стены "
                    "(vk.com/wall-200000001_… → 200000001), а не короткое имя из адреса страницы "
                    "(или owner_id числом в настройках)."
                }
            )


class Cursor(models.Model):
    """How far a source has been read; advanced only after the items it covers are committed."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="cursor")
    position = models.JSONField("позиция", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_error = models.TextField("последняя ошибка", blank=True)

    class Meta:
        verbose_name = "курсор источника"
        verbose_name_plural = "курсоры источников"

    def __str__(self) -> str:
        # the source names it; the position is the connector's data, shown on the cursor's own page
        return f"{self.source}"


class Post(models.Model):
    """A watched post or channel message under which comments arrive."""

    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    external_id = models.CharField("идентификатор в сети", max_length=300)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    url = models.URLField("ссылка", max_length=1000, blank=True)
    text = models.TextField("текст", blank=True)
    published_at = models.DateTimeField("опубликован", null=True, blank=True)
    is_governor = models.BooleanField("пост Губернатора", default=False)
    raw = models.JSONField("исходные данные", default=dict, blank=True)
    # When Otklik first stored the post (ingest's upsert leaves it as it is): the Governor's post's first read
    # even when the checks that open its watch ran days later (`governor.service.first_read`).
    stored_at = models.DateTimeField("сохранён в Отклике", default=timezone.now, null=True, editable=False)

    class Meta:
        verbose_name = "пост"
        verbose_name_plural = "посты"
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="post_unique_external")
        ]
        indexes = [
            # Finds a post by the link people copy (a Telegram channel's post: intake.manual.stored_by_link).
            models.Index(models.F("network"), Lower("url"), name="post_network_url_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.external_id}"


class DeletedHow(models.TextChoices):
    """How we learnt that a message was deleted in its network."""

    EVENT = "event", "уведомление сети"
    FULL_READ = "full_read", "полное чтение обсуждения"
    PUBLISH = "publish", "отказ сети при публикации ответа"


class Message(models.Model):
    """A message from an open source: post, comment, review or chat message (R-4)."""

    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    external_id = models.CharField("идентификатор в сети", max_length=300)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    url = models.URLField("ссылка", max_length=1000, blank=True)
    author_id = models.CharField("автор (id)", max_length=300, blank=True)
    author_name = models.CharField("автор", max_length=300, blank=True)
    author_url = models.URLField("профиль автора", max_length=1000, blank=True)
    text_raw = models.TextField("текст как получен", blank=True)
    text = models.TextField("текст", blank=True, help_text="Очищенный простой текст")
    attachments = models.JSONField("вложения", default=list, blank=True)
    published_at = models.DateTimeField("опубликовано", null=True, blank=True, db_index=True)
    received_at = models.DateTimeField("получено", auto_now_add=True, db_index=True)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    reply_to_external_id = models.CharField(max_length=300, blank=True)
    metrics = models.JSONField("охват и реакции", default=dict, blank=True)
    raw = models.JSONField("исходные данные", default=dict, blank=True)
    parse_error = models.TextField(
        "ошибка разбора", blank=True, help_text="Сообщение сохранено, но разобрано не полностью"
    )
    revision = models.BigIntegerField(
        "версия текста",
        null=True,
        blank=True,
        help_text="Когда текст стал таким (Unix-время правки); более старая версия, доставленная позже, "
        "его не заменяет",
    )
    deleted_at = models.DateTimeField(
        "удалено в сети",
        null=True,
        blank=True,
        help_text="Когда мы узнали, что сообщение удалено в сети (автором или модератором); текст и всё "
        "остальное сохранены. VK: уведомление Callback API, полное чтение обсуждения или отказ при публикации "
        "ответа; Telegram-боты об удалениях не узнают",
    )
    deleted_how = models.CharField(
        "как узнали об удалении",
        max_length=20,
        choices=DeletedHow.choices,
        blank=True,
        db_default="",  # the intake pipeline inserts raw rows without this column
    )
    deleted_by = models.CharField(
        "кто удалил (id в сети)",
        max_length=300,
        blank=True,
        db_default="",
        help_text="Когда сеть это сообщает (VK deleter_id)",
    )
    is_official = models.BooleanField(
        "от органа",
        default=False,
        db_default=False,  # the intake pipeline inserts raw rows without this column
        help_text="Написано официальным аккаунтом органа или это опубликованный ответ: в работу не поступает",
    )

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="message_unique_external"),
        ]
        indexes = [
            # Finds replies that arrived before their parent (intake.pipeline._link_orphans).
            models.Index(
                fields=["network", "reply_to_external_id"],
                name="message_orphan_replies",
                condition=models.Q(reply_to__isnull=True) & ~models.Q(reply_to_external_id=""),
            ),
            # Finds a delivered message by the link people copy (a public Telegram message, in an import's rows
            # or a hand entry: intake.manual.stored_by_link); the link's letter case does not matter.
            models.Index(models.F("network"), Lower("url"), name="message_network_url_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.text[:60]}"

    @property
    def deleted_by_other(self) -> bool:
        """Deleted by someone who is not the author (a community moderator), as the network told us."""
        return bool(self.deleted_by) and bool(self.author_id) and self.deleted_by != self.author_id

    @property
    def deleted_by_author(self) -> bool:
        """Deleted by its author, as the network told us (VK ``deleter_id``)."""
        return bool(self.deleted_by) and self.deleted_by == self.author_id

    def deletion_note(self) -> str:
        """«Удалено автором в сети <дата>» for the pages that show the message; empty when it is not deleted.
        «By its author» only when the network said so (VK ``deleter_id``): a full read or a refused reply only
        shows the message is gone, which a community moderator may have done as well."""
        if self.deleted_at is None:
            return ""
        from django.utils import timezone

        when = timezone.localtime(self.deleted_at).strftime("%d.%m.%Y %H:%M")
        if self.deleted_by_other:
            return f"Удалено в сети {when} модератором сообщества, не автором"
        if self.deleted_by_author:
            return f"Удалено автором в сети {when}"
        return f"Удалено в сети {when} (автором или модератором сообщества)"

    def attachment_list(self) -> list[dict[str, Any]]:
        """The message's attachments with direct links, each with our copy (or its error) when there is one:
        ``{"url", "copy": AttachmentCopy | None}``. Prefetch ``attachment_copies`` for lists."""
        from .attachments import links

        copies = {c.url: c for c in self.attachment_copies.all()}
        return [{"url": url, "copy": copies.get(url)} for url in links(self.attachments)]


class AttachmentCopy(models.Model):
    """Our copy of a photo or video attached to a message (R-4: it outlives the author deleting it).

    Kept apart from ``Message.attachments``, which is the network's own list and is refreshed on every
    repeat delivery. One row per message and link, whether the download worked (``stored``) or not
    (``error``, in Russian for the staff).
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachment_copies")
    url = models.URLField("ссылка в сети", max_length=2000)
    stored = models.CharField("файл", max_length=300, blank=True)
    kind = models.CharField("вид", max_length=10, blank=True)  # photo / video, by the file's first bytes
    size = models.PositiveBigIntegerField("байт", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField("ошибка", max_length=300, blank=True)
    created_at = models.DateTimeField("скачано", auto_now_add=True)

    class Meta:
        verbose_name = "копия вложения"
        verbose_name_plural = "копии вложений"
        ordering = ["message", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "url"], name="attachment_copy_once"),
        ]

    def __str__(self) -> str:
        return self.stored or self.url


class Quarantine(models.Model):
    """A payload that could not be parsed, kept with its error so that nothing is silently lost (R-4)."""

    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarantined"
    )
    kind = models.CharField("вид данных", max_length=50, blank=True)
    payload = models.TextField("данные как получены")
    error = models.TextField("ошибка")
    created_at = models.DateTimeField("получено", auto_now_add=True, db_index=True)
    resolved = models.BooleanField("разобрано вручную", default=False)

    class Meta:
        verbose_name = "неразобранные данные"
        verbose_name_plural = "карантин неразобранных данных"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.error[:80]}"


class DeliveredEvent(models.Model):
    """A pushed event already handled (VK Callback ``event_id``, Telegram ``update_id``): repeats are ignored."""

    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    event_id = models.CharField("идентификатор события", max_length=200)
    received_at = models.DateTimeField("получено", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "полученное событие"
        verbose_name_plural = "полученные события"
        constraints = [models.UniqueConstraint(fields=["network", "event_id"], name="event_unique_delivery")]

    def __str__(self) -> str:
        return f"{self.network} {self.event_id}"


class Outbox(models.Model):
    """An answer to publish in the network where the message was written (R-8.7).

    Written in the same transaction as the approval; a task sends it with retries and backoff. The
    ``idempotency_key`` is unique, so a second row for the same approval cannot exist, and it is passed to
    networks that support one (VK ``guid``).
    """

    class State(models.TextChoices):
        PENDING = "pending", "ожидает отправки"
        SENDING = "sending", "отправляется"
        SENT = "sent", "опубликован"
        FAILED = "failed", "ошибка, нужна ручная публикация"
        MANUAL = "manual", "публикуется вручную"

    message = models.ForeignKey(Message, verbose_name="сообщение", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("текст ответа")
    idempotency_key = models.CharField("ключ идемпотентности", max_length=100, unique=True)
    case_id = models.BigIntegerField("обращение (id)", null=True, blank=True, db_index=True)
    state = models.CharField(
        "состояние", max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    last_error = models.TextField("последняя ошибка", blank=True)
    # An attempt whose outcome is unknown (no answer came back, or the worker died during it) may have published
    # the answer: a later failure for good then asks the executor to check the thread first.
    maybe_sent = models.BooleanField("возможно, уже опубликован", default=False)
    # When the executor was told of the first failed attempt (and that she may publish by hand meanwhile).
    failure_told_at = models.DateTimeField("сообщено о сбое", null=True, blank=True)
    result_url = models.URLField("ссылка на ответ", max_length=1000, blank=True)
    result_external_id = models.CharField(
        "идентификатор ответа в сети", max_length=300, blank=True, db_index=True
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    sent_at = models.DateTimeField("опубликовано", null=True, blank=True)

    class Meta:
        verbose_name = "ответ к публикации"
        verbose_name_plural = "очередь публикации ответов"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="outbox_recent")]  # the admin's list

    def __str__(self) -> str:
        return f"{self.idempotency_key}: {self.get_state_display()}"


class ImportMapping(models.Model):
    """A saved column mapping for file imports (CSV, XLSX, JSON): our field -> the file's column name."""

    FIELDS = (
        "external_id",
        "url",
        "text",
        "author_name",
        "author_id",
        "author_url",
        "published_at",
        "network",
        "reach",
    )

    name = models.CharField("название", max_length=200, unique=True)
    network = models.CharField(
        "сеть по умолчанию", max_length=20, choices=Network.choices, default=Network.OTHER
    )
    columns = models.JSONField("соответствие колонок", default=dict, help_text="поле -> название колонки")
    date_format = models.CharField(
        "формат даты", max_length=50, blank=True, help_text="например, %d.%m.%Y %H:%M; пусто — ISO 8601"
    )

    class Meta:
        verbose_name = "схема импорта"
        verbose_name_plural = "схемы импорта"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def forget_post_copy(sender: Any, instance: Message, **kwargs: Any) -> None:
    """`post_delete` of a `Message` (a citizen's request, in the admin): a visitor's post on an open wall is stored
    twice, as the message and as the `Post` its comments hang on; the post's copy goes with the message — deleted,
    or, while other messages hang on it, kept as an empty post (its link and id) so that they keep their thread.
    A Governor's post is the office's, not a citizen's: left as it is."""
    copy = Post.objects.filter(network=instance.network, external_id=instance.external_id, is_governor=False)
    for post in copy:
        if post.comments.exists():
            Post.objects.filter(pk=post.pk).update(text="", raw={})
        else:
            post.delete()
