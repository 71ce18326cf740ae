"""The "Copy diagnostics" text and the list of bundled components."""

from __future__ import annotations

from importlib import metadata

from therapy_desktop.diagnostics import (
    MAX_ERRORS,
    AudioDevice,
    app_version,
    bundled_components,
    current_diagnostics,
    diagnostics_text,
    installed_versions,
    license_texts,
)
from therapy_desktop.redaction import register_secret


def _text(**overrides: object) -> str:
    values: dict[str, object] = {
        "mode": "demo",
        "devices": [AudioDevice("USB Mic", 1, 0, default_input=True), AudioDevice("Speakers", 0, 2, default_output=True)],
        "errors": ["12:00:01 WARNING x: the call dropped"],
        "versions": {"aiortc": "1.16.0", "PySide6-Essentials": "6.11.3"},
        "app": "0.1.0",
        "python": "3.11.7",
        "system": "Linux-6.1-x86_64",
    }
    values.update(overrides)
    return diagnostics_text(**values)  # type: ignore[arg-type]


def test_text_has_versions_devices_mode_and_errors() -> None:
    text = _text()
    assert text.startswith("Therapy Desktop 0.1.0\nPython 3.11.7 on Linux-6.1-x86_64\nConnection mode: demo\n")
    assert "  aiortc 1.16.0\n  PySide6-Essentials 6.11.3\n" in text
    assert "  USB Mic: 1 in, 0 out [default input]\n" in text
    assert "  Speakers: 0 in, 2 out [default output]\n" in text
    assert "Last errors (1):\n  12:00:01 WARNING x: the call dropped\n" in text


def test_secrets_never_appear_whatever_line_they_are_in() -> None:
    register_secret("tdb-custom-secret-42")
    text = _text(errors=["rejected sk-proj-abcdefghij12", "auth Bearer xyz.abc", "token tdb-custom-secret-42"],
                 devices=[AudioDevice("ek_abcdefgh1234 headset", 1, 1)], mode="openai")
    for secret in ("sk-proj-abcdef", "xyz.abc", "tdb-custom-secret-42", "ek_abcdefgh1234"):
        assert secret not in text
    assert text.count("[redacted]") == 4


def test_only_the_last_errors_are_kept_and_empty_states_are_said() -> None:
    text = _text(errors=[f"error {i}" for i in range(MAX_ERRORS + 5)])
    assert "error 4\n" not in text and "error 5\n" in text and f"error {MAX_ERRORS + 4}\n" in text
    empty = _text(errors=[], devices=[])
    assert "Audio devices:\n  none found\n" in empty and "Last errors (0):\n  none\n" in empty
    broken = _text(devices=[], device_problem="PortAudio is not available: libportaudio.so.2 missing")
    assert "  PortAudio is not available: libportaudio.so.2 missing\n" in broken


def test_bundle_is_marked() -> None:
    assert _text(frozen=True).startswith("Therapy Desktop 0.1.0 (bundle)\n")


def test_components_follow_runtime_dependencies_not_extras() -> None:
    names = {c.name.lower().replace("_", "-") for c in bundled_components()}
    # direct and transitive run-time dependencies
    assert {"aiortc", "piper-tts", "pyside6-essentials", "shiboken6", "onnxruntime", "ctranslate2", "keyring"} <= names
    # dev and backend extras are not bundled, and the app itself is not a third party
    assert not names & {"pytest", "fastapi", "sqlalchemy", "uvicorn", "ruff", "therapy-desktop"}
    piper = next(c for c in bundled_components() if c.name == "piper-tts")
    assert piper.license == "GPL-3.0-or-later" and piper.version


def test_license_texts_are_read_from_the_installed_metadata() -> None:
    texts = license_texts("piper-tts")
    assert any("GNU GENERAL PUBLIC LICENSE" in text for _name, text in texts)
    assert license_texts("no-such-distribution-here") == []


def test_versions_of_this_process() -> None:
    versions = installed_versions(("aiortc", "no-such-distribution-here"))
    assert versions["aiortc"].count(".") >= 1 and versions["no-such-distribution-here"] == "not installed"
    assert app_version() == metadata.version("therapy-desktop")
    text = current_diagnostics("demo", ["w1"])
    assert "Connection mode: demo" in text and "Audio devices:" in text and "  w1\n" in text
