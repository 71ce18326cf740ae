"""Answers to the AI companion's safety questions.

A person asked "are you thinking about ending your life?" who answers "yeah" or "tonight" or "him, my
brother" has said something a crisis-line worker acts on, in words no rule can read on their own
(phrase set 17's misses: "yes. he's still in the house. in the kitchen."). So when the AI's last message
asked about risk, a short answer is read against the question: a yes (or a time, a person, a place, a
thing at hand) to a *risk* question ("do you have a plan?") is a crisis; a no to a *safety* question
("are you safe right now?") is a crisis. Long answers are left to `crisis.classify`, which reads them
whole. Pure: the session passes the AI's last message and the person's reply.
"""

from __future__ import annotations

import re

from therapy_desktop.therapy.crisis_rules import CrisisKind
from therapy_desktop.therapy.crisis_text import normalize

MAX_ANSWER_WORDS = 14  # longer replies say enough on their own

_YOU = r"(?:you|u)"
# Questions whose "yes" means danger, and the kind of danger they ask about.
_RISK_QUESTIONS: tuple[tuple[CrisisKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (CrisisKind.SUICIDAL_IDEATION, rf"\b(?:are|have|do) {_YOU} (?:been )?(?:ever )?(?:having |have |had )?(?:any )?(?:thoughts?|thinking|think) (?:of|about) (?:suicide|ending (?:your|it|things)|killing yourself|taking your (?:own )?life|not being (?:here|alive|around)|dying|not wanting to live)\b"),
        (CrisisKind.SUICIDAL_IDEATION, rf"\b(?:are|do) {_YOU} (?:feel(?:ing)? )?(?:like )?(?:want(?:ing)? to|thinking of) (?:die|end your life|kill yourself|not be here|not wake up)\b"),
        (CrisisKind.SUICIDAL_IDEATION, rf"\b(?:do|are) {_YOU} (?:mean|saying|telling me)\b[^?]{{0,30}}\b(?:suicid\w*|end(?:ing)? your life|kill(?:ing)? yourself|not (?:be|being) (?:here|alive))\b"),
        (CrisisKind.PLAN_OR_MEANS, rf"\b(?:do|have) {_YOU} (?:got |have )?(?:a plan|any plans?|thought about how|decided (?:how|when)|the means|access to|anything (?:with you|at hand|you could use)|the things {_YOU} (?:would |will )?need|what {_YOU} (?:would |will )?need)\b"),
        (CrisisKind.PLAN_OR_MEANS, rf"\b(?:do|have) {_YOU} (?:got |have )?(?:the |any |some )?(?:pills|tablets|medication|a weapon|a gun|a knife|a rope)\b[^?]{{0,25}}\b(?:with you|near you|at hand|there|nearby|in the house)\b"),
        (CrisisKind.PLAN_OR_MEANS, rf"\bwhen (?:are|were|would) {_YOU} (?:planning|thinking|going) (?:on |of |to )?(?:do(?:ing)? it|end(?:ing)? (?:it|your life))\b"),
        (CrisisKind.SELF_HARM, rf"\b(?:have|are|did) {_YOU} (?:been )?(?:hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?|burn(?:ing|ed|t)?|injur(?:ing|ed)) yourself\b|\bwhen did {_YOU} last (?:hurt|harm|cut|burn|injure) yourself\b"),
        (CrisisKind.HARM_TO_OTHERS, rf"\b(?:are|do) {_YOU} (?:thinking (?:of|about)|planning (?:to|on)|going to|want(?:ing)? to) (?:hurt(?:ing)?|harm(?:ing)?|kill(?:ing)?) (?:someone|somebody|anyone|him|her|them)\b|\bwho (?:are|do) {_YOU} (?:thinking (?:of|about)|want(?:ing)? to|planning to) (?:hurt\w*|harm\w*|kill\w*)\b"),
        (CrisisKind.DANGER_OR_ABUSE, rf"\b(?:is|are) (?:he|she|they|someone|somebody|that person|the person) (?:still )?(?:there|with {_YOU}|in the (?:house|flat|room|home)|near {_YOU}|outside)\b|\b(?:has|is|did) (?:he|she|they|someone|somebody) (?:been )?(?:hurt(?:ing)?|hit(?:ting)?|threaten(?:ed|ing)?) {_YOU}\b"),
    )
)
# Questions whose "no" means danger.
_SAFETY_QUESTIONS = re.compile(
    rf"\b(?:are|do) {_YOU} (?:feel )?(?:safe|somewhere safe|in a safe place)\b|\bcan {_YOU} (?:keep|stay) (?:yourself )?safe\b"
    rf"|\b(?:is|are) (?:there )?(?:someone|somebody|anyone) (?:with {_YOU}|who can (?:be with|stay with|come))\b"
)

_NO = re.compile(r"^(?:no|nope|nah|not really|not at all|never|god no|of course not|no way|i am not|i do not|i have not|i would never|definitely not)\b|\bnot (?:now|any more|anymore|at all|really)\b")
_PERSON = r"(?:brother|sister|dad|father|mum|mom|mother|husband|wife|partner|boyfriend|girlfriend|son|daughter|boss|stepdad|stepfather|ex|neighbou?r|uncle|flatmate)"
_THING_OR_PLACE = r"(?:pills|tablets|rope|gun|knife|blade|razor|garage|bridge|car|bathroom|kitchen|bedroom|shed|roof|house|flat|room|hall|stairs|door)"
# A yes, or what only someone answering yes would say: a time, a person, a place, a thing at hand.
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|ya|aye|uh huh|mm hm|i do|i have|i am|i think so|kind of|sort of|a bit|a little|maybe|sometimes|a lot|all the time|every day|most days|constantly"
    rf"|tonight|today|tomorrow|this weekend|soon|right now|this morning|this afternoon|last night|earlier|just now|an hour ago|yesterday|him|her|them|he is|she is|they are|still|always|not sure|i guess|probably"
    rf"|my {_PERSON}|the {_THING_OR_PLACE}|(?:in|at|on|by) the {_THING_OR_PLACE})\b"
)
# "Are you having thoughts of ending your life, or is it more that you are exhausted?": not a yes/no question.
_EITHER_OR = re.compile(r"\bor (?:is it|are you|do you|maybe|just|more|something else|is that)\b")
_OKAY = re.compile(r"\b(?:i am (?:safe|fine|okay|ok|alright)|i feel safe|nobody is here|no one is here|he (?:left|has gone|is gone)|she (?:left|has gone|is gone)|they (?:left|have gone|are gone))\b")


def asked_about_risk(question: str) -> tuple[CrisisKind, bool] | None:
    """What the AI's message asks, if it asks about risk: the kind, and whether a *yes* is the danger
    (False: a safety question, where a *no* is). The last question in the message counts."""
    if "?" not in question:
        return None
    asked = re.split(r"[.!?]", question.rsplit("?", 1)[0])[-1]  # the sentence that ends in the last "?"
    last = normalize(asked)
    if not last.strip(" ,"):
        return None
    if _EITHER_OR.search(last):
        return None
    if _SAFETY_QUESTIONS.search(last):
        return CrisisKind.DANGER_OR_ABUSE, False
    for kind, pattern in _RISK_QUESTIONS:
        if pattern.search(last):
            return kind, True
    return None


def answer_is_crisis(question: str, answer: str) -> CrisisKind | None:
    """The kind of crisis a short answer to the AI's risk question says, or None (not asked about risk,
    a long answer, an answer that says no risk)."""
    asked = asked_about_risk(question)
    if asked is None:
        return None
    kind, yes_is_danger = asked
    text = normalize(answer).strip(" ,.")
    if not text or len(text.split()) > MAX_ANSWER_WORDS:
        return None
    said_no = bool(_NO.search(text)) or bool(_OKAY.search(text))
    if yes_is_danger:
        return kind if _YES.search(text) and not said_no else None
    return kind if _NO.search(text) and not _OKAY.search(text) else None
