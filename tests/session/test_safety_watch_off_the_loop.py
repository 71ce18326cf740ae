"""The crisis net runs off the event loop: each turn is classified on the `crisis-net` worker thread, the
answers are applied on the loop in the order the turns came, and a turn that arrives while the sentence
model still loads is answered at once by rules and words, then again by the vector once it is ready."""

from __future__ import annotations

import asyncio
import threading

import pytest

from therapy_desktop.session import safety_watch
from therapy_desktop.session.safety_watch import SafetyWatch
from therapy_desktop.session.transcript import USER, TranscriptItem
from therapy_desktop.therapy import Net, classify, crisis_embedding

# Caught by rules alone / only with the sentence vector (checked in the tests, so a retrained layer that
# changes either fact fails loudly here instead of making the test vacuous).
RULE_CRISIS = "I don't see a future for myself any more"
VECTOR_ONLY_CRISIS = "i've decided to do it this weekend"
BENIGN = "work was long today but I went for a walk after"


def _turn(item_id: str, text: str) -> TranscriptItem:
    return TranscriptItem(item_id, role=USER, text=text, final=True, status="completed")


def _watch() -> SafetyWatch:
    return SafetyWatch(send=lambda event: None, is_quiet=lambda: True)


@pytest.fixture
def slow_model(monkeypatch):
    """The sentence model's load held until the test lets it go (as on a slow first start)."""
    crisis_embedding._reset_for_tests()
    release = threading.Event()
    real_path = crisis_embedding._model_path

    def held_path() -> str:
        assert release.wait(60), "the test never let the model load"
        return real_path()

    monkeypatch.setattr(crisis_embedding, "_model_path", held_path)
    yield release
    release.set()
    crisis_embedding.available()  # the load thread is done before the next test resets the state


async def test_turns_are_classified_on_the_worker_and_applied_on_the_loop_in_order(monkeypatch):
    crisis_embedding.available()
    threads: list[str] = []

    def recording_classify(text: str, **kwargs):
        threads.append(threading.current_thread().name)
        return classify(text, **kwargs)

    monkeypatch.setattr(safety_watch, "classify", recording_classify)
    watch = _watch()
    raised = []
    watch.crisis_did_raise.connect(raised.append)
    texts = [RULE_CRISIS, BENIGN, VECTOR_ONLY_CRISIS, "I want to kill myself", BENIGN + " again"]
    for n, text in enumerate(texts):
        watch.item_changed(_turn(f"u{n}", text))
    assert not watch.flag.raised  # item_changed only hands the turns over; answers land on the loop
    await watch.settled()
    assert threads and all(name.startswith("crisis-net") for name in threads)
    assert [r.item_id for r in watch.flag.records] == ["u0", "u2", "u3"]  # the order the turns came
    assert all(r.net is Net.LOCAL for r in watch.flag.records) and len(raised) == 1
    watch.item_changed(_turn("u0", RULE_CRISIS))  # the same item again: not classified twice
    await watch.settled()
    assert len(watch.flag.records) == 3


async def test_a_turn_while_the_model_loads_gets_rules_and_words_at_once_then_the_vector(slow_model):
    assert classify(VECTOR_ONLY_CRISIS, sentence_vector=False).is_crisis is False
    watch = _watch()  # starts the (held) load on its own thread
    assert not crisis_embedding.ready()
    watch.item_changed(_turn("u1", RULE_CRISIS))
    watch.item_changed(_turn("u2", VECTOR_ONLY_CRISIS))
    for _ in range(200):  # the loop keeps running while the model is held
        if watch.flag.is_flagged("u1"):
            break
        await asyncio.sleep(0.02)
    assert watch.flag.is_flagged("u1") and not crisis_embedding.ready()  # answered before the model exists
    assert not watch.flag.is_flagged("u2")  # rules and words say no; the vector has not spoken yet
    watch.item_changed(_turn("u3", "I want to kill myself"))  # a later turn is not stuck behind the load
    for _ in range(200):
        if watch.flag.is_flagged("u3"):
            break
        await asyncio.sleep(0.02)
    assert watch.flag.is_flagged("u3") and not crisis_embedding.ready()
    slow_model.set()
    await watch.settled()
    assert crisis_embedding.ready() and watch.flag.is_flagged("u2")  # the vector's second look raised it
    assert [r.item_id for r in watch.flag.records] == ["u1", "u3", "u2"]


async def test_without_the_sentence_model_every_turn_is_answered_once_by_rules_and_words():
    crisis_embedding._reset_for_tests(failed="onnxruntime could not start (test)")
    try:
        watch = _watch()
        watch.item_changed(_turn("u1", RULE_CRISIS))
        watch.item_changed(_turn("u2", BENIGN))
        await watch.settled()
        assert watch.flag.flagged_items == ("u1",)
    finally:
        crisis_embedding._reset_for_tests()


async def test_a_short_answer_to_the_ai_s_risk_question_raises_the_flag_read_against_that_question():
    """The person's transcription often lands after the next reply began: the question is the AI's
    message before the turn in the conversation, not the last one to arrive."""
    from therapy_desktop.session.events import SessionEvents
    from therapy_desktop.session.transcript import ASSISTANT, Transcript

    transcript = Transcript()
    watch = _watch()
    watch.watch(SessionEvents(), transcript)
    transcript.note_item("a1", role=ASSISTANT)
    transcript.set_text("a1", "I'm really glad you told me. Do you have a plan for how you would do it?")
    transcript.note_item("u1", role=USER, previous_item_id="a1", position_known=True)
    transcript.note_item("a2", role=ASSISTANT, previous_item_id="u1", position_known=True)
    transcript.append_text("a2", "Thank you for trusting me with that. What did you do today?")  # already streaming
    transcript.set_text("u1", "tonight")  # the answer to "do you have a plan?", transcribed late
    transcript.note_item("u2", role=USER, previous_item_id="a2", position_known=True)
    transcript.set_text("u2", "tonight")  # the same word, answering "what did you do today?"
    await watch.settled()
    assert [r.item_id for r in watch.flag.records] == ["u1"]
    assert watch.flag.records[0].net is Net.LOCAL
