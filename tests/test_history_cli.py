"""`therapy-desktop history` and `export` against a real history in a temporary data folder."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from therapy_desktop.history_cli import export_main, forget_all, history_main
from therapy_desktop.storage import (
    DATA_DIR_ENV,
    ItemRecord,
    SessionFlag,
    SessionStatus,
    SessionStore,
    SummaryRecord,
    Usage,
    database_path,
)

ROOT = Path(__file__).resolve().parent.parent
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def two_sessions(data: Path) -> tuple[str, str]:
    with SessionStore.open(database_path(data)) as store:
        old = store.create_session(therapy_type="anxiety", mode="demo", mood_before=3, started_at=1_796_130_000.0).result()
        store.add_call(old, "rtc_one").result()
        store.add_call(old, "rtc_two").result()
        for n, (role, text) in enumerate([("user", "My chest feels tight before exams."),
                                          ("assistant", "Let us slow your breathing down together.")]):
            store.add_item(ItemRecord(old, f"i{n}", n, role=role, text=text, created_at=1_796_130_010.0 + n)).result()
        store.add_usage(old, Usage(100, 50, 150), cost_usd=0.002).result()
        store.set_summary(old, SummaryRecord("Exam stress.", ("exams",), ("slow breathing",), ("sleep early",))).result()
        store.add_flag(old, SessionFlag.CRISIS).result()
        store.set_mood_after(old, 6).result()
        store.end_session(old, end_reason="summary", ended_at=1_796_130_600.0).result()
        new = store.create_session(therapy_type="general", mode="openai", started_at=1_796_140_000.0).result()
        store.end_session(new, status=SessionStatus.ERROR, end_reason="network", ended_at=1_796_140_005.0).result()
    return old, new


def _run(main, argv, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def test_history_json_lists_sessions_newest_first_with_every_field(two_sessions: tuple[str, str]) -> None:
    old, new = two_sessions
    code, out, err = _run(history_main, ["--json"])
    assert (code, err) == (0, "")
    sessions = json.loads(out)["sessions"]
    assert [s["session_id"] for s in sessions] == [new, old]
    first = sessions[1]
    for key in ("session_id", "therapy_type", "mode", "started_at", "ended_at", "status", "mood_before",
                "mood_after", "flags", "usage"):
        assert key in first
    assert (first["therapy_type"], first["mode"], first["status"]) == ("anxiety", "demo", "ended")
    assert ISO.match(first["started_at"]) and ISO.match(first["ended_at"])
    assert (first["mood_before"], first["mood_after"], first["flags"]) == (3, 6, ["crisis"])
    assert first["usage"] == {"input_tokens": 100, "output_tokens": 50, "total_tokens": 150}
    assert first["call_ids"] == ["rtc_one", "rtc_two"]
    assert sessions[0]["status"] == "error" and sessions[0]["mood_before"] is None


def test_history_table_is_readable(two_sessions: tuple[str, str]) -> None:
    old, new = two_sessions
    code, out, _ = _run(history_main, [])
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["Started", "Type", "Mode", "Duration", "Mood", "Status", "Flags",
                                                "Session", "id"]
    assert new in lines[1] and "error" in lines[1]
    assert old in lines[2] and "10 min 0 s" in lines[2] and "3 → 6" in lines[2] and "crisis" in lines[2]


def test_history_without_a_database_says_so_and_creates_nothing(data: Path) -> None:
    assert _run(history_main, []) == (0, "No sessions in the history yet.\n", "")
    assert json.loads(_run(history_main, ["--json"])[1]) == {"sessions": []}
    assert not data.exists()


def test_export_markdown_to_a_file_by_id_or_unique_prefix(two_sessions: tuple[str, str], tmp_path: Path) -> None:
    old, _ = two_sessions
    target = tmp_path / "out" / "nested" / "session.md"
    assert _run(export_main, [old[:8], "--format", "md", "--out", str(target)]) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    assert "**You:** My chest feels tight before exams." in text
    assert "**AI companion:** Let us slow your breathing down together." in text
    assert "- slow breathing" in text and "- **Mood:** 3 → 6 (out of 10)" in text
    code, out, _ = _run(export_main, [old, "--out", "-"])
    assert code == 0 and out == text
    assert [p.name for p in target.parent.iterdir()] == ["session.md"]  # no temporary left behind


def test_export_pdf_opens_and_holds_the_text(two_sessions: tuple[str, str], tmp_path: Path) -> None:
    old, _ = two_sessions
    target = tmp_path / "session.pdf"
    assert _run(export_main, [old, "--format", "pdf", "--out", str(target)]) == (0, "", "")
    reader = pypdf.PdfReader(target)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "My chest feels tight before exams." in text
    assert "AI companion: Let us slow your breathing down together." in text
    assert "What helped" in text and "slow breathing" in text


def test_export_pdf_uses_the_writer_it_is_given(two_sessions: tuple[str, str], tmp_path: Path) -> None:
    old, _ = two_sessions
    pages: list[str] = []

    def fake_writer(page: str, path: Path) -> None:
        pages.append(page)
        path.write_bytes(b"%PDF-fake")

    target = tmp_path / "s.pdf"
    assert _run(export_main, [old, "--out", str(target)], write_pdf=fake_writer)[0] == 0
    assert target.read_bytes() == b"%PDF-fake" and "My chest feels tight" in pages[0]


def test_write_pdf_renders_escaped_html(tmp_path: Path) -> None:
    from therapy_desktop.ui.pdf_export import write_pdf

    write_pdf("<html><body><h1>Hello &lt;you&gt;</h1><p>second line</p></body></html>", tmp_path / "x.pdf")
    text = " ".join(pypdf.PdfReader(tmp_path / "x.pdf").pages[0].extract_text().split())
    assert text == "Hello <you> second line 1"  # Qt numbers the pages


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-session", "--out", "{tmp}/a.md"], "no session with id 'no-such-session'"),
        (["{old}", "--format", "docx", "--out", "{tmp}/a.docx"], "invalid choice: 'docx'"),
        (["{old}", "--out", "{tmp}/a.txt"], "say --format md or --format pdf"),
        (["{old}", "--format", "md", "--out", "{tmp}"], "is a folder"),
        (["{old}", "--format", "md", "--out", "{tmp}/afile/inside.md"], "cannot write into"),
        (["{old}", "--format", "pdf", "--out", "-"], "only Markdown"),
        (["{old}"], "the following arguments are required: --out"),
    ],
)
def test_export_refuses_bad_input_in_one_line_with_status_2(two_sessions: tuple[str, str], tmp_path: Path,
                                                            argv: list[str], message: str) -> None:
    (tmp_path / "afile").write_text("x")
    argv = [a.format(tmp=tmp_path, old=two_sessions[0]) for a in argv]
    code, out, err = _run(export_main, argv)
    assert code == 2 and out == ""
    assert err.startswith("therapy-desktop: error: ") and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "a.md").exists()


def test_export_from_an_empty_history_and_history_bad_flag(data: Path, tmp_path: Path) -> None:
    code, _, err = _run(export_main, ["abcd", "--out", str(tmp_path / "a.md")])
    assert code == 2 and "the history is empty" in err and not data.exists()
    code, _, err = _run(history_main, ["--jsn"])
    assert code == 2 and err.count("\n") == 1 and "unrecognized arguments: --jsn" in err


def test_an_unreadable_history_is_one_line_and_status_1(data: Path) -> None:
    data.mkdir()
    database_path(data).write_bytes(b"garbage" * 1000)
    code, _, err = _run(history_main, ["--json"])
    assert code == 1 and err.startswith("therapy-desktop: error: The session history at") and err.count("\n") == 1


def test_forget_all_removes_the_history_and_the_folder_when_empty(two_sessions: tuple[str, str], data: Path) -> None:
    removed = forget_all(data)
    assert database_path(data) in removed and data in removed and not data.exists()
    assert forget_all(data) == []  # twice is fine


def test_forget_all_leaves_what_is_not_the_historys(two_sessions: tuple[str, str], data: Path) -> None:
    (data / "safety_plan.json").write_text("{}")
    forget_all(data)
    assert [p.name for p in data.iterdir()] == ["safety_plan.json"]


def test_after_kill_9_history_says_interrupted_and_the_export_has_every_confirmed_item(data: Path,
                                                                                     tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-m", "tests.storage.crashing_writer", str(database_path(data))],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        sid = child.stdout.readline().split()[1]
        while (line := child.stdout.readline()) and int(line.split()[1]) < 10:
            pass
        confirmed = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    code, out, _ = _run(history_main, ["--json"])
    session = json.loads(out)["sessions"][0]
    assert (code, session["session_id"], session["status"]) == (0, sid, "interrupted")
    target = tmp_path / "crash.md"
    assert _run(export_main, [sid, "--out", str(target)])[0] == 0
    text = target.read_text()
    assert all(f"words {n}" in text for n in range(confirmed + 1))
    assert "interrupted — the app stopped unexpectedly" in text
