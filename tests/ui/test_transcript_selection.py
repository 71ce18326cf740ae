"""Select all and copy in the transcript, read back from the real clipboard: Ctrl+A from the
transcript or from inside a bubble selects the whole conversation (shown selected) and Ctrl+C
copies it in order with who said what; a selection inside one bubble still copies just that;
the right-click / Menu-key menu offers the same, keyboard-operable and named."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from therapy_desktop.session.transcript import TranscriptItem
from therapy_desktop.ui.transcript_view import Notice, TranscriptView

CONVERSATION = (
    TranscriptItem("u1", "user", text="I slept badly again.", final=True, status="completed"),
    TranscriptItem("a1", "assistant", text="I'm sorry. What kept you awake?", final=True, status="completed"),
    TranscriptItem("u2", "user", text="Thinking about work.\nMostly the deadline.", final=True, status="completed"),
)
WHOLE = ("Stress · Demo (offline) · 10:02\n\nYou: I slept badly again.\n\nAI companion: I'm sorry. What kept you awake?"
         "\n\nYou: Thinking about work.\nMostly the deadline.\n\nGuided breathing: box, 3 cycles")


def _view(qtbot) -> TranscriptView:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.show()
    view.start_session("Stress · Demo (offline) · 10:02")
    order = [item.item_id for item in CONVERSATION]
    for item in CONVERSATION:
        view.show_item(item, order)
    view.add_notice("Guided breathing: <b>box</b>, 3 cycles")
    view.activateWindow()
    qtbot.waitUntil(lambda: view.isActiveWindow() and all(b.body.isVisible() for b in view.bubbles()))
    QGuiApplication.clipboard().clear()
    return view


def _press(qtbot, widget, key, modifier=Qt.KeyboardModifier.ControlModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def test_ctrl_a_then_ctrl_c_on_the_transcript_copies_the_whole_conversation_in_order(qtbot, qtlog):
    view = _view(qtbot)
    view.setFocus()
    _press(qtbot, view, Qt.Key.Key_A)
    assert view.selection.all_selected
    bubbles = view.bubbles()
    # Shown selected, every line: who spoke, what they said, the notices (their words, not their markup).
    assert [b.body.selectedText().replace("\u2029", "\n") for b in bubbles] == [b.body.text() for b in bubbles]
    assert [b.header.selectedText() for b in bubbles] == ["You", "AI companion", "You"]
    notices = view.findChildren(Notice)
    assert [n.selectedText() for n in notices] == ["Stress · Demo (offline) · 10:02", "Guided breathing: box, 3 cycles"]
    assert not [r for r in qtlog.records if "out of range" in r.message]
    _press(qtbot, view, Qt.Key.Key_C)
    assert QGuiApplication.clipboard().text() == WHOLE


def test_ctrl_a_inside_a_bubble_selects_the_conversation_not_the_bubble(qtbot):
    view = _view(qtbot)
    second = view.bubbles()[1].body
    qtbot.mouseClick(second, Qt.MouseButton.LeftButton)  # a click puts the focus in the bubble
    assert QApplication.focusWidget() is second
    _press(qtbot, second, Qt.Key.Key_A)
    assert view.selection.all_selected and view.bubbles()[0].body.hasSelectedText()
    _press(qtbot, second, Qt.Key.Key_C)
    assert QGuiApplication.clipboard().text() == WHOLE


def test_a_selection_inside_one_bubble_still_copies_just_that(qtbot):
    view = _view(qtbot)
    view.selection.select_all()
    body = view.bubbles()[1].body
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton)  # a click ends the select-all…
    assert not view.selection.all_selected and not view.bubbles()[0].body.hasSelectedText()
    body.setSelection(4, 6)  # …and the mouse drags over "sorry."
    assert body.selectedText() == "sorry."
    _press(qtbot, body, Qt.Key.Key_C)  # the bubble's own copy
    assert QGuiApplication.clipboard().text() == "sorry."
    QGuiApplication.clipboard().clear()
    where = QPoint(3, 3)
    QApplication.sendEvent(body, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, body.mapToGlobal(where)))
    copy = next(a for a in view.selection.menu.actions() if a.text().replace("&", "") == "Copy")
    copy.trigger()  # the menu's Copy: the selection, not everything
    assert QGuiApplication.clipboard().text() == "sorry."


def test_text_that_streams_in_after_select_all_is_selected_too(qtbot):
    view = _view(qtbot)
    view.selection.select_all()
    order = [item.item_id for item in CONVERSATION] + ["a2"]
    view.show_item(TranscriptItem("a2", "assistant", text="That sounds", status="in_progress"), order)
    view.show_item(TranscriptItem("a2", "assistant", text="That sounds hard.", final=True, status="completed"), order)
    newest = view.bubbles()[-1]
    assert newest.text == "That sounds hard." and newest.body.selectedText() == "That sounds hard."
    assert view.selection.copy().endswith("AI companion: That sounds hard.")


def test_the_menu_copies_selects_all_and_names_its_entries(qtbot):
    view = _view(qtbot)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Menu)
    menu = view.selection.menu
    assert isinstance(menu, QMenu) and menu.isVisible() and menu.accessibleName() == "Transcript actions"
    actions = {a.text().replace("&", ""): a for a in menu.actions()}
    assert list(actions) == ["Copy", "Select all", "Copy the whole conversation"]
    assert actions["Select all"].shortcut().toString() == "Ctrl+A" and actions["Copy"].shortcut().toString() == "Ctrl+C"
    assert all(a.toolTip() for a in actions.values())
    # Down to "Select all", Enter: the keyboard works the menu.
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is actions["Select all"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert view.selection.all_selected
    view.selection.clear()

    QApplication.sendEvent(view.bubbles()[0].body, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(3, 3),
                                                                      view.bubbles()[0].body.mapToGlobal(QPoint(3, 3))))
    menu = view.selection.menu
    assert menu is not None and menu.isVisible()  # a right-click on a bubble opens the transcript's menu
    whole = next(a for a in menu.actions() if a.text().replace("&", "") == "Copy the whole conversation")
    whole.trigger()
    assert QGuiApplication.clipboard().text() == WHOLE
