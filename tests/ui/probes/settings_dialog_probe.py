"""Run in a subprocess at a given QT_SCALE_FACTOR: prints the screen and the Settings dialog's
geometry on each page (the Audio page is the tallest)."""

import json
import sys

from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv)

from therapy_desktop.realtime.secrets import KeyringSecretStore  # noqa: E402 - after the QApplication
from therapy_desktop.settings import SettingsStore  # noqa: E402
from therapy_desktop.ui.settings_dialog import SettingsDialog  # noqa: E402


async def _no_test(settings, key):
    return "ok"


dialog = SettingsDialog(SettingsStore(), KeyringSecretStore(timeout=2), _no_test)
dialog.show()
app.processEvents()
screen = dialog.screen()
pages = []
for index in range(dialog.tabs.count()):
    dialog.tabs.setCurrentIndex(index)
    app.processEvents()
    area = dialog.tabs.currentWidget()
    pages.append({"content_min_width": area.widget().minimumSizeHint().width(), "viewport_width": area.viewport().width(),
                  "frame": dialog.frameGeometry().getRect()})
print(json.dumps({"dpr": screen.devicePixelRatio(), "available": screen.availableGeometry().getRect(), "pages": pages}))
