"""A small client of the OK API: ``fb.do`` with the md5 ``sig`` as documented on apiok.ru."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from otklik.integrations.base import MISSING_CREDENTIALS, ConnectorError, RateLimiter

API_BASE = "https://api.ok.ru/fb.do"

TRANSIENT = {1: 5.0, 2: 30.0, 8: 60.0, 11: 3600.0}  # unknown, service, flood blocked, limit reached
# OK's error codes (NETWORK-APIS.md) in words for people
PEOPLE = {
    1: "неизвестная ошибка Одноклассников",
    2: "сервис Одноклассников временно недоступен",
    7: "действие заблокировано Одноклассниками",
    8: "Одноклассники ограничили частоту запросов",
    9: "Одноклассники заблокировали адрес сервера",
    10: "нет прав на это действие",
    11: "исчерпан лимит запросов к Одноклассникам",
    100: "Одноклассники не приняли параметры запроса (проверьте id группы и обсуждений в настройках источника)",
    102: "сессия истекла: выпустите новый токен доступа",
    104: "неверная подпись запроса: проверьте секретный ключ приложения («secret_key»)",
    106: "неверный id объекта",
}
# Everything else (3 method, 4 request, 7 action blocked, 9 IP blocked, 10 permission denied, 100 parameter,
# 102 session expired, 104 signature, 106 invalid id) will not succeed by asking again.


def signature(params: dict[str, str], access_token: str, secret_key: str) -> str:
    """``md5(sorted k=v without access_token + md5(access_token + secret_key))``, lower-case hex."""
    secret = hashlib.md5((access_token + secret_key).encode(), usedforsecurity=False).hexdigest()
    joined = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in {"access_token", "sig"})
    return hashlib.md5((joined + secret).encode(), usedforsecurity=False).hexdigest()


class OKClient:
    def __init__(
        self,
        application_key: str,
        secret_key: str,
        access_token: str,
        *,
        api_base: str = API_BASE,
        per_second: float = 5.0,
        timeout: float = 30.0,
    ) -> None:
        self.application_key = application_key
        self.secret_key = secret_key
        self.access_token = access_token
        self.api_base = api_base
        self.limiter = RateLimiter(f"ok:{application_key}:{access_token}", per_second)
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, **params: Any) -> Any:
        if not (self.application_key and self.secret_key and self.access_token):
            raise ConnectorError(
                f"OK {method}: application key, secret key or access token not configured",
                permanent=True,
                people=MISSING_CREDENTIALS,
            )
        data = {k: str(v) for k, v in params.items() if v is not None}
        data.update(method=method, application_key=self.application_key, format="json")
        data["sig"] = signature(data, self.access_token, self.secret_key)
        data["access_token"] = self.access_token
        self.limiter.wait()
        try:
            response = self.http.post(self.api_base, data=data)
        except httpx.HTTPError as exc:
            raise ConnectorError(f"OK {method}: {type(exc).__name__}", retry_after=5.0) from exc
        if response.status_code >= 500:
            raise ConnectorError(f"OK {method}: HTTP {response.status_code}", retry_after=5.0)
        try:
            body = response.json()
        except ValueError as exc:
            raise ConnectorError(f"OK {method}: response is not JSON", retry_after=5.0) from exc
        header_code = response.headers.get("invocation-error")
        if isinstance(body, dict) and ("error_code" in body or header_code):
            code = int(body.get("error_code") or header_code or 1)
            text = f"OK {method} failed with error {code}: {body.get('error_msg', '')}"
            people = PEOPLE.get(code, "")
            if code in TRANSIENT:
                raise ConnectorError(text, retry_after=TRANSIENT[code], code=code, people=people)
            raise ConnectorError(text, permanent=True, code=code, people=people)
        return body
