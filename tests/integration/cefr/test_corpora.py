"""Speak & Improve transcripts are read in the form our transcription engine writes, with each session a
sample of its own; CEFR-SP keeps both annotators' levels (adapters/cefr/corpora.py)."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.cefr.corpora import read_cefr_sp, read_corpora, spoken_form
from domain.cefr.assessment import TextKind


def test_a_transcript_becomes_what_our_engine_writes() -> None:
    transcript = (
        "IGNORE_TIME_SEGMENT_IN_SCORING i'm extremely (in-) interested in (%hesitation%) learning "
        "about other countries (%hesitation%) (%hesitation%) because Globalisation, you know."
    )
    assert spoken_form(transcript) == (
        "i'm extremely in- interested in um learning about other countries uh um because globalisation you know"
    )


def test_each_scored_part_and_each_scored_session_is_a_sample_grouped_by_test_taker(tmp_path: Path) -> None:
    folder = tmp_path / "speak_and_improve"
    folder.mkdir()
    sessions = [
        {
            "test_id": "T1",
            "overall": 3.5,
            "P1_text": "i live in a small (%hesitation%) town near the sea with my family",
            "P1_score": 3.0,
            "P3_text": "i think (%hesitation%) people should (wor-) work less and rest more",
            "P3_score": None,
        },
        {"test_id": "T2", "P1_text": "my name is anna and i am a student", "P1_score": 2.5},
    ]
    (folder / "train.json").write_text(json.dumps(sessions), encoding="utf-8")
    samples = read_corpora(tmp_path)
    parts = [s for s in samples if s.corpus == "si"]
    whole = [s for s in samples if s.corpus == "si_session"]
    assert [(s.group, s.position) for s in parts] == [("T1", 3.0), ("T2", 2.5)]
    assert len(whole) == 1 and whole[0].position == 3.5 and whole[0].kind is TextKind.SPOKEN
    assert whole[0].text == (
        "i live in a small um town near the sea with my family i think um people should wor- work less and rest more"
    )
    assert {s.fold_group for s in samples if s.group == "T1"} == {"si:T1"}


def test_cefr_sp_keeps_both_annotators(tmp_path: Path) -> None:
    path = tmp_path / "CEFR-SP_SCoRE_train.txt"
    path.write_text("I like it .\t1\t2\nThe committee deferred its decision .\t5\t4\n", encoding="utf-8")
    samples = list(read_cefr_sp(path))
    assert [(s.text, s.position, s.annotator_levels) for s in samples] == [
        ("I like it.", 1.5, (1, 2)),
        ("The committee deferred its decision.", 4.5, (5, 4)),
    ]
