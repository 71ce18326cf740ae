"""One session as a document: Markdown to keep or share, HTML for the PDF the UI renders with Qt.

Pure text in, text out. Everything the person or the model said is escaped for the format
(Markdown punctuation that would change the layout; every character HTML gives meaning to).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from therapy_desktop.storage import wording
from therapy_desktop.storage.records import ItemKind, ItemRecord, SessionRecord, SummaryRecord
from therapy_desktop.therapy.types import THERAPY_PROFILES, TherapyType


@dataclass(frozen=True)
class _Line:
    speaker: str | None  # None: a tool card or a notice, shown in italics
    text: str
    cut_off: bool


def _date(ts: float, tz: tzinfo | None) -> str:
    moment = datetime.fromtimestamp(ts, tz) if tz is not None else datetime.fromtimestamp(ts).astimezone()
    return f"{moment.day} {moment:%B %Y, %H:%M} ({moment:%Z})"


def _therapy_title(value: str) -> str:
    try:
        return THERAPY_PROFILES[TherapyType(value)].title
    except (ValueError, KeyError):
        return value


def _facts(session: SessionRecord) -> list[tuple[str, str]]:
    usage = session.usage
    facts = [
        (wording.TYPE, _therapy_title(session.therapy_type)),
        (wording.CONNECTION, wording.MODE_WORDS.get(session.mode, session.mode)),
        (wording.DURATION, wording.duration(session.duration_seconds)),
        (wording.MOOD, wording.mood(session.mood_before, session.mood_after)),
        (wording.STATUS, wording.STATUS_WORDS[session.status]),
        (wording.FLAGS, ", ".join(wording.FLAG_WORDS.get(f, f) for f in session.flags) or wording.NO_FLAGS),
    ]
    if usage.total_tokens:
        value = wording.USAGE_VALUE.format(total=usage.total_tokens, input=usage.input_tokens, output=usage.output_tokens)
        facts.append((wording.USAGE, value))
    cost = wording.cost(session.mode, session.estimated_cost_usd, usage.total_tokens)
    if cost:
        facts.append((wording.COST, cost))
    return facts


def _summary_sections(summary: SummaryRecord) -> list[tuple[str, tuple[str, ...]]]:
    sections = [
        (wording.KEY_TOPICS, summary.key_topics),
        (wording.WHAT_HELPED, summary.what_helped),
        (wording.NEXT_STEPS, summary.suggested_next_steps),
    ]
    if summary.mood_observation:
        sections.append((wording.MOOD_OBSERVATION, (summary.mood_observation,)))
    return [(title, entries) for title, entries in sections if entries]


def _lines(items: Sequence[ItemRecord]) -> list[_Line]:
    lines = []
    for item in items:
        text = item.text.strip() or _card_text(item)
        if not text:
            continue
        speaker = None
        if item.kind is ItemKind.MESSAGE:
            speaker = wording.YOU if item.role == "user" else wording.COMPANION
        lines.append(_Line(speaker, text, item.interrupted))
    return lines


def _card_text(item: ItemRecord) -> str:
    """A tool item without text of its own: its card's title or name."""
    card = item.tool_card or {}
    return str(card.get("title") or card.get("name") or "").strip()


# -- Markdown ------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<])")
_MD_LINE_START = re.compile(r"^(\s*)([#>])", re.MULTILINE)


def _md(text: str) -> str:
    return _MD_LINE_START.sub(r"\1\\\2", _MD_INLINE.sub(r"\\\1", text))


def to_markdown(session: SessionRecord, items: Sequence[ItemRecord], *, tz: tzinfo | None = None) -> str:
    """The session as Markdown: facts, the summary, then the transcript. `tz` defaults to local time."""
    out = [f"# {wording.TITLE.format(date=_date(session.started_at, tz))}", ""]
    out += [f"- **{label}:** {_md(value)}" for label, value in _facts(session)]
    out += ["", f"## {wording.SUMMARY}", ""]
    summary = session.summary
    if summary is None or not (summary.summary or _summary_sections(summary)):
        out += [f"*{wording.NO_SUMMARY}*", ""]
    else:
        if summary.summary:
            out += [_md(summary.summary), ""]
        for title, entries in _summary_sections(summary):
            out += [f"### {title}", "", *[f"- {_md(entry)}" for entry in entries], ""]
    out += [f"## {wording.TRANSCRIPT}", ""]
    lines = _lines(items)
    if not lines:
        out += [f"*{wording.NO_TRANSCRIPT}*", ""]
    for line in lines:
        text = _md(line.text).replace("\n", "  \n")
        cut = f" *{wording.INTERRUPTED_ITEM}*" if line.cut_off else ""
        out += [f"**{line.speaker}:** {text}{cut}" if line.speaker else f"*{text}*{cut}", ""]
    out += ["---", "", f"*{wording.FOOTER}*", ""]
    return "\n".join(out)


# -- HTML ----------------------------------------------------------------------------------------

_STYLE = (
    "body { font-family: sans-serif; font-size: 11pt; } h1 { font-size: 17pt; } h2 { font-size: 14pt; } "
    "h3 { font-size: 12pt; } .note { color: #555555; font-style: italic; } .facts td { padding-right: 12px; }"
)


def _h(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br/>")


def to_html(session: SessionRecord, items: Sequence[ItemRecord], *, tz: tzinfo | None = None) -> str:
    """The same document as HTML (for Qt's PDF writer): every piece of text escaped."""
    title = _h(wording.TITLE.format(date=_date(session.started_at, tz)))
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>",
           f"<style>{_STYLE}</style></head><body>", f"<h1>{title}</h1>", "<table class='facts'>"]
    out += [f"<tr><td><b>{_h(label)}</b></td><td>{_h(value)}</td></tr>" for label, value in _facts(session)]
    out += ["</table>", f"<h2>{_h(wording.SUMMARY)}</h2>"]
    summary = session.summary
    if summary is None or not (summary.summary or _summary_sections(summary)):
        out.append(f"<p class='note'>{_h(wording.NO_SUMMARY)}</p>")
    else:
        if summary.summary:
            out.append(f"<p>{_h(summary.summary)}</p>")
        for heading, entries in _summary_sections(summary):
            out += [f"<h3>{_h(heading)}</h3>", "<ul>", *[f"<li>{_h(e)}</li>" for e in entries], "</ul>"]
    out.append(f"<h2>{_h(wording.TRANSCRIPT)}</h2>")
    lines = _lines(items)
    if not lines:
        out.append(f"<p class='note'>{_h(wording.NO_TRANSCRIPT)}</p>")
    for line in lines:
        cut = f" <i>{_h(wording.INTERRUPTED_ITEM)}</i>" if line.cut_off else ""
        if line.speaker:
            out.append(f"<p><b>{_h(line.speaker)}:</b> {_h(line.text)}{cut}</p>")
        else:
            out.append(f"<p class='note'><i>{_h(line.text)}</i>{cut}</p>")
    out += ["<hr/>", f"<p class='note'>{_h(wording.FOOTER)}</p>", "</body></html>"]
    return "\n".join(out)
