"""What the spec leaves out of Qt: modules the app never imports and plugins it never loads."""

from __future__ import annotations

import re

# The app imports QtCore, QtGui and QtWidgets only (QPdfWriter is QtGui). Named so that no library's
# optional import pulls them in; each of these is several to a hundred MB with its own dependencies.
_UNUSED = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth",
    "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtHelp",
    "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth",
    "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport",
    "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg",
    "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
]

# Paths inside the bundle (forward slashes) that are dropped. Kept: platforms xcb, wayland and offscreen
# (--headless and the PDF export use offscreen), the SVG image format and icon engine (the app's icon is
# an SVG), platform themes, input contexts (compose keys) and the xcb/wayland GL integrations.
_DROP = [re.compile(p) for p in (
    r"PySide6/Qt/translations/",  # the app's texts are English only
    r"PySide6/Qt/plugins/imageformats/(?!libqsvg|libqico)",  # gif, jpeg, tiff, webp, pdf (pulls QtPdf)...
    r"PySide6/Qt/plugins/platforms/lib(qminimal|qminimalegl|qlinuxfb|qvnc|qvkkhrdisplay|qeglfs)",
    r"PySide6/Qt/plugins/(egldeviceintegrations|generic|networkinformation|tls|sqldrivers|multimedia|"
    r"position|sensors|qmltooling|designer|printsupport|canbus|webview|texttospeech|renderers)/",
    r"PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboard",  # pulls QtQuick and QtQml
    r"PySide6/Qt/lib/libQt6(Pdf|Quick|Qml|VirtualKeyboard|Multimedia|WebEngine|3D|Sql|Test)",
    r"PySide6/Qt/qml/",
    r"PySide6/Qt/libexec/",
)]


def unused_qt_modules() -> list[str]:
    return [f"PySide6.{name}" for name in _UNUSED]


def dropped(dest: str) -> bool:
    path = dest.replace("\\", "/")
    return any(p.search(path) for p in _DROP)


def drop_unused_qt(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A PyInstaller TOC (dest, source, typecode) without the entries `dropped` names."""
    return [entry for entry in toc if not dropped(entry[0])]
