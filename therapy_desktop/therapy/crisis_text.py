"""Text preparation for the crisis classifier: one plain form for typed text and ASR transcripts.

Whisper-style transcripts come with or without punctuation and casing, and with or without
apostrophes ("dont", "im"). Everything becomes lowercase words with contractions spelled out, and
clause breaks (sentence punctuation, dashes) become " , " so a rule never spans two clauses.
"""

from __future__ import annotations

import re

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})

# Ordered: the specific forms before the generic "n't" / "'s" endings.
_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bshan't\b", "shall not"),
    (r"\bain't\b", "is not"),
    (r"n't\b", " not"),
    (r"\bi'm\b", "i am"),
    (r"'re\b", " are"),
    (r"'ve\b", " have"),
    (r"'ll\b", " will"),
    (r"'d\b", " would"),
    (r"\b(it|there|what|that|he|she|who|here|where|everything|nothing|life|everyone|nobody|this|tonight|today|tomorrow|time)'s\b", r"\1 is"),
    (r"'s\b", ""),
    (r"s'(?=\s|$)", "s"),
)

# Spoken and ASR spellings without apostrophes. "ill", "id", "its", "were", "well" are real words
# and are left alone.
_BARE: dict[str, str] = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not", "wont": "will not",
    "wouldnt": "would not", "couldnt": "could not", "shouldnt": "should not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "havent": "have not",
    "hasnt": "has not", "hadnt": "had not", "aint": "is not", "im": "i am", "ive": "i have",
    "youre": "you are", "theyre": "they are", "thats": "that is", "whats": "what is",
    "theres": "there is", "hes": "he is", "shes": "she is", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "kinda": "kind of", "sorta": "sort of", "tryna": "trying to", "cuz": "because",
    "cos": "because", "coz": "because", "u": "you", "ur": "your", "anymore": "any more", "youll": "you will",
    "ima": "i am going to", "imma": "i am going to", "nobodys": "nobody is", "everyones": "everyone is",
}

# Speech-recogniser slips that turn a risk phrase into another one ("better of dead", "be hear").
_ASR_SLIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bbetter of (dead|without)\b"), r"better off \1"),
    (re.compile(r"\bbe hear\b"), "be here"),
)

_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]\"\u2014\u2013\u2026]+|\s-+\s|\s+(?:but|because|although|though|except that)\s+")
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")
_SPACES = re.compile(r"\s+")
_ILL = re.compile(r"\bill (?=(?:be|never|just|go|do|kill|end|make|have|get|see|not|always|try|call|hurt|jump|take)\b)")
_HAS_GOT = re.compile(r"\b(he|she|it|who|that|there|everyone) is (got|been|had)\b")
_COMPILED = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)


def normalize(text: str) -> str:
    """Lowercase words, contractions spelled out, clauses separated by " , "."""
    text = text.lower().translate(_APOSTROPHES)
    text = _CLAUSE_BREAK.sub(_clause_break, text)
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    text = text.replace("-", " ")
    text = _NOT_WORD.sub(lambda m: " , " if "," in m.group(0) else " ", text)
    words = [_BARE.get(word, word) for word in text.replace("'", "").split()]
    # "ill" is "I'll" typed without its apostrophe when a verb follows ("i dont think ill be here").
    text = _ILL.sub("i will ", " ".join(words))
    text = _HAS_GOT.sub(r"\1 has \2", text)  # "he's got a knife" is "he has got", not "he is got"
    for slip, meant in _ASR_SLIPS:
        text = slip.sub(meant, text)
    return _SPACES.sub(" ", text).strip()


def _clause_break(match: re.Match[str]) -> str:
    word = match.group(0).strip()
    # A conjunction starts the next clause and stays in it; punctuation only separates.
    return f" , {word} " if word.isalpha() else " , "


def clauses(normalized: str) -> list[str]:
    """The clauses of a normalized text, each without its separators."""
    return [part.strip() for part in normalized.split(",") if part.strip()]
