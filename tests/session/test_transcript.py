"""The transcript is ordered by previous_item_id, never by arrival."""

from therapy_desktop.session.transcript import Transcript


def _order(t: Transcript) -> list[str]:
    return [i.item_id for i in t.items()]


def test_a_late_user_transcription_lands_in_its_own_bubble_before_the_reply():
    t = Transcript()
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    t.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    t.append_text("a1", "I hear ")
    t.append_text("a1", "you.")
    t.set_text("u1", "I feel tense.")  # arrives after the therapist started answering
    assert _order(t) == ["u1", "a1"]
    assert [i.text for i in t.items()] == ["I feel tense.", "I hear you."]


def test_an_item_announced_late_goes_before_the_item_that_named_it_as_predecessor():
    t = Transcript()
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    t.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    t.note_item("a2", role="assistant", previous_item_id="u2", position_known=True)
    t.note_item("u2", role="user")  # announced without its own place
    t.set_text("u2", "second question")
    assert _order(t) == ["u1", "a1", "u2", "a2"]


def test_text_for_an_item_nobody_announced_creates_nothing():
    t = Transcript()
    for n in range(10_000):
        t.append_text(f"ghost{n}", "boo")
    t.set_text("ghost", "boo")
    assert t.items() == []


def test_a_later_event_without_a_predecessor_does_not_move_a_placed_item():
    # A GA server may send previous_item_id: null on conversation.item.done (the field is optional).
    t = Transcript()
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    t.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    t.note_item("u2", role="user", previous_item_id="a1", position_known=True)
    t.note_item("a2", role="assistant", previous_item_id="u2", position_known=True)
    for item_id in ("u1", "a1", "u2", "a2"):
        t.note_item(item_id, previous_item_id=None, position_known=True)  # conversation.item.done
    assert _order(t) == ["u1", "a1", "u2", "a2"]


def test_an_item_keeps_its_text_within_the_cap():
    from therapy_desktop.session.transcript import MAX_ITEM_CHARS

    t = Transcript()
    t.note_item("a1", role="assistant")
    t.append_text("a1", "x" * (1024 * 1024))
    assert len(t.get("a1").text) == MAX_ITEM_CHARS


def test_an_item_whose_predecessor_arrives_later_moves_behind_it():
    t = Transcript()
    t.note_item("a1", role="assistant", previous_item_id="u1", position_known=True)
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    assert _order(t) == ["u1", "a1"]


def test_items_without_a_known_place_are_appended_then_placed_when_known():
    t = Transcript()
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    t.note_item("a1", role="assistant")  # response.output_item.added has no previous_item_id
    t.note_item("u0", role="user", previous_item_id=None, position_known=True)
    assert _order(t) == ["u0", "u1", "a1"]
    t.note_item("a1", role="assistant", previous_item_id="u0", position_known=True)
    assert _order(t) == ["u0", "a1", "u1"]


def test_function_call_items_keep_the_chain_but_are_not_shown():
    t = Transcript()
    t.note_item("u1", role="user", previous_item_id=None, position_known=True)
    t.note_item("f1", kind="function_call", previous_item_id="u1", position_known=True)
    t.note_item("o1", kind="function_call_output", previous_item_id="f1", position_known=True)
    t.note_item("a1", role="assistant", previous_item_id="o1", position_known=True)
    assert _order(t) == ["u1", "f1", "o1", "a1"]
    assert [i.item_id for i in t.visible_items()] == ["u1", "a1"]


def test_the_final_transcript_replaces_the_deltas_and_later_deltas_are_ignored():
    t = Transcript()
    t.note_item("a1", role="assistant")
    t.append_text("a1", "Helo")
    t.set_text("a1", "Hello.")
    t.append_text("a1", " stray")
    assert t.get("a1").text == "Hello." and t.get("a1").final


def test_a_cycle_of_predecessors_does_not_hang():
    t = Transcript()
    t.note_item("x", role="user", previous_item_id="y", position_known=True)
    t.note_item("y", role="user", previous_item_id="x", position_known=True)
    assert sorted(_order(t)) == ["x", "y"]


def test_changes_are_announced_once_per_change():
    t = Transcript()
    seen = []
    t.item_did_change.connect(lambda item: seen.append((item.item_id, item.text)))
    t.note_item("a1", role="assistant")
    t.append_text("a1", "Hi")
    t.append_text("a1", "")
    t.set_text("a1", "Hi.")
    assert seen == [("a1", ""), ("a1", "Hi"), ("a1", "Hi.")]


def test_json_has_the_fields_qa_reads():
    t = Transcript()
    t.note_item("u1", role="user")
    t.set_text("u1", "hello")
    item = t.to_json()["items"][0]
    assert {"item_id", "role", "text"} <= item.keys() and item["role"] == "user"
