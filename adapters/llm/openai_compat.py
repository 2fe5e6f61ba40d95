"""Any OpenAI-compatible chat-completions server (OpenAI, llama.cpp, Ollama, vLLM) through the openai SDK."""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.llm.review import answer_schema, parse_answer, prompt
from adapters.observability.metrics import Metrics
from application.ports.analysis import LanguageModelError, LlmAnswer, LlmRequest

DEFAULT_MODEL = "gpt-4o-mini"


class OpenAiReviewer:
    name = "openai"

    def __init__(self, api_key: str | None, model: str | None, timeout_seconds: float, metrics: Metrics,
                 base_url: str | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self._api_key = api_key or "not-needed"  # local servers accept any key
        self._timeout = timeout_seconds
        self._metrics = metrics
        self._base_url = base_url
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            from openai import AsyncOpenAI

            self._client = AsyncOpenAI(api_key=self._api_key, base_url=self._base_url, timeout=self._timeout,
                                       max_retries=0)
        return self._client

    async def review(self, request: LlmRequest) -> LlmAnswer:
        import openai

        system, user = prompt(request)
        try:
            response = await asyncio.wait_for(self._sdk().chat.completions.create(
                model=self.model, temperature=0,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                response_format={"type": "json_schema",
                                 "json_schema": {"name": "learner_review", "schema": answer_schema(), "strict": True}},
            ), self._timeout)
        except TimeoutError as exc:
            raise LanguageModelError(f"no answer within {self._timeout:g} s") from exc
        except openai.OpenAIError as exc:
            raise LanguageModelError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        if not response.choices:
            raise LanguageModelError("no choices in the answer")
        usage = response.usage
        tokens = {"prompt": int(getattr(usage, "prompt_tokens", 0) or 0),
                  "completion": int(getattr(usage, "completion_tokens", 0) or 0)}
        self._metrics.count_llm_tokens(self.name, tokens)
        return parse_answer(response.choices[0].message.content, response.model or self.model, tokens)
