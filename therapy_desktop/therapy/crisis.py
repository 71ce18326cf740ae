"""The local crisis net: is this finished user utterance a crisis, of which kinds, and why.

Offline, deterministic rules (`crisis_rules.RULES`) over a normalized text. A match can be excused,
and the reason is recorded so logs can show why nothing was raised:

- **negated**: "I would never hurt myself", "I do not want to die, I want things to get better".
  A sincere plain negation is *not* a crisis; the person said no risk is there. A negation
  qualified in time ("I am not going to kill myself *tonight*", "… *yet*") is not an excuse.
- **past, resolved**: a distant-past marker ("used to", "years ago", "as a teenager") together
  with a statement that it is over ("I am fine now", "behind me", "I have not for ten years").
  A past marker alone does not excuse ("years ago I tried to end my life" still gets care), and a
  word of recurrence ("again", "lately", "these days") voids the excuse.
- **past, resolved (learned)**: a flagged line with a past marker that goes on to say more ("I used to
  want to kill my father, I've forgiven him now"), no wish stated now and no recurrence, whose nearest
  labelled lines (sentence vectors) are resolved stories: the ways of saying *it is over* that the list
  above does not know. Not for the past alone ("years ago I tried to end my life").
- **someone else**: a rule that needs the person as subject, when the nearest subject is another
  person or a story ("in the film he jumps off a bridge", "my cousin used to self harm").
- **accident**: self-injury words with an accident context ("I cut myself shaving").
- **hyperbole**: "going to kill my sister" over leftovers, "if my team loses I'm going to die"
  (only for the rules marked so, and never with a weapon in the sentence).
- **everyday_context** ("I won't be here for christmas, we're flying out") and **quoted** ("the
  song goes i want to die in your arms tonight").

Hyperbole ("this traffic is murder", "I could kill for a coffee") is handled by the rules being
specific: none of them matches those forms. Third-person news ("my friend's dad died") has no
first-person rule to match. When no rule matches at all, a small learned layer
(`crisis_model`: word features and a MiniLM sentence vector) may still flag the utterance above a
cautious threshold. Cost: about two hundred regular expressions per clause and one sentence vector,
a few milliseconds for an utterance (plus a few hundred once, when the sentence model loads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from therapy_desktop.therapy import crisis_embedding, crisis_model
from therapy_desktop.therapy.crisis_rules import RULES, CrisisKind, Rule
from therapy_desktop.therapy.crisis_text import clauses, normalize

__all__ = ["CrisisAssessment", "CrisisKind", "Cue", "classify"]

_NEGATORS = frozenset({"not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without"})
# Words that may sit between a negator and what it negates ("not *going to* kill myself").
_NEGATION_BRIDGE = frozenset(
    "going to want wanting ever really actually be have had any thoughts thought of about intention "
    "intentions plan plans planning intend would will feel feeling like even the a an urge urges desire "
    "think thinking trying try do did does am is was at all so that much anything again wish need "
    "considering consider mean meant it been being seriously could should gonna harming hurting "
    "anyone ready tried attempted once".split()
)
_NEVER_CROSSED = re.compile(r"^\s*(?:has |had |have )?(?:never|not|did not|does not|has not|have not) (?:even |once )?(?:crossed|cross|entered|enter|been on) my mind\b")
_TIME_QUALIFIERS = re.compile(r"^\s*(?:\w+ ){0,3}?(?:yet|today|tonight|right now|for now|this time|this week|at the moment)\b")
_PAST = re.compile(
    r"\b(?:used to|(?:\w+ )?(?:years?|months?|decades?) ago|long ago|last year|as a (?:teen|teenager|kid|child)"
    r"|when i was (?:a |an |\d+|[a-z]+teen|twenty|thirty|forty|young|younger|little|in (?:school|college|university|my (?:teens|twenties)))"
    r"|back in (?:college|school|university|the day|my (?:teens|twenties)|\d{4})|in the past|in my (?:teens|twenties|youth)"
    r"|in (?:19|20)\d{2}|there was a (?:\w+ )?(?:time|period|patch|point|winter|summer|spring|autumn|year|month|phase|stage)|since i was (?:\d+|[a-z]+teen|twenty|thirty|small|little|a (?:kid|child|teen|teenager))|when i was (?:using|drinking|ill|sick|depressed|in (?:rehab|hospital|a bad place))|(?:it is|it has) been (?:\w+ )?(?:years|decades)|in high school|at one (?:point|stage)|(?:back )?in the (?:army|navy|forces|military)|after (?:my|the) (?:divorce|breakup|accident|diagnosis)|that was (?:in )?(?:19|20)\d{2}|in (?:the )?lockdown|in (?:uni|university|college|school)|at \d{2}|at (?:[a-z]+teen|twenty|thirty)|at (?:uni|university|college|school)|(?:it has been|it is been) a long time|a long time ago"
    r"|after (?:my|the) (?:first |second |third |last )?(?:deployment|tour|son was born|daughter was born|baby was born|kids were born|birth|miscarriage|redundancy|surgery|operation|injury|crash)"
    r"|back in (?:the )?(?:hospital|rehab|prison|jail)|years back"
    r"|after (?:my|our) (?:father|mother|dad|mum|mom|wife|husband|son|daughter|brother|sister|partner|baby|friend) (?:died|passed|passed away|left)"
    r"|(?:my |the )?first (?:winter|year|summer|months?|weeks?) (?:in|at|after)|when (?:my|the) \w+ was at its worst"
    r"|(?:through|during) (?:most of |all of )?my (?:teens|twenties|thirties|forties|childhood|school years))\b"
)
_RESOLVED = re.compile(
    r"\b(?:(?:fine|okay|ok|alright|better|well|good|safe|happy|steady|stable) now|(?:safe|well|fine|okay|ok|clean|sober|steady|stable) (?:for (?:a long time|years|ages|a while)|(?:ever )?since)|(?:when|since|once) i got (?:better|help|well)|got me through|(?:free|clear) of (?:it|that|them) (?:for|since)|(?:sober|clean|free) (?:for )?(?:\w+ )?(?:years?|months?)|(?:glad|grateful|thankful) i (?:survived|made it|did not (?:do it|go through with it|die))|how far i have come|(?:therapy|medication|treatment|counselling|counseling|meds|rehab|time|help|my (?:doctor|therapist|counsellor|sponsor)) (?:changed|fixed|helped with|saved|got me through) (?:that|it|me)|out of (?:my|our) li(?:fe|ves)|let it go|(?:found|find) (?:a|my) way (?:through|forward|back|to live|to cope|to keep going)|left (?:him|her|them) (?:in|years|when)|(?:eat|sleep|cope|manage) (?:properly|normally|well|fine) now|doing (?:really |much |so )?(?:well|better|fine|great|okay|ok)(?: now| these days| nowadays)?"
    r"|behind me|glad i am (?:still )?(?:here|alive)|happy to be alive|healed|recovered|in recovery"
    r"|clean for|have not (?:\w+ ){0,3}?(?:for|since|in)\b|grateful (?:to be (?:here|alive)|(?:every day )?(?:that )?i (?:survived|am (?:still )?here))|has not happened (?:since|for)|(?:a )?(?:much |far |way )?(?:good|better) place"
    r"|moved on|got help|over it now|no longer feel|do not feel that way|not any more"
    r"|(?:safe|clean|sober|well|okay|fine) for (?:\w+ ){0,2}(?:years?|months?)|(?:it is|that is|it is all|all) over now|i (?:have )?stopped\b|stopped (?:\w+ )?(?:years|a long time|ages) ago"
    r"|(?:the )?(?:treatment|therapy|medication|meds|injections?|programme|program|counselling|counseling) (?:really )?(?:worked|helped|works)"
    r"|now i (?:run|help|lead|volunteer|mentor|teach|support|work with|talk to)\b|handed (?:them|it|the \w+) in|(?:do not|never) miss (?:them|it|that)"
    r"|glad i never (?:needed|used|went through with|did)(?: it| them)?\b|mean something good|cover the (?:marks|scars)|stable (?:for|since)"
    r"|now i am (?:here |settled |living )?(?:\w+ )?(?:years|happy|well|fine|okay|ok|good|safe|settled)|i am (?:really |very |so )?happy(?: now)?(?:$|,)"
    r"|now i (?:have|have got) (?:a job|friends|work|a home|a family|a flat|a house|a partner)|feels like home|(?:things|it|life) turned (?:a)?round"
    r"|(?:\w+ )?(?:years?|months?) (?:clear|clean|free|sober)\b|been (?:well|clean|sober|safe|fine|okay) (?:for )?(?:\w+ )?(?:years?|months?)"
    r"|i am (?:a )?(?:different|new) (?:person|bloke|man|woman|guy|girl|lad|me) now|(?:counselling|counseling|therapy|treatment|meds|medication|rehab) sorted (?:that|it|me)(?: out)?"
    r"|do not feel (?:it|that|like that) (?:now|any ?more)|built a (?:whole |new |good )?life (?:since|now)|can not (?:get near|get to|reach|find|hurt) me (?:now|any ?more)"
    r"|(?:we|i) get on (?:\w+ )?now|(?:love|compassion|kindness|tenderness) for (?:that|the|my younger) (?:kid|girl|boy|teenager|self|me))"
)
# "not been okay since", "never really felt right after": the past is still going on.
_NOT_WELL_SINCE = re.compile(
    r"\b(?:not|never) (?:\w+ ){0,3}?(?:okay|ok|fine|well|good|right|alright|happy|myself|the same|better)"
    r"(?: \w+){0,2}? (?:since|after|ever since)\b"
)
# Said now, in the clause of the cue: a resolved past elsewhere in the turn does not excuse it.
_PRESENT_INTENT = re.compile(
    r"\bi (?:really |still |just |honestly )?(?:want|wanna|need|plan|intend|am going|am gonna|will|am ready|am planning|am thinking)\b"
)
_RECURRENCE = re.compile(r"\b(?:again|lately|recently|these days|right now|tonight|currently|started|this week|now i)\b")
_SELF = frozenset({"i", "me", "myself"})
_OTHERS = frozenset(
    "he she they his her their him them we us you your who friend friends mate brother sister mum mom "
    "mother dad father parents cousin son daughter kid kids child children colleague coworker neighbour "
    "neighbor boss someone somebody people person character characters film movie show series book "
    "novel song lyrics game episode news article documentary podcast story play poem guy girl man woman "
    "boy aunt uncle grandma grandmother grandad grandfather wife husband partner boyfriend girlfriend "
    "patient client student students team ex cat dog pet puppy kitten horse plant "
    "pharmacist chemist nurse doctor gp vet dentist paramedic teacher footballer player singer actor actress "
    "celebrity coach priest vicar lecturer".split()
)
_ACCIDENT = re.compile(
    r"\b(?:by accident|accidentally|by mistake|shaving|cooking|chopping|gardening|at the gym|playing|slipped|"
    r"tripped|fell|on (?:a|the) (?:knife|glass|oven|stove|pan|iron|door|table|corner|fence)|in the kitchen|sunburn)\b"
)
# "kill my sister" over leftovers is a figure of speech; with a knife in the sentence it is not.
_TRIVIAL_GRIEVANCE = re.compile(
    r"\b(?:(?:he|she|they|my \w+) (?:ate|eats|took|takes|borrowed|borrows|broke|breaks|lost|loses|forgot|forgets|used|uses|finished|spoiled|spoilt)"
    r"|for (?:eating|taking|borrowing|breaking|losing|forgetting|using|finishing|spoiling|telling|being late)"
    r"|leftovers|my (?:phone|charger|car|clothes|jumper|snacks|chips|chocolate|food|lunch|remote)|lol|haha|jk|just kidding"
    r"|so annoying|is annoying|drives me (?:mad|crazy|nuts|up the wall)|winds me up|gets on my nerves"
    r"|so (?:tired|sleepy|exhausted) (?:that )?i could)\b"
)
# "if my team loses again i am going to die": a conditional on something everyday, before the words.
_HYPERBOLIC_IF = re.compile(r"\bif (?:my|the|that|this|one more|i have to (?:hear|see|sit|do|listen|watch|eat|wait)|they|we|it) \w+")
# A weapon, or a "how" or "I mean it" said with it: then "kill him" is not a figure of speech.
_SERIOUS = re.compile(r"\b(?:knife|knives|gun|guns|bat|weapon|axe|machete|poison|rope"
                      r"|thought about (?:exactly )?how|worked out how|figured out how|i mean it|not joking|i am serious)\b")
_TRAVEL = re.compile(r"\b(?:while i am (?:away|gone)|holiday|vacation|trip|travell?ing|flight|flying|visiting|abroad|moving|working|shift|conference|camp|hospital for)\b")
# Quoting a song, film or book: "the song goes i want to die in your arms tonight".
_QUOTING = re.compile(
    r"\b(?:the|a|that|this|my favourite|my favorite|their|his|her) (?:new )?(?:band |singer |author |show )?(?:new )?(?:song|lyric|lyrics|line|lines|quote|poem|film|movie|book|show|character|chorus|album|track|record|single|game|series|episode|podcast|play|novel)"
    r" (?:goes|go|says|say|said|is called|called|where|titled|sings|read|reads)\b"
)
_OWNS_QUOTE = re.compile(r"\b(?:that is how i feel|how i feel|i feel the same|i relate|that is me|about me)\b")
_ON_PURPOSE = re.compile(r"\b(?:on purpose|deliberately|intentionally|to punish|to feel)\b")
# "You asked if I want to die. The answer is no.": the words are the question, reported; the clause right
# after it is nothing but the person's no.
_ASKED_IF = re.compile(r"\b(?:you|they|he|she|someone|the \w+) (?:asked|ask|asks|keep asking|keeps asking) (?:me )?(?:if|whether)\b")
_ANSWER_NO = re.compile(r"^(?:and |but )?(?:(?:the|my) (?:honest )?answer is (?:still |definitely |honestly )?no|no(?: i do not| i am not| i would not| never| not at all)?)$")
# Everyday senses the learned layer mistook for risk: a computer's process, a game's respawn, a dose a
# clinician prescribed. Where no rule spoke, a clause that says one is left out of what the layer reads.
_EVERYDAY_USE = re.compile(
    r"\bkill (?:the|a|that|this|all the) (?:\w+ )?(?:process|processes|task|tasks|app|program|job|server|tab|tabs|lights?|engine|music|power)\b"
    r"|\brespawn\w*\b|\b(?:nurse|doctor|gp|pharmacist|chemist|consultant|vet) (?:said|says|told me|wants me) (?:to (?:take|give) )?(?:\w+ )?(?:tablets?|pills?|capsules?|doses?|drops) (?:a|each|every|per) (?:day|night|morning|evening)\b"
)


@dataclass(frozen=True)
class Cue:
    """One rule that matched: its kind, the rule's name and the words it matched."""

    kind: CrisisKind
    rule: str
    text: str
    # Why it does not count: negated, past_resolved, someone_else, accident, everyday_context, quoted,
    # hyperbole, past_resolved_learned (a past-tense line whose nearest labelled lines are resolved stories).
    excused: str | None = None


@dataclass(frozen=True)
class CrisisAssessment:
    is_crisis: bool
    kinds: frozenset[CrisisKind] = frozenset()
    cues: tuple[Cue, ...] = ()  # the cues that count
    excused: tuple[Cue, ...] = field(default=())  # the cues that matched and were excused, with why
    model_score: float | None = None  # the learned layer's score, when it was consulted (no rule matched)

    @property
    def log_line(self) -> str:
        """A short description for logs: kinds and rule names, not the person's words."""
        if not self.cues and not self.excused:
            return "no cues" if self.model_score is None else f"no cues (model {self.model_score:.2f})"
        counted = ",".join(sorted({c.rule for c in self.cues})) or "-"
        excused = ",".join(sorted({f"{c.rule}:{c.excused}" for c in self.excused})) or "-"
        return f"crisis={self.is_crisis} kinds={','.join(sorted(self.kinds)) or '-'} cues={counted} excused={excused}"


# Words without which an utterance is not read as a crisis by the learned layer (stems, lowercase).
_RISK_WORDS = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|end (?:it|all|things|everything|my life)|life|live|living|alive|"
    r"exist\w*|future|any ?more|burden|better off|gone|disappear\w*|vanish\w*|wake up|not wake|sleep forever|"
    r"pills?|overdos\w*|tablets|rope|bridge|jump\w*|gun|knife|blade|razor|cut\w*|hurt\w*|harm\w*|bleed\w*|blood|"
    r"hit\w*|beat\w*|punch\w*|choke\w*|scared|afraid|terrified|unsafe|safe|threat\w*|pointless|point|hopeless|"
    r"worthless|nothing left|give up|giving up|goodbye|note|plan\w*|belongings|give away|giving away|last|forever|"
    r"no way out|trapped|escape|can ?not go on|cannot do this|without me|miss me|notice|care if|lock\w*|leave me alone|"
    r"funeral|rap(?:e|ed|ing|ist)|abus\w*|assault\w*|molest\w*|ghost|accident|be over|need me|my things|"
    r"time for me to go|underwater|drown\w*|drive off|crash\w*|grateful)\b"
)


def classify(text: str, *, sentence_vector: bool = True) -> CrisisAssessment:
    """Classify one finished user utterance (typed or transcribed). Never raises. Blocks while the sentence
    model loads (the first time, under a second) unless `sentence_vector` is False: then rules and words
    alone decide, as when the model is unavailable. Call it off the event loop (`session.safety_watch`)."""
    if not isinstance(text, str) or not text.strip():
        return CrisisAssessment(False)
    normalized = normalize(text)
    resolved_past = _is_resolved_past(normalized)
    counted: list[Cue] = []
    excused: list[Cue] = []
    parts = clauses(normalized)
    for index, clause in enumerate(parts):
        for rule in RULES:
            for match in rule.pattern.finditer(clause):
                if rule.context and not re.search(rule.context, normalized):
                    continue
                if (rule.context_excludes and re.search(rule.context_excludes, normalized)) or (
                        rule.clause_excludes and re.search(rule.clause_excludes, clause)):
                    # A rule spoke, to excuse: the learned layer is not asked ("the queue … made me
                    # want to end it all" is not handed to a layer that only sees the words).
                    excused.append(Cue(rule.kind, rule.name, match.group(0), "everyday_context"))
                    continue
                reason = _excuse(rule, clause, match, resolved_past, normalized, parts[index + 1 :])
                cue = Cue(rule.kind, rule.name, match.group(0), reason)
                (excused if reason else counted).append(cue)
    if counted and sentence_vector and _learned_past_excuse(text, normalized, parts):
        excused += [Cue(c.kind, c.rule, c.text, "past_resolved_learned") for c in counted]
        counted = []
        return CrisisAssessment(False, frozenset(), (), tuple(excused), None)
    model_score = None
    ask_layer = not counted and not excused  # no rule spoke, not even to excuse
    layer_parts, layer_text, layer_normalized = parts, text, normalized
    if ask_layer:
        # An everyday sense said in a clause ("kill the process", a dose the doctor gave) is left out of
        # what the layer reads; the rest of the turn is still asked about.
        everyday = [part for part in parts if _EVERYDAY_USE.search(part)]
        if everyday:
            excused.append(Cue(CrisisKind.UNSPECIFIED, "everyday_use", everyday[0], "everyday_context"))
            layer_parts = [part for part in parts if part not in everyday]
            layer_text = layer_normalized = " , ".join(layer_parts)
    if ask_layer and layer_parts and not resolved_past:
        # The learned layer may speak. Where no word of risk appears its
        # bar is higher (with the sentence model) or it is not asked at all (words alone): without that
        # the word layer took everyday session talk ("feeling anxious about work") for crisis. A past
        # the person says is over ("years ago ..., look how far I have come") is not asked about either.
        verdict = crisis_model.consult(layer_parts, layer_text, bool(_RISK_WORDS.search(layer_normalized)),
                                       sentence_vector=sentence_vector)
        if verdict is not None:
            model_score, threshold = verdict
            if model_score >= threshold:
                counted.append(Cue(CrisisKind.UNSPECIFIED, "learned_layer", f"score {model_score:.2f}"))
    kinds = frozenset(c.kind for c in counted)
    return CrisisAssessment(bool(counted), kinds, tuple(counted), tuple(excused), model_score)


def _learned_past_excuse(text: str, normalized: str, parts: list[str]) -> bool:
    """A flagged line that tells of the past and then says something more ("I used to want to kill my
    father, I've forgiven him now"), whose nearest labelled lines are resolved stories rather than
    crises: the many ways of saying *it is over* that `_RESOLVED` does not list. Never when a wish is
    stated now or it is recurring, never for the past alone ("years ago I tried to end my life": one
    clause), and never when the last clause is itself a cue."""
    if len(parts) < 2 or not _PAST.search(normalized) or _PRESENT_INTENT.search(normalized) or _RECURRENCE.search(normalized):
        return False
    if any(rule.pattern.search(parts[-1]) for rule in RULES):
        return False
    vector = crisis_embedding.embed(text)
    return vector is not None and crisis_model.neighbour_score(vector) < crisis_model.PAST_EXCUSE


def _excuse(rule: Rule, clause: str, match: re.Match[str], resolved_past: bool, normalized: str,
            following: list[str]) -> str | None:
    before = clause[: match.start()].split()
    inside = match.group(0).split() if rule.open_middle else []
    if rule.negatable and _negated(before, inside, clause[match.end():]):
        return "negated"
    if rule.negatable and _ASKED_IF.search(clause[: match.start()]) and following and _ANSWER_NO.match(following[0]):
        return "negated"  # the question, reported, and the very next clause answers it: no
    if rule.needs_self and _someone_else(before):
        return "someone_else"
    if rule.self_inside and any(word in _OTHERS for word in match.group(0).split()):
        return "someone_else"
    if rule.accidents_excuse and _ACCIDENT.search(clause) and not _ON_PURPOSE.search(clause):
        return "accident"
    trivial = _TRIVIAL_GRIEVANCE.search(normalized) or _HYPERBOLIC_IF.search(clause[: match.start()])
    if rule.hyperbole_excuses and trivial and not _SERIOUS.search(normalized):
        return "hyperbole"
    if rule.travel_excuses and _TRAVEL.search(clause):
        return "everyday_context"
    quoting = _QUOTING.search(clause)
    if quoting and quoting.end() <= match.start() and not _OWNS_QUOTE.search(clause):
        return "quoted"
    if resolved_past and not _PRESENT_INTENT.search(clause[: match.end()]):
        return "past_resolved"  # a resolved past excuses what it tells, not a wish stated now
    return None


def _negated(before: list[str], inside: list[str], after: str) -> bool:
    if " ".join(before[-3:]).endswith(("not that i", "not like i", "not as if i")):
        return True  # "it is not that i want to die, i just miss home"
    if _TIME_QUALIFIERS.match(after):
        return False  # "not tonight" leaves tomorrow open
    if _NEVER_CROSSED.match(after):
        return True  # "ending it never crossed my mind"
    # "won't stop hitting me" / "never stops" mean it goes on: not a negation.
    if any(w in _NEGATORS and nxt.startswith("stop") for w, nxt in zip(inside, inside[1:], strict=False)):
        return False
    if any(word in _NEGATORS for word in inside):
        return True
    for word in reversed(before[-6:]):
        if word in _NEGATORS:
            return True
        if word not in _NEGATION_BRIDGE:
            return False
    return False


def _someone_else(before: list[str]) -> bool:
    for word in reversed(before):
        if word in _SELF:
            return False
        if word in _OTHERS:
            return True
    return False


def _is_resolved_past(normalized: str) -> bool:
    """A past the person says is over. A resolution that is itself negated ("I have not been okay
    since", "I am not fine now", "I never got help") is the opposite and does not count."""
    if not _PAST.search(normalized) or _NOT_WELL_SINCE.search(normalized):
        return False
    for resolution in _RESOLVED.finditer(normalized):
        if _NEGATORS.intersection(normalized[: resolution.start()].split()[-3:]):
            continue
        rest = normalized[: resolution.start()] + " " + normalized[resolution.end():]
        if not _RECURRENCE.search(rest):
            return True
    return False
