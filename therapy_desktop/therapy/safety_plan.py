"""A personal safety plan (Stanley & Brown): six steps, stored as JSON, exported as Markdown. Pure.

The steps follow the Stanley–Brown Safety Planning Intervention: recognise warning signs, cope on
your own, go to people and places that distract, ask people for help, contact professionals and
crisis lines, and make the surroundings safe. `from_json` accepts only what `to_json` writes (and
older versions of it), and reports a bad file with a sentence a person can act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

SCHEMA_VERSION = 1
_MAX_ITEMS = 50
_MAX_TEXT = 500


class SafetyPlanError(ValueError):
    """The stored plan cannot be read; `str()` says what to do."""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    note: str = ""  # "after 6 pm", "my GP practice"

    def line(self) -> str:
        extra = [part for part in (self.phone, self.note) if part]
        return f"{self.name} ({', '.join(extra)})" if extra else self.name


# (field name, heading shown and exported, prompt shown in the editor)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("warning_signs", "1. My warning signs", "Thoughts, feelings or situations that tell me a crisis may be coming."),
    ("coping_strategies", "2. Things I can do on my own", "Things that help me take my mind off it: a walk, music, a shower."),
    ("distractions", "3. People and places that take my mind off things", "Who I can be around, where I can go."),
    ("people_to_ask", "4. People I can ask for help", "People I trust to tell that I'm struggling."),
    ("professionals", "5. Professionals and crisis lines", "My doctor, a counsellor, a crisis line, the emergency number."),
    ("safe_environment", "6. Making my surroundings safer", "What I can put away or ask someone to keep, to stay safe."),
)
EXPORT_TITLE = "My safety plan"
EXPORT_FOOTER = "If you are in danger right now, call your local emergency number."


@dataclass(frozen=True)
class SafetyPlan:
    warning_signs: tuple[str, ...] = ()
    coping_strategies: tuple[str, ...] = ()
    distractions: tuple[str | Contact, ...] = ()
    people_to_ask: tuple[Contact, ...] = ()
    professionals: tuple[Contact, ...] = ()
    safe_environment: tuple[str, ...] = ()
    updated_at: str = ""  # ISO 8601, set by the caller when it saves

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name, _, _ in STEPS)

    def with_step(self, step: str, items: list[str | Contact] | tuple[str | Contact, ...]) -> SafetyPlan:
        """A copy with one step's items replaced (validated like a loaded file)."""
        if step not in _STEP_NAMES:
            raise SafetyPlanError(f"There is no step called {step!r} in a safety plan.")
        return replace(self, **{step: _items(step, [_encode(i) for i in items])})

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": SCHEMA_VERSION, "updated_at": self.updated_at}
        for name, _, _ in STEPS:
            data[name] = [_encode(item) for item in getattr(self, name)]
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> SafetyPlan:
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            raise SafetyPlanError(
                "Your saved safety plan could not be read (the file is damaged). "
                "Your plan can be filled in again; the damaged file was left untouched."
            ) from None
        if not isinstance(data, dict):
            raise SafetyPlanError("Your saved safety plan is not in the expected format; it can be filled in again.")
        version = data.get("version")
        if not isinstance(version, int) or version < 1 or version > SCHEMA_VERSION:
            raise SafetyPlanError(
                f"Your saved safety plan was written by a newer or unknown version of the app (version {version!r}). "
                "Update Therapy Desktop to open it."
            )
        values = {name: _items(name, data.get(name, [])) for name, _, _ in STEPS}
        return cls(**values, updated_at=_text(data.get("updated_at", ""), "updated_at", allow_empty=True))

    def to_markdown(self) -> str:
        lines = [f"# {EXPORT_TITLE}", ""]
        if self.updated_at:
            lines += [f"_Last updated: {self.updated_at}_", ""]
        for name, heading, _ in STEPS:
            lines += [f"## {heading}", ""]
            items = getattr(self, name)
            lines += [f"- {_markdown_escape(_line(item))}" for item in items] or ["- (nothing written yet)"]
            lines.append("")
        lines += ["---", "", EXPORT_FOOTER, ""]
        return "\n".join(lines)


_STEP_NAMES = {name for name, _, _ in STEPS}
_CONTACT_STEPS = {"people_to_ask", "professionals"}


def _line(item: str | Contact) -> str:
    return item.line() if isinstance(item, Contact) else item


def _encode(item: str | Contact | dict[str, Any]) -> str | dict[str, str]:
    if isinstance(item, Contact):
        return {"name": item.name, "phone": item.phone, "note": item.note}
    return item  # type: ignore[return-value]  # validated by _items


def _items(step: str, raw: Any) -> tuple[Any, ...]:
    if not isinstance(raw, list):
        raise SafetyPlanError(f"Your saved safety plan has a damaged section ({step}); it can be filled in again.")
    if len(raw) > _MAX_ITEMS:
        raise SafetyPlanError(f"A safety plan step holds at most {_MAX_ITEMS} entries ({step} has {len(raw)}).")
    out: list[str | Contact] = []
    for item in raw:
        if isinstance(item, dict):
            contact = Contact(
                _text(item.get("name", ""), f"{step} name"),
                _text(item.get("phone", ""), f"{step} phone", allow_empty=True),
                _text(item.get("note", ""), f"{step} note", allow_empty=True),
            )
            out.append(contact)
        elif step in _CONTACT_STEPS:
            out.append(Contact(_text(item, f"{step} name")))
        else:
            out.append(_text(item, step))
    return tuple(out)


def _text(value: Any, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise SafetyPlanError(f"Your saved safety plan has an entry that is not text ({what}).")
    value = value.strip()
    if not value and not allow_empty:
        raise SafetyPlanError(f"An entry in your safety plan is empty ({what}); write something or remove it.")
    if len(value) > _MAX_TEXT:
        raise SafetyPlanError(f"An entry in your safety plan is longer than {_MAX_TEXT} characters ({what}).")
    return value


def _markdown_escape(text: str) -> str:
    """Plain text stays plain in Markdown: no accidental headings, links or emphasis."""
    for char in "\\`*_[]#<>|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())

