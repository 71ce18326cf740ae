"""The personal safety plan (Stanley–Brown's six steps), kept on this computer and exportable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from therapy_desktop.therapy.safety_plan import STEPS, Contact, SafetyPlan, SafetyPlanError
from therapy_desktop.ui import safety_texts as t

_CONTACT_STEPS = {"people_to_ask", "professionals"}


class SafetyPlanDialog(QDialog):
    def __init__(self, plan: SafetyPlan, save: Callable[[SafetyPlan], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t.SAFETY_PLAN_TITLE)
        self._save = save
        intro = QLabel(t.SAFETY_PLAN_INTRO)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.editors: dict[str, QPlainTextEdit] = {}
        for name, heading, hint in STEPS:
            editor = QPlainTextEdit("\n".join(_line(item) for item in getattr(plan, name)))
            editor.setPlaceholderText(hint)
            editor.setAccessibleName(heading)
            editor.setAccessibleDescription(hint)
            editor.setTabChangesFocus(True)  # Tab moves on: the plan is keyboard-operable
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 4 + 12)
            label = QLabel(heading)
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.editors[name] = editor
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.status = QLabel()
        self.status.setAccessibleName("Safety plan status")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(t.SAFETY_PLAN_SAVE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button = buttons.addButton(t.SAFETY_PLAN_EXPORT, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(t.SAFETY_PLAN_CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, self.export_button, close):
            button.setAccessibleName(button.text().rstrip("…"))
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(self._export)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            self.resize(min(700, int(screen.width() * 0.9)), min(760, int(screen.height() * 0.85)))

    def plan(self) -> SafetyPlan:
        plan = SafetyPlan(updated_at=datetime.now().astimezone().isoformat(timespec="seconds"))
        for name, editor in self.editors.items():
            lines = [line.strip() for line in editor.toPlainText().splitlines() if line.strip()]
            plan = plan.with_step(name, [_contact(line) if name in _CONTACT_STEPS else line for line in lines])
        return plan

    def save(self) -> bool:
        try:
            self._save(self.plan())
        except (OSError, SafetyPlanError) as exc:
            self.status.setText(t.SAFETY_PLAN_NOT_SAVED.format(reason=getattr(exc, "strerror", None) or exc))
            return False
        self.status.setText(t.SAFETY_PLAN_SAVED)
        return True

    def export_to(self, path: Path) -> None:
        path.write_text(self.plan().to_markdown(), encoding="utf-8")
        self.status.setText(t.SAFETY_PLAN_EXPORTED.format(path=path))

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, t.SAFETY_PLAN_EXPORT, "safety-plan.md", "Markdown (*.md)")
        if name:
            try:
                self.export_to(Path(name))
            except OSError as exc:
                self.status.setText(t.SAFETY_PLAN_NOT_SAVED.format(reason=exc.strerror or exc))


def _line(item: str | Contact) -> str:
    if isinstance(item, Contact):
        return ", ".join(part for part in (item.name, item.phone, item.note) if part)
    return item


def _contact(line: str) -> Contact:
    name, _, rest = line.partition(",")
    phone, _, note = rest.strip().partition(",")
    return Contact(name.strip(), phone.strip(), note.strip())
