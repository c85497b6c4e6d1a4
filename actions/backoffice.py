"""Async client for the utility's billing and connection back office (contract: docs/backoffice_api.md).

The sandbox in ``backoffice/`` implements the same API, so a real back office
plugs in by changing ``BACKOFFICE_URL`` and ``BACKOFFICE_API_KEY``.

Reads are idempotent and retried once on a connection error, a timeout or a
5xx answer; writes are never retried (a retried POST could create a second
ticket). Every failure surfaces as one of three exceptions the actions turn
into polite answers.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import aiohttp

from actions.settings import ActionSettings, settings

DEFAULT_URL = ActionSettings.backoffice_url
DEFAULT_TIMEOUT = ActionSettings.backoffice_timeout


class BackOfficeError(Exception):
    """Base class of back-office failures."""


class BackOfficeUnavailable(BackOfficeError):
    """The back office did not answer in time, or answered with a server error."""


class NotFound(BackOfficeError):
    """The code, period or request does not exist."""


class Rejected(BackOfficeError):
    """The back office refused the input (4xx other than 404 and 429); ``fields`` says which fields and why."""

    def __init__(self, message: str, fields: Optional[List[Dict[str, Any]]] = None) -> None:
        super().__init__(message)
        self.fields = fields or []

    def field_codes(self) -> Dict[str, str]:
        """``{"phone": "invalid_phone", "content": "too_long"}``."""
        return {str(f.get("field")): str(f.get("code") or "invalid") for f in self.fields if f.get("field")}


class Locked(BackOfficeError):
    """Too many failed identity checks for this customer code (429); retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: Optional[int]) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BackOfficeClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_env(cls) -> "BackOfficeClient":
        config = settings()
        return cls(config.backoffice_url, config.backoffice_api_key, config.backoffice_timeout)

    # --- customers ---------------------------------------------------------

    async def customer(self, code: str) -> Dict[str, Any]:
        return await self._get(f"/v1/customers/{code}")

    async def verify(self, code: str, phone_last4: str) -> bool:
        answer = await self._send("POST", f"/v1/customers/{code}/verify", {"phone_last4": phone_last4})
        return bool(answer.get("verified"))

    async def bills(self, code: str, limit: int = 3) -> List[Dict[str, Any]]:
        return (await self._get(f"/v1/customers/{code}/bills", limit=limit))["bills"]

    async def bill(self, code: str, period: str) -> Dict[str, Any]:
        return await self._get(f"/v1/customers/{code}/bills/{period}")

    async def debt(self, code: str) -> Dict[str, Any]:
        return await self._get(f"/v1/customers/{code}/debt")

    async def readings(self, code: str, limit: int = 6) -> List[Dict[str, Any]]:
        return (await self._get(f"/v1/customers/{code}/readings", limit=limit))["readings"]

    # --- outages -----------------------------------------------------------

    async def planned_outages(self, *, days: int = 7, **area: Optional[str]) -> List[Dict[str, Any]]:
        """Planned outages by ``customer_code=`` or by ``province=``/``district=``/``ward=``."""
        params = {k: v for k, v in area.items() if v}
        return (await self._get("/v1/outages/planned", days=days, **params))["outages"]

    async def report_outage(self, **report: Any) -> Dict[str, Any]:
        return await self._send("POST", "/v1/outage-reports", report)

    # --- requests ----------------------------------------------------------

    async def create_connection_request(self, **request: Any) -> Dict[str, Any]:
        return await self._send("POST", "/v1/connection-requests", request)

    async def create_contract_change(self, **request: Any) -> Dict[str, Any]:
        return await self._send("POST", "/v1/contract-changes", request)

    async def create_complaint(self, **complaint: Any) -> Dict[str, Any]:
        return await self._send("POST", "/v1/complaints", complaint)

    async def request(self, code: str, phone_last4: str) -> Dict[str, Any]:
        """One request, for whoever knows the last 4 digits of the phone it was filed with; an unknown
        code and wrong digits are the same NotFound (no enumeration)."""
        return await self._send("POST", "/v1/requests/lookup", {"code": code, "phone_last4": phone_last4})

    async def requests_by_phone(self, phone: str) -> List[Dict[str, Any]]:
        return (await self._send("POST", "/v1/requests/search", {"phone": phone}))["requests"]

    # --- transport ---------------------------------------------------------

    async def _get(self, path: str, **params: Any) -> Dict[str, Any]:
        try:
            return await self._send("GET", path, params=params)
        except BackOfficeUnavailable:
            return await self._send("GET", path, params=params)

    async def _send(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None,
        params: Optional[Dict[str, Any]] = None,
    ) -> Dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        headers = {"X-API-Key": self.api_key}
        try:
            async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
                async with session.request(
                    method, self.base_url + path, json=body, params=params or None
                ) as response:
                    payload = await response.json(content_type=None) if response.content_length != 0 else {}
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise BackOfficeUnavailable(f"{method} {path}: {error!r}") from error
        if status >= 500 or status in (401, 403):
            # A credentials problem is ours, not the customer's: treat it as unavailable.
            raise BackOfficeUnavailable(f"{method} {path}: HTTP {status}")
        if status == 404:
            raise NotFound(_message(payload))
        if status == 429:
            raise Locked(_message(payload), _seconds(retry_after, payload))
        if status >= 400:
            raise Rejected(_message(payload), _error(payload).get("fields"))
        return payload or {}


def _error(payload: Any) -> Dict[str, Any]:
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        return payload["error"]
    return {}


def _message(payload: Any) -> str:
    return str(_error(payload).get("message", "")) or str(payload)


def _seconds(header: Optional[str], payload: Any) -> Optional[int]:
    """The wait the back office asks for: the Retry-After header, else ``retry_after`` in the error body."""
    for value in (header, _error(payload).get("retry_after")):
        try:
            return max(0, int(float(value)))
        except (TypeError, ValueError):
            continue
    return None
