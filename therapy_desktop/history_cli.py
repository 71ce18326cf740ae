"""`therapy-desktop history`, `therapy-desktop export` and the history part of `forget --all`.

For QA and clinicians' records: what the history holds, as a table or JSON, and one session as
Markdown or PDF. A bad command line (unknown id, format, unwritable output) is one line on
stderr and exit status 2; a history that cannot be read is one line and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from therapy_desktop.storage import SessionRecord, SessionStore, StorageError, data_dir, database_path, to_html, to_markdown
from therapy_desktop.storage import wording
from therapy_desktop.storage.paths import remove_database

PdfWriter = Callable[[str, Path], None]
FORMATS = ("md", "pdf")
_MIN_PREFIX = 4


class _Refused(Exception):
    """A bad command line; `str()` is the line to print."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Refused(message)


def _fail(message: str, err: TextIO) -> None:
    print(f"therapy-desktop: error: {message}", file=err)


def _open_history() -> SessionStore | None:
    """The history if there is one (a command that only reads never creates it)."""
    path = database_path(data_dir(create=False))
    return SessionStore.open(path) if path.exists() else None


def _run(body: Callable[[], int], err: TextIO) -> int:
    try:
        return body()
    except _Refused as exc:
        _fail(str(exc), err)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except StorageError as exc:
        _fail(str(exc), err)
        return 1


# -- history -------------------------------------------------------------------------------------

def history_main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """`therapy-desktop history [--json]`: every session, newest first."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = _Parser(prog="therapy-desktop history", description="List the sessions in the history, newest first.")
    parser.add_argument("--json", action="store_true", help="print JSON: {\"sessions\": [...]}")

    def body() -> int:
        args = parser.parse_args(argv)
        store = _open_history()
        sessions: list[SessionRecord] = []
        if store is not None:
            with store:
                sessions = store.list_sessions()
        if args.json:
            json.dump({"sessions": [s.to_json() for s in sessions]}, out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            out.write(_table(sessions))
        return 0

    return _run(body, err)


def _table(sessions: Sequence[SessionRecord]) -> str:
    if not sessions:
        return wording.NO_SESSIONS + "\n"
    rows = [wording.TABLE_HEADINGS] + [
        (
            datetime.fromtimestamp(s.started_at).astimezone().strftime("%Y-%m-%d %H:%M"),
            s.therapy_type,
            s.mode,
            wording.duration(s.duration_seconds),
            wording.mood(s.mood_before, s.mood_after).removesuffix(" (out of 10)"),
            str(s.status),
            ",".join(s.flags) or "-",
            s.session_id,
        )
        for s in sessions
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows)


# -- export --------------------------------------------------------------------------------------

def export_main(
    argv: Sequence[str] | None = None,
    *,
    write_pdf: PdfWriter | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`therapy-desktop export SESSION_ID --format md|pdf --out FILE` (`--out -` prints Markdown)."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = _Parser(prog="therapy-desktop export", description="Write one session as Markdown or PDF.")
    parser.add_argument("session_id", help="the session's id (or a unique start of it), from `therapy-desktop history`")
    parser.add_argument("--format", choices=FORMATS, help="md or pdf (default: from the --out file's extension)")
    parser.add_argument("--out", required=True, help="the file to write ('-' for Markdown on standard output)")

    def body() -> int:
        args = parser.parse_args(argv)
        chosen = args.format or ("md" if args.out == "-" else _format_from(args.out))
        if args.out == "-" and chosen != "md":
            raise _Refused("--out -: only Markdown can go to standard output")
        target = None if args.out == "-" else _writable_target(Path(args.out))
        store = _open_history()
        if store is None:
            raise _Refused(f"no session with id {args.session_id!r}: the history is empty")
        with store:
            session = _find(store, args.session_id)
            items = store.items(session.session_id)
        if chosen == "md":
            text = to_markdown(session, items)
            if target is None:
                out.write(text)
            else:
                _write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        else:
            writer = write_pdf or _qt_pdf_writer()
            page = to_html(session, items)
            _write_atomically(target, lambda tmp: writer(page, tmp))  # type: ignore[arg-type]
        return 0

    return _run(body, err)


def _format_from(out: str) -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix == "markdown":
        suffix = "md"
    if suffix not in FORMATS:
        raise _Refused(f"say --format md or --format pdf (cannot tell from {out!r})")
    return suffix


def _writable_target(path: Path) -> Path:
    if path.is_dir():
        raise _Refused(f"--out: {path} is a folder; give a file name")
    folder = path.parent
    while not folder.exists():  # missing folders are created; the nearest existing one must be writable
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise _Refused(f"--out: cannot write into {folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise _Refused(f"--out: {path} is not writable")
    return path


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write beside `path`, then rename: a failed export never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(handle)
        temporary = Path(name)
        try:
            write(temporary)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    except OSError as exc:
        raise _Refused(f"--out: could not write {path}: {exc.strerror or exc}") from exc


def _find(store: SessionStore, wanted: str) -> SessionRecord:
    wanted = wanted.strip()
    session = store.get_session(wanted)
    if session is not None:
        return session
    if len(wanted) >= _MIN_PREFIX:
        matches = [s for s in store.list_sessions() if s.session_id.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise _Refused(f"{wanted!r} starts {len(matches)} session ids; give more of the id")
    raise _Refused(f"no session with id {wanted!r} (see `therapy-desktop history`)")


def _qt_pdf_writer() -> PdfWriter:
    try:
        from therapy_desktop.ui.pdf_export import write_pdf  # Qt only when a PDF is asked for
    except ImportError as exc:
        raise _Refused(f"PDF export needs Qt (PySide6), which could not be loaded: {exc}") from exc
    return write_pdf


# -- forget --------------------------------------------------------------------------------------

def forget_all(folder: Path | None = None) -> list[Path]:
    """Remove the session history from the data folder (and the folder, if nothing else is left in it).
    Returns what was removed. Settings, consent, the safety plan and credentials are removed elsewhere.
    Call it with no store open in this process (or use `SessionStore.delete_everything`)."""
    folder = folder if folder is not None else data_dir(create=False)
    removed = remove_database(database_path(folder))
    with contextlib.suppress(OSError):  # not empty, or already gone: leave it
        folder.rmdir()
        removed.append(folder)
    return removed
