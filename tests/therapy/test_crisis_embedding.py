"""The sentence model of the crisis net's learned layer: offline, the reference tokenizer's ids, unit vectors
that carry meaning, and a graceful fallback. Run with `-s` to see the time a turn takes (no timing asserts)."""

import math
import time

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


def test_preload_loads_off_the_callers_thread():
    crisis_embedding._reset_for_tests()
    started = time.perf_counter()
    thread = crisis_embedding.preload()
    returned_after = time.perf_counter() - started
    thread.join(timeout=60)
    assert not thread.is_alive() and crisis_embedding.available()
    print(f"\n  preload returned after {returned_after * 1000:.1f} ms; the model loaded on its own thread")


def test_time_a_turn_takes_is_printed():
    assert crisis_embedding.available()
    turn = "honestly i do not know why i keep going, every day feels the same and nobody would notice"
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(20):
        crisis_embedding.embed(turn)
    print(f"\n  sentence vector: {(time.perf_counter() - start) / 20 * 1000:.1f} ms a turn "
          f"({(time.process_time() - cpu) / 20 * 1000:.1f} ms CPU)")
