from domain.transcription.fillers import disfluency_flags, is_filler_word, mark_fillers, normalise
from domain.transcription.transcript import Word


def test_normalise_strips_punctuation_and_case() -> None:
    assert normalise(" Um, ") == "um"
    assert normalise("th-") == "th-"
    assert normalise("I'm.") == "i'm"


def test_filler_words_are_recognised_whatever_their_punctuation() -> None:
    assert all(is_filler_word(w) for w in ["um", "Uh,", "er.", "Erm", "hmm...", "Mm-"])
    assert not any(is_filler_word(w) for w in ["like", "umbrella", "her", "the"])


def test_repeated_word_marks_the_first_of_the_pair() -> None:
    assert disfluency_flags(["I", "I", "think", "so"]) == [True, False, False, False]


def test_false_starts_are_cut_off_beginnings_of_the_next_word() -> None:
    assert disfluency_flags(["th-", "the", "cat"]) == [True, False, False]
    assert disfluency_flags(["wh", "where", "is", "it"]) == [True, False, False, False]


def test_ordinary_sentence_has_no_disfluency() -> None:
    assert disfluency_flags(["a", "apple", "is", "in", "inside", "the", "box"]) == [False] * 7


def test_mark_fillers_sets_the_flag_on_words() -> None:
    words = [Word("Um,", 0.0, 0.3, 0.9), Word("hello", 0.4, 0.8, 0.9)]
    marked = mark_fillers(words)
    assert [w.is_filler for w in marked] == [True, False]
    assert marked[1] is words[1]
