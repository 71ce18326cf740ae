"""`therapy-desktop-engine` on its own: a busy port is one line and a non-zero exit, before any model loads."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_a_port_in_use_is_one_line_and_exit_1_before_models_load():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "therapy_desktop.engine", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # Nothing else: no traceback, and no "speech synthesis/recognition ready" (the models never loaded).
    assert lines == [f"therapy-desktop-engine: error: cannot listen on 127.0.0.1:{port}: the port is already in use"]
    assert result.stdout == ""


def test_a_port_out_of_range_is_refused_by_the_arguments():
    result = subprocess.run([sys.executable, "-m", "therapy_desktop.engine", "--port", "70000"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--port must be between 0 and 65535" in result.stderr
