"""The history window over a real SQLite history: the list, one session opened, delete after a
confirmation, Markdown and PDF exports (the PDF's text read back with pypdf), the mood chart."""

import time

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pypdf import PdfReader

from tests.ui.conftest import wait_until
from therapy_desktop.storage import ItemKind, ItemRecord, SessionStore, SummaryRecord, Usage
from therapy_desktop.ui.history_window import HistoryWindow


def _seed(store: SessionStore) -> tuple[str, str]:
    now = time.time()
    first = store.create_session(therapy_type="anxiety", mode="demo", mood_before=3, started_at=now - 7200).result()
    store.add_item(ItemRecord(first, "u1", 1000, role="user", text="I keep worrying about exams.", created_at=now - 7190))
    store.add_item(ItemRecord(first, "a1", 2000, role="assistant", text="That sounds heavy. What goes through your mind?",
                              created_at=now - 7180))
    store.add_item(ItemRecord(first, "tool-0", 2500, kind=ItemKind.TOOL, text="Guided breathing: box, 3 cycles",
                              tool_card={"tool": "breathing_exercise"}, created_at=now - 7170))
    store.set_summary(first, SummaryRecord("We looked at exam worry.", ("exams",), ("box breathing",), ("Plan one topic",)))
    store.set_mood_after(first, 6)
    store.add_flag(first, "crisis")
    store.end_session(first, end_reason="summary", ended_at=now - 7200 + 754)
    second = store.create_session(therapy_type="stress", mode="openai", mood_before=5, started_at=now - 600).result()
    store.end_session(second, end_reason="user", ended_at=now - 300).result()
    return first, second


def _window(qtbot, store, tmp_path, chosen):
    async def get_store():
        return store

    def choose(parent, title, suggested, file_filter):
        chosen.append((title, suggested, file_filter))
        return tmp_path / suggested

    window = HistoryWindow(get_store, choose_save_path=choose)
    qtbot.addWidget(window, before_close_func=lambda _: store.close())
    return window


def test_the_history_lists_opens_exports_and_deletes(qtbot, qloop, tmp_path):
    store = SessionStore.open(tmp_path / "h.sqlite3")
    first, second = _seed(store)
    chosen = []
    window = _window(qtbot, store, tmp_path, chosen)
    window.show()
    qloop.run_until_complete(window.refresh())
    table = window.table
    assert table.rowCount() == 2
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert [table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "Date", "Type", "Duration", "Mood before → after", "Status", "Flags"]
    assert rows[0][1:] == ["Stress", "5 min 0 s", "5 → –", "Ended", ""]  # newest first
    assert rows[1][1:] == ["Anxiety", "12 min 34 s", "3 → 6", "Ended", "Safety concern"]
    assert not window.export_pdf_button.isEnabled()  # nothing chosen yet

    table.setFocus()
    table.selectRow(1)  # the keyboard's arrow keys do the same
    qloop.run_until_complete(wait_until(lambda: window.current is not None and window.current.session_id == first, 5,
                                        "opened"))
    shown = window.detail.toPlainText()
    assert "I keep worrying about exams." in shown and "We looked at exam worry." in shown
    assert "Plan one topic" in shown and "box breathing" in shown

    qloop.run_until_complete(window.export_markdown())
    md_path = tmp_path / chosen[-1][1]
    markdown = md_path.read_text("utf-8")
    assert chosen[-1][2] == "Markdown (*.md)" and md_path.suffix == ".md"
    assert "I keep worrying about exams." in markdown and "We looked at exam worry." in markdown
    assert window.message.text() == f"Saved to {md_path}."

    qloop.run_until_complete(window.export_pdf())
    pdf_path = tmp_path / chosen[-1][1]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf_path).pages)  # Qt spaces with tabs
    assert pdf_path.suffix == ".pdf" and "exam worry" in text and "What goes through your mind?" in text

    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    box = window.confirmation
    assert isinstance(box, QMessageBox) and box.isVisible() and "removed for good" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).click()
    qloop.run_until_complete(wait_until(lambda: table.rowCount() == 1, 5, "deleted"))
    assert store.get_session(first) is None and store.items(first) == []
    assert window.message.text() == "The session was deleted."
    assert table.item(0, 1).text() == "Stress" and window.current is None
    assert window.chart.points and [p.session_id for p in window.chart.points] == [second]


def test_declining_the_delete_keeps_the_session_and_a_failed_export_says_what_to_do(qtbot, qloop, tmp_path):
    store = SessionStore.open(tmp_path / "h.sqlite3")
    first, _ = _seed(store)
    chosen = []
    window = _window(qtbot, store, tmp_path, chosen)
    window.show()
    qloop.run_until_complete(window.refresh())
    qloop.run_until_complete(window.open_session(first))
    window.delete_selected()
    window.confirmation.button(QMessageBox.StandardButton.No).click()
    qloop.run_until_complete(window.refresh())
    assert window.table.rowCount() == 2 and store.get_session(first) is not None

    window.choose_save_path = lambda *args: tmp_path / "missing-folder" / "out.md"
    qloop.run_until_complete(window.export_markdown())
    assert window.message.text().startswith("Could not save the file: No such file or directory.")
    window.choose_save_path = lambda *args: None  # cancelled
    assert window.export_pdf() is None


def test_the_mood_chart_shows_each_rated_session_and_describes_it(qtbot, qloop, tmp_path):
    store = SessionStore.open(tmp_path / "h.sqlite3")
    _seed(store)
    window = _window(qtbot, store, tmp_path, [])
    window.resize(700, 500)
    window.show()
    qloop.run_until_complete(window.refresh())
    chart = window.chart
    assert [(p.mood_before, p.mood_after) for p in chart.points] == [(3, 6), (5, None)]  # oldest first
    assert "3 → 6" in chart.accessibleDescription() and "5 → –" in chart.accessibleDescription()
    image = chart.grab().toImage()
    dot = chart.position(0, 6)  # the filled "after" dot of the first session
    hollow_centre = chart.position(0, 3)
    ratio = image.devicePixelRatio()
    after_colour = image.pixelColor(int(dot.x() * ratio), int(dot.y() * ratio))
    assert after_colour.name() == "#1aa3a3"
    assert image.pixelColor(int(hollow_centre.x() * ratio), int(hollow_centre.y() * ratio)).name() != "#8e6bd8"


def test_no_history_this_run_is_said_plainly(qtbot, qloop, tmp_path):
    async def none():
        return None

    window = HistoryWindow(none)
    qtbot.addWidget(window)
    qloop.run_until_complete(window.refresh())
    assert window.table.rowCount() == 0
    assert window.message.text().startswith("The history could not be opened this time")


def test_a_session_shows_what_it_cost(qtbot, qloop, tmp_path):
    """Three replies with an OpenAI key add up to one estimate in the details; Demo says it is free,
    the clinic's session says who pays."""
    from openai.types.realtime.realtime_response_usage import RealtimeResponseUsage

    from therapy_desktop.realtime.pricing import BUILT_IN

    store = SessionStore.open(tmp_path / "h.sqlite3")
    now = time.time()
    paid = store.create_session(therapy_type="stress", mode="openai", started_at=now - 900).result()
    replies = [RealtimeResponseUsage.model_validate({
        "input_tokens": 900 + 400 * n, "output_tokens": 300, "total_tokens": 1200 + 400 * n,
        "input_token_details": {"text_tokens": 900, "audio_tokens": 400 * n, "cached_tokens": 256 * n,
                                "cached_tokens_details": {"text_tokens": 256 * n, "audio_tokens": 0}},
        "output_token_details": {"text_tokens": 40, "audio_tokens": 260},
    }).model_dump(exclude_none=True) for n in range(3)]
    for reply in replies:
        store.add_usage(paid, Usage(reply["input_tokens"], reply["output_tokens"], reply["total_tokens"]),
                        cost_usd=BUILT_IN.response_cost("gpt-realtime-2.1", reply))
    store.end_session(paid, end_reason="user", ended_at=now - 300)
    free = store.create_session(therapy_type="general", mode="demo", started_at=now - 7200).result()
    store.add_usage(free, Usage(120, 80, 200), cost_usd=0.0)
    store.end_session(free, end_reason="user", ended_at=now - 7000)
    clinic = store.create_session(therapy_type="general", mode="backend", started_at=now - 8000).result()
    store.add_usage(clinic, Usage(120, 80, 200))
    store.end_session(clinic, end_reason="user", ended_at=now - 7900).result()
    total = sum(BUILT_IN.response_cost("gpt-realtime-2.1", r) for r in replies)
    assert total == pytest.approx(0.0992352)  # by hand: 3 × (900·4 + 40·24 + 260·64) + 1200·32 − 768·(4 − 0.4) µ$

    window = _window(qtbot, store, tmp_path, [])
    window.show()
    qloop.run_until_complete(window.refresh())
    window.table.setFocus()
    window.table.selectRow(0)  # newest first: the OpenAI session
    qloop.run_until_complete(wait_until(lambda: window.current is not None and window.current.session_id == paid, 5,
                                        "opened"))
    shown = window.detail.toPlainText()
    assert f"Cost\nabout ${total:.4f} (an estimate at OpenAI's list prices" in shown
    assert "Usage\n4800 tokens (3900 in, 900 out)" in shown

    window.table.selectRow(1)
    qloop.run_until_complete(wait_until(lambda: window.current.session_id == free, 5, "opened the demo session"))
    assert "Cost\nnone — Demo runs on this computer" in window.detail.toPlainText()
    assert "$" not in window.detail.toPlainText()

    window.table.selectRow(2)
    qloop.run_until_complete(wait_until(lambda: window.current.session_id == clinic, 5, "opened the clinic session"))
    shown = window.detail.toPlainText()
    assert "Connection\nClinic backend" in shown and "Cost\npaid by your clinic, not estimated here" in shown
