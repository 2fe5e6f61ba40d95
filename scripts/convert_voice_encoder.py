"""Converts Resemblyzer's pretrained voice encoder (PyPI `resemblyzer`, Apache-2.0) to ONNX, once.

Needs, in a throw-away environment: torch, onnx, librosa and `pip install --no-deps resemblyzer`
(its own VAD dependency is not needed). Run from the repository root:

    python scripts/convert_voice_encoder.py [adapters/speech/models/voice_encoder.onnx]

The exported graph takes the power spectrogram and applies librosa's mel filter bank inside, so the
engine needs neither torch nor librosa. The script checks the ONNX embeddings, computed through the
engine's own numpy front end, against resemblyzer's reference path before it writes anything.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import librosa
import numpy as np
import onnxruntime
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.speech.voice_encoder import N_FFT, PARTIAL_FRAMES, SAMPLE_RATE, VoiceEncoder  # noqa: E402


class Encoder(nn.Module):
    """Resemblyzer's network (3-layer LSTM, 256 units, linear + ReLU, L2 norm) behind a mel projection."""

    def __init__(self, mel_basis: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mel_basis", torch.from_numpy(mel_basis.T.astype(np.float32)))
        self.lstm = nn.LSTM(40, 256, 3, batch_first=True)
        self.linear = nn.Linear(256, 256)
        self.relu = nn.ReLU()

    def forward(self, power: torch.Tensor) -> torch.Tensor:
        mels = power @ self.mel_basis
        _, (hidden, _) = self.lstm(mels)
        raw = self.relu(self.linear(hidden[-1]))
        return raw / torch.norm(raw, dim=1, keepdim=True)


def reference_embeddings(model: Encoder, wav: np.ndarray) -> np.ndarray:
    """Resemblyzer's own front end: librosa's mel spectrogram, then the network without the projection."""
    mel = librosa.feature.melspectrogram(y=wav, sr=SAMPLE_RATE, n_fft=N_FFT, hop_length=160, n_mels=40)
    mel = mel.astype(np.float32).T
    partials = np.stack([mel[s : s + PARTIAL_FRAMES] for s in range(0, len(mel) - PARTIAL_FRAMES + 1, 80)])
    with torch.no_grad():
        _, (hidden, _) = model.lstm(torch.from_numpy(partials))
        raw = model.relu(model.linear(hidden[-1]))
        return (raw / torch.norm(raw, dim=1, keepdim=True)).numpy()


def main(target: Path) -> None:
    spec = importlib.util.find_spec("resemblyzer")
    assert spec is not None and spec.submodule_search_locations, "pip install --no-deps resemblyzer"
    weights = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    mel_basis = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=40)
    model = Encoder(mel_basis)
    state = torch.load(weights, map_location="cpu")["model_state"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == ["mel_basis"], missing
    assert not [k for k in unexpected if not k.startswith("similarity_")], unexpected
    model.eval()

    target.parent.mkdir(parents=True, exist_ok=True)
    example = torch.zeros(2, PARTIAL_FRAMES, N_FFT // 2 + 1)
    torch.onnx.export(
        model,
        (example,),
        str(target),
        input_names=["power"],
        output_names=["embedding"],
        dynamic_axes={"power": {0: "batch", 1: "frames"}, "embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )

    rng = np.random.default_rng(0)
    wav = (rng.standard_normal(SAMPLE_RATE * 4) * 0.05).astype(np.float32)
    expected = reference_embeddings(model, wav)
    got = VoiceEncoder(target).embed_partials(wav * 1.0)
    assert onnxruntime.get_device() == "CPU"
    # both paths skip volume normalisation for this loud signal, so they must agree closely
    worst = float(np.abs(expected - got[: len(expected)]).max())
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB); max difference to reference {worst:.2e}")
    assert worst < 1e-3, worst


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "adapters/speech/models/voice_encoder.onnx")
