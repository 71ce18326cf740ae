"""The window's look: calm, light, readable."""

STYLE_SHEET = """
QMainWindow, QWidget#transcriptContent { background: #f6f8fb; }
QLabel { color: #1f2933; font-size: 13px; }
QLabel#disclosure { background: #eef4ff; border: 1px solid #c9dafc; border-radius: 8px; padding: 8px 10px; }
QLabel#crisis { color: #52606d; font-size: 12px; }
QLabel#micLabel { color: #52606d; }
QLabel#statusBadge { font-size: 14px; font-weight: 600; }
QScrollArea#transcript { border: 1px solid #dde3ea; border-radius: 10px; background: #f6f8fb; }
QFrame#therapistBubble { background: #ffffff; border: 1px solid #dde3ea; border-radius: 12px; }
QFrame#userBubble { background: #dcecff; border: 1px solid #bcd7fb; border-radius: 12px; }
QLabel#bubbleHeader { color: #52606d; font-size: 11px; font-weight: 600; }
QLabel#notice { color: #52606d; font-size: 12px; background: #eef1f5; border-radius: 8px; padding: 6px 10px; }
QFrame#errorBanner { background: #fdecec; border: 1px solid #f5b5b5; border-radius: 8px; }
QFrame#errorBanner QLabel { color: #8a1f1f; }
QPushButton#startButton { background: #2f80ed; color: white; border: none; border-radius: 8px;
                          padding: 8px 18px; font-weight: 600; font-size: 13px; }
QPushButton#startButton:disabled { background: #9aa5b1; }
QPushButton#dismissButton { padding: 4px 10px; }
QComboBox { padding: 4px 8px; min-width: 130px; }
"""
