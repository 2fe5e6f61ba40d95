"""Gemini through Google's google-genai SDK, with JSON-schema structured output."""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.llm.review import answer_schema, parse_answer, prompt
from adapters.observability.metrics import Metrics
from application.ports.analysis import LanguageModelError, LlmAnswer, LlmRequest

DEFAULT_MODEL = "gemini-2.5-flash"


class GeminiReviewer:
    name = "gemini"

    def __init__(self, api_key: str, model: str | None, timeout_seconds: float, metrics: Metrics,
                 base_url: str | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self._api_key = api_key
        self._timeout = timeout_seconds
        self._metrics = metrics
        self._base_url = base_url
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            from google import genai
            from google.genai import types

            options = types.HttpOptions(timeout=int(self._timeout * 1000), base_url=self._base_url,
                                        retry_options=types.HttpRetryOptions(attempts=1))
            self._client = genai.Client(api_key=self._api_key, http_options=options)
        return self._client

    async def review(self, request: LlmRequest) -> LlmAnswer:
        from google.genai import errors, types

        system, user = prompt(request)
        config = types.GenerateContentConfig(
            system_instruction=system, temperature=0.0, response_mime_type="application/json",
            response_json_schema=answer_schema(),
        )
        try:
            response = await asyncio.wait_for(
                self._sdk().aio.models.generate_content(model=self.model, contents=user, config=config),
                self._timeout)
        except TimeoutError as exc:
            raise LanguageModelError(f"no answer within {self._timeout:g} s") from exc
        except (errors.APIError, OSError, ValueError) as exc:
            raise LanguageModelError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        except Exception as exc:  # httpx transport errors and SDK internals: the provider is unusable
            raise LanguageModelError(f"{type(exc).__name__}") from exc
        usage = response.usage_metadata
        tokens = {"prompt": int(getattr(usage, "prompt_token_count", 0) or 0),
                  "completion": int(getattr(usage, "candidates_token_count", 0) or 0)}
        self._metrics.count_llm_tokens(self.name, tokens)
        return parse_answer(response.text, getattr(response, "model_version", None) or self.model, tokens)
