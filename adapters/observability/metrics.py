"""Prometheus metrics on the engine's own registry, so tests and several apps never collide."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None, namespace: str = "englivo") -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
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
