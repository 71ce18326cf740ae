"""The bundle's build helpers (packaging/): what the Qt filter drops, the executable-stack check, the
screenshot conversion and the input hash that decides when CI rebuilds. The build itself and its smoke
test are scripts/bundle-smoke (minutes, so not part of the suite)."""

from __future__ import annotations

import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_filter  # noqa: E402
import execstack  # noqa: E402
import input_hash  # noqa: E402
import xwd_to_png  # noqa: E402


@pytest.mark.parametrize(("path", "dropped"), [
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
    ("PySide6/plugins/imageformats/qsvg.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqico.so", False),
    ("PySide6/plugins/imageformats/qgif.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.dylib", True),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/plugins/platforms/qwindows.dll", False),
    ("PySide6/plugins/platforms/qminimal.dll", True),
    ("PySide6/Qt/plugins/platforms/libqminimalegl.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("PySide6\\translations\\qtbase_de.qm", True),
    ("PySide6/Qt/lib/libQt6Gui.so.6", False),
    ("av.libs/libavcodec-5e6b81c2.so.62", False),
])
def test_qt_filter(path: str, dropped: bool) -> None:
    assert bundle_filter.dropped(path) is dropped


def test_unused_qt_modules_never_name_what_the_app_imports() -> None:
    unused = set(bundle_filter.unused_qt_modules())
    assert "PySide6.QtWebEngineCore" in unused and "PySide6.QtQml" in unused
    assert not unused & {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}


def _real_library() -> Path:
    import _ssl  # an extension module: an ELF shared object on Linux

    return Path(_ssl.__file__)


def _set_stack_flags(path: Path, executable: bool) -> None:
    data = bytearray(path.read_bytes())
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        at = phoff + i * phentsize
        if struct.unpack_from("<I", data, at)[0] == 0x6474E551:
            flags = struct.unpack_from("<I", data, at + 4)[0]
            struct.pack_into("<I", data, at + 4, flags | 1 if executable else flags & ~1)
    path.write_bytes(bytes(data))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF only")
def test_executable_stack_is_found_and_a_build_without_patchelf_says_what_to_do(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "libgood.so"
    bad = tmp_path / "sub" / "libbad.so.1"
    bad.parent.mkdir()
    shutil.copy(_real_library(), good)
    shutil.copy(_real_library(), bad)
    _set_stack_flags(bad, executable=True)
    (tmp_path / "notes.so.txt").write_text("not an ELF file")
    assert not execstack.has_executable_stack(good)
    assert execstack.has_executable_stack(bad)
    assert execstack.libraries_with_executable_stack(tmp_path) == [bad]
    monkeypatch.setattr(execstack.shutil, "which", lambda _name: None)
    with pytest.raises(SystemExit, match="install patchelf"):
        execstack.clear_executable_stacks(tmp_path)
    _set_stack_flags(bad, executable=False)
    assert execstack.clear_executable_stacks(tmp_path) == []


def _xwd(width: int, height: int, pixel: callable) -> bytes:  # type: ignore[valid-type]
    name = b"Xvfb main window\0"
    header_size = 100 + len(name)
    fields = [header_size, 7, 2, 24, width, height, 0, 0, 32, 0, 32, 32, width * 4, 4,
              0xFF0000, 0xFF00, 0xFF, 8, 256, 0, width, height, 0, 0, 0]
    pixels = b"".join(struct.pack("<I", pixel(x, y)) for y in range(height) for x in range(width))
    return struct.pack(">25I", *fields) + name + pixels


def _png_rows(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack_from(">II", data, 16)
    start = data.index(b"IDAT") + 4
    length, = struct.unpack_from(">I", data, start - 8)
    return width, height, zlib.decompress(data[start:start + length])


def test_screenshot_conversion_keeps_colours_and_refuses_a_blank_screen(tmp_path: Path) -> None:
    painted = tmp_path / "painted.xwd"
    painted.write_bytes(_xwd(64, 32, lambda x, y: (x * 2) << 16 | (y * 4) << 8 | 0x33))
    assert xwd_to_png.main(["x", str(painted), str(tmp_path / "painted.png")]) == 0
    width, height, raw = _png_rows(tmp_path / "painted.png")
    assert (width, height) == (64, 32)
    row5 = raw[5 * (1 + 64 * 3):6 * (1 + 64 * 3)]
    assert row5[0] == 0 and row5[1 + 3 * 7:1 + 3 * 8] == bytes([14, 20, 0x33])  # x=7, y=5: red 14, green 20
    blank = tmp_path / "blank.xwd"
    blank.write_bytes(_xwd(24, 8, lambda x, y: 0))
    assert xwd_to_png.main(["x", str(blank), str(tmp_path / "blank.png")]) == 1


def test_input_hash_follows_spec_packaging_and_dependencies_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "packaging" / "hooks").mkdir(parents=True)
    (tmp_path / "therapy_desktop").mkdir()
    (tmp_path / "build.spec").write_text("# spec\n")
    (tmp_path / "therapy_desktop" / "diagnostics.py").write_text("# components\n")
    hook = tmp_path / "packaging" / "hooks" / "hook-x.py"
    hook.write_text("datas = []\n")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["a>=1"]\n'
                         '[project.optional-dependencies]\ndev = ["pytest>=8", "pyinstaller>=6.20"]\n')
    monkeypatch.setattr(input_hash, "ROOT", tmp_path)
    monkeypatch.setattr(input_hash, "RECORD", tmp_path / "packaging" / "smoke-tested.sha256")
    monkeypatch.setattr(input_hash, "README", tmp_path / "packaging" / "README.md")
    first = input_hash.input_hash()
    (tmp_path / "packaging" / "README.md").write_text("notes")
    input_hash.RECORD.write_text(first + "\n")
    pyproject.write_text(pyproject.read_text().replace('"pytest>=8"', '"pytest>=9"'))  # a test tool: no rebuild
    assert input_hash.input_hash() == first
    assert input_hash.recorded() == first
    hook.write_text("datas = [('a', 'b')]\n")
    second = input_hash.input_hash()
    assert second != first
    pyproject.write_text(pyproject.read_text().replace('"a>=1"', '"a>=2"'))
    assert input_hash.input_hash() not in (first, second)
    pyproject.write_text(pyproject.read_text().replace('"pyinstaller>=6.20"', '"pyinstaller>=6.21"'))
    third = input_hash.input_hash()
    (tmp_path / "build.spec").write_text("# spec, changed\n")
    assert input_hash.input_hash() != third

