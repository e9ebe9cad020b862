"""A thin client of the VK API 5.199 (``https://api.vk.com/method/<method>``, form-encoded POST)."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from otklik.integrations.base import MISSING_CREDENTIALS, ConnectorError, RateLimiter, maybe_done

log = logging.getLogger(__name__)

API_BASE = "https://api.vk.com/method/"
VERSION = "5.199"

# Documented error codes and what each means for a caller (NETWORK-APIS.md).
TRANSIENT = {
    1: 5.0,  # unknown error: try again later
    6: 1.0,  # too many requests per second
    9: 600.0,  # flood control: too many identical actions
    10: 5.0,  # internal server error
    14: 600.0,  # captcha needed: a server cannot solve it; back off and alert
    29: 3600.0,  # rate limit reached for this method (daily quota)
}
PERMANENT = {5, 7, 15, 18, 27, 30, 100, 104, 210, 211, 212, 213, 222, 223}
# Codes about one object (a closed post, a deleted comment): skip the object, keep reading the source.
OBJECT_LEVEL = {15, 18, 30, 104, 210, 211, 212, 213}


# VK's error codes (NETWORK-APIS.md) in words for people: the cursor's and the outbox's error, a notice
PEOPLE = {
    1: "неизвестная ошибка ВКонтакте",
    5: "ВКонтакте не принял токен доступа: он неверен, отозван или истёк — выпустите новый",
    6: "слишком много запросов в секунду — ВКонтакте просит подождать",
    7: "у токена нет прав на это действие",
    9: "ВКонтакте ограничил одинаковые действия",
    10: "внутренняя ошибка ВКонтакте",
    14: "ВКонтакте требует ввести капчу",
    15: "нет доступа: у токена или сообщества нет прав на это действие",
    18: "страница удалена или заблокирована",
    27: "ВКонтакте не принял токен сообщества",
    29: "исчерпан дневной лимит запросов к этому методу ВКонтакте",
    30: "профиль закрыт",
    100: "ВКонтакте не принял параметры запроса (проверьте id сообщества в настройках источника)",
    104: "не найдено",
    210: "нет доступа к записи",
    211: "нет доступа к комментарию",
    212: "нет доступа к комментариям записи",
    213: "нет доступа к ответам",
    222: "ВКонтакте не разрешает ссылки в этом комментарии",
    223: "слишком много ответов в ветке комментариев",
}


def error_for(code: int, msg: str, method: str) -> ConnectorError:
    text = f"VK {method} failed with error {code}: {msg}"
    people = PEOPLE.get(code, "")
    if code in TRANSIENT:
        return ConnectorError(text, permanent=False, retry_after=TRANSIENT[code], code=code, people=people)
    # Unlisted codes are treated as permanent: retrying an unknown refusal is more likely to hurt.
    return ConnectorError(text, permanent=True, code=code, people=people)


class VKClient:
    def __init__(
        self,
        token: str,
        *,
        api_base: str = API_BASE,
        per_second: float = 3.0,
        timeout: float = 30.0,
        retries_on_6: int = 2,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.token = token
        self.api_base = api_base.rstrip("/") + "/"
        self.limiter = RateLimiter(f"vk:{token}", per_second)
        self.retries_on_6 = retries_on_6
        self.http = httpx.Client(timeout=timeout, transport=transport)

    def call(self, method: str, **params: Any) -> Any:
        if not self.token:
            raise ConnectorError(
                f"VK {method}: no access token configured (source config 'token' or OTKLIK_VK_TOKEN)",
                permanent=True,
                people=MISSING_CREDENTIALS,
            )
        data = {k: _value(v) for k, v in params.items() if v is not None}
        data["v"] = VERSION
        for attempt in range(self.retries_on_6 + 1):
            self.limiter.wait()
            try:
                response = self.http.post(
                    self.api_base + method, data=data, headers={"Authorization": f"Bearer {self.token}"}
                )
            except httpx.HTTPError as exc:
                raise ConnectorError(
                    f"VK {method}: {type(exc).__name__}: {exc}", retry_after=5.0, maybe_done=maybe_done(exc)
                ) from exc
            # From here on VK got the request: an answer that is a gateway's 5xx or cannot be read says nothing of
            # whether VK carried it out (a comment may be posted) — the outbox retries with the same `guid`, and
            # after its last attempt asks the executor to check the thread rather than publish a second copy.
            if response.status_code >= 500:
                raise ConnectorError(
                    f"VK {method}: HTTP {response.status_code}", retry_after=5.0, maybe_done=True
                )
            if response.status_code != 200:
                raise ConnectorError(f"VK {method}: HTTP {response.status_code}", permanent=True)
            try:
                body = response.json()
            except ValueError as exc:
                raise ConnectorError(
                    f"VK {method}: response is not JSON", retry_after=5.0, maybe_done=True
                ) from exc
            if not isinstance(body, dict):
                raise ConnectorError(
                    f"VK {method}: unexpected response shape", retry_after=5.0, maybe_done=True
                )
            if "error" in body:
                err = body["error"] if isinstance(body["error"], dict) else {}
                code = int(err.get("error_code") or 1)
                if code == 6 and attempt < self.retries_on_6:
                    log.info("VK %s: too many requests per second, retrying in 1 s", method)
                    time.sleep(1.0)
                    continue
                raise error_for(code, str(err.get("error_msg", "")), method)
            if "response" not in body:
                raise ConnectorError(
                    f"VK {method}: response without 'response'", retry_after=5.0, maybe_done=True
                )
            return body["response"]
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.http.close()


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, list | tuple):
        return ",".join(str(x) for x in v)
    return str(v)
