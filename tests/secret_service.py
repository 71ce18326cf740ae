"""A real Secret Service for the keyring tests: a private D-Bus session bus and gnome-keyring,
unlocked non-interactively with a throwaway password, all state in a temporary folder.

When THERAPY_DESKTOP_REQUIRE_DEVICES=1 (scripts/test, CI) a daemon that cannot start FAILS the
test: a skip would hide a broken set-up. Elsewhere it skips with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PASSWORD = b"throwaway-test-password"


def _unavailable(reason: str) -> None:
    if os.environ.get("THERAPY_DESKTOP_REQUIRE_DEVICES") == "1":
        pytest.fail(f"the Secret Service could not start: {reason} (install gnome-keyring and dbus: scripts/test)")
    pytest.skip(f"no Secret Service: {reason}")


def secret_service_env(root: Path) -> Iterator[dict[str, str]]:
    """Yields the environment (D-Bus address and private folders) of a running, unlocked keyring."""
    for program in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(program) is None:
            _unavailable(f"{program} is not installed")
    env = dict(os.environ)
    for name in ("home", "data", "config", "runtime"):
        (root / name).mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(HOME=str(root / "home"), XDG_DATA_HOME=str(root / "data"), XDG_CONFIG_HOME=str(root / "config"),
               XDG_RUNTIME_DIR=str(root / "runtime"))
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
                           stdout=subprocess.PIPE, env=env, text=True)
    daemon = None
    try:
        address = bus.stdout.readline().strip() if bus.stdout else ""
        if not address:
            _unavailable("dbus-daemon printed no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        assert daemon.stdin is not None
        daemon.stdin.write(PASSWORD)
        daemon.stdin.close()  # end of the password: the login keyring is created and unlocked with it
        if not _answers(env):
            _unavailable("gnome-keyring-daemon did not register org.freedesktop.secrets")
        yield env
    finally:
        for process in (daemon, bus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()


def _answers(env: dict[str, str], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
             "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"],
            env=env, capture_output=True, text=True)
        if "boolean true" in probe.stdout:
            return True
        time.sleep(0.1)
    return False
