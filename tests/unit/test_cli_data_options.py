"""Commands that need a full public corpus take it as --data and say where it comes from; none reads a
folder outside the repository by default (a clone with nothing beside it must not depend on one)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import cli

NEEDS_A_CORPUS = [("train", "cefr"), ("train", "pronunciation"), ("evaluate", "cefr-cv"),
                  ("evaluate", "pronunciation-cv"), ("evaluate", "pronunciation-features-cv"),
                  ("evaluate", "pronunciation"), ("evaluate", "cefr"),
                  ("evaluate", "grammar"), ("evaluate", "transcription"), ("evaluate", "diarization"),
                  ("train", "pronunciation-omissions"), ("evaluate", "pronunciation-miscues"), ("evaluate", "jfleg")]


@pytest.mark.parametrize("command", NEEDS_A_CORPUS, ids=" ".join)
def test_a_command_that_needs_a_corpus_asks_for_it(command: tuple[str, str]) -> None:
    result = CliRunner().invoke(cli, [*command])
    assert result.exit_code == 2, result.output
    assert "Missing option '--data" in result.output


@pytest.mark.parametrize("command", [*NEEDS_A_CORPUS, ("seed-demo",), ("bench", "batch")], ids=" ".join)
def test_the_help_names_no_outside_folder_and_points_to_the_sources(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert "shared" not in result.output
    assert "Data for training and evaluation" in " ".join(result.output.split())


def test_train_cefr_also_takes_the_corpus_folder_as_data() -> None:
    result = CliRunner().invoke(cli, ["train", "cefr", "--data", "no-such-folder"])
    assert result.exit_code == 2 and "'no-such-folder' does not exist" in result.output
