"""The microphone during a session: the listening mode (switchable mid-session), Mute (a toggle
and Ctrl+M) and push-to-talk (a button held with the mouse or the keyboard, and Space held
anywhere Space does nothing else).

The choices go to the live session's `barge_in` (which also tells the service: turn detection
off in push-to-talk, where releasing commits the turn); a new session gets the mode shown here
and starts unmuted. `mode_chosen` tells the app the person picked a mode, so it can be saved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from therapy_desktop.audio.modes import AudioMode
from therapy_desktop.session.state import SessionState
from therapy_desktop.ui import texts
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.session_controller import SessionController
from therapy_desktop.ui.style import colours, is_dark

MUTE_SHORTCUT = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_M)
# Where Space already means something (press a button, open a list, type): it keeps that meaning.
_SPACE_TAKERS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)

_SHEET = """
QPushButton#muteButton:checked {{ background: {error_bg}; color: {error_text}; border: 2px solid {error_border}; }}
QPushButton#muteButton:checked:focus {{ border: 3px solid {focus}; }}
QPushButton#talkButton {{ font-weight: 600; }}
QPushButton#talkButton:pressed, QPushButton#talkButton[held="true"] {{ background: {accent}; color: {accent_text}; }}
QPushButton#talkButton[held="true"]:focus, QPushButton#talkButton:pressed:focus {{ border: 3px solid {focus}; }}
QLabel#micState {{ color: {muted}; }}
QLabel#micState[muted="true"] {{ color: {error_text}; font-weight: 600; }}
"""


class MicControls(QWidget):
    mode_chosen = Signal(object)  # AudioMode: the person picked it (not when set_mode() is called)
    uplink_changed = Signal()  # mute, mode or the talk key changed: the words beside the meter may too

    def __init__(self, controller: SessionController, parent: QWidget | None = None,
                 mode: AudioMode = AudioMode.HALF_DUPLEX) -> None:
        super().__init__(parent)
        self.setObjectName("micControls")
        self.controller = controller
        self._space_held = False  # the talk key (Space) is down, as opposed to the button
        self._button_held = False
        # The person's (or the saved) mode; the session may switch this one session to another
        # (`show_mode`), and the next session starts from this again.
        self._chosen = mode

        self.mode_picker = QComboBox()
        for value, (title, tip) in texts.LISTENING_MODES.items():
            self.mode_picker.addItem(title, value)
            self.mode_picker.setItemData(self.mode_picker.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.mode_picker.setAccessibleName(texts.LISTENING_NAME)
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(mode.value))
        self.mode_picker.currentIndexChanged.connect(self._mode_picked)
        label = QLabel(texts.LISTENING_LABEL)
        label.setBuddy(self.mode_picker)

        self.mute_action = QAction(texts.MUTE_NAME, self)
        self.mute_action.setCheckable(True)
        self.mute_action.setShortcut(MUTE_SHORTCUT)
        self.mute_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.mute_action.toggled.connect(self._mute_toggled)
        self.addAction(self.mute_action)
        self.mute_button = QPushButton(texts.MUTE)
        self.mute_button.setObjectName("muteButton")
        self.mute_button.setCheckable(True)
        self.mute_button.setAccessibleName(texts.MUTE_NAME)
        self.mute_button.setToolTip(texts.MUTE_TIP)
        self.mute_button.toggled.connect(self.mute_action.setChecked)  # one state, two ways to change it

        self.talk_button = QPushButton(texts.HOLD_TO_TALK)
        self.talk_button.setObjectName("talkButton")
        self.talk_button.setAccessibleName(texts.HOLD_TO_TALK_NAME)
        self.talk_button.setToolTip(texts.HOLD_TO_TALK_TIP)
        self.talk_button.setAccessibleDescription(texts.HOLD_TO_TALK_TIP)
        self.talk_button.pressed.connect(lambda: self._talk_button(True))  # mouse, or Space/Enter on the button
        self.talk_button.released.connect(lambda: self._talk_button(False))

        self.state_label = QLabel()
        self.state_label.setObjectName("micState")
        self.state_label.setWordWrap(True)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.mode_picker)
        row.addSpacing(12)
        row.addWidget(self.mute_button)
        row.addWidget(self.talk_button)
        row.addSpacing(8)
        row.addWidget(self.state_label, 3)
        row.addStretch(1)  # the controls keep their size when the state line is empty

        self._dark: bool | None = None
        self._restyle()
        controller.transcript_reset.connect(self._new_session)
        controller.state_changed.connect(self._on_state)
        controller.audio_mode_changed.connect(self.show_mode)
        self._filtering = False  # the key filter is on the whole application: only while push-to-talk is live
        self._on_state(controller.state)

    # -- what the window and the app use -----------------------------------------------------------

    @property
    def mode(self) -> AudioMode:
        return AudioMode(self.mode_picker.currentData())

    @property
    def muted(self) -> bool:
        return self.mute_action.isChecked()

    @property
    def talking(self) -> bool:
        return self._space_held or self._button_held

    @property
    def chosen_mode(self) -> AudioMode:
        """The person's (saved) mode, whatever this session switched to."""
        return self._chosen

    def set_mode(self, mode: AudioMode) -> None:
        """Show `mode` (the saved setting) and apply it to a live session; `mode_chosen` is not emitted."""
        self._chosen = mode
        self._pick_quietly(mode)
        self._apply_mode(announce_it=False)

    def show_mode(self, mode: AudioMode) -> None:
        """The session switched to `mode` itself (for this session; the banner says why): shown, not
        applied again, not saved."""
        self._pick_quietly(mode)
        self._show_state()

    def _pick_quietly(self, mode: AudioMode) -> None:
        self.mode_picker.blockSignals(True)
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(mode.value))
        self.mode_picker.blockSignals(False)

    def focus_chain(self) -> list[QWidget]:
        return [self.mode_picker, self.mute_button, self.talk_button]

    def mic_label(self, paused: bool) -> str:
        """The words beside the level meter when the uplink goes silent or comes back: why it is silent."""
        if self.muted:
            return texts.MIC_MUTED
        if self.mode is AudioMode.PUSH_TO_TALK and not self.talking:
            return texts.MIC_OFF_UNTIL_HELD
        return texts.MIC_PAUSED if paused else texts.MIC

    # -- the person's choices ----------------------------------------------------------------------

    def _mode_picked(self) -> None:
        self._chosen = self.mode
        self._apply_mode(announce_it=True)
        self.mode_chosen.emit(self.mode)

    def _apply_mode(self, *, announce_it: bool) -> None:
        mode = self.mode
        if mode is not AudioMode.PUSH_TO_TALK:
            self._release(send=True)  # held while switching away: what was said so far is sent
        session = self._live_session()
        if session is not None:
            session.barge_in.set_mode(mode)
        self._show_state()
        if announce_it:
            announce(self.mode_picker, texts.LISTENING_CHANGED.format(mode=texts.LISTENING_MODES[mode.value][0]))

    def _mute_toggled(self, muted: bool) -> None:
        if self.mute_button.isChecked() != muted:
            self.mute_button.setChecked(muted)
        session = self._live_session()
        if session is not None:
            session.barge_in.set_muted(muted)
        self._show_state()
        announce(self.mute_button, texts.MUTED_ANNOUNCE if muted else texts.UNMUTED_ANNOUNCE)

    def _talk_button(self, pressed: bool) -> None:
        if pressed == self._button_held:
            return
        self._button_held = pressed
        self._talk(pressed)

    def _talk(self, pressed: bool) -> None:
        """Button or key; the session hears one press until both are let go."""
        session = self._live_session()
        if session is not None and (pressed or not self.talking):
            session.barge_in.push_to_talk(pressed)
        self._show_state()
        if not pressed and not self.talking:
            announce(self.state_label, texts.PUSH_TO_TALK_SENT)

    def _release(self, *, send: bool) -> None:
        if not self.talking:
            return
        self._space_held = self._button_held = False
        if self.talk_button.isDown():
            self.talk_button.setDown(False)
        if send:
            self._talk(False)

    # -- the session ------------------------------------------------------------------------------

    def _live_session(self):  # noqa: ANN202 - TherapySession, imported late by the controller
        session = self.controller.session
        return session if session is not None and session.state.is_live else None

    def _new_session(self) -> None:
        """A new session: it takes the person's mode (not one the last session switched to) and starts unmuted."""
        self._release(send=False)
        self._pick_quietly(self._chosen)
        self.mute_action.setChecked(False)
        session = self.controller.session
        if session is not None:
            session.barge_in.set_mode(self.mode)
            session.barge_in.set_muted(False)
        self._show_state()

    def _on_state(self, state: SessionState) -> None:
        in_call = state.is_in_call
        self.mute_button.setEnabled(in_call)
        self.mute_action.setEnabled(in_call)
        self.talk_button.setEnabled(in_call)
        if not in_call:
            self._release(send=state.is_live)  # a reconnect or the end: nothing stays held
        if not state.is_live:  # ended: the next session starts from the person's mode, so show that
            self._pick_quietly(self._chosen)
        self._show_state()

    def _show_state(self) -> None:
        ptt = self.mode is AudioMode.PUSH_TO_TALK
        self._filter_keys((ptt and self.controller.state.is_in_call) or self._space_held)
        self.talk_button.setVisible(ptt)
        held = ptt and self.talking
        self.talk_button.setText(texts.HOLD_TO_TALK_HELD if held else texts.HOLD_TO_TALK)
        self._set_flag(self.talk_button, "held", held)
        in_call = self.controller.state.is_in_call
        if self.muted and in_call:
            text = texts.MUTED_STATE
        elif ptt and in_call:
            text = texts.PUSH_TO_TALK_HELD_STATE if held else texts.PUSH_TO_TALK_STATE
        else:
            text = ""
        self.mute_button.setText(texts.UNMUTE if self.muted else texts.MUTE)  # what a click does; the name stays
        self._set_flag(self.state_label, "muted", self.muted and in_call)
        self.uplink_changed.emit()
        if text != self.state_label.text():
            self.state_label.setText(text)
            if text:
                announce(self.state_label, text)
        self.state_label.setVisible(bool(text))

    @staticmethod
    def _set_flag(widget: QWidget, name: str, value: bool) -> None:
        if widget.property(name) != value:
            widget.setProperty(name, value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # -- Space held as the talk key -----------------------------------------------------------------

    def _filter_keys(self, wanted: bool) -> None:
        if wanted != self._filtering:
            self._filtering = wanted
            app = QApplication.instance()
            (app.installEventFilter if wanted else app.removeEventFilter)(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Space and self._space_is_talk_key(watched):
                if not event.isAutoRepeat():
                    pressed = kind == QEvent.Type.KeyPress
                    if pressed != self._space_held:
                        self._space_held = pressed
                        self._talk(pressed)
                return True
        elif kind == QEvent.Type.WindowDeactivate and watched is self.window() and self._space_held:
            self._space_held = False  # the key's release goes to another window: do not stay open
            self._talk(False)
        return False

    def _space_is_talk_key(self, watched: QObject) -> bool:
        if self.mode is not AudioMode.PUSH_TO_TALK or not self.controller.state.is_in_call:
            return self._space_held  # a release after the mode or the call changed still lets go
        if not isinstance(watched, QWidget) or watched.window() is not self.window():
            return False
        focus = QApplication.focusWidget()
        if focus is self.talk_button:
            return False  # the button takes Space itself: held down, it talks
        if focus is None:
            return True
        if isinstance(focus, (QTextEdit, QPlainTextEdit)):
            return focus.isReadOnly()  # reading the transcript, not typing
        return not isinstance(focus, _SPACE_TAKERS)

    def _restyle(self) -> None:
        dark = is_dark(QGuiApplication.palette())
        if dark != self._dark:
            self._dark = dark
            self.setStyleSheet(_SHEET.format(**colours()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
