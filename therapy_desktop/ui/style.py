"""The window's look: calm and readable, light or dark after the system palette.

Every colour comes from one of two tables so that a dark palette reaches every widget (a
hard-coded light colour left anywhere reads as a white box on a dark desktop). Focus is always
drawn: a strong ring on buttons and a clear frame on the transcript and inputs."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

_LIGHT = {
    "window": "#f6f8fb", "text": "#1f2933", "muted": "#52606d", "panel": "#ffffff", "border": "#dde3ea",
    "info_bg": "#eef4ff", "info_border": "#c9dafc", "user_bg": "#dcecff", "user_border": "#bcd7fb",
    "notice_bg": "#eef1f5", "error_bg": "#fdecec", "error_border": "#f5b5b5", "error_text": "#8a1f1f",
    "accent": "#1f6fd6", "accent_text": "#ffffff", "disabled": "#9aa5b1", "focus": "#b4570b",
    "button_bg": "#ffffff", "input_bg": "#ffffff", "pacer": "#1aa3a3", "pacer_ring": "#c7e9e9",
    "chart_before": "#8e6bd8", "chart_after": "#1aa3a3", "current_bg": "#fff4d6",
}
_DARK = {
    "window": "#1b1f24", "text": "#e6eaef", "muted": "#a9b4c0", "panel": "#252b32", "border": "#3a434d",
    "info_bg": "#1f2c40", "info_border": "#35507a", "user_bg": "#1f3a5c", "user_border": "#2f5685",
    "notice_bg": "#2a3038", "error_bg": "#45201f", "error_border": "#7a3431", "error_text": "#ffc9c5",
    "accent": "#5b9dff", "accent_text": "#0b1420", "disabled": "#5a6570", "focus": "#ffb454",
    "button_bg": "#2d343c", "input_bg": "#20262d", "pacer": "#3cc8c8", "pacer_ring": "#24484a",
    "chart_before": "#b39cf0", "chart_after": "#3cc8c8", "current_bg": "#4a3d16",
}

_SHEET = """
QMainWindow, QDialog, QWidget#historyWindow, QWidget#transcriptContent, QWidget#pageContent, QScrollArea#page,
QScrollArea#panels, QScrollArea#panels > QWidget > QWidget {{ background: {window}; color: {text}; }}
QWidget {{ color: {text}; }}
QLabel {{ color: {text}; font-size: 13px; background: transparent; }}
QLabel#disclosure {{ background: {info_bg}; border: 1px solid {info_border}; border-radius: 8px; padding: 8px 10px; }}
QLabel#crisis, QLabel#micLabel, QLabel#muted, QLabel#bubbleHeader {{ color: {muted}; }}
QLabel#crisis {{ font-size: 12px; }}
QLabel#statusBadge {{ font-size: 14px; font-weight: 600; }}
QLabel#timer {{ font-size: 14px; font-weight: 600; color: {muted}; }}
QLabel#limitNotice {{ background: {current_bg}; border-radius: 8px; padding: 6px 10px; }}
QScrollArea#transcript {{ border: 3px solid {border}; border-radius: 10px; background: {window}; }}
QScrollArea#transcript:focus {{ border: 3px solid {focus}; }}
QFrame#therapistBubble {{ background: {panel}; border: 1px solid {border}; border-radius: 12px; }}
QFrame#userBubble {{ background: {user_bg}; border: 1px solid {user_border}; border-radius: 12px; }}
QLabel#bubbleHeader {{ font-size: 11px; font-weight: 600; }}
QLabel#notice {{ color: {muted}; font-size: 12px; background: {notice_bg}; border-radius: 8px; padding: 6px 10px; }}
QFrame#errorBanner {{ background: {error_bg}; border: 1px solid {error_border}; border-radius: 8px; }}
QFrame#errorBanner QLabel {{ color: {error_text}; }}
QFrame#errorBanner[kind="notice"] {{ background: {info_bg}; border: 1px solid {info_border}; }}
QFrame#errorBanner[kind="notice"] QLabel {{ color: {text}; }}
QLabel#bannerTitle {{ font-weight: 600; }}
QFrame#panel {{ background: {panel}; border: 1px solid {border}; border-radius: 10px; }}
QLabel#panelTitle {{ font-size: 15px; font-weight: 600; }}
QLabel#groundingStep {{ padding: 4px 8px; border-radius: 6px; }}
QLabel#groundingStep[current="true"] {{ background: {current_bg}; font-weight: 600; }}
QLabel#groundingStep[done="true"] {{ color: {muted}; }}
QPushButton {{ background: {button_bg}; color: {text}; border: 1px solid {border}; border-radius: 8px;
               padding: 6px 14px; font-size: 13px; }}
QPushButton:disabled {{ color: {disabled}; }}
QPushButton:focus {{ border: 3px solid {focus}; padding: 4px 12px; }}
QPushButton#startButton {{ background: {accent}; color: {accent_text}; border: 3px solid {accent};
                           padding: 6px 16px; font-weight: 600; }}
QPushButton#startButton:disabled {{ background: {disabled}; border-color: {disabled}; }}
QPushButton#startButton:focus {{ border: 3px solid {focus}; }}
QComboBox, QLineEdit, QPlainTextEdit, QTextBrowser, QTableWidget, QSlider {{
    background: {input_bg}; color: {text}; border: 1px solid {border}; border-radius: 6px; }}
QComboBox {{ padding: 4px 8px; min-width: 100px; }}
QComboBox QAbstractItemView {{ background: {input_bg}; color: {text}; selection-background-color: {accent};
                               selection-color: {accent_text}; }}
QLineEdit {{ padding: 6px 8px; }}
QComboBox:focus, QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus, QTableWidget:focus,
QSlider:focus, QCheckBox:focus, QWidget#moodChart:focus {{ border: 3px solid {focus}; }}
QTableWidget {{ gridline-color: {border}; selection-background-color: {accent}; selection-color: {accent_text}; }}
QHeaderView::section {{ background: {notice_bg}; color: {text}; border: none; padding: 4px 6px; }}
QMenuBar, QMenu {{ background: {window}; color: {text}; }}
QMenu::item:selected, QMenuBar::item:selected {{ background: {accent}; color: {accent_text}; }}
QMessageBox {{ background: {window}; }}
"""


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colours(widget: QWidget | None = None) -> dict[str, str]:
    """The colour table that fits the palette now in use."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    return _DARK if is_dark(palette) else _LIGHT


def colour(name: str, widget: QWidget | None = None) -> QColor:
    return QColor(colours(widget)[name])


def style_sheet(palette: QPalette | None = None) -> str:
    table = _DARK if is_dark(palette or QApplication.palette()) else _LIGHT
    return _SHEET.format(**table)


def dark_palette() -> QPalette:
    """A dark palette (tests, and a system that reports dark without giving one)."""
    palette = QPalette()
    c = _DARK
    for role, value in (
        (QPalette.ColorRole.Window, c["window"]), (QPalette.ColorRole.WindowText, c["text"]),
        (QPalette.ColorRole.Base, c["input_bg"]), (QPalette.ColorRole.AlternateBase, c["panel"]),
        (QPalette.ColorRole.Text, c["text"]), (QPalette.ColorRole.Button, c["button_bg"]),
        (QPalette.ColorRole.ButtonText, c["text"]), (QPalette.ColorRole.Highlight, c["accent"]),
        (QPalette.ColorRole.HighlightedText, c["accent_text"]), (QPalette.ColorRole.ToolTipBase, c["panel"]),
        (QPalette.ColorRole.ToolTipText, c["text"]), (QPalette.ColorRole.PlaceholderText, c["muted"]),
    ):
        palette.setColor(role, QColor(value))
    return palette
