"""`englivo train grammar` on a tiny committed corpus with a tiny encoder: the exported ONNX model loads in
the service's runner, and a run long enough to learn one sentence corrects it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")  # the `train` extra; scripts/test.sh installs it

from click.testing import CliRunner  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

from adapters.analysis.tagger.detector import TaggerDecision, TaggerDetector  # noqa: E402
from adapters.analysis.tagger.model import MODEL_DIR, TaggerModel  # noqa: E402
from entrypoints.cli.main import cli  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data"
TINY = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
        "vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        "hidden_dropout_prob": 0.0}


def tiny_encoder(folder: Path) -> Path:
    """A randomly initialised BERT checkpoint, named as Hugging Face names BERT weights."""
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(TINY))
    (folder / "tokenizer.json").write_bytes((MODEL_DIR / "tokenizer.json").read_bytes())
    h, inner = TINY["hidden_size"], TINY["intermediate_size"]
    weights = {"embeddings.word_embeddings.weight": torch.randn(TINY["vocab_size"], h) * 0.02,
               "embeddings.position_embeddings.weight": torch.randn(512, h) * 0.02,
               "embeddings.token_type_embeddings.weight": torch.randn(2, h) * 0.02,
               "embeddings.LayerNorm.weight": torch.ones(h), "embeddings.LayerNorm.bias": torch.zeros(h)}
    shapes = {"attention.self.query": (h, h), "attention.self.key": (h, h), "attention.self.value": (h, h),
              "attention.output.dense": (h, h), "intermediate.dense": (inner, h), "output.dense": (h, inner)}
    for layer in range(TINY["num_hidden_layers"]):
        for name, shape in shapes.items():
            weights[f"encoder.layer.{layer}.{name}.weight"] = torch.randn(*shape) * 0.02
            weights[f"encoder.layer.{layer}.{name}.bias"] = torch.zeros(shape[0])
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"encoder.layer.{layer}.{name}.weight"] = torch.ones(h)
            weights[f"encoder.layer.{layer}.{name}.bias"] = torch.zeros(h)
    save_file(weights, str(folder / "model.safetensors"))
    return folder


def train(tmp_path: Path, data: Path, epochs: str) -> tuple[dict, Path]:
    out = tmp_path / "model"
    result = CliRunner().invoke(cli, [
        "train", "grammar", "--data", str(data), "--tune", str(DATA / "conll2013_sample.m2"),
        "--encoder", str(tiny_encoder(tmp_path / "encoder")), "--out", str(out), "--epochs", epochs,
        "--batch-size", "4", "--correct-share", "1.0", "--min-tag-count", "1"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1]), out


def test_one_epoch_writes_a_model_that_loads_and_predicts(tmp_path: Path) -> None:
    record, out = train(tmp_path, DATA / "learner_sample.m2", "1")
    assert record["sentences"] == 6 and record["steps"] == 2
    assert {p.name for p in out.iterdir()} == {"tagger.onnx", "tags.json", "tokenizer.json", "checkpoint.pt"}
    tags = json.loads((out / "tags.json").read_text())["tags"]
    assert tags[0] == "$KEEP" and "$INFLECT_VBZ" in tags and "$APPEND_a" in tags
    guesses = TaggerModel(out).guess([["He", "go", "home", "."], ["I", "am", "student"]])
    assert [len(g) for g in guesses] == [5, 4]  # $START and each word
    assert all(g.tag in tags[1:] and 0.0 <= g.probability <= 1.0 for s in guesses for g in s)


def test_a_long_enough_run_learns_the_corpus(tmp_path: Path) -> None:
    from adapters.cefr.model import load_spacy

    corpus = tmp_path / "one.m2"
    corpus.write_text("S He go to school every day .\nA 1 2|||R:VERB:SVA|||goes|||REQUIRED|||-NONE-|||0\n")
    _, out = train(tmp_path, corpus, "150")
    detector = TaggerDetector(TaggerModel(out), TaggerDecision(keep_margin=0.0, min_probability=0.5))
    text = "He go to school every day."
    found = detector.detect(load_spacy()(text))
    assert [(text[d.start:d.end], d.replacement, d.rule) for d in found] == [("go", "goes", "tagger:inflect_vbz")]
