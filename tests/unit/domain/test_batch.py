from __future__ import annotations

from domain.batch import BatchItem, ItemFacts, ItemStatus, batch_from_dict, batch_to_dict, progress_of, summarize
from domain.jobs import JobError


def items() -> list[BatchItem]:
    queued = [BatchItem(i, "text_analysis") for i in range(3)] + [BatchItem(3, "pronunciation")]
    return [queued[0].succeeded({"errors": []}), queued[1].failed(JobError("empty_text", "text is empty", "text")),
            queued[2].succeeded({"errors": [1, 2]}), queued[3]]


def test_progress_is_the_share_of_items_done_succeeded_or_failed() -> None:
    assert progress_of(items()) == 0.75
    assert progress_of([BatchItem(0, "text_analysis", ItemStatus.RUNNING)]) == 0.0


def test_the_summary_counts_outcomes_and_averages_only_what_each_kind_has() -> None:
    done = [*items()[:3], items()[3].succeeded({"scores": {}})]
    facts = [ItemFacts(cefr_score=40.0, error_count=0, words=10), ItemFacts(cefr_score=None, error_count=2, words=30),
             ItemFacts(pronunciation=81.5)]
    summary = summarize(done, facts)
    assert (summary.total, summary.succeeded, summary.failed) == (4, 3, 1)
    assert (summary.texts_analysed, summary.mean_cefr_score, summary.errors_found) == (2, 40.0, 2)
    assert summary.errors_per_100_words == 5.0
    assert (summary.recordings_assessed, summary.mean_pronunciation) == (1, 81.5)
    empty = summarize([items()[1]], [])
    assert (empty.mean_cefr_score, empty.errors_per_100_words, empty.mean_pronunciation) == (None, None, None)


def test_a_batch_survives_its_json_form() -> None:
    summary = summarize(items(), [ItemFacts(error_count=0, words=5)])
    restored = batch_from_dict(batch_to_dict(items(), summary))
    assert restored == (items(), summary)


def test_while_running_a_batch_shows_statuses_and_errors_without_the_results() -> None:
    light = batch_to_dict(items(), None, with_results=False)
    assert [i["status"] for i in light["items"]] == ["succeeded", "failed", "succeeded", "queued"]
    assert all(i["result"] is None for i in light["items"]) and light["items"][1]["error"]["code"] == "empty_text"


def test_an_item_waiting_for_another_try_is_not_done_and_says_why_the_last_one_failed() -> None:
    timed_out = JobError("unreachable", "The audio URL answered HTTP 503.", "audio.url")
    waiting = BatchItem(0, "pronunciation").started().waiting(timed_out)
    assert (waiting.status, waiting.attempts, waiting.error) == (ItemStatus.QUEUED, 1, timed_out)
    assert progress_of([waiting]) == 0.0
    again = waiting.started().succeeded({"scores": {}})
    assert (again.status, again.attempts, again.error) == (ItemStatus.SUCCEEDED, 2, None)


def test_a_batch_stored_before_items_counted_attempts_still_reads() -> None:
    stored = batch_to_dict(items(), None)
    for item in stored["items"]:
        del item["attempts"]
    assert [i.attempts for i in batch_from_dict(stored)[0]] == [0, 0, 0, 0]
