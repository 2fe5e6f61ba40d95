"""Local HTTP servers that speak the documented JSON contracts of the LLM providers, so the real SDKs
(google-genai, openai) can be pointed at them:

- Gemini: `POST /{api version}/models/{model}:generateContent` answering a `GenerateContentResponse`
  (`candidates[].content.parts[].text`, `usageMetadata`, `modelVersion`).
- OpenAI-compatible: `POST /v1/chat/completions` answering a `chat.completion` object
  (`choices[].message.content`, `usage`).

`mode` picks the behaviour: "ok" (answers `answer`), "error" (HTTP 500 with the provider's error body),
"malformed" (a 200 whose text is not the JSON we asked for), "slow" (answers after `delay` seconds).
Every request is recorded in `requests` (path, headers, body)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeLlmServer:
    def __init__(self, provider: str, answer: dict[str, Any] | None = None, mode: str = "ok",
                 delay: float = 5.0) -> None:
        self.provider = provider
        self.answer = answer or {"errors": [], "feedback": "Well done.", "strengths": [], "improvement_areas": []}
        self.mode = mode
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        root = f"http://{host}:{port}"
        return root + "/v1" if self.provider == "openai" else root

    def __enter__(self) -> FakeLlmServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                status, payload = fake._reply(self.path)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler

    def _reply(self, path: str) -> tuple[int, dict[str, Any]]:
        if self.mode == "error":
            if self.provider == "gemini":
                return 500, {"error": {"code": 500, "message": "Internal error", "status": "INTERNAL"}}
            return 500, {"error": {"message": "The server had an error", "type": "server_error", "code": None}}
        text = "Sorry, I cannot help with that." if self.mode == "malformed" else json.dumps(self.answer)
        if self.provider == "gemini":
            if ":generateContent" not in path:
                return 404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}
            return 200, {
                "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP",
                                "index": 0}],
                "usageMetadata": {"promptTokenCount": 120, "candidatesTokenCount": 45, "totalTokenCount": 165},
                "modelVersion": "gemini-fake-001",
            }
        if not path.endswith("/chat/completions"):
            return 404, {"error": {"message": "not found", "type": "invalid_request_error", "code": None}}
        return 200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": "gpt-fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 130, "completion_tokens": 40, "total_tokens": 170},
        }
