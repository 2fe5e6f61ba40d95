"""Property-based fuzzing of the whole GraphQL schema through the real HTTP app.

hypothesis-graphql generates queries and mutations from the app's own schema (every root field, any
selection, any argument values the types allow). Each generated operation is sent twice through the
middleware and the view with a valid key: with its arguments written inline, and with them passed as JSON
variables (which graphql-core coerces on another path); a third form replaces some variables with arbitrary
JSON. Whatever the input, no answer may be a 5xx or carry an `INTERNAL` error: bad input gets a typed error.

Bounded: a fixed number of examples with a fixed seed, so the suite runs the same cases each time in a few
seconds. `ENGLIVO_TEST_FUZZ_EXAMPLES=2000` runs that many fresh random examples instead, to hunt for more.

Not sent anywhere: audio and callback URLs are replaced by local or malformed ones before a request leaves
the test (a generated host would be looked up in DNS). Subscriptions are not generated (they run over a
websocket; `test_subscription.py` covers them). Uploads cannot travel in a JSON body; a string where a file
belongs is generated instead.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries
from starlette.testclient import TestClient

from adapters.observability.metrics import Metrics
from entrypoints.graphql.schema import build_schema
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import API_KEY, make_settings

RANDOM_EXAMPLES = int(os.environ.get("ENGLIVO_TEST_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=RANDOM_EXAMPLES or 60,
    derandomize=not RANDOM_EXAMPLES,  # the suite replays the same examples; a hunt draws fresh ones
    database=None,  # no example database: the suite is the same run every time
    deadline=None,  # the first analysis loads the models; time is bounded by the example count
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

# Where generated URLs go instead: refused before any connection or name lookup (literal private addresses,
# other schemes, malformed ports, not URLs at all).
SAFE_URLS = (
    "https://127.0.0.1/answer.wav", "http://[::1]:8080/a.mp3", "https://10.1.2.3:99999/x.wav",
    "ftp://127.0.0.1/x.ogg", "not a url", "", "https://", "https://[::1/x", "file:///etc/passwd",
)
URL_FIELDS = frozenset({"url", "callbackUrl"})

# Custom input scalars: well-formed and malformed values alike.
DATE_TIMES = st.one_of(
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda at: at.isoformat()),
    st.text(max_size=30),
).map(nodes.String)
CUSTOM_SCALARS = {"DateTime": DATE_TIMES, "Upload": st.text(max_size=20).map(nodes.String)}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def fuzz_settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        security={"api_keys": [API_KEY], "rate_limit_per_key": "1000000/minute",
                  "rate_limit_per_user": "1000000/minute"},
        jobs={"concurrency": 1},
    )


@pytest.fixture
def fuzz_client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = fuzz_settings(tmp_path)  # the suite's shared analysis engine: its models are loaded once
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY},
                    raise_server_exceptions=False) as client:
        yield client


def schema_sdl(tmp_path: Path) -> graphql.GraphQLSchema:
    return build_schema(fuzz_settings(tmp_path), Metrics())._schema


class Operation:
    """A generated document with every argument lifted into a variable, so it can be sent either way."""

    def __init__(self, schema: graphql.GraphQLSchema, document: graphql.DocumentNode) -> None:
        self.schema = schema
        self.variables: dict[str, Any] = {}
        self.literals: dict[str, graphql.ValueNode] = {}
        self.types: dict[str, graphql.GraphQLInputType] = {}
        type_info = graphql.TypeInfo(schema)
        lifter = _Lifter(self, type_info)
        lifted = graphql.visit(document, graphql.TypeInfoVisitor(type_info, lifter))
        operation = lifted.definitions[0]
        definitions = tuple(
            graphql.VariableDefinitionNode(variable=_variable(name), type=graphql.parse_type(str(type_)))
            for name, type_ in self.types.items()
        )
        self.document = graphql.DocumentNode(definitions=(
            graphql.OperationDefinitionNode(operation=operation.operation, name=operation.name,
                                            variable_definitions=definitions,
                                            selection_set=operation.selection_set, directives=()),
        ))

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return f"Operation({self.with_variables()!r}, variables={self.variables!r})"

    def with_variables(self) -> str:
        return graphql.print_ast(self.document)

    def inline(self) -> str:
        """The same operation with each argument written where it is used, as generated."""
        literals = self.literals

        class Inline(graphql.Visitor):
            def enter_variable_definition(self, *_: Any) -> object:
                return graphql.REMOVE

            def enter_variable(self, node: graphql.VariableNode, *_: Any) -> object:
                return literals[node.name.value]

        return graphql.print_ast(graphql.visit(self.document, Inline()))


class _Lifter(graphql.Visitor):
    def __init__(self, operation: Operation, type_info: graphql.TypeInfo) -> None:
        super().__init__()
        self.operation = operation
        self.type_info = type_info

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> graphql.ArgumentNode | None:
        argument = self.type_info.get_argument()
        if argument is None:  # an unknown argument (negative mode): left as it is, validation refuses it
            return None
        name = f"v{len(self.operation.types)}"
        literal = _safe_url_literal(node.value) if node.name.value in URL_FIELDS else node.value
        literal = graphql.visit(literal, _UrlLiterals())
        self.operation.literals[name] = literal
        self.operation.variables[name] = graphql.value_from_ast_untyped(literal)
        self.operation.types[name] = argument.type
        return graphql.ArgumentNode(name=node.name, value=_variable(name))


class _UrlLiterals(graphql.Visitor):
    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> graphql.ObjectFieldNode | None:
        if node.name.value in URL_FIELDS:
            return graphql.ObjectFieldNode(name=node.name, value=_safe_url_literal(node.value))
        return None


def _safe_url_literal(node: graphql.ValueNode) -> graphql.ValueNode:
    if isinstance(node, graphql.StringValueNode):
        return graphql.StringValueNode(value=safe_urls(node.value, "url"))
    return node


def _variable(name: str) -> graphql.VariableNode:
    return graphql.VariableNode(name=graphql.NameNode(value=name))


def safe_urls(value: Any, key: str | None = None) -> Any:
    """The value with every URL (an `url` field, a `callbackUrl` argument) replaced by one from SAFE_URLS."""
    if key in URL_FIELDS and isinstance(value, str):
        return SAFE_URLS[zlib.crc32(value.encode()) % len(SAFE_URLS)]
    if isinstance(value, dict):
        return {k: safe_urls(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_urls(v) for v in value]
    return value


def operations(schema: graphql.GraphQLSchema, mode: Mode = Mode.POSITIVE) -> st.SearchStrategy[Operation]:
    options: dict[str, Any] = {"custom_scalars": CUSTOM_SCALARS, "print_ast": lambda document: document,
                               "mode": mode}
    generated = st.one_of(queries(schema, **options), mutations(schema, **options))
    return generated.map(lambda document: Operation(schema, document))


def assert_handled(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> None:
    # json.dumps writes an infinite float (1e400 in a literal) as Infinity, which is not JSON: refused with a 400
    body = json.dumps({"query": query, "variables": variables})
    response = client.post("/graphql", content=body.encode(), headers={"content-type": "application/json"})
    context = f"\n{query}\nvariables: {json.dumps(variables)[:2000]}\n-> {response.status_code} {response.text[:2000]}"
    assert response.status_code < 500, context
    assert response.headers["content-type"].startswith("application/json"), context
    body = response.json()
    codes = [(error.get("extensions") or {}).get("code") for error in body.get("errors") or []]
    assert "INTERNAL" not in codes, context


def test_no_generated_operation_is_answered_with_a_5xx_or_an_internal_error(
    fuzz_client: TestClient, tmp_path: Path
) -> None:
    schema = schema_sdl(tmp_path)

    @FUZZ
    @given(operation=operations(schema))
    def sent_both_ways(operation: Operation) -> None:
        assert_handled(fuzz_client, operation.inline())
        assert_handled(fuzz_client, operation.with_variables(), operation.variables)

    sent_both_ways()


def test_no_variables_of_the_wrong_shape_and_no_schema_violation_give_a_5xx_or_an_internal_error(
    fuzz_client: TestClient, tmp_path: Path
) -> None:
    schema = schema_sdl(tmp_path)

    @FUZZ
    @given(operation=operations(schema), data=st.data())
    def with_wrong_variables(operation: Operation, data: st.DataObject) -> None:
        wrong = data.draw(st.sets(st.sampled_from(sorted(operation.types)))) if operation.types else set()
        variables = {name: safe_urls(data.draw(JSON_VALUES) if name in wrong else value)
                     for name, value in operation.variables.items()}
        assert_handled(fuzz_client, operation.with_variables(), variables)

    @FUZZ
    @given(operation=operations(schema, Mode.NEGATIVE))
    def violating_the_schema(operation: Operation) -> None:
        assert_handled(fuzz_client, operation.with_variables(), operation.variables)

    with_wrong_variables()
    violating_the_schema()
