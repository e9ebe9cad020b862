from __future__ import annotations

from django.db import models


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
    external_id = models.CharField("идентификатор в сети", max_length=300, blank=True)
    url = models.URLField("ссылка", max_length=1000, blank=True)
    config = models.JSONField("настройки", default=dict, blank=True)
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
        return f"{self.source}: {self.position}"


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

    class Meta:
        verbose_name = "пост"
        verbose_name_plural = "посты"
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="post_unique_external")
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.external_id}"


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

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "external_id"], name="message_unique_external"),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.text[:60]}"
