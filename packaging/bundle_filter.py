"""What the spec leaves out of Qt: modules the app never imports and plugins it never loads."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

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
# an SVG), the xdg-desktop-portal theme, input contexts (compose keys, ibus), the xcb/wayland GL
# integrations and the wayland client plugins.
# Linux and macOS wheels keep Qt in PySide6/Qt/, Windows wheels in PySide6/ directly; plugin files are
# libq*.so / libq*.dylib there and q*.dll on Windows.
_QT = r"PySide6/(?:Qt/)?"
_DROP = [re.compile(_QT + p) for p in (
    r"translations/",  # the app's texts are English only
    r"plugins/imageformats/(?!(?:lib)?q(?:svg|ico)[.d])",  # gif, jpeg, tiff, webp, icns, tga, pdf (QtPdf)
    r"plugins/platforms/(?:lib)?q(?:minimal|minimalegl|linuxfb|vnc|vkkhrdisplay|eglfs)[.d]",  # embedded
    # The GTK 3 theme brings the system's whole GTK stack (gtk, gdk, cairo, pango, atk: ~17 MB) copied from
    # the build machine; the portal theme gives native dialogs without it.
    r"plugins/platformthemes/libqgtk3",
    r"plugins/(?:egldeviceintegrations|generic|networkinformation|tls|sqldrivers|multimedia|"
    r"position|sensors|qmltooling|designer|printsupport|canbus|webview|texttospeech|renderers|"
    r"wayland-graphics-integration-server)/",
    r"plugins/platforminputcontexts/(?:lib)?qtvirtualkeyboard",  # pulls QtQuick and QtQml
    r"qml/",
    r"libexec/",
)]


def unused_qt_modules() -> list[str]:
    return [f"PySide6.{name}" for name in _UNUSED]


def dropped(dest: str) -> bool:
    path = dest.replace("\\", "/")
    return any(p.search(path) for p in _DROP)


def drop_unused_qt(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A PyInstaller TOC (dest, source, typecode) without the entries `dropped` names."""
    return [entry for entry in toc if not dropped(entry[0])]


_ELF = ("BINARY", "EXTENSION")


def _needed(path: str) -> list[str]:
    """The DT_NEEDED names of an ELF file (objdump is in binutils, which PyInstaller needs anyway)."""
    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)", out, re.MULTILINE)


def prune_orphans(before: list[tuple[str, str, str]], after: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Linux: `after` without the libraries that only the entries dropped from `before` linked to.

    Roots are the libraries nothing in `before` links to (extension modules, plugins, libraries opened
    by name such as PortAudio and ggml's CPU backend); what no kept root reaches is an orphan."""
    def graph(toc: list[tuple[str, str, str]]) -> dict[str, list[str]]:
        elf = [(Path(dest).name, src) for dest, src, kind in toc if kind in _ELF]
        names = {name for name, _src in elf}
        return {name: [n for n in _needed(src) if n in names] for name, src in elf}

    full = graph(before)
    linked_to = {n for deps in full.values() for n in deps}
    kept_names = {Path(dest).name for dest, _src, kind in after if kind in _ELF}
    roots = [n for n in full if n not in linked_to and n in kept_names]
    reach: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in reach:
            reach.add(name)
            stack.extend(full.get(name, []))
    return [e for e in after if e[2] != "BINARY" or Path(e[0]).name in reach]
