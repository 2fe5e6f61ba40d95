"""The typed contract clients generate code from: schema.graphql is the schema the engine serves, and the
JSON scalar stays only where a result's shape is not known in advance."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
)

from entrypoints.cli.main import cli
from entrypoints.graphql.schema import schema_sdl
from tests.conftest import REPO_ROOT

SDL = REPO_ROOT / "schema.graphql"
REGENERATE = "run `.venv/bin/englivo schema --output schema.graphql` and commit schema.graphql"
# A job's stored result, as stored, for kinds without a typed result: their shape is the job kind's own.
UNTYPED_ON_PURPOSE = {"Job.resultJson", "JobData.json"}


def test_the_committed_schema_graphql_is_the_schema_the_engine_serves() -> None:
    assert SDL.exists(), f"schema.graphql is missing: {REGENERATE}"
    assert SDL.read_text() == schema_sdl(), f"schema.graphql is stale: {REGENERATE}"


def test_englivo_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    written = CliRunner().invoke(cli, ["schema", "--output", str(target)])
    printed = CliRunner().invoke(cli, ["schema"])
    assert written.exit_code == 0 and printed.exit_code == 0, (written.output, printed.output)
    assert target.read_text() == printed.stdout == schema_sdl()


def test_json_scalars_are_left_only_where_the_shape_is_unknown() -> None:
    schema = _schema()
    untyped = {
        f"{type_.name}.{name}"
        for type_ in schema.type_map.values() if isinstance(type_, GraphQLObjectType)
        for name, field in type_.fields.items() if get_named_type(field.type).name == "JSON"
    }
    assert untyped == UNTYPED_ON_PURPOSE


def test_service_info_analysis_cefr_and_provider_are_typed() -> None:
    schema = _schema()
    query, text_analysis = schema.query_type, schema.type_map["TextAnalysis"]
    assert query is not None and isinstance(text_analysis, GraphQLObjectType)
    service_info = query.fields["serviceInfo"].type
    assert isinstance(service_info, GraphQLNonNull) and _name(service_info.of_type) == "ServiceInfo"
    assert _name(text_analysis.fields["cefr"].type) == "CefrAssessment"  # nullable: CEFR may be switched off
    analysis_input, provider = schema.type_map["AnalyzeTextInput"], schema.type_map["AnalysisProvider"]
    assert isinstance(analysis_input, GraphQLInputObjectType) and isinstance(provider, GraphQLEnumType)
    assert _name(analysis_input.fields["provider"].type) == "AnalysisProvider"
    assert set(provider.values) == {"OFFLINE", "GEMINI", "OPENAI"}


def _schema() -> GraphQLSchema:
    """The schema the engine serves, read back from its SDL as a client reads it."""
    return build_schema(schema_sdl())


def _name(type_: object) -> str:
    named = get_named_type(type_)  # type: ignore[arg-type]
    assert isinstance(named, GraphQLNamedType)
    return named.name
