"""Where to get help right now, per region: the texts the crisis panel and check-in card show.

Written to be read by someone in distress: short, warm, concrete (a number, what to do with it),
never clinical. All region-specific wording lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIND_A_HELPLINE_URL = "https://findahelpline.com"


@dataclass(frozen=True)
class CrisisLine:
    name: str
    how: str  # what to do, in a few words: "Call or text 988"
    number: str  # what to dial, digits and spaces as people write it
    url: str = ""
    hours: str = "Free, any time, day or night"


@dataclass(frozen=True)
class CrisisResources:
    region: str  # ISO 3166 alpha-2 ("US", "GB"), or "" for the default
    region_name: str
    emergency_number: str  # "911", or "" when we do not know the region's number
    lines: tuple[CrisisLine, ...]
    find_a_helpline_url: str = FIND_A_HELPLINE_URL

    @property
    def emergency_text(self) -> str:
        if self.emergency_number:
            return f"If you are in danger right now, or might hurt yourself or someone else, call {self.emergency_number}."
        return (
            "If you are in danger right now, or might hurt yourself or someone else, call your local "
            "emergency number (112 works across Europe and in many other countries)."
        )

    @property
    def summary(self) -> str:
        """One paragraph for a banner, a footer or a log-free plain-text view."""
        parts = [self.emergency_text]
        parts += [f"{line.name}: {line.how}. {line.hours}." for line in self.lines]
        if self.region:
            parts.append(f"Somewhere else? {self.find_a_helpline_url} lists free helplines in every country.")
        return " ".join(parts)


_SAMARITANS = CrisisLine(
    "Samaritans", "Call 116 123 to talk to someone who will listen", "116 123", "https://www.samaritans.org"
)
_988 = CrisisLine(
    "988 Suicide & Crisis Lifeline", "Call or text 988 to talk to someone now", "988", "https://988lifeline.org"
)
_988_CA = CrisisLine(
    "9-8-8 Suicide Crisis Helpline", "Call or text 988 to talk to someone now", "988", "https://988.ca"
)

_BY_REGION: dict[str, CrisisResources] = {
    "US": CrisisResources("US", "United States", "911", (_988,)),
    "CA": CrisisResources("CA", "Canada", "911", (_988_CA,)),
    "GB": CrisisResources(
        "GB",
        "United Kingdom",
        "999",
        (_SAMARITANS, CrisisLine("Shout", "Text SHOUT to 85258 if talking is too hard", "85258", "https://giveusashout.org")),
    ),
    "IE": CrisisResources("IE", "Ireland", "112 or 999", (_SAMARITANS,)),
    "AU": CrisisResources(
        "AU", "Australia", "000", (CrisisLine("Lifeline", "Call 13 11 14 to talk to someone now", "13 11 14", "https://www.lifeline.org.au"),)
    ),
    "NZ": CrisisResources(
        "NZ", "New Zealand", "111", (CrisisLine("Need to talk? 1737", "Call or text 1737 to talk to someone now", "1737", "https://1737.org.nz"),)
    ),
}
_DEFAULT = CrisisResources(
    "",
    "your country",
    "",
    (CrisisLine("Find A Helpline", f"Open {FIND_A_HELPLINE_URL} to find a free line where you are", "", FIND_A_HELPLINE_URL, "Free"),),
)
_ALIASES = {"UK": "GB"}
REGIONS: tuple[str, ...] = tuple(_BY_REGION)

# "en_GB", "en-GB", "en_GB.UTF-8", "de_DE@euro", "zh_Hant_TW", "GB"
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z]{4})?[_-]([A-Za-z]{2}|\d{3})(?:[.@].*)?$")


def region_from_locale(locale: str | None) -> str:
    """The ISO region of a locale string ("en_GB" → "GB"), "" when it names none ("C", "en", "")."""
    if not locale or not isinstance(locale, str):
        return ""
    text = locale.strip()
    if re.fullmatch(r"[A-Z]{2}", text):  # a bare region; a bare lowercase "en" is a language
        return _ALIASES.get(text, text)
    match = _LOCALE.match(text)
    if not match or match.group(1).isdigit():
        return ""
    code = match.group(1).upper()
    return _ALIASES.get(code, code)


def crisis_resources(region: str | None) -> CrisisResources:
    """Resources for an ISO region ("US", "gb", "UK") or a locale ("en_AU"); the default otherwise."""
    code = (region or "").strip()
    if len(code) != 2:
        code = region_from_locale(code)
    code = _ALIASES.get(code.upper(), code.upper())
    return _BY_REGION.get(code, _DEFAULT)
