"""What a person said, taken apart for reflecting it back: the feeling they named, the situation
("about my exams", "my boss"), the content words, topics, and a few intents (yes / no to an offer,
"are you a real person?", asking for a breathing exercise, wanting to stop, crisis words).

Pure and deterministic: simple patterns, no model. The phrases come back in the second person
("my boss" → "your boss") so the therapist can say them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each even ever
    every few for from further get gets getting got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just kind know
    let's like lot lots maybe me more most much must mustn't my myself no nor not now of off oh ok okay on once only or
    other ought our ours ourselves out over own really right same say said says she she'd she'll she's should shouldn't so
    some something sort still such than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've thing things think this those though through to too um uh under until up us very was wasn't
    way we we'd we'll we're we've well were weren't what what's when when's where where's which while who who's whom why
    why's will with won't would wouldn't yeah yes you you'd you'll you're you've your yours yourself yourselves going
    want wanted feel feeling felt been bit quite pretty lately today day week time make makes made keep keeps kept
    actually basically mean guess sure thanks thank hello hi hey""".split()
)

# Words people use for how they feel; "I'm X" only counts as a feeling when X is one of these.
FEELINGS = frozenset(
    """anxious worried nervous scared afraid frightened terrified panicky panicked uneasy restless tense edgy
    stressed overwhelmed swamped pressured burnt burned exhausted tired drained worn sad down low unhappy miserable
    lonely alone empty numb hopeless helpless stuck lost confused angry annoyed frustrated irritated furious upset hurt
    guilty ashamed embarrassed jealous insecure useless worthless calm calmer better okay fine relieved hopeful happy
    excited grateful sleepy wired shaky dizzy sick""".split()
)
GOOD_FEELINGS = frozenset("calm calmer better okay fine relieved hopeful happy excited grateful".split())
_INTENSIFIERS = r"(?:so |really |very |a bit |a little |quite |kind of |sort of |pretty |super |incredibly |totally |just |too |more |less )*"

# Words that name a topic worth listing in the summary (word → how the summary says it).
TOPICS: dict[str, str] = {
    "work": "work", "job": "work", "office": "work", "boss": "your boss", "manager": "your manager",
    "colleague": "colleagues", "colleagues": "colleagues", "deadline": "deadlines", "deadlines": "deadlines",
    "project": "a project", "presentation": "a presentation", "interview": "an interview", "meeting": "meetings",
    "exam": "exams", "exams": "exams", "school": "school", "university": "university", "studies": "studies",
    "sleep": "sleep", "sleeping": "sleep", "insomnia": "sleep", "nightmares": "sleep", "family": "family",
    "mother": "your mother", "mom": "your mom", "mum": "your mum", "father": "your father", "dad": "your dad",
    "parents": "your parents", "sister": "your sister", "brother": "your brother", "kids": "your children",
    "children": "your children", "son": "your son", "daughter": "your daughter", "partner": "your partner",
    "husband": "your husband", "wife": "your wife", "boyfriend": "your boyfriend", "girlfriend": "your girlfriend",
    "relationship": "your relationship", "breakup": "a breakup", "divorce": "a divorce", "money": "money",
    "rent": "money", "bills": "money", "debt": "money", "friend": "friends", "friends": "friends",
    "health": "your health", "doctor": "your health", "illness": "your health", "pain": "pain", "future": "the future",
    "moving": "moving", "home": "home", "loneliness": "loneliness", "grief": "grief",
}
_CAUSES = frozenset({"work", "deadlines", "exams", "school", "university", "studies", "money", "sleep", "family",
                     "the future", "meetings", "a presentation", "an interview"})
# Body words: what the person notices physically, reflected but not listed as a topic.
BODY = frozenset("chest heart stomach shoulders shoulder jaw hands head neck throat breathing breath legs back".split())

_TO_SECOND_PERSON = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're", "am": "are",
    "i've": "you've", "i'll": "you'll", "i'd": "you'd", "we": "you", "our": "your", "us": "you", "was": "were",
}
_STOP_PHRASE = frozenset(
    "and but because so when which that since though although while if or then as like until before after".split()
)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_FEEL = re.compile(
    r"\b(?:i|i'm|i am|i've|i have)\s+(?:been\s+)?(?:feel|feeling|felt|get|getting)\s+" + _INTENSIFIERS
    + r"([a-z]+(?:\s+and\s+[a-z]+)?)"
)
_IAM = re.compile(r"\b(?:i'm|i am|i've been|i have been|i was|i get|i got)\s+(?:feeling\s+)?" + _INTENSIFIERS + r"([a-z]+)")
_ABOUT = re.compile(r"\b(?:about|over|around|because of)\s+((?:[a-z']+\s*){1,5})")
_MY = re.compile(r"\bmy\s+([a-z']+(?:\s+[a-z']+)?)")

AGREE = re.compile(
    r"^(?:(?:um|uh|well|oh|okay so)\s+)?(?:yes|yeah|yep|yup|sure|ok|okay|alright|all right|let's|lets|let us|please|go ahead"
    r"|sounds good|that sounds good|why not|i'd like that|i would like that|i'll try|i will try|ready|i'm ready|fine|"
    r"good idea|definitely|of course|absolutely|i think so|we can|can we|could we)\b"
)
REFUSE = re.compile(r"\b(?:no|nope|not now|not really|not right now|rather not|maybe later|later|don't want|do not want|"
                    r"i'd rather|i would rather|skip|no thanks|not yet)\b")
ASKS_IF_HUMAN = re.compile(
    r"\b(?:are you (?:a |an |actually |really |even )*(?:human|real|person|people|robot|bot|ai|machine|computer|therapist"
    r"|licensed|counsel+or|doctor|psychologist)"
    r"|(?:am i|are we) (?:talking|speaking|chatting) (?:to|with) (?:a |an )*(?:human|person|real|robot|bot|ai|machine|computer)"
    r"|is (?:this|that|there) (?:a |an )*(?:real |actual )*(?:person|human|therapist|bot|robot|ai|machine)"
    r"|is (?:this|that) (?:a )?(?:recording|computer)|who am i talking to|what are you"
    # The recogniser often drops the first word: "a real person or a computer?"
    r"|^(?:a |an )?real (?:person|human|therapist)|(?:human|person) or (?:a |an )?(?:ai|robot|bot|computer|machine)"
    r"|(?:ai|robot|bot|computer|machine) or (?:a |an )?(?:real )?(?:human|person))\b"
)
WANTS_EXERCISE = re.compile(
    r"\b(?:(?:breathing|relaxation|relaxing|grounding|calming) (?:exercise|technique)s?|breathe (?:together|with me)"
    r"|(?:do|try|practi[sc]e) (?:some |a bit of )?(?:breathing|relaxation)|(?:help me|i need to|want to) (?:calm|relax)"
    r"|an exercise|exercise together)\b"
)
# Said about the body in a way that a breathing exercise may ease: offered, never started unasked.
SYMPTOMS = re.compile(
    r"\b(?:panic\w*|hyperventilat\w*|can'?t breathe|cannot breathe|breathing (?:fast|quickly|hard)|short of breath"
    r"|heart (?:is )?(?:racing|pounding)|chest (?:is |gets |feels )?tight|shaking|trembling|dizzy)\b"
)
ENDING = re.compile(
    r"\b(?:good ?bye|bye|that'?s all|that is all|end (?:the|this|our) session|stop (?:the|this|our) session|"
    r"wrap (?:it |this )?up|finish (?:the|this|our) session|i have to go|i need to go|i've got to go|talk later)\b"
)
CRISIS = re.compile(
    r"(kill(?:ing)? myself|suicid\w*|end(?:ing)? (?:it all|my (?:own )?life|everything)|take my (?:own )?life"
    r"|(?:hurt|harm|cut)(?:ting|ing)? myself|self[- ]harm|don'?t want to (?:live|be alive|be here|wake up)"
    r"|want to die|wish i (?:was|were) dead|better off (?:dead|without me)|no reason to live|can'?t go on"
    r"|no way out|not see a future|don'?t see a future|overdose)"
)


@dataclass(frozen=True)
class Heard:
    """One utterance, taken apart."""

    text: str  # as said (stripped)
    words: tuple[str, ...]  # lower-case words
    content: tuple[str, ...]  # content words, in order, each once
    feeling: str | None = None  # "anxious", "tense and tired"
    situation: str | None = None  # in the second person: "your exams", "the presentation tomorrow"
    topics: tuple[str, ...] = field(default=())
    clause: str | None = None  # their first clause about themselves, in the second person: "you can't sleep"
    situation_named: bool = False  # the situation came from "about …" / "over …": they named it as the cause
    span: str | None = None  # otherwise the stretch from their first to last content word: "a walk before the meeting"

    @property
    def lower(self) -> str:
        return " ".join(self.words)


def hear(text: str) -> Heard:
    """Take an utterance apart (any text; never raises)."""
    spoken = text.strip()
    lower = _normalise(spoken)
    words = tuple(_WORD.findall(lower))
    content: list[str] = []
    for word in words:
        if word not in STOPWORDS and len(word) > 2 and word not in content:
            content.append(word)
    topics: list[str] = []
    for word in words:
        topic = TOPICS.get(word)
        if topic and topic not in topics:
            topics.append(topic)
    feeling, situation = _feeling(lower), _situation(lower)
    named = bool(situation and _ABOUT.search(lower))
    if feeling and not situation and topics and topics[0] in _CAUSES:
        situation, named = topics[0], True  # "stressed with work": the topic is the situation
    return Heard(spoken, words, tuple(content), feeling=feeling, situation=situation, topics=tuple(topics),
                 clause=_clause(spoken), span=_span(lower, content), situation_named=named)


def second_person(phrase: str) -> str:
    words = phrase.split()
    out = []
    for index, word in enumerate(words):
        if word == "was" and index and words[index - 1] == "i":
            out.append("were")
        elif word == "am" and not (index and words[index - 1] == "i"):
            out.append(word)
        elif word == "was":
            out.append(word)
        else:
            out.append(_TO_SECOND_PERSON.get(word, word))
    return " ".join(out)


_FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'll", "i'd", "my", "me", "myself"})
_CLAUSE_SPLIT = re.compile(r"[.,;:!?]+|\s(?:but|because|so|although|though)\s")
_OPENERS = re.compile(r"^(?:(?:hi|hello|hey|well|so|um|uh|yeah|yes|okay|ok|and|oh|honestly|actually|i mean|i guess|i think"
                      r"|i suppose|maybe|probably|perhaps)\s+)+")
# An answer that names something the person would do ("I could…", "maybe a walk"), for the summary's next steps.
PLANS = re.compile(r"\b(?:could|can|will|i'll|going to|gonna|try|plan|maybe|might|want to|would like to|should|i'd like)\b")


def _clause(spoken: str) -> str | None:
    """The first clause that speaks about the person ("I keep thinking they'll laugh"), as "you …";
    else their first statement of a few words ("the report could wait until Monday")."""
    parts = [p for p in _CLAUSE_SPLIT.split(_normalise_keep_case(spoken)) if p and p.strip()]
    for first_person in (True, False):
        for part in parts:
            lower = _OPENERS.sub("", _normalise(part))
            words = lower.split()
            if not ((3 if first_person else 4) <= len(words) <= 16):
                continue
            if first_person != any(w in _FIRST_PERSON for w in words):
                continue
            if words[0] in _QUESTION_WORDS or ASKS_IF_HUMAN.search(lower):
                continue  # a question to us, not a statement about them
            # Keep the person's capitals for names ("Sam", "Monday"), lower-case the rest.
            cased = {w.lower(): w for w in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)?", part)[1:] if w[:1].isupper() and w != "I"}
            return " ".join(cased.get(w, w) for w in second_person(lower).split())
    return None


_QUESTION_WORDS = frozenset("what how why when where who can could should do does are is am will would".split())


def _span(lower: str, content: tuple[str, ...]) -> str | None:
    """From the first to the last content word (at most ten words), with the article before it."""
    words = lower.split()
    places = [i for i, w in enumerate(words) if w in content]
    if not places:
        return None
    start, end = places[0], places[-1]
    while end - start > 9:
        end = max(i for i in places if i < end) if any(i < end and i > start for i in places) else start
    if start and words[start - 1] in ("a", "an", "the", "some", "this", "that"):
        start -= 1
    return second_person(" ".join(words[start : end + 1]))


def _normalise_keep_case(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _feeling(lower: str) -> str | None:
    match = _FEEL.search(lower)
    if match:
        words = [w for w in match.group(1).split() if w != "and"]
        named = [w for w in words if w in FEELINGS] or ([words[0]] if words and words[0] not in STOPWORDS else [])
        if named:
            return " and ".join(named[:2])
    for match in _IAM.finditer(lower):
        if match.group(1) in FEELINGS:
            return match.group(1)
    for word in lower.split():
        if word in FEELINGS and word not in ("fine", "okay", "down", "alone", "low", "better", "sick"):
            return word
    return None


def _situation(lower: str) -> str | None:
    for pattern in (_ABOUT, _MY):
        match = pattern.search(lower)
        if not match:
            continue
        prefix = "my " if pattern is _MY else ""
        found = match.group(1).split()
        if pattern is _MY:  # "my boss", "my sister's wedding"; not "my friend sam tomorrow evening"
            found = found[:2] if found[0].endswith("'s") else found[:1]
            if found[0] in BODY:
                continue
        kept: list[str] = []
        for word in (prefix + " ".join(found)).split():
            if word in _STOP_PHRASE or (kept and word in ("is", "are", "has", "have", "was", "were", "keeps", "makes")):
                break
            kept.append(word)
        while kept and kept[-1] in STOPWORDS and kept[-1] not in ("me", "myself"):
            kept.pop()
        if kept and any(word not in STOPWORDS for word in kept) and not (len(kept) == 1 and kept[0] in FEELINGS):
            return second_person(" ".join(kept[:4]))
    return None
