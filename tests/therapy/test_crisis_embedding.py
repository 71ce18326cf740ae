"""The sentence model of the crisis net's learned layer: offline, the reference tokenizer's ids, unit vectors
that carry meaning, and a graceful fallback. Run with `-s` to see the time a turn takes (no timing asserts)."""

import math
import threading

from therapy_desktop.therapy import crisis_embedding
from therapy_desktop.therapy.crisis_embedding_vocab import TOKENS


def _cosine(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_the_vocabulary_is_the_pinned_one():
    tokens = TOKENS.split("\n")
    assert len(tokens) == 30522 and tokens[0] == "[PAD]" and tokens[100:103] == ["[UNK]", "[CLS]", "[SEP]"]


def test_the_tokenizer_gives_the_ids_of_the_models_own_tokenizer():
    assert crisis_embedding.available()
    tokenizer = crisis_embedding._state["tokenizer"]
    # Ids from the tokenizer.json that ships with all-MiniLM-L6-v2 (checked when the vocabulary was extracted).
    assert tokenizer.encode("I'm going to end it all, tonight.").ids == [
        101, 1045, 1005, 1049, 2183, 2000, 2203, 2009, 2035, 1010, 3892, 1012, 102,
    ]
    assert len(tokenizer.encode("word " * 1000).ids) == crisis_embedding.MAX_TOKENS


def test_vectors_are_unit_length_and_near_in_meaning():
    death = crisis_embedding.embed("i want to die")
    assert death is not None and len(death) == crisis_embedding.DIMENSIONS
    assert math.isclose(math.sqrt(sum(x * x for x in death)), 1.0, rel_tol=1e-4)
    near = crisis_embedding.embed("i wish i was dead")
    far = crisis_embedding.embed("the bus was late this morning")
    assert _cosine(death, near) > _cosine(death, far) + 0.2
    assert crisis_embedding.embed("") is not None  # an empty turn is still a vector, never an error


def test_a_failed_load_is_remembered_and_nothing_raises():
    crisis_embedding._reset_for_tests(failed="onnxruntime could not start (test)")
    try:
        assert crisis_embedding.embed("i want to die") is None and not crisis_embedding.available()
    finally:
        crisis_embedding._reset_for_tests()


def test_preload_loads_off_the_callers_thread(monkeypatch):
    crisis_embedding._reset_for_tests()
    loaded_on = []
    real_load = crisis_embedding._load

    def load() -> bool:
        loaded_on.append(threading.current_thread())
        return real_load()

    monkeypatch.setattr(crisis_embedding, "_load", load)
    thread = crisis_embedding.preload()
    thread.join(timeout=60)
    assert loaded_on == [thread] and thread is not threading.current_thread()
    assert not thread.daemon  # an exit during the load must not kill onnxruntime mid-C++ (exit -6)
    assert crisis_embedding.available()


def test_a_turn_gets_a_unit_vector_of_the_models_size():
    assert crisis_embedding.available()
    turn = "honestly i do not know why i keep going, every day feels the same and nobody would notice"
    vector = crisis_embedding.embed(turn)
    assert vector is not None and len(vector) == crisis_embedding.DIMENSIONS
    assert abs(sum(v * v for v in vector) - 1.0) < 1e-3  # L2-normalised
    assert crisis_embedding.embed(turn) == vector  # the same turn, the same vector


def test_the_int8_graph_gives_nearly_the_vectors_of_the_model_as_shipped():
    import numpy as np
    import onnxruntime as ort

    from therapy_desktop.therapy import crisis_embedding_graph

    path = crisis_embedding._model_path()
    with open(path, "rb") as file:
        shipped = file.read()
    rewritten = crisis_embedding_graph.quantized_compute(shipped)
    ops = rewritten.count(b"DynamicQuantizeMatMul")
    assert ops >= 36  # every weight MatMul of the six layers (and the pooler/attention outputs)
    options = crisis_embedding.session_options()
    float_session = ort.InferenceSession(shipped, sess_options=options, providers=["CPUExecutionProvider"])
    crisis_embedding.available()
    tokenizer = crisis_embedding._state["tokenizer"]
    for text in ("I don't see a future for myself any more", "this traffic is murder", "hello there"):
        encoding = tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in crisis_embedding._state["inputs"]:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = float_session.run(None, feeds)[0][0]
        pooled = hidden.mean(axis=0)
        pooled /= np.linalg.norm(pooled)
        assert float(np.dot(pooled, np.array(crisis_embedding.embed(text)))) > 0.98, text


def test_a_graph_it_does_not_know_is_refused_with_a_reason():
    import pytest

    from therapy_desktop.therapy import crisis_embedding_graph

    with pytest.raises(ValueError, match="ONNX|pattern|wire"):
        crisis_embedding_graph.quantized_compute(b"\x0a\x00")  # a model proto without a graph
