"""Job completion webhooks, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from adapters.security.urls import OutboundGuard, OutboundPolicy, UrlRefused, parse_url
from application.ports.jobs import TransientJobError, WebhookRefused


class StandardWebhookSender:
    """Sends through the outbound guard: the callback host is resolved, checked and pinned at each delivery
    (it was checked at submission too, but a name can resolve elsewhere by the time the job ends)."""

    def __init__(self, secret: str, timeout_seconds: float = 10.0, guard: OutboundGuard | None = None) -> None:
        self._signer = Webhook(secret)
        self._timeout = timeout_seconds
        self._guard = guard or OutboundGuard(OutboundPolicy())

    async def deliver(self, url: str, message_id: str, event: str, payload: dict[str, Any]) -> None:
        sent_at = datetime.fromtimestamp(int(time.time()), UTC)
        body = json.dumps({"type": event, "timestamp": sent_at.isoformat(), "data": payload})
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": self._signer.sign(message_id, sent_at, body),
        }
        try:
            target = parse_url(url)
            async with self._guard.client(timeout=self._timeout) as client:
                response = await client.post(target, content=body, headers=headers)
        except UrlRefused as exc:
            if exc.code == "unreachable":  # the name does not resolve now
                raise TransientJobError(f"webhook failed: {exc}") from None
            raise WebhookRefused(f"webhook refused: the callback URL {exc}") from None
        except httpx.HTTPError as exc:
            raise TransientJobError(f"webhook to {url} failed: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise TransientJobError(f"webhook to {url} answered {response.status_code}")
