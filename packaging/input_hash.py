"""The hash of what a bundle is built from: build.spec, every file in packaging/ (but the recorded hash,
its README and caches), and pyproject.toml's run-time dependencies and the build tools' pins.

scripts/bundle-smoke compares it with packaging/smoke-tested.sha256 and builds only when they differ.
Source changes in therapy_desktop/ do not count (the suite tests those); a change that needs the bundle
rebuilt (a new lazy import, new data) comes with a spec or hook change, which does.
`python3 packaging/input_hash.py` prints it; `--files` lists what went in.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "packaging" / "smoke-tested.sha256"
README = ROOT / "packaging" / "README.md"  # documentation only: editing it needs no new build
BUILD_TOOLS = ("pyinstaller", "pyinstaller-hooks-contrib")


def inputs() -> list[Path]:
    # diagnostics.py too: the spec imports its bundled_components() to choose the metadata it ships.
    files = [ROOT / "build.spec", ROOT / "therapy_desktop" / "diagnostics.py"]
    files += sorted(p for p in (ROOT / "packaging").rglob("*")
                    if p.is_file() and p not in (RECORD, README) and "__pycache__" not in p.parts)
    return files


def dependencies() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tools = [d for d in project.get("optional-dependencies", {}).get("dev", [])
             if d.lower().startswith(BUILD_TOOLS)]
    return {"dependencies": sorted(project.get("dependencies", [])), "build-tools": sorted(tools)}


def input_hash() -> str:
    digest = hashlib.sha256()
    for path in inputs():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    digest.update(json.dumps(dependencies(), sort_keys=True).encode())
    return digest.hexdigest()


def recorded() -> str | None:
    try:
        return RECORD.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return None


if __name__ == "__main__":
    if "--files" in sys.argv:
        for path in inputs():
            print(path.relative_to(ROOT).as_posix())
        print("pyproject.toml: " + json.dumps(dependencies()))
    else:
        print(input_hash())
