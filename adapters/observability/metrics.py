"""Prometheus metrics on the engine's own registry, so tests and several apps never collide.

Every label takes a bounded set of values: the engine names most of them itself; the two a client chooses
(the HTTP method and the GraphQL operation name) pass through `LabelValues`, so no caller can grow the
unauthenticated /metrics page (and the memory behind it) without end."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
OTHER = "other"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "WS"})
_GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")  # a GraphQL name, at most 64 characters


class LabelValues:
    """The values a client-chosen label may take: well-formed ones, the first `limit` distinct ones seen;
    anything else is counted as "other"."""

    def __init__(self, limit: int, well_formed: Callable[[str], bool], always: frozenset[str] = frozenset()) -> None:
        self._limit = limit
        self._well_formed = well_formed
        self._seen: set[str] = set(always)
        self._lock = threading.Lock()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if not self._well_formed(value):
            return OTHER
        with self._lock:
            if len(self._seen) >= self._limit:
                return OTHER
            self._seen.add(value)
        return value


class Metrics:
    def __init__(
        self, registry: CollectorRegistry | None = None, namespace: str = "englivo", max_operation_names: int = 100
    ) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        self._operation_names = LabelValues(max_operation_names + 1, lambda name: bool(_GRAPHQL_NAME.fullmatch(name)),
                                            always=frozenset({"anonymous"}))
        ns = namespace
        self.requests = Counter(
            "http_requests", "HTTP requests by route, method and status.",
            ["route", "method", "status"], namespace=ns, registry=self.registry,
        )
        self.request_seconds = Histogram(
            "http_request_duration_seconds", "HTTP request latency.",
            ["route", "method"], buckets=LATENCY_BUCKETS, namespace=ns, registry=self.registry,
        )
        self.graphql_operations = Counter(
            "graphql_operations", "GraphQL operations by type, name and outcome.",
            ["operation_type", "operation_name", "outcome"], namespace=ns, registry=self.registry,
        )
        self.ai_operations = Counter(
            "ai_operations", "AI operations by operation, engine and outcome.",
            ["operation", "engine", "outcome"], namespace=ns, registry=self.registry,
        )
        self.ai_operation_seconds = Histogram(
            "ai_operation_duration_seconds", "Duration of AI operations.",
            ["operation", "engine"], buckets=LATENCY_BUCKETS, namespace=ns, registry=self.registry,
        )
        self.cache_requests = Counter(
            "cache_requests", "Cache lookups by tier and outcome (hit, miss, error).",
            ["tier", "outcome"], namespace=ns, registry=self.registry,
        )
        self.cache_tier_up = Gauge(
            "cache_tier_up", "1 while a cache tier answers, 0 while it is skipped as down.",
            ["tier"], namespace=ns, registry=self.registry,
        )
        self.rate_limited = Counter(
            "rate_limited", "Calls refused by a rate limit, by scope (api_key, user).",
            ["scope"], namespace=ns, registry=self.registry,
        )
        self.jobs = Counter(
            "jobs", "Job state changes by kind and state.", ["kind", "state"], namespace=ns, registry=self.registry,
        )
        self.llm_tokens = Counter(
            "llm_tokens", "Tokens sent to and received from LLM providers.", ["provider", "kind"],
            namespace=ns, registry=self.registry,
        )
        self.model_load_seconds = Histogram(
            "model_load_duration_seconds", "Time to load a model.", ["model"],
            buckets=LATENCY_BUCKETS, namespace=ns, registry=self.registry,
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """`route` is already one of the engine's routes or "other"; methods outside HTTP's own count as "other"."""
        method = method if method in HTTP_METHODS else OTHER
        self.requests.labels(route, method, str(status)).inc()
        self.request_seconds.labels(route, method).observe(seconds)

    def count_graphql_operation(self, operation_type: str, operation_name: str | None, outcome: str) -> None:
        name = self._operation_names(operation_name) if operation_name else "anonymous"
        self.graphql_operations.labels(operation_type, name, outcome).inc()

    def count_llm_tokens(self, provider: str, tokens: dict[str, int]) -> None:
        for kind, count in tokens.items():
            self.llm_tokens.labels(provider, kind).inc(count)

    def observe_operation(self, operation: str, engine: str, outcome: str, seconds: float) -> None:
        self.ai_operations.labels(operation, engine, outcome).inc()
        self.ai_operation_seconds.labels(operation, engine).observe(seconds)

    def count_cache(self, tier: str, outcome: str) -> None:
        self.cache_requests.labels(tier, outcome).inc()

    def set_tier_up(self, tier: str, up: bool) -> None:
        self.cache_tier_up.labels(tier).set(1 if up else 0)

    def observe_model_load(self, model: str, seconds: float) -> None:
        self.model_load_seconds.labels(model).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
