"""The tagger's network for training (PyTorch, the `train` extra): a BERT encoder whose weights load from a
pretrained `model.safetensors`, a case embedding added to its input, and a linear tag head. Export turns it
into ONNX; the service runs that file with onnxruntime and never imports this module."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, cast

import torch
from torch import nn

CASE_CLASSES = 4


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.inner = nn.Linear(hidden, inner)
        self.out = nn.Linear(inner, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        size = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, size).transpose(1, 2)

        scores = split(self.query(x)) @ split(self.key(x)).transpose(-1, -2) / math.sqrt(size) + bias
        context = (self.dropout(scores.softmax(-1)) @ split(self.value(x))).transpose(1, 2).reshape(x.shape)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        return cast(torch.Tensor, self.out_norm(x + self.dropout(self.out(nn.functional.gelu(self.inner(x))))))


class TaggerNetwork(nn.Module):
    def __init__(self, config: dict[str, Any], tags: int) -> None:
        super().__init__()
        hidden, eps, dropout = config["hidden_size"], config["layer_norm_eps"], config["hidden_dropout_prob"]
        self.words = nn.Embedding(config["vocab_size"], hidden)
        self.positions = nn.Embedding(config["max_position_embeddings"], hidden)
        self.segments = nn.Embedding(config["type_vocab_size"], hidden)
        self.cases = nn.Embedding(CASE_CLASSES, hidden)
        nn.init.zeros_(self.cases.weight)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            _Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps, dropout)
            for _ in range(config["num_hidden_layers"]))
        self.head = nn.Linear(hidden, tags)

    @classmethod
    def from_pretrained(cls, directory: Path, tags: int) -> TaggerNetwork:
        """The encoder of a BERT checkpoint (`config.json` + `model.safetensors`), a new head."""
        from safetensors.torch import load_file

        network = cls(json.loads((directory / "config.json").read_text()), tags)
        weights = load_file(str(directory / "model.safetensors"))
        state = {}
        for name, value in weights.items():
            ours = _our_name(name.removeprefix("bert."))
            if ours is not None:
                state[ours] = value
        missing = set(network.state_dict()) - set(state)
        if missing - {"cases.weight", "head.weight", "head.bias"}:
            raise ValueError(f"the checkpoint lacks {sorted(missing)[:5]}")
        network.load_state_dict(state, strict=False)
        return network

    def encoder_parameters(self) -> list[nn.Parameter]:
        return [p for name, p in self.named_parameters() if not name.startswith(("head.", "cases."))]

    def head_parameters(self) -> list[nn.Parameter]:
        return [*self.head.parameters(), *self.cases.parameters()]

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, cases: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.words(ids) + self.positions(positions) + self.segments(torch.zeros_like(ids)) + self.cases(cases)
        x = self.dropout(self.norm(x))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return cast(torch.Tensor, self.head(self.dropout(x)))


def _our_name(name: str) -> str | None:
    fixed = {"embeddings.word_embeddings.weight": "words.weight",
             "embeddings.position_embeddings.weight": "positions.weight",
             "embeddings.token_type_embeddings.weight": "segments.weight",
             "embeddings.LayerNorm.weight": "norm.weight", "embeddings.LayerNorm.bias": "norm.bias"}
    if name in fixed:
        return fixed[name]
    if not name.startswith("encoder.layer."):
        return None
    number, rest = name[len("encoder.layer."):].split(".", 1)
    parts = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
             "attention.output.dense": "attention_out", "attention.output.LayerNorm": "attention_norm",
             "intermediate.dense": "inner", "output.dense": "out", "output.LayerNorm": "out_norm"}
    module, _, kind = rest.rpartition(".")
    return f"layers.{number}.{parts[module]}.{kind}" if module in parts else None
