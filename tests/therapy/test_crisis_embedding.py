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
