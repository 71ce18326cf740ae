"""Real processes for the backend's tests (and its load benchmark): the backend under uvicorn, a
throwaway PostgreSQL cluster, and OpenAI stand-ins on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLINIC_KEY = "sk-clinic-test-0123456789abcdef"  # the clinic's "OpenAI key": must never reach a desktop


def base_env(database_url: str, upstream_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BACKEND_", "THERAPY_DESKTOP_BACKEND"))}
    env.update({
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "OPENAI_API_KEY": CLINIC_KEY,
        "OPENAI_BASE_URL": upstream_url,
    })
    env.update(overrides)
    return env


def backend_cli(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "therapy_desktop.backend", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def setup_users(env: dict[str, str], names: list[str], cwd: Path) -> dict[str, str]:
    """Migrate, create the users and issue one token each. The first goes through the CLI, as an
    operator would; the rest straight into the database (each CLI call costs ~0.7 s)."""
    done = backend_cli(env, "migrate", cwd=cwd)
    assert done.returncode == 0, done.stderr
    first, *rest = names
    made = backend_cli(env, "create-user", first, cwd=cwd)
    assert made.returncode == 0, made.stderr
    issued = backend_cli(env, "issue-token", first, "--days", "1", cwd=cwd)
    assert issued.returncode == 0, issued.stderr
    return {first: issued.stdout.strip().splitlines()[-1], **create_users_in_process(env["DATABASE_URL"], rest)}


@dataclass
class BackendProcess:
    """`therapy-desktop-backend serve --port 0` as a subprocess; stderr (its log) kept in a file."""

    env: dict[str, str]
    cwd: Path
    port: int = 0
    url: str = ""
    log_path: Path = field(init=False)
    _process: subprocess.Popen[str] | None = None

    def __post_init__(self) -> None:
        self.log_path = self.cwd / f"backend-{id(self)}.log"

    def start(self, timeout: float = 30.0) -> BackendProcess:
        log = self.log_path.open("w")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "therapy_desktop.backend", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=self.cwd, stdout=subprocess.PIPE, stderr=log, text=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith("listening on ") or time.monotonic() > deadline:
            self.stop()
            raise RuntimeError(f"the backend did not start: {line!r}\n{self.log()}")
        self.url = line.split()[-1]
        _wait_for_port(self.url, deadline)
        return self

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        if self._process.stdout:
            self._process.stdout.close()
        self._process = None


def _wait_for_port(url: str, deadline: float) -> None:
    host, port = url.rsplit("//", 1)[1].rsplit(":", 1)
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, int(port)), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {url}")


# -- PostgreSQL -------------------------------------------------------------------------------------

def postgres_bin_dir() -> Path | None:
    """Debian puts the server binaries in /usr/lib/postgresql/<version>/bin, off the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A throwaway cluster in a temporary folder, on a free loopback port, with trust auth.

    The server refuses to run as root; as root it runs as the `postgres` system user (which the
    Debian package creates), otherwise as the current user.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="therapy-pg-"))
        self.data = self.root / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=60, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> PostgresCluster:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "30", "start")
        return self

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


# -- OpenAI stand-ins --------------------------------------------------------------------------------

class EngineInThread:
    """The project's engine (`LocalEngine`) on its own loop in a thread: a GA `client_secrets` on
    loopback. Speech models are not loaded: the backend's tests make no calls."""

    def __init__(self, api_key: str = CLINIC_KEY) -> None:
        from therapy_desktop.engine import LocalEngine

        self.loop = asyncio.new_event_loop()
        self.engine = LocalEngine(api_key=api_key, preload_models=False)
        self._thread = threading.Thread(target=self.loop.run_forever, name="engine", daemon=True)

    def start(self) -> EngineInThread:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.engine.start(), self.loop).result(30)
        return self

    @property
    def base_url(self) -> str:
        return self.engine.base_url

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.engine.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


class ScriptedOpenAI:
    """Answers `POST /v1/realtime/client_secrets` with whatever the test sets in `answer`:
    (status, body, headers). Records the requests it got."""

    def __init__(self) -> None:
        self.answer: tuple[int, bytes, dict[str, str]] = (500, b"{}", {})
        self.delay = 0.0  # seconds before answering
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                outer.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                       "body": json.loads(self.rfile.read(length) or b"{}")})
                status, body, headers = outer.answer
                time.sleep(outer.delay)
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-openai", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> ScriptedOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()



def create_users_in_process(database_url: str, names: list[str], days: float = 1.0) -> dict[str, str]:
    """Users and one token each, written straight into a migrated database (the CLI takes ~0.7 s a call)."""
    from therapy_desktop.backend import migrate, tokens
    from therapy_desktop.backend.db import make_engine, session_factory
    from therapy_desktop.backend.models import User

    engine = make_engine(database_url)
    secret = migrate.stored_signing_secret(engine)
    assert secret, "migrate first"
    issued = {}
    with session_factory(engine)() as db:
        for name in names:
            user = User(name=name)
            db.add(user)
            db.commit()
            issued[name] = tokens.issue_token(db, secret, user, days=days).token
    engine.dispose()
    return issued
