"""`englivo evaluate grammar` (ERRANT span-level scores on an M2 file), `englivo evaluate jfleg` (GLEU) and
`englivo bench analysis`."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

import click

AS_CONFIGURED = "as-configured"  # the detectors the API runs under the settings
COMBINATIONS = (AS_CONFIGURED, "harper+rules+tagger+languagetool", "harper+rules+tagger", "harper+rules+languagetool",
                "harper+rules", "harper", "harper-default", "rules", "tagger", "languagetool", "languagetool-all")
BENCH_PARAGRAPH = (
    "Last summer I go to London with my family for two weeks. We stayed in a small hotel near the river, and "
    "every morning we had breakfast in a cafe where the waiter was very friendly. My brother like football, "
    "so we visited a famous stadium and bought some souvenirs for our friends. I am student at university, "
    "and I study economics, which is interesting but sometimes difficult. In London I practised my English "
    "every day: I asked for directions, ordered food and talked with people on the bus. Some people spoke "
    "very fast, and I didn't understood everything, but most of them were patient and kind. I need more "
    "informations about the history of the city, so I bought a guide book and read it in the evenings. "
    "The weather was better than I expected, although it rained on two days. We also went to several "
    "museums, where we saw old paintings, ancient statues and modern art. My favourite place was a big "
    "park in the centre of the city, because it was quiet and green and full of birds. I can to say that "
    "this trip was one of the best experiences of my life. Next year I would like to return and visit "
    "Scotland and Wales, because my teacher told me that the landscapes there are beautiful. Before that, "
    "I want to improve my speaking and my writing, so I will take an online course and read more books in "
    "English. I think that travelling is the best way to learn a language, because you must use it every "
    "day. When I came back home, I told my friends about the trip and showed them my photos. They were very "
    "interested and asked me many questions about the people, the food and the prices in England."
)


def _engine(combination: str, deadline: float = 0.5, decision: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The checker as the API's wiring builds it from the settings (ENGLIVO_ENGINES__GRAMMAR_TAGGER_PATH picks
    another tagger model), with the detectors of `combination`: `as-configured` takes them from the settings
    (ENGLIVO_ENGINES__GRAMMAR_TAGGER, ..._GRAMMAR_LANGUAGETOOL), as the API does; the others name them."""
    from dataclasses import replace

    from adapters.analysis.checker import CheckerOptions, LocalGrammarChecker, ParsedTexts
    from adapters.analysis.models import ModelManager
    from adapters.inference.scheduler import InferenceScheduler
    from entrypoints.analysis_wiring import checker_options, grammar_tagger
    from entrypoints.settings import load_settings

    models = ModelManager()
    settings = load_settings()
    options = checker_options(settings) if combination == AS_CONFIGURED else CheckerOptions.named(combination)
    options = replace(options, harper_deadline_seconds=deadline, languagetool_deadline_seconds=deadline)
    tagger = grammar_tagger(settings, switched_on=options.tagger)
    if tagger is not None and decision:
        tagger = tagger.with_decision(**decision)
    checker = LocalGrammarChecker(models, ParsedTexts(models), InferenceScheduler(1, 600), options, tagger=tagger)
    checker.warm_up()
    return models, checker


@click.command(name="grammar", help="Span-level correction and detection P/R/F0.5 (ERRANT) on M2 files.")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              multiple=True,
              help="An M2 file (CoNLL-2014 / BEA-2019 format; tokenised text is detokenised before the checker "
                   "sees it), e.g. from scripts/build_wi_m2.py; public sources: the README, 'Data for training "
                   "and evaluation'. Repeat to score several; the totals are over all of them.")
@click.option("--detectors", type=click.Choice(COMBINATIONS), default=AS_CONFIGURED, show_default=True,
              help="Which detectors to compose (the default is what the API runs).")
@click.option("--limit", type=int, default=0, help="Score only the first N sentences of each file (0: all).")
@click.option("--per-rule", is_flag=True, help="Also print how many edits each rule proposed and got right.")
@click.option("--per-type", is_flag=True,
              help="Also print detection and correction recall per ERRANT code and per learner error type.")
@click.option("--recall-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the per-learner-type detection recall over all files as JSON: the table feedback reads "
                   "(adapters/analysis/data/measured_recall.json) to decide which strengths it may claim.")
@click.option("--rule-precision-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write each LanguageTool rule's edits proposed and right over all files as JSON: the table the "
                   "LanguageTool detector reads (adapters/analysis/data/languagetool_rules.json) to choose its rules "
                   "and their confidence. Run it with `--detectors languagetool-all` on development data only.")
@click.option("--keep-margin", type=float, default=None,
              help="Override the tagger's shipped margin over KEEP (for tuning on development data).")
@click.option("--min-probability", type=float, default=None,
              help="Override the tagger's shipped minimum probability of a change (for tuning).")
@click.option("--passes", type=click.IntRange(1, 2), default=None,
              help="Override the tagger's shipped number of passes (for tuning).")
def evaluate_grammar(data: tuple[Path, ...], detectors: str, limit: int, per_rule: bool, per_type: bool,
                     recall_out: Path | None, rule_precision_out: Path | None, keep_margin: float | None,
                     min_probability: float | None,
                     passes: int | None) -> None:
    from adapters.analysis.evaluation import evaluate
    from domain.analysis.m2 import parse_m2

    overrides = {"keep_margin": keep_margin, "min_probability": min_probability, "passes": passes}
    decision = {name: value for name, value in overrides.items() if value is not None}
    # No deadline for Harper here: a slow machine must not change the scores.
    models, checker = _engine(detectors, deadline=60.0, decision=decision)
    results = []
    for path in data:
        sentences = parse_m2(path.read_text())
        if limit:
            sentences = sentences[:limit]
        result = evaluate(checker, models.get().annotator, sentences)
        results.append(result)
        if len(data) > 1:
            click.echo(json.dumps({"data": path.name, "detectors": detectors, **result.summary()}))
    checker.close()
    total = results[0]
    for result in results[1:]:
        total = total + result
    if per_rule:
        for rule, count in total.by_rule.most_common():
            click.echo(f"{rule}\t{count}\t{total.correct_by_rule[rule]}")
    if per_type:
        click.echo(json.dumps({"per_errant_type": total.per_type(), "per_learner_type": total.per_type(True)}))
    source = (f"englivo evaluate grammar --detectors {detectors} --limit {limit} "
              + " ".join(f"--data {p.name}" for p in data))
    if recall_out is not None:
        recall_out.write_text(json.dumps(total.recall_table(source), indent=1) + "\n")
    if rule_precision_out is not None:
        table = total.rule_precision_table("languagetool:", f"{source} --rule-precision-out {rule_precision_out.name}")
        rule_precision_out.write_text(json.dumps(table, indent=1) + "\n")
    # The totals last: scripts read the last line.
    click.echo(json.dumps({"data": "+".join(p.name for p in data), "detectors": detectors, **total.summary()}))


@click.command(name="jfleg", help="GLEU of the engine's corrections on JFLEG (fluency corrections, 4 references).")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="A JFLEG folder with dev.src and dev.ref0..3 (tokenised, one sentence per line); public "
                   "source: the README, 'Data for training and evaluation'.")
@click.option("--detectors", type=click.Choice(COMBINATIONS), default=AS_CONFIGURED, show_default=True)
@click.option("--limit", type=int, default=0, help="Only the first N sentences (0: all).")
def evaluate_jfleg(data: Path, detectors: str, limit: int) -> None:
    """The API's checker corrects each detokenised sentence (corrections only, as `evaluate grammar` counts
    them; hints left out); GLEU compares the result, tokenised by spaCy, with the four references. The
    source itself is scored the same way, as the baseline a system must beat."""
    from adapters.analysis.evaluation import detokenise
    from domain.analysis.analysis import HINT_BELOW
    from domain.analysis.errors import apply_detections
    from domain.analysis.gleu import corpus_gleu

    sources_raw = (data / "dev.src").read_text().splitlines()[: limit or None]
    references = [[line.split() for line in (data / f"dev.ref{k}").read_text().splitlines()[:len(sources_raw)]]
                  for k in range(4) if (data / f"dev.ref{k}").is_file()]
    models, checker = _engine(detectors, deadline=60.0)
    tokenizer = models.get().nlp.tokenizer
    started = time.perf_counter()
    sources, hypotheses, changed = [], [], 0
    for line in sources_raw:
        text = detokenise(tuple(line.split()))
        shown = [d for d in checker.check_sync(text).detections if d.confidence >= HINT_BELOW]
        corrected = apply_detections(text, shown)
        changed += corrected != text
        sources.append([t.text for t in tokenizer(text) if not t.is_space])
        hypotheses.append([t.text for t in tokenizer(corrected) if not t.is_space])
    checker.close()
    click.echo(json.dumps({"data": data.name, "detectors": detectors, "sentences": len(sources),
                           "changed": changed, "gleu": round(corpus_gleu(sources, hypotheses, references), 4),
                           "source_gleu": round(corpus_gleu(sources, sources, references), 4),
                           "seconds": round(time.perf_counter() - started, 1)}))


def worst_case_texts(limit: int = 10_000) -> dict[str, str]:
    """Texts at the length limit that once made the analysis slow or its answer huge (issue 17)."""
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 5000) if w.isalpha() and 6 <= len(w) <= 8]
    misspelt = "".join(f"The {w[0]}{w[2]}{w[1]}{w[3:]} is here. " for w in words)
    texts = {
        "repeated_word": "a " * 5000,
        "misspellings": misspelt,  # hundreds of different errors
        "run_on_sentence": "Yesterday I eat rice and he go home and " * 250,
        "decomposed_and_controls":
            (BENCH_PARAGRAPH.replace("cafe", "cafe\u0301").replace(" go ", " go\x00 ") + " ") * 7,
        "long_essay": (BENCH_PARAGRAPH + " ") * 6,
    }
    return {name: text[:limit - 8] for name, text in texts.items()}


@click.command(name="analysis", help="Offline analysis latency of a 300-word paragraph: median after warm-up.")
@click.option("--runs", default=10, show_default=True, help="Timed runs after warm-up.")
@click.option("--worst-case", is_flag=True,
              help="Instead: each of `worst_case_texts` (at the 10,000-character limit), median and max per text.")
def bench_analysis(runs: int, worst_case: bool) -> None:
    import tempfile

    from adapters.persistence.migrate import upgrade
    from entrypoints.container import build_container, close_container, warm_up_models
    from entrypoints.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(environment="test", cache={"enabled": False, "dir": Path(folder) / "cache"},
                                 database={"url": f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"},
                                 observability={"log_level": "WARNING"})
        upgrade(settings.database.url, settings.database.db_schema)
        container = build_container(settings)
        started = time.perf_counter()
        warm_up_models(container)
        load_seconds = time.perf_counter() - started
        if worst_case:
            report = asyncio.run(_bench_worst_case(container, runs))
            asyncio.run(close_container(container))
            click.echo(json.dumps(report))
            return
        timings = asyncio.run(_bench(container, runs))
        asyncio.run(close_container(container))
    click.echo(json.dumps({
        "words": len(BENCH_PARAGRAPH.split()), "runs": runs, "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1), "load_seconds": round(load_seconds, 1),
    }))


async def _bench(container: Any, runs: int) -> list[float]:
    """The whole use case but GraphQL: check, profile, feedback, cache write and the stored result."""
    from application.use_cases.analyze_text import AnalyzeTextCommand

    analyze = container.analyze_text()
    timings = []
    for i in range(runs + 2):
        command = AnalyzeTextCommand(BENCH_PARAGRAPH + f" ({i})", user_id="bench")  # a new text: no cache hit
        started = time.perf_counter()
        analysis = await analyze.execute(command)
        if i >= 2:
            timings.append((time.perf_counter() - started) * 1000)
        if not analysis.errors:
            raise click.ClickException("the benchmark paragraph has errors to find; none were found")
    return timings


async def _bench_worst_case(container: Any, runs: int) -> dict[str, Any]:
    """The whole use case but GraphQL on each worst-case text; a suffix makes each run a new text (no parse
    or cache reuse). Also the size of the answer: how many errors and places."""
    from application.use_cases.analyze_text import AnalyzeTextCommand

    analyze = container.analyze_text()
    report: dict[str, Any] = {"runs": runs}
    for name, text in worst_case_texts().items():
        timings, cpu = [], []
        for i in range(runs + 1):
            command = AnalyzeTextCommand(f"{text} ({i})", user_id="bench")
            started, cpu_started = time.perf_counter(), time.process_time()
            analysis = await analyze.execute(command)
            if i >= 1:
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        # CPU time of the process (every thread): what the run costs whatever else loads the machine
        report[name] = {"characters": len(command.text), "median_ms": round(statistics.median(timings), 1),
                        "max_ms": round(max(timings), 1), "median_cpu_ms": round(statistics.median(cpu), 1),
                        "errors": len(analysis.errors),
                        "places": sum(e.occurrence_count for e in analysis.errors), "warnings": len(analysis.warnings)}
    report["max_ms"] = max(v["max_ms"] for k, v in report.items() if isinstance(v, dict))
    return report
