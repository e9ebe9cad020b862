"""A thin client of the Telegram Bot API (``<base>/bot<token>/<method>``, JSON bodies; files at
``<base>/file/bot<token>/<file_path>``)."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

import httpx

from otklik.integrations.base import MISSING_CREDENTIALS, ConnectorError, as_dict, maybe_done

log = logging.getLogger(__name__)

API_BASE = "https://api.telegram.org"
MAX_TEXT = 4096  # sendMessage text limit, in characters after entity parsing
MAX_FILE = 20 * 1024 * 1024  # getFile gives bots files up to 20 MB


class TelegramClient:
    def __init__(
        self,
        token: str,
        *,
        api_base: str = API_BASE,
        timeout: float = 40.0,
        max_wait: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.token = token
        self.api_base = api_base.rstrip("/")
        self.max_wait = max_wait  # a 429 asking to wait longer than this is handed to the caller
        self.http = httpx.Client(timeout=timeout, transport=transport)

    def call(self, method: str, **params: Any) -> Any:
        body = {k: v for k, v in params.items() if v is not None}
        if not self.token:
            raise ConnectorError(
                f"Telegram {method}: no bot token configured (source config 'token' or OTKLIK_TELEGRAM_TOKEN)",
                permanent=True,
                people=MISSING_CREDENTIALS,
            )
        url = f"{self.api_base}/bot{self.token}/{method}"
        waited = False
        while True:
            try:
                response = self.http.post(url, json=body)
            except httpx.HTTPError as exc:
                raise ConnectorError(
                    f"Telegram {method}: {type(exc).__name__}", retry_after=5.0, maybe_done=maybe_done(exc)
                ) from exc
            try:
                data = response.json()
            except ValueError as exc:
                # A gateway's page instead of the Bot API's answer: behind it the request may have been done. An
                # answer cut short (HTTP 200, the JSON broken off) is a transport failure: tried again, as 5xx.
                raise ConnectorError(
                    f"Telegram {method}: HTTP {response.status_code}, body is not JSON",
                    permanent=400 <= response.status_code < 500 and response.status_code != 429,
                    retry_after=5.0,
                    code=response.status_code,
                    maybe_done=response.status_code >= 500 or response.status_code == 200,
                ) from exc
            if isinstance(data, dict) and data.get("ok") is True:
                return data.get("result")
            data = data if isinstance(data, dict) else {}
            code = int(data.get("error_code") or response.status_code)
            description = str(data.get("description", ""))
            parameters = as_dict(data.get("parameters"))
            if code == 429:
                retry_after = float(parameters.get("retry_after") or 1)
                if retry_after <= self.max_wait and not waited:
                    log.info("Telegram %s: 429, waiting %.0f s as asked", method, retry_after)
                    time.sleep(retry_after)
                    waited = True
                    continue
                raise ConnectorError(
                    f"Telegram {method}: {description or 'Too Many Requests'}",
                    retry_after=retry_after,
                    code=429,
                    people="Telegram ограничил частоту запросов",
                )
            if "migrate_to_chat_id" in parameters:
                raise ConnectorError(
                    f"Telegram {method}: group moved to supergroup {parameters['migrate_to_chat_id']}",
                    permanent=True,
                    code=code,
                    # The chat is taken from each message, not from a setting (there is none to change): the
                    # request cannot go to the old group again; the bot must be a member of the new supergroup
                    # for the messages written there from now on.
                    people=(
                        "группа Telegram стала супергруппой, бот не может писать в прежнюю группу; "
                        "администратору — проверить, что бот состоит в новой супергруппе"
                    ),
                )
            if code >= 500:
                raise ConnectorError(
                    f"Telegram {method}: {code} {description}", retry_after=5.0, code=code, maybe_done=True
                )
            if code == 409:
                # getUpdates while a webhook is set (or two pollers): transient from our side.
                raise ConnectorError(
                    f"Telegram {method}: {code} {description}",
                    retry_after=30.0,
                    code=code,
                    people="бот уже получает обновления другим способом (вебхук или второй процесс)",
                )
            raise ConnectorError(
                f"Telegram {method}: {code} {description}", permanent=True, code=code, people=_people(code)
            )

    def file_url(self, file_path: str) -> str:
        """Where a file that ``getFile`` gave ``file_path`` for is downloaded (valid for an hour). It holds the
        token: never store or log it (see :meth:`scrub`)."""
        return f"{self.api_base}/file/bot{self.token}/{quote(file_path.lstrip('/'), safe='/')}"

    def scrub(self, text: str) -> str:
        """``text`` (an error, a URL) without the bot token."""
        return text.replace(self.token, "<token>") if self.token else text

    def close(self) -> None:
        self.http.close()


def _people(code: int) -> str:
    """A refusal of the Bot API in words for people (401: the token, 403: the bot is not in the chat or has no
    right there, 400: the request, e.g. a message to reply to that is gone)."""
    if code == 401:
        return "Telegram не принял токен бота — проверьте «token» в настройках источника"
    if code == 403:
        return "у бота нет доступа: его удалили из канала или группы или лишили прав администратора"
    if code == 404:
        return "Telegram не нашёл метод или бота — проверьте токен"
    return "Telegram отказал в запросе"
