"""Run in a subprocess at a given QT_SCALE_FACTOR: prints the screen and the window's geometry."""

import json
import sys

from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv)

from therapy_desktop.realtime.connect_mode import ConnectMode  # noqa: E402 - after the QApplication
from therapy_desktop.therapy import TherapyType  # noqa: E402
from therapy_desktop.ui.main_window import MainWindow  # noqa: E402
from therapy_desktop.ui.session_controller import SessionController  # noqa: E402


async def _never(request):
    raise AssertionError("no session in this probe")


async def _no_history():
    return None


window = MainWindow(SessionController(_never), mode=ConnectMode.DEMO, therapy=TherapyType.GENERAL,
                    history_store=_no_history)
window.show()
app.processEvents()
history = window.open_history()
screen = window.screen()
available, frame = screen.availableGeometry(), window.frameGeometry()
history_frame = history.frameGeometry()
window.error_banner.show_message("Could not open the microphone: Error querying device -1")  # a notice appears:
window.limit_notice.show_minutes_left(5)  # the window must not grow past the screen for it
app.processEvents()
grown = window.frameGeometry()
print(json.dumps({"dpr": screen.devicePixelRatio(), "available": available.getRect(), "frame": frame.getRect(),
                  "history": history_frame.getRect(), "after_notices": grown.getRect(),
                  "content_min_width": window.page.widget().minimumSizeHint().width(),
                  "page_width": window.page.viewport().width()}))
