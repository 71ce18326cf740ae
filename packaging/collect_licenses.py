"""Write THIRD-PARTY-NOTICES.txt: every bundled distribution, its version, license and license texts.

The spec calls `write_third_party_notices` at build time and ships the file at the bundle's top; the
.dist-info folders (license files included) ship too, for the About box. Run by hand:
`python packaging/collect_licenses.py OUT.txt`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from therapy_desktop.diagnostics import Component, bundled_components, license_texts  # noqa: E402

# Not Python distributions, yet inside the bundle (PyInstaller copies them from the build machine or
# they are inside a wheel's libraries).
NATIVE = [
    ("Python", "PSF-2.0", "the interpreter and standard library (https://docs.python.org/3/license.html)"),
    ("Qt 6", "LGPL-3.0-only", "inside PySide6; its license texts are in PySide6_Essentials' .dist-info"),
    ("PortAudio", "MIT", "libportaudio.so.2, copied from the build machine by the sounddevice hook"),
    ("FFmpeg, libopus, libvpx", "LGPL-2.1-or-later, BSD-3-Clause", "inside PyAV's av.libs"),
    ("espeak-ng", "GPL-3.0-or-later", "inside piper-tts (espeakbridge and espeak-ng-data)"),
]

HEADER = """Therapy Desktop is free software under the GNU General Public License, version 3 or (at your option)
any later version (GPL-3.0-or-later), because it includes piper-tts, which is under that license. The
GPL's full text is piper-tts' COPYING, reproduced below. The components it bundles and their licenses:
"""


def write_third_party_notices(out: Path, components: list[Component] | None = None) -> Path:
    components = bundled_components() if components is None else components
    parts = [HEADER, ""]
    parts += [f"  {c.name} {c.version}: {c.license}" for c in components]
    parts += ["", "Native libraries:"] + [f"  {n}: {lic} ({where})" for n, lic, where in NATIVE] + [""]
    for c in components:
        for file, text in license_texts(c.name):
            parts += ["=" * 78, f"{c.name} {c.version} - {file}", "=" * 78, text.rstrip(), ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: collect_licenses.py OUT.txt")
    print(write_third_party_notices(Path(sys.argv[1])))
