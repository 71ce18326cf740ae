"""The safety parts of the window, attached to it: the terms before the first session, the crisis
panel and the check-in card, the "I am an AI" line when it is due or asked for, the safety plan,
and Delete everything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout

from therapy_desktop.storage.safety_plans import load_safety_plan, save_safety_plan
from therapy_desktop.therapy import DISCLOSURE_LINE, SafetyPlanError, region_from_locale
from therapy_desktop.therapy.consent import CONSENT_DECLINED_NOTE
from therapy_desktop.ui import safety_texts as t
from therapy_desktop.ui.announce import announce
from therapy_desktop.ui.consent_dialog import ConsentDialog
from therapy_desktop.ui.crisis_panel import CrisisPanel
from therapy_desktop.ui.safety_plan_dialog import SafetyPlanDialog
from therapy_desktop.ui.session_controller import SessionController
from therapy_desktop.ui.tasks import TaskRunner


class SafetyControls(QObject):
    def __init__(
        self,
        window: QMainWindow,
        controller: SessionController,
        layout: QVBoxLayout,
        *,
        consent_needed: Callable[[], bool],
        record_consent: Callable[[], None],
        forget_everything: Callable[[bool], Awaitable[str]] | None = None,
        after: object | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self._consent_needed, self._record_consent = consent_needed, record_consent
        self._forget = forget_everything
        self._tasks = TaskRunner(controller.error_raised.emit)
        self.panel = CrisisPanel(region_from_locale(QLocale.system().name()))
        index = layout.indexOf(after) + 1 if after is not None else 0  # type: ignore[arg-type]
        layout.insertWidget(index, self.panel)
        self.panel.safety_plan_requested.connect(self.open_safety_plan)
        controller.requires_consent = consent_needed
        controller.consent_needed.connect(self.ask_consent)
        controller.crisis_raised.connect(lambda _change: self.panel.raise_for_crisis())
        controller.check_in_due.connect(self.panel.show_check_in)
        controller.transcript_reset.connect(self.panel.reset)
        controller.disclosure_shown.connect(lambda _reason: self._show_disclosure())
        self._add_menu()

    def _add_menu(self) -> None:
        menu = self.window.menuBar().addMenu("&Safety")
        plan = QAction(t.SAFETY_PLAN_TITLE, self.window)
        plan.triggered.connect(self.open_safety_plan)
        terms = QAction("Read the terms again", self.window)
        terms.triggered.connect(lambda: ConsentDialog(self.window).exec())
        actions = [plan, terms]
        if self._forget is not None:
            forget = QAction("Delete everything…", self.window)
            forget.triggered.connect(self.confirm_forget)
            actions.append(forget)
        for action in actions:
            menu.addAction(action)

    def ask_consent(self) -> bool:
        dialog = ConsentDialog(self.window)
        accepted = dialog.exec() == ConsentDialog.DialogCode.Accepted
        if accepted:
            self._record_consent()
            self.controller.consent_given()
        else:
            self.controller.error_raised.emit(CONSENT_DECLINED_NOTE)
        return accepted

    def open_safety_plan(self) -> SafetyPlanDialog | None:
        try:
            plan = load_safety_plan()
        except SafetyPlanError as exc:
            self.controller.error_raised.emit(str(exc))
            return None
        dialog = SafetyPlanDialog(plan, save=save_safety_plan, parent=self.window)
        dialog.show()
        return dialog

    def confirm_forget(self) -> None:
        answer = QMessageBox.question(
            self.window, "Delete everything?",
            "This deletes every saved session, your moods, your safety plan, your settings and your "
            "acceptance of the terms from this computer. It cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes or self._forget is None:
            return
        keys = QMessageBox.question(
            self.window, "Stored keys", "Also delete the stored OpenAI API key and clinic token?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        self._tasks.run(self._forget_now(keys == QMessageBox.StandardButton.Yes), what="delete everything")

    async def _forget_now(self, credentials: bool) -> None:
        assert self._forget is not None
        self.controller.error_raised.emit(await self._forget(credentials))

    def _show_disclosure(self) -> None:
        transcript = getattr(self.window, "transcript", None)
        if transcript is not None:
            transcript.add_notice(DISCLOSURE_LINE)
        announce(self.panel, DISCLOSURE_LINE)
