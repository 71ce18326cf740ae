"""An offline Demo session sends nothing anywhere and leaves nothing behind but what it was asked to write.

A real headless Demo run (engine in-process: piper, silero VAD and Whisper all loaded) as a
subprocess under `strace`, with HOME, XDG_*_HOME, TMPDIR and the working folder fresh and empty:
- every connect/sendto/sendmsg goes to loopback or a local socket, and nothing asks a resolver;
- every file the run created is one of the outputs it was given, or inside the app's own folder.
Before the fix onnxruntime wrote `~/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid` at
import and looked up `mobile.events.data.microsoft.com` about ten seconds later.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import conversation_wav

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
APP_FOLDER_NAMES = {"therapy-desktop", "therapydesktop", "therapy_desktop", "therapy desktop"}
TRACED = "connect,sendto,sendmsg,creat,open,openat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat"
_NETWORK_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg)\(")
_IPV4 = re.compile(r'inet_addr\("([0-9.]+)"\)|(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3}):\d+')
_IPV6 = re.compile(r'inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)"|\[([0-9a-fA-F:]*:[0-9a-fA-F:.]*)\]:\d+')
_CREATED = re.compile(
    r'^\d+\s+(?:open|openat|creat|mkdir|mkdirat|link|linkat|symlink|symlinkat|rename|renameat|renameat2)\((.*)\)\s+=\s+(\d+)'
)
# Local resolvers reached through a socket file are still a DNS query.
_RESOLVER_SOCKETS = ("nscd", "resolve", "dnsmasq")


def _strace() -> str | None:
    path = shutil.which("strace")
    if path is None:
        return None
    probe = subprocess.run([path, "-f", "-o", os.devnull, "true"], capture_output=True)
    return path if probe.returncode == 0 else None  # ptrace may be forbidden in a container


def outbound_attempts(log: str) -> list[str]:
    """Lines of an `strace -yy` log that reach anything but loopback or ask a resolver."""
    bad = []
    for line in log.splitlines():
        if not _NETWORK_CALL.match(line):
            continue
        resolver_socket = "sun_path" in line and any(name in line for name in _RESOLVER_SOCKETS)
        if "htons(53)" in line or re.search(r":53\]", line) or resolver_socket:
            bad.append(line)  # DNS, even to a stub on loopback
            continue
        addresses = [a or b for a, b in _IPV4.findall(line)] + [a or b for a, b in _IPV6.findall(line)]
        for text in addresses:
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                continue
            if not (address.is_loopback or address.is_unspecified):
                bad.append(line)
                break
    return bad


def created_paths(log: str) -> set[Path]:
    """Paths an `strace -yy` log shows were created or written (successful calls only)."""
    paths = set()
    for line in log.splitlines():
        match = _CREATED.match(line)
        if match is None:
            continue
        call, args = line.split()[1].split("(")[0], match.group(1)
        if call in ("open", "openat") and "O_CREAT" not in args and "O_WRONLY" not in args and "O_RDWR" not in args:
            continue
        for relative_to, name in re.findall(r'(?:<([^>]*)>, )?"([^"]+)"', args)[-1:]:
            # The last quoted path is the one made (the target of a link or rename).
            path = Path(name)
            if not path.is_absolute() and relative_to:
                path = Path(relative_to) / path
            paths.add(path)
    return paths


def _in_app_folder(path: Path, roots: list[Path]) -> bool:
    for root in roots:
        if path.is_relative_to(root):
            parts = path.relative_to(root).parts
            return any(part.lower().lstrip(".") in APP_FOLDER_NAMES for part in parts[:3])
    return False


def test_a_demo_session_sends_nothing_anywhere_and_leaves_only_its_outputs(utterance_wavs, tmp_path):
    strace = _strace()
    if strace is None:
        if os.environ.get("THERAPY_DESKTOP_REQUIRE_OFFLINE") == "1":
            pytest.fail("strace is missing or cannot trace here (scripts/setup-env.sh installs it)")
        pytest.skip("strace is missing or cannot trace here")
    inputs, outputs, fresh = tmp_path / "in", tmp_path / "out", tmp_path / "fresh"
    inputs.mkdir()
    outputs.mkdir()
    # Ten seconds of quiet after the reply: onnxruntime's uploader first ran ~10 s after import.
    mic = conversation_wav(inputs / "mic.wav", [(None, 3.0), (utterance_wavs["hello"], 4.0)])
    roots = {name: fresh / name for name in ("home", "cache", "config", "data", "state", "runtime", "tmp", "cwd")}
    for folder in roots.values():
        folder.mkdir(parents=True)
    roots["runtime"].chmod(0o700)
    speaker, transcript, log = outputs / "speaker.wav", outputs / "transcript.json", tmp_path / "strace.log"

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "OPENAI_", "HF_", "ORT_", "THERAPY_DESKTOP_")) and k not in ("DO_NOT_TRACK",)}
    env.update({
        "HOME": str(roots["home"]), "TMPDIR": str(roots["tmp"]),
        "XDG_CACHE_HOME": str(roots["cache"]), "XDG_CONFIG_HOME": str(roots["config"]),
        "XDG_DATA_HOME": str(roots["data"]), "XDG_STATE_HOME": str(roots["state"]),
        "XDG_RUNTIME_DIR": str(roots["runtime"]),
        "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",  # the code under test; no .pyc beside it
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    })
    command = [strace, "-f", "-yy", "-s", "64", "-e", f"trace={TRACED}", "-o", str(log),
               sys.executable, "-m", "therapy_desktop", "--headless", "--mode", "demo", "--accept-terms",
               "--mic-wav", str(mic), "--transcript", str(transcript), "--speaker-wav", str(speaker)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=150, env=env, cwd=roots["cwd"])
    assert result.returncode == 0, result.stderr
    roles = [item["role"] for item in json.loads(transcript.read_text())["items"]]
    assert roles[:3] == ["assistant", "user", "assistant"], roles  # a real session: heard, transcribed, answered

    trace = log.read_text(errors="replace")
    assert "127.0.0.1" in trace  # the trace did see the session's own traffic
    assert outbound_attempts(trace) == []

    # Every file left in the fresh folders, and every path the trace shows was made anywhere.
    left = {path for folder in roots.values() for path in folder.rglob("*") if path.is_file()}
    made = {path for path in created_paths(trace) if path.is_file()}  # still there, a regular file
    allowed = {speaker, transcript}
    strays = sorted(str(path) for path in left | made
                    if path not in allowed and not _in_app_folder(path, list(roots.values())))
    assert strays == []


def test_loading_the_voice_writes_no_telemetry_store(tmp_path):
    """Without strace: the engine's synthesizer (the one user of onnxruntime) in a fresh home."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORT_", "HF_"))}
    env.update({"HOME": str(home), "TMPDIR": str(home), "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"})
    code = ("from therapy_desktop.engine.speech import Synthesizer; import os; "
            "assert len(Synthesizer().synthesize('Hello.')) > 0; print(os.environ.get('ORT_DISABLE_TELEMETRY'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=home)
    assert result.returncode == 0, result.stderr
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []  # no .cache/Microsoft/…/deviceid
    assert result.stdout.strip() == "1"


def test_the_crisis_nets_sentence_model_writes_no_telemetry_store(tmp_path):
    """The app's other user of onnxruntime, in every mode (OpenAI mode never imports the engine)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORT_", "HF_"))}
    env.update({"HOME": str(home), "TMPDIR": str(home), "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"})
    code = ("import sys; from therapy_desktop.therapy import crisis_embedding as e; "
            "assert e.embed('I feel fine today.') is not None; print('therapy_desktop.engine' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"  # the engine's own switches played no part
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []


def test_the_trace_reader_sees_a_resolver_query_and_a_remote_address():
    """The two detectors above, on the lines strace wrote for onnxruntime's upload before the fix."""
    log = "\n".join([
        '8726  connect(9<UDP:[13373]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '8726  sendto(9<UDP:[192.0.2.2:41617->10.255.255.53:53]>, "W|\\1\\0", 50, MSG_NOSIGNAL, NULL, 0) = 50',
        '9  connect(7<TCPv6:[[::1]:5]>, {sa_family=AF_INET6, sin6_port=htons(443), '
        'inet_pton(AF_INET6, "2603:1030::1", &sin6_addr)}, 28) = -1 ENETUNREACH',
        '9  connect(8<UNIX-STREAM:[1]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '9  sendto(13<UDP:[127.0.0.1:41179]>, "x", 39, 0, {sa_family=AF_INET, sin_port=htons(39689), '
        'sin_addr=inet_addr("127.0.0.1")}, 16) = 39',
        '9  sendto(5<UNIX-STREAM:[14688->14687]>, "\\0", 1, 0, NULL, 0) = 1',
        '9  openat(AT_FDCWD</x>, "/h/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid", O_RDWR|O_CREAT, 0600) = 7</y>',
        '9  openat(AT_FDCWD</x>, "/usr/lib/x.so", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x.so>',
    ])
    assert len(outbound_attempts(log)) == 4
    assert created_paths(log) == {Path("/h/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid")}
