"""`englivo`: serve, worker, migrate, and the evaluate/train groups the capabilities fill in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from entrypoints.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(help="Englivo AI Engine: transcription, text analysis, CEFR, pronunciation and progress.")
@click.version_option(package_name="englivo-engine")
def cli() -> None:
    pass


@cli.command(help="Run the HTTP/GraphQL service (migrates first outside production).")
@click.option("--host", default=None, help="Bind address (default from ENGLIVO_HOST).")
@click.option("--port", type=int, default=None, help="Port (default from ENGLIVO_PORT, 8001).")
@click.option("--workers", type=int, default=None, help="Worker processes (default from ENGLIVO_WORKERS).")
@click.option("--reload", is_flag=True, help="Reload on code changes (development).")
def serve(host: str | None, port: int | None, workers: int | None, reload: bool) -> None:
    import uvicorn

    from adapters.persistence.migrate import upgrade

    settings = _settings()
    if settings.auto_migrate:
        upgrade(settings.database.url, settings.database.db_schema)
        os.environ["ENGLIVO_DATABASE__AUTO_MIGRATE"] = "false"  # done once here, not once per worker
    uvicorn.run(
        "entrypoints.http.app:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else (workers or settings.workers),
        reload=reload,
        log_config=None,  # structlog formats uvicorn's records too
        proxy_headers=True,
        ws="auto",
    )


@cli.command(help="Run a Celery worker (needs ENGLIVO_REDIS__URL or ENGLIVO_CELERY__BROKER_URL).")
@click.option("--concurrency", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--queues", default="default", show_default=True)
def worker(concurrency: int | None, queues: str) -> None:
    from adapters.observability.logging import configure_logging
    from entrypoints.worker import create_worker

    settings = _settings()
    configure_logging(settings.observability.log_level, json=settings.log_json)
    try:
        app = create_worker(settings)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    argv = ["worker", "--loglevel", settings.observability.log_level, "--queues", queues]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    app.worker_main(argv)


@cli.command(help="Apply database migrations (or roll back with --revision and --down).")
@click.option("--revision", default=None, help="Target revision (default: head, or base with --down).")
@click.option("--down", is_flag=True, help="Downgrade instead of upgrade.")
def migrate(revision: str | None, down: bool) -> None:
    from adapters.persistence.migrate import current_revision, downgrade, upgrade

    settings = _settings()
    url, schema = settings.database.url, settings.database.db_schema
    if down:
        downgrade(url, schema, revision or "base")
    else:
        upgrade(url, schema, revision or "head")
    click.echo(f"database at revision {current_revision(url, schema) or 'base'}")


@cli.command(help="Print the GraphQL schema (SDL) clients generate types from; --output writes schema.graphql.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (e.g. schema.graphql) instead of stdout.")
def schema(output: Path | None) -> None:
    from entrypoints.graphql.schema import schema_sdl

    sdl = schema_sdl()
    if output is None:
        click.echo(sdl, nl=False)
    else:
        output.write_text(sdl)
        click.echo(f"wrote {output}", err=True)


@cli.group(help="Score an engine on a labelled data set; the last stdout line is a JSON object of metrics.")
def evaluate() -> None:
    pass


@cli.group(help="Train the engine's own models from data.")
def train() -> None:
    pass


@cli.group(help="Measure speed: median of repeated runs after warm-up.")
def bench() -> None:
    pass


def _register() -> None:
    """Each capability lists its commands by group; heavy imports stay inside the commands."""
    from entrypoints.cli import assess, progress, pronunciation_miscues, seed_demo, transcription
    from entrypoints.cli.analysis import bench_analysis, evaluate_grammar, evaluate_jfleg
    from entrypoints.cli.bench_api import bench_api
    from entrypoints.cli.bench_load import bench_load
    from entrypoints.cli.pronunciation import (
        bench_pronunciation,
        crossvalidate_pronunciation,
        evaluate_pronunciation,
        train_pronunciation,
    )
    from entrypoints.cli.pronunciation_cv import crossvalidate_end_to_end

    bench.add_command(bench_api)
    bench.add_command(bench_load)
    from entrypoints.cli import cefr

    train.add_command(cefr.train_cefr, "cefr")
    from entrypoints.cli.grammar_training import train_grammar

    train.add_command(train_grammar)
    evaluate.add_command(cefr.evaluate_cefr, "cefr")
    evaluate.add_command(cefr.cv_cefr, "cefr-cv")
    bench.add_command(cefr.bench_cefr, "cefr")
    bench.add_command(bench_pronunciation)
    evaluate.add_command(evaluate_pronunciation)
    evaluate.add_command(crossvalidate_pronunciation)
    evaluate.add_command(crossvalidate_end_to_end)
    train.add_command(train_pronunciation)
    bench.add_command(bench_analysis)
    from entrypoints.cli.batch import bench_batch

    bench.add_command(bench_batch)
    evaluate.add_command(evaluate_grammar)
    evaluate.add_command(evaluate_jfleg)
    groups: dict[str, click.Group] = {"evaluate": evaluate, "bench": bench, "train": train, "top": cli}
    for module in (transcription, progress, seed_demo, pronunciation_miscues, assess):
        for group, commands in module.COMMANDS.items():
            for command in commands:
                groups[group].add_command(command)


_register()


def main() -> None:
    sys.exit(cli())
