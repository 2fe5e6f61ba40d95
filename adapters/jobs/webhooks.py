"""Job completion webhooks, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from application.ports.jobs import TransientJobError


class StandardWebhookSender:
    def __init__(self, secret: str, timeout_seconds: float = 10.0, client: httpx.AsyncClient | None = None) -> None:
        self._signer = Webhook(secret)
        self._timeout = timeout_seconds
        self._client = client

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
            if self._client is not None:
                response = await self._client.post(url, content=body, headers=headers, timeout=self._timeout)
            else:
                async with httpx.AsyncClient(follow_redirects=False) as client:
                    response = await client.post(url, content=body, headers=headers, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise TransientJobError(f"webhook to {url} failed: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise TransientJobError(f"webhook to {url} answered {response.status_code}")
