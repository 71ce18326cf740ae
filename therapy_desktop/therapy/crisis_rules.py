"""The crisis classifier's rules: which phrasings count, of which kind, and how each may be excused.

Patterns run on text that `crisis_text.normalize` has lowercased, de-contracted ("don't" → "do not",
"im" → "i am") and cut into clauses, so they are written in that plain form, without apostrophes.
Each rule says whether a negation in front of it cancels it ("I would never hurt myself") and
whether it needs the person themself as its subject ("in the film he jumps off a bridge" does not
count). Most rules are first-person by construction ("kill myself", "hits me").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CrisisKind(StrEnum):
    SUICIDAL_IDEATION = "suicidal_ideation"
    PLAN_OR_MEANS = "plan_or_means"
    GOODBYE = "goodbye"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    DANGER_OR_ABUSE = "danger_or_abuse"
    UNSPECIFIED = "unspecified"  # the learned layer flagged it; no rule says which kind


@dataclass(frozen=True)
class Rule:
    name: str
    kind: CrisisKind
    pattern: re.Pattern[str]
    negatable: bool = True  # False when the rule itself is a negation ("do not want to be alive")
    needs_self: bool = False  # the nearest subject before it must be the person, not "he" / "the film"
    accidents_excuse: bool = False  # "I cut myself shaving" is not self-harm
    hyperbole_excuses: bool = False  # "I'm going to kill my sister, she ate my leftovers"
    self_inside: bool = False  # the free words inside must not name someone else ("hope my cat is not dying")
    context_excludes: str = ""  # ... and does not count when the utterance matches this
    clause_excludes: str = ""  # ... or when its own clause does (an excuse that must not reach other clauses)
    context: str = ""  # when set, the rule counts only if the whole utterance also matches this
    travel_excuses: bool = False  # "I won't be here for christmas, we're flying out" is a trip
    open_middle: bool = False  # the rule skips free words, so a negator among them negates ("he never hits me")


_PEOPLE = (
    r"(?:husband|wife|partner|boyfriend|girlfriend|ex|brother|sister|mum|mom|mother|dad|father|parents?"
    r"|son|daughter|kids?|children|child|baby|boss|manager|teacher|neighbou?rs?|roommate|flatmate"
    r"|housemate|colleague|coworker|classmates?|friend|stepfather|stepdad|stepmother|stepmum|stepmom"
    r"|family|uncle|aunt|cousin|grandma|grandad|grandfather|grandmother|carer|caregiver|guardian|nephew|niece"
    r"|grandson|granddaughter|coach|priest|pastor|tutor|landlord|stepbrother|stepsister|trainer|employer|pimp)"
)
_VICTIM = rf"(?:him|her|them|someone|somebody|anyone|everyone|people|my {_PEOPLE}|the {_PEOPLE}|(?:that|the|this) (?:guy|man|woman|girl|boy|bloke|person|people|stranger))"
_ABUSER = rf"(?:he|she|they|who|someone|somebody|my {_PEOPLE}|{_PEOPLE})"
_ABUSE_VERB = (
    r"(?:hits?|hitting|beats?|beating|kick(?:s|ed)?|punch(?:es|ed)?|slap(?:s|ped)?|chok(?:es|ed)|strangle[sd]?"
    r"|push(?:es|ed)|shov(?:es|ed)|hurts?|hurting|rapes?|raped|abus(?:es|ed)|whip(?:s|ped)?|belt(?:s|ed)|smack(?:s|ed)|threaten(?:s|ed)?|touch(?:es|ed)"
    r"|grab(?:s|bed)|burn(?:s|ed)|forc(?:es|ed)|lock(?:s|ed)|threatening|stalk(?:s|ed)|follow(?:s|ed|ing)|attack(?:s|ed)"
    r"|assault(?:s|ed)|molest(?:s|ed)|drag(?:s|ged)|throws|threw)"
)
_MEANS = (
    r"(?:pills|tablets|meds|medication|medicine|sleeping pills|painkillers|paracetamol|insulin|antidepressants|opioids|morphine|codeine|tramadol|medications|prescriptions|oxy|oxycodone|oxycontin|fentanyl|benzos|diazepam|valium|xanax|lithium|heart pills|heart meds|sleeping tablets"
    r"|ibuprofen|aspirin|acetaminophen|tylenol|advil|nurofen|co codamol|paracetemol|para cetamol|para (?:seat|set|see|sit) (?:a |uh )?(?:mol|mall|moll|mole))"
)
_HIGH_PLACE = r"(?:bridge|roof|rooftop|building|cliff|balcony|window|ledge|overpass|car park|multi storey)"
_MOVING = r"(?:train|car|bus|truck|lorry|traffic|tracks|motorway|highway)"
_WATER = r"(?:sea|ocean|river|lake)"
_SELF_BODY = r"(?:myself|my (?:own )?(?:arms?|wrists?|thighs?|legs?|skin|stomach|body|face|hands?))"


# An everyday annoyance as the cause: "the traffic this morning made me want to die".
_MADE_ME_WANT_TO = (r"\b(?:the |this |that )(?:queue|traffic|wait|meeting|printer|commute|line|form|hold music|bus|train|lecture"
                    r"|paperwork|jingle|ringtone|advert)\b[^,]{0,40}?\bmade me want to (?:die|end it(?: all)?|kill myself|be dead)\b")
# ... or as the condition, said after: "i'm going to jump off a bridge if i hear that song one more time".
_CHORE_AFTER = (r"\bif i (?:have to )?(?:hear|see|listen to|sit through|watch|do|read|answer) (?:that|this|another|one more)\b"
                r"[^,]{0,60}?\b(?:one more time|again)\b")


def _r(name: str, kind: CrisisKind, pattern: str, **flags: bool | str) -> Rule:
    return Rule(name, kind, re.compile(pattern), **flags)


_I = CrisisKind.SUICIDAL_IDEATION
_P = CrisisKind.PLAN_OR_MEANS
_G = CrisisKind.GOODBYE
_S = CrisisKind.SELF_HARM
_O = CrisisKind.HARM_TO_OTHERS
_D = CrisisKind.DANGER_OR_ABUSE

RULES: tuple[Rule, ...] = (
    # Suicidal thoughts, direct.
    _r("kill_myself", _I, r"\b(?:kill|killing|kills|off|offing|top|topping|end|ending) myself\b",
       # a chore as the condition: "if i have to sit through one more meeting about the printer i will kill myself"
       context_excludes=r"\bif i have to (?:sit through|hear|listen to|watch|do|read|attend|fill in|fill out|answer|reply to) (?:one more|another)\b[^,]{0,60}?\bkill myself\b"),
    _r("life_no_more", _I, r"\b(?:not|no longer|never) (?:want|wanting|able) to (?:\w+ ){0,3}?life(?: thing)? any more\b|\b(?:should not|do not deserve to|should never have been) (?:be )?(?:alive|born|living|exist)\b", negatable=False, needs_self=True),
    _r("cannot_keep_going", _I, r"\b(?:can not|could not|do not think i can|not sure i can) (?:keep|go on|carry on) (?:doing (?:it|this)|going|living)\b", negatable=False, needs_self=True, context=r"\b(?:one more day|any more|much longer|another day|the pain)\b"),
    _r("end_my_life", _I, r"\b(?:end|ending|take|taking|took|finish|finishing) my (?:own )?life\b"),
    _r("suicidal", _I, r"\b(?:i am|i feel|i have been|i was|i get|i felt|feeling|felt|been|getting) (?:(?:so|really|very|quite|a bit|a little|pretty|kind of) )?suicidal\b", needs_self=True),
    _r("suicide", _I, r"(?<!career )(?<!social )(?<!political )\bsuicide\b(?! (?:prevention|awareness|hotline|helpline|line|rates?|statistics|squad|bomber|mission|note in the)\b)(?! (?:is|has) (?:not|never)\b)", needs_self=True, context_excludes=r"\b(?:died by|died of|lost (?:\w+ ){0,2}to|committed|after (?:his|her|their)) suicide\b"),
    _r("death_wish", _I, r"\b(?:want|wants|wanted|wish|wishing|hope|hoping|pray|praying|ready|waiting|longing|relief|peaceful|peace|happier|calm|calmer|welcome|crave|courage|tempted|would not mind|do not mind|not scared of|not afraid of|ways to|how to)\b(?: \w+){0,6}? (?:to die|dying|be dead|being dead|dead|to not exist|not exist|not existing|my (?:own )?funeral|my (?:own )?death|takes? me (?:in my sleep|away|home)|kill my ?self)\b(?! (?:for|tired|battery|laughing|of (?:embarrassment|boredom|shame|laughter))\b)", needs_self=True, self_inside=True,
       clause_excludes=_MADE_ME_WANT_TO),
    _r("life_meaningless", _I, r"\b(?:life|my life|living) (?:has|holds) (?:no|lost its|lost all) (?:meaning|point|purpose)\b|\bready to leave (?:it|this world|this life|life|everyone)\b|\b(?:no|not any) (?:more )?will to live\b|\blost (?:the|my|all|any) (?:will|reason) to (?:live|keep going|go on|carry on)\b", needs_self=True),
    _r("nobody_would_miss_me", _I, r"\b(?:no one|nobody|not anyone|none of them) (?:would|will|is going to) (?:even )?(?:miss me|notice (?:if i|i am gone|i was gone)|care if i)\b", negatable=False,
       # skipping an event is not being gone: "nobody would notice if i didnt turn up to the staff meeting"
       context_excludes=r"\bnotice if i (?:did not|do not|never) (?:turn|show) up (?:to|at|for) (?:the |my |a |this |that )?(?:\w+ )?(?:meeting|class|lecture|party|gym|practice|rehearsal|shift|office|training|session|seminar)\b"),
    _r("if_i_was_not_around", _I, r"\bif i (?:just )?(?:was|were) not (?:around|here|alive|there)\b", negatable=False, context=r"\b(?:what|who|would|harm|difference|matter|change|notice|care|miss)\b"),
    _r("death_as_relief", _I, r"\b(?:dying|death|being dead|not existing|not being here)\b(?: \w+){0,4}? (?:relief|peaceful|peace|a release|an escape|the answer|the only option|the only way out|a way out|the only escape|the only choice|easier|better)\b", needs_self=True, self_inside=True),
    _r("my_funeral", _I, r"\b(?:picture|picturing|imagine|imagining|plan|planning|thinking about|think about) my (?:own )?funeral\b"),
    _r("sorry_i_woke_up", _I, r"\b(?:disappointed|sad|upset|angry|annoyed|gutted) (?:that )?i (?:woke up|am still (?:here|alive)|survived|did not die)\b|\bwish i (?:had not|did not) wake up\b"),
    _r("cannot_see_myself_alive", _I, r"\b(?:can not|do not|could not|can no longer) (?:see|imagine|picture) (?:myself|me) (?:still )?(?:being )?(?:alive|here|around|living)\b", negatable=False),
    _r("crash_on_purpose", _I, r"\bcrash (?:the |my )?car\b[^,]{0,25}?\b(?:on purpose|deliberately)\b|\bdrive (?:the |my )?car (?:into|off) (?:a |the )?\w+\b[^,]{0,15}?\bon purpose\b", needs_self=True),
    _r("only_way_this_stops", _I, r"\bonly way (?:this|it|the pain) (?:stops|ends|will stop|will end) is (?:if i (?:stop|die|am gone|go)|death|dying)\b|\bwant (?:everything|it all|the world|life) to stop (?:for ?ever|for good|permanently)\b"),
    _r("suicidal_thoughts", _I, r"\bsuicidal (?:thoughts|feelings|urges|ideas|ideation)\b", needs_self=True),
    _r("thinking_of_death", _I, r"\b(?:think|thinking|thought|thoughts) (?:about|of) (?:suicide|dying|death|killing myself|ending (?:it|it all|my life|things)|taking my (?:own )?life|not being (?:here|alive|around))\b", needs_self=True),
    _r("want_to_die", _I, r"\b(?:want|wants|wanted|wish|wishing|ready|going|need|like|longing|trying) to die\b(?! (?:of|from) (?:laughter|laughing|embarrassment|boredom|shame|cringe|heat|hunger|thirst|excitement|happiness|cuteness|old age)\b)", needs_self=True, hyperbole_excuses=True,
       clause_excludes=_MADE_ME_WANT_TO),
    _r("rather_be_dead", _I, r"\brather (?:be dead|die|not be alive|not exist|not be here)\b(?! than)", needs_self=True),
    _r("wish_dead", _I, r"\b(?:wish|wishing) (?:that )?i (?:was|were|could be) dead\b|\bbetter off (?:dead|six feet under|in the ground|in a grave|gone|not here|not around|not alive|not existing)\b|\bwish i (?:was|were|had) never (?:been )?born\b", needs_self=True),
    _r("not_alive", _I, r"\b(?:not|no longer|never) (?:want|wanting) to (?:be alive|live|exist|be here|go on|carry on|keep going|keep living)\b(?! (?:in|with|near|at|there|on|next|alone|abroad)\b)|\b(?:not|no longer|never) (?:want|wanting|wish) to (?:exist|be alive)\b", negatable=False, needs_self=True),
    _r("no_point_waking", _I, r"\b(?:do not|can not|no longer|not) see (?:the|any) point (?:of|in) (?:waking up|living|life|being alive|going on|carrying on|existing|me)\b", negatable=False, needs_self=True),
    _r("save_everyone_trouble", _I, r"\b(?:save|spare) (?:everyone|everybody|them|my family|people) (?:the )?(?:trouble|pain|burden|hassle)\b|\bdo (?:everyone|everybody|them|the world) a favou?r\b", needs_self=True, context=r"\b(?:disappear|go|die|gone|leave|end|exist|dead|here)\b"),
    _r("letting_go", _I, r"\b(?:letting go|let go|let myself fall|step off|stepping off)\b", needs_self=True, context=r"\b(?:balcony|edge|bridge|roof|ledge|cliff|platform|window|high)\b"),
    _r("no_point", _I, r"\b(?:what is the|no|not any|is there any|is there a|there is no) (?:point|reason|purpose|use) (?:in |of |to |for )?(?:living|life|live|going on|carrying on|being alive|being here|keep(?:ing)? going|existing|me being here|me|my life|me staying alive|me being alive|staying alive)\b(?! (?:doing|trying|going|asking|telling|coming|being (?!here|alive))\b)", negatable=False),
    _r("nothing_to_live_for", _I, r"\b(?:no|nothing(?: left)?|not any|not anything) (?:reason )?to live for\b|\bno reason to (?:live|be alive|keep going|go on)\b", negatable=False),
    _r("no_future", _I, r"\b(?:do not|can not|could not|no longer|not|never) (?:see|picture|imagine) (?:a|any) (?:future|way forward)(?: where i am (?:still )?(?:here|alive|around))?(?: for (?:myself|me))?\b(?! (?:in|with|at|for|as|here)\b)", negatable=False, needs_self=True),
    _r("no_future_for_me", _I, r"\bno future (?:for me|for myself|left for me)\b", negatable=False),
    _r("better_off_without_me", _I, r"\bbetter off (?:without me|if i\b[^,]{0,25}?\b(?:not here|not around|gone|dead|did not exist|died|not alive|never born))\b"),
    _r("if_i_were_gone", _I, r"\b(?:notice|care|miss me|matter|easier|better|happier|relieved)\b[^,]{0,25}?\bif i (?:was|were|am) (?:gone|dead|not here|not around|no longer here)\b|\bif i (?:died|did not exist|was never born|were never born|was out of the (?:picture|way)|were out of the (?:picture|way))\b", negatable=False),
    _r("not_wake_up", _I, r"\b(?:not|never) (?:to )?wak(?:e|ing) up\b(?! (?:early|late|at|on time|in time|before|until|till|for)\b)", negatable=False, needs_self=True),
    _r("sleep_forever", _I, r"\b(?:sleep|go to sleep|fall asleep) (?:forever|for good|and never (?:have to )?(?:wake|come back|return))\b", needs_self=True, hyperbole_excuses=True),
    _r("stop_living", _I, r"\b(?:want|wanting|wish|need|going) to stop (?:living|existing|being alive|breathing)\b", needs_self=True),
    _r("living_feels_pointless", _I, r"\b(?:living|life|being alive|existing) (?:feels|seems|is) (?:so |just |completely )?(?:pointless|meaningless|worthless|unbearable)\b", needs_self=True),
    _r("nothing_keeping_me", _I, r"\b(?:nothing|no one|nobody) (?:is )?(?:keeping|holding) me here\b"),
    _r("disappear", _I, r"\b(?:disappear|vanish) (?:forever|for good|and never (?:come back|be found|return))\b|\bwish i could (?:just )?(?:disappear|vanish|stop existing|not exist)\b(?! (?:for (?:a|an|the|two|three|a few|some) |to (?:a|an|the|my)\b|on (?:a|holiday)\b|somewhere\b))|\bstop existing\b|\bcease to exist\b", needs_self=True),
    _r("not_worth_living", _I, r"\bnot worth (?:living|it any ?more|going on)\b|\b(?:life|living|being alive) is (?:pointless|meaningless|worthless)\b", negatable=False),
    _r("tired_of_living", _I, r"\b(?:tired|sick|weary|exhausted) of (?:living|life|being alive|existing|being here|waking up)\b(?! (?:out of|in|with|at|on|near|next to|under|above|from|paycheck|pay cheque|hand to mouth|like a|alone|here|there|so far)\b)", needs_self=True),
    _r("done_with_life", _I, r"\bdone with (?:life|living|it all|being alive|existing|this world)\b", needs_self=True),
    _r("end_it", _I, r"\b(?:end|ending|finish|finishing) (?:it all|it|things|everything|this life)\b(?! (?:with|between|off|early|here|for (?:today|now|the day))\b)", needs_self=True,
       clause_excludes=_MADE_ME_WANT_TO),
    _r("want_it_over", _I, r"\b(?:want|wish|need) (?:it all|everything|all of it|my life) to (?:be over|end|stop)\b|\bto (?:stop|end) (?:forever|permanently|for good)\b", needs_self=True),
    _r("not_around_long", _I, r"\b(?:will not|may not|might not|am not going to) be (?:around|here|alive) (?:much longer|for much longer|for long|any longer|after (?:tonight|today|this))\b"),
    _r("way_out", _I, r"\bway out(?: of (?:this|it|here))? (?:except|but|other than|apart from|besides) (?:dying|death|suicide|to die|ending it|killing myself)\b|\bonly way out is (?:to die|death|dying|suicide)\b", negatable=False),
    _r("not_be_here", _I, r"\b(?:easier|better|best|rather|want|wish|like|prefer|hope)\b[^,]{0,20}?\bnot (?:be|being) (?:here|around|alive)\b(?! (?:at|for|on|in|when|tomorrow|tonight|next)\b)", negatable=False, needs_self=True),
    _r("hoping_to_die", _I, r"\b(?:hop\w*|wish\w*|pray\w*)\b[^,]{0,20}?\b(?:my heart (?:would |will )?(?:just )?stops?|i (?:would|will) (?:just )?die|i die in my sleep|i do not wake|it (?:would|will) (?:all )?(?:just )?end|something (?:would|will) kill me|a (?:car|bus|truck) (?:would |will )?hits? me|i get hit by)\b", negatable=False, needs_self=True),
    _r("had_enough_of_life", _I, r"\b(?:had enough|fed up|sick and tired) (?:of|with) (?:life|living|being alive|existing|this life|it all)\b", needs_self=True),
    _r("better_without_me", _I, r"\b(?:better|easier|happier|lighter|simpler)\b[^,]{0,20}?\bwithout me\b|\b(?:cope|manage|do|be) (?:just )?(?:fine|better|okay|ok|alright) without me\b|\b(?:they|everyone|everybody|people|my \w+|the kids) would (?:all )?be better off\b(?! (?:with|if (?!i\b))\b)"),
    _r("out_for_good", _I, r"\b(?:want|need|wish|ready|going) (?:to )?(?:get )?out for good\b|\b(?:go|leave|gone|sleep|rest|disappear|go away|went away)(?: away)? (?:for good|forever|for ever)\b(?! (?:from|to|in|at)\b)", needs_self=True, travel_excuses=True, hyperbole_excuses=True),
    _r("not_here_for", _I, r"\b(?:not|never) (?:\w+ ){0,3}?(?:be (?:here|around|alive)|make it|last) (?:for|to|until|till|by|past|through) (?:christmas|my birthday|the weekend|next (?:week|month|year)|new year|the summer|tomorrow|the end of the (?:week|month|year)|the (?:week|night|day|month|year)|tonight|today)\b(?! without\b)", negatable=False, needs_self=True, travel_excuses=True),
    _r("join_the_dead", _I, r"\b(?:ready|want|wanting|wish|waiting|longing) to (?:join|be with) (?:her|him|them|my (?:wife|husband|mum|mom|mother|dad|father|son|daughter|partner|brother|sister|baby|child|friend))\b", needs_self=True, context=r"\b(?:died|passed|dead|lost|death|funeral|grave|heaven)\b"),
    _r("nothing_left", _I, r"\bnothing left (?:for me|to live for|to stay for|in me)\b"),
    _r("not_want_to_wake", _I, r"\b(?:do not|never|not) (?:want|wish|hope) to (?:wake up|be woken)\b(?! (?:early|at|before|until|till|for|in time)\b)", negatable=False, needs_self=True),
    _r("urge_to_jump", _I, r"\b(?:urge|urges|want|wanting|tempted|impulse|need) to jump\b(?! (?:in|into|on|up|for|at|around|over|out)\b)", needs_self=True),
    _r("pointless_being_alive", _I, r"\bpointless (?:me |my )?(?:being alive|living|existing|being here|to (?:live|go on|carry on|be alive))\b"),
    _r("give_up_on_life", _I, r"\bgiv(?:e|ing) up on (?:life|living)\b|\bdone (?:living|being alive|existing)\b|\b(?:reached|at|hit) the end of the (?:road|line)\b(?! (?:with|for|on|at|in)\b)", needs_self=True),
    _r("unsure_i_want_to_live", _I, r"\b(?:not sure|do not know if|do not know whether|unsure) (?:if |whether )?i (?:want|wanna) to (?:be alive|live|exist|be here|wake up|keep going|go on|carry on)\b", negatable=False),
    _r("cannot_do_life", _I, r"\bcan not do (?:this )?life\b", negatable=False, needs_self=True),
    _r("jump", _I, rf"\b(?:jump|jumping|throw myself|throwing myself|step|stepping|walk|walking|drive|driving|crash|crashing|swerve|swerving|veer|veering) (?:off|from|in front of|into|under) (?:a |the |that |this |my |some )?(?:\w+ )?(?:{_HIGH_PLACE}|{_MOVING}|{_WATER}|wall|tree)\b", needs_self=True,
       context_excludes=r"\brather (?:\w+ ){0,8}?than (?:sit through|attend|listen to|watch|do|go to|spend|eat|hear|have) (?:another|one more|that|this|a|an|the)\b",
       clause_excludes=_CHORE_AFTER),
    _r("method", _P, r"\b(?:overdose|overdosed|overdosing|od|hang myself|hanging myself|drown myself|shoot myself|poison myself|gas myself|slit my wrists?|cut my wrists?|slash my wrists?)\b", needs_self=True),
    # Plans and means.
    _r("stockpiling", _P, rf"\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed|gathering|storing|keeping|hiding|hid|hidden|putting aside|put aside|setting aside|set aside) (?:up )?(?:(?:all|some|a lot of|enough|my|of|up|the|old) )*{_MEANS}\b"),
    _r("my_plan_is", _P, r"\bmy plan is to (?:do it|end it|go through with it|kill myself|die|jump)\b|\b(?:got|have|gathered|bought) everything i (?:need|would need) to do it\b|\bmore (?:pills|tablets|meds) than i (?:would|will|could) (?:ever )?need\b"),
    _r("more_than_i_need", _P, r"\bmore than i (?:would|will|could) ever need\b", context=rf"\b{_MEANS}\b"),
    _r("enough_to", _P, rf"\benough {_MEANS} to\b|\b{_MEANS} (?:it|they) would take\b"),
    _r("researching", _P, rf"\b(?:looked|look|looking|searched|searching|search|googled|googling|researched|researching|read|reading|checked|checking|found|finding|worked|figured)\b[^,]{{0,30}}?\b(?:how (?:high|tall|far down|deep) (?:the |a |that )?(?:\w+ )?{_HIGH_PLACE}|how (?:many|much) (?:of )?(?:my |the )?{_MEANS}|{_MEANS} (?:is|are) too much|lethal dose|fatal dose|painless ways?|ways to (?:die|kill myself|end it)|how to (?:die|kill myself|end my life|end it|hang|overdose|tie a noose)|suicide methods|methods of suicide|how long it takes to die|(?:it )?hurts to die|(?:which|what) (?:\w+ )?{_MEANS} (?:are|is) (?:deadly|lethal|fatal)|tide times|(?:the )?cliffs (?:near|around) (?:here|me)|tablets it would take|pills it would take)\b"),
    _r("would_be_fatal", _P, rf"\b{_MEANS} (?:would|will|could) be (?:fatal|lethal|enough to (?:kill me|die|do it))\b"),
    _r("a_way_to_do_it", _P, r"\b(?:worked out|found|figured out|thought of|know|have|got) (?:a|the|another) (?:way|method) to (?:do it|end it|kill myself|die|end my life)\b", needs_self=True),
    _r("exhaust", _P, r"\b(?:hose|pipe|tube)\b[^,]{0,20}?\b(?:car )?exhaust\b|\bexhaust fumes\b", needs_self=True),
    _r("which_one_id_use", _P, r"\b(?:which|what) (?:\w+ )?(?:bridge|building|roof|cliff|method|rope|pills|tablets|gun|spot) i (?:would|will|am going to|could|should|want to) (?:use|take|jump|do it|go off)\b"),
    _r("means_at_hand", _P, rf"\b(?:counted out|counting out|lined up|laid out|set out) (?:\w+ ){{0,2}}?{_MEANS}\b|\b(?:counted|counting|lined up|laid out|set out|got|have|holding|took out|sorted)\b[^,]{{0,15}}?\b{_MEANS}\b[^,]{{0,25}}?\b(?:enough|in front of me|ready|right now|next to me|by my bed|to do it|would do it|will do it)\b|\b{_MEANS} (?:in front of me|ready|lined up|next to me)\b|\b(?:which|what|how many) {_MEANS} (?:would|will|could) (?:do it|kill|be enough)\b|\benough {_MEANS}\b[^,]{{0,15}}?\bto do it\b", needs_self=True),
    _r("courage", _P, r"\b(?:working up|work up|build up|building up|find|finding|get|getting|had|have|lack|lacking) the (?:courage|nerve|guts)\b(?! to (?!do it|jump|end|go through|kill|die))", needs_self=True, context=r"\b(?:bridge|roof|edge|cliffs?|pills|tablets|rope|do it|end|jump|die|gun|trains?|platform|tracks|engine off)\b"),
    _r("rope_test", _P, r"\b(?:tied|tie|tying|hung|hang|hanging|put up|fixed) (?:a |the )?(?:rope|cord|belt|noose|cable)\b[^,]{0,30}?\b(?:see if it (?:would|will) hold|hold my weight|take my weight|from the (?:beam|banister|ceiling|loft|tree))\b"),
    _r("non_stopping_trains", _P, r"\b(?:fast |express )?(?:trains?|line) that (?:do|does) not stop\b", needs_self=True),
    _r("looking_at_heights", _P, r"\b(?:looking at|looked at|been to|went to|going to|checking out|checked out|visiting|visited|scoping out)\b[^,]{0,20}?\b(?:top floor|roof|top|edge) of (?:the |a |that )?(?:car park|multi storey|building|bridge|tower|cliff|hospital)\b", needs_self=True),
    _r("gun_access", _P, r"\b(?:gun (?:cabinet|safe|case|locker)|key to the gun)\b", context=r"\b(?:thinking about|been thinking|do it|use it|end it|myself|tonight)\b"),
    _r("whole_bottle", _P, r"\b(?:take|taking|swallow|swallowing|down) (?:the |a )?(?:whole|entire|full) (?:bottle|box|packet|pack|lot|strip|tub)\b(?! of (?:wine|water|juice|vodka|whisky|whiskey|gin|rum|beer|prosecco|champagne|coke|soda|milk|cereal|chocolates?|biscuits|sweets)\b)", needs_self=True),
    _r("dose_i_need", _P, r"\b(?:dosage|dose|amount) i (?:would|will|am going to) need\b|\blethal (?:amount|number)\b", needs_self=True),
    _r("for_when_i_am_ready", _P, rf"\bfor when i am ready\b|\b{_MEANS} (?:hidden|stashed|hoarded|put away)\b|\bi know what i am going to do with (?:it|them)\b", needs_self=True, context=rf"\b(?:{_MEANS}|rope|gun|blades?|razors?|knife)\b"),
    _r("on_the_edge_now", _P, r"\b(?:standing|sitting|stood|sat|am) on (?:the|a) (?:edge|ledge|bridge|roof|railing|rooftop|cliff|parapet)\b", needs_self=True, context=r"\b(?:right now|now|tonight|about to|ready|going to jump|want to jump|looking down)\b", context_excludes=r"\b(?:photos?|pictures?|view|sunset|selfie|tour|fishing)\b"),
    _r("stash_of_means", _P, rf"\b(?:stash|stockpile|hoard|secret supply)e?s? of (?:\w+ ){{0,3}}?{_MEANS}\b"),
    _r("picked_the_spot", _P, r"\b(?:picked|chosen|chose|found|decided on) (?:a|the|my) (?:spot|place|location|method)\b(?! (?:for|to)\b)", needs_self=True),
    _r("tonight_is_the_night", _P, r"\b(?:tonight|today|tomorrow|this weekend) is (?:the (?:night|day)|when)\b[^,]{0,25}?\bi (?:am going to|will|am gonna) (?:do it|go through with it|end it)\b|\bgo through with it (?:tonight|today|tomorrow)\b", needs_self=True),
    _r("weapon_or_rope", _P, r"\b(?:bought|buy|buying|got|have|found|ordered|keep|kept|hid|hidden|hiding|loaded|collecting|collected|saving|stashing) (?:a |the |some |an )?(?:\w+ ){0,2}?(?:rope|noose|gun|pistol|rifle|shotgun|razor blades?|blades|charcoal|bullets?)\b(?! (?:for|to) (?!(?:tonight|today|myself|later|when|after|it)\b))", needs_self=True),
    _r("noose", _P, r"\b(?:noose|nooses)\b", needs_self=True),
    _r("gun_loaded", _P, r"\bgun (?:is )?loaded\b|\bloaded (?:the |my )?gun\b", needs_self=True),
    _r("know_how", _P, r"\b(?:know|decided|worked out|figured out|planned|planning) (?:exactly |already )?(?:how|when|where) (?:i (?:would|will|am going to|could|want to|should) )?(?:do it|end it|kill myself|die)\b"),
    _r("have_a_plan", _P, r"\b(?:have|made|got|making|worked out) (?:a |the )?plans? (?:to|for|of how to) (?:end|kill|die|take|do it|jump|overdose|hang)\b"),
    _r("picked_a_date", _P, r"\b(?:picked|set|chosen|chose|decided on) (?:a|the) (?:date|day)\b(?! (?:for|of|to)\b(?! (?:next|this|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b))", needs_self=True),
    _r("engine_running", _P, r"\bengine running\b[^,]{0,20}?\b(?:in the garage|garage door (?:shut|closed))\b|\bin the garage\b[^,]{0,20}?\bengine running\b", needs_self=True),
    _r("at_the_edge", _P, rf"\bedge of the (?:platform|{_HIGH_PLACE}|tracks)\b|\b(?:deciding|decide|thinking|thought) (?:whether|if|about) (?:to |i should |i could )?(?:jump|jumping|do it|end it|let go)\b", needs_self=True),
    _r("in_case_i_decide", _P, r"\b(?:knife|knives|pills|tablets|rope|gun|blade|razor)\b[^,]{0,40}?\bin case i (?:decide|need|want|can not)\b"),
    # Goodbyes.
    _r("goodbye_before_i_go", _G, r"\b(?:say(?:ing)? (?:my )?goodbyes?|thank you|thanks)\b[^,]{0,25}?\bbefore i (?:go|leave|die|do it|am gone|end it)\b(?: for good| forever|(?! (?:on|to|home|back|away|out|for|into|abroad|travell?ing|shopping)\b))"),
    _r("said_my_goodbyes", _G, r"\b(?:said|say|saying) my (?:last |final )?goodbyes\b|\b(?:letters?|notes?|messages?) (?:to [^,]{1,20} )?saying goodbye\b", needs_self=True, context_excludes=r"\b(?:last day|leaving do|leaving party|airport|station|moving|new job|graduation|colleagues|coworkers|retir\w+|at work|the office|the team)\b"),
    _r("suicide_note", _G, r"\b(?:suicide|goodbye|farewell) (?:note|letter|message)s?\b", needs_self=True),
    _r("giving_away", _G, r"\b(?:given|giving|gave|give) away (?:all )?(?:of )?(?:my )?(?:things|stuff|belongings|possessions|everything|all my (?:\w+ )?(?:things|stuff))\b"),
    _r("last_message", _G, r"\b(?:my|this is my|these are my) (?:last|final) (?:message|goodbye|words|note|letter)s?\b", needs_self=True),
    _r("letters_explaining", _G, r"\b(?:letters?|notes?)\b[^,]{0,40}?\b(?:explaining everything|explain everything|saying sorry|to read after|for when i am gone|for after i am gone)\b", needs_self=True),
    _r("my_things_away", _G, r"\b(?:given|giving|gave|give) (?:all )?(?:of )?my (?:things|stuff|belongings|possessions) away\b"),
    _r("when_i_am_gone", _G, r"\b(?:when|after|once) i am (?:gone|dead|not here|not around)\b(?! (?:on|for|to|away|abroad|travell?ing|shopping|out)\b)"),
    _r("said_bye_to_everyone", _G, r"\bsaid (?:goodbye|bye|my goodbyes) to (?:everyone|everybody)\b[^,]{0,20}?\b(?:who matters|i love|who loves me|already|for the last time)\b|\balready said (?:goodbye|bye|my goodbyes) to (?:everyone|everybody)\b"),
    _r("this_is_goodbye", _G, r"\bthis is (?:my )?(?:goodbye|farewell)\b|\b(?:goodbye|farewell) (?:forever|for good)\b|\bfor after (?:i am gone|i go|i die)\b|, for after$|^for after$", needs_self=True, travel_excuses=True),
    _r("affairs_in_order", _G, r"\bmy affairs in order\b|\btied up (?:all )?(?:the |my )?loose ends\b|\b(?:so|so that) (?:no one|nobody|none of them|my family|they|my \w+) (?:is|are|will be|would be) (?:not )?(?:left )?(?:with|to deal with) (?:a |the |my |any )?(?:mess|debts?|anything|bills?|problems?)\b", needs_self=True),
    _r("whoever_finds_me", _G, r"\bwhoever finds me\b|\bfor (?:whoever|the person who|the one who) (?:finds|will find) me\b|\bwhen (?:they|someone|somebody|you) (?:find|finds) me\b(?! (?:a|an|some|the|at|in)\b)"),
    _r("kind_at_the_end", _G, r"\b(?:kind|there|here|good) (?:to me |for me |with me )?at the end\b(?! of)", context=r"\b(?:thank|thanks|grateful)\b"),
    _r("not_your_fault", _G, r"\b(?:it is not|it was not|it is never|was not|is not) (?:your|their|his|her|anyone) fault\b", context=r"\b(?:notes?|letters?|tell|telling|message|messages)\b"),
    _r("tell_them_sorry", _G, r"\btell my (?:family|mum|mom|dad|kids|children|wife|husband|partner|parents|sister|brother|daughter|son) (?:that )?i am (?:so )?sorry\b(?= *(?:$|and|for everything))"),
    _r("one_last_time", _G, r"\b(?:talk|speak|see|hear|hug|call) (?:to |with )?(?:someone|somebody|you|them|her|him|my \w+) (?:for )?one (?:last|final) time\b"),
    _r("for_them_to_find", _G, r"\bfor (?:my \w+|them|him|her|someone|everyone|whoever) to (?:find|read)\b", context=r"\b(?:letters?|notes?|messages?)\b"),
    _r("will_not_need_them", _G, r"\b(?:will not|am not going to|would not) (?:be )?need(?:ing)? (?:them|it|these|those|my things|anything|any of (?:it|this|them))\b(?! (?:today|tonight|tomorrow|this|for|until|till|on|at|in|after|while|when)\b)(?: any ?more)?", needs_self=True, travel_excuses=True, context=r"\b(?:giving|gave|give|given|leaving|left)\b"),
    _r("never_hear_from_me", _G, r"\b(?:will not|will never|are not going to) (?:hear from|see) me again\b|\bnever (?:hear from|see) me again\b"),
    _r("wrote_the_note", _G, r"\b(?:already|just|finally) (?:wrote|written|finished|left) (?:the|my) (?:last )?note\b(?! (?:for|to|about) (?:the|my) (?:teacher|school|boss|work|milkman|neighbou?r)\b)", needs_self=True),
    _r("goodbye_to_everyone_now", _G, r"\b(?:saying|say|said) (?:goodbye|bye|my goodbyes) to (?:everyone|everybody|you all|all of you)\b[^,]{0,15}?\b(?:tonight|today|now|for the last time|forever)\b", needs_self=True, context_excludes=r"\\b(?:last day|leaving do|leaving party|airport|station|moving|new job|graduation|colleagues|coworkers)\\b"),
    _r("parting_goodbye", _G, r"(?:^|\band )(?:goodbye|bye|farewell)$", context=r"\b(?:good friend|grateful|meant a lot|kind to me|i love you|look after|for everything|remember me)\b", context_excludes=r"\b(?:see you|talk (?:to you )?(?:soon|later|tomorrow)|next (?:week|time)|for now|for today|tomorrow|session|that is all|that helped)\b"),
    _r("goodbye_unknowing", _G, r"\b(?:said|saying|say) (?:goodbye|bye|my goodbyes) (?:to [^,]{1,25} )?without (?:them|him|her|anyone|anybody) knowing\b"),
    _r("last_conversation", _G, r"\b(?:this|that|it) (?:will be|is|is going to be) (?:our|my) (?:last|final) (?:conversation|talk|chat|session|call)\b", context_excludes=r"\b(?:holidays?|before|until|next|summer|christmas|break|vacation|moving|new therapist|counsellor)\b"),
    _r("called_to_say_goodbye", _G, r"\b(?:called|calling|rang|ringing|just wanted|wanted|want) to say (?:goodbye|bye|my goodbyes)\b(?! (?:to (?:my|the|our) (?:\w+ )?(?:house|flat|car|job|colleagues|team|class)|for now|until)\b)", needs_self=True, travel_excuses=True),
    _r("letters_for_everyone", _G, r"\b(?:left|written|wrote|writing) (?:letters|notes) (?:for|to) (?:everyone|everybody|all of them|each of them|my family|my kids|my children)\b"),
    _r("pets_looked_after", _G, r"\bmake sure (?:my|the) (?:cat|dog|pets?|kids?|children) (?:gets?|get|are|is|will be) (?:a good home|looked after|taken care of|rehomed)\b", travel_excuses=True),
    _r("last_time_you_hear", _G, r"\blast time (?:you will|anyone will|you are going to|you) (?:hear|see|talk to|speak to) (?:from )?me\b|\blast time i will (?:talk|speak) to (?:anyone|anybody|you|someone)\b"),
    _r("will_not_need", _G, r"\b(?:will not|am not going to|will no longer) (?:be )?need(?:ing)? (?:these|this|the|my|any|you|it)\b[^,]{0,20}?\b(?:after (?:tonight|today|this|tomorrow)|where i am going)\b"),
    _r("not_here_to", _G, r"\b(?:will not|am not going to|will no longer) be (?:here|around) to\b|\bbecause i (?:will not|am not going to|will no longer) be (?:around|here)\b", travel_excuses=True),
    _r("tell_them_i_loved", _G, r"\btell [^,]{0,20}?\bi (?:loved|am sorry and (?:that )?i loved)\b"),
    # Self-harm.
    _r("harm_my_body", _S, rf"\b(?:cut|cutting|cuts|burn|burned|burnt|burning|hurt|hurting|harm|harming|hit|hitting|punch|punching|scratch|scratched|scratching|bite|biting|stab|stabbing|starve|starving|starved|slash|slashed|slashing|slit|slitting) {_SELF_BODY}\b(?! (?:up|for (?:forgetting|missing|not|being|saying|letting|that|it|this))\b)", accidents_excuse=True),
    _r("self_harm", _S, r"\bself (?:harm|harmed|harming|harms|injury|injured|injuring|mutilat\w*)\b", needs_self=True),
    _r("cutting_again", _S, r"\bcutting again\b|\b(?:started|start|back to|relapsed into) (?:cutting|burning myself|self harming)\b", needs_self=True),
    _r("until_it_bleeds", _S, r"\b(?:until|till|til) (?:\w+ ){0,2}?(?:bled|bleeds?|bleeding|bruised?|bruises|bruising|scarred|scars)\b", needs_self=True),
    _r("on_purpose", _S, r"\b(?:punched|hit|cut|burned|burnt|scratched|bit|banged|hurt|starved|injured) (?:the wall|my \w+|myself)\b[^,]{0,30}?\bon purpose\b", needs_self=True),
    _r("marks_on_my_body", _S, r"\b(?:carve|carved|carving|etch|etched|scratch|scratched|scratching|burn|burned|burnt|burning|cut|cutting|cuts|slash|slashed|slashing)\b[^,]{0,25}?\b(?:into|on|in|across) my (?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?|body|chest)\b", accidents_excuse=True, needs_self=True),
    _r("and_it_bleeds", _S, r"\b(?:and|until|till|til|so) (?:\w+ ){0,5}?(?:it|they|i) (?:bleeds?|bled|bleed|bruises?|bruised|scarred)\b", needs_self=True, accidents_excuse=True),
    _r("pills_to_make_it_stop", _S, rf"\b(?:took|take|taken|swallowed|taking)\b[^,]{{0,20}}?\b{_MEANS}\b[^,]{{0,15}}?\bto (?:make it (?:all )?stop|die|end it|not wake up|sleep forever|never wake up)\b", needs_self=True),
    _r("head_against_wall", _S, r"\b(?:hit|hitting|bang|banging|punch|punching|smash|smashing) my head (?:on|against|into) (?:the |a )?(?:wall|floor|door|desk|table|things|steering wheel|dashboard|mirror|window|headboard)\b[^,]{0,10}?\b(?:until|till|to make|so hard|to stop|to feel|when i)\b", needs_self=True),
    _r("deeper_cuts", _S, r"\b(?:cut|cuts|cutting|burn|burns|burning)\b[^,]{0,30}?\bdeeper\b|\bi (?:cut|cutting) again\b", needs_self=True),
    _r("until_raw", _S, r"\b(?:until|till) (?:\w+ ){0,3}?(?:raw|bleeding|bloody)\b|\bpick(?:ing|ed)? at my (?:skin|scabs|arms|face)\b[^,]{0,30}?\bon purpose\b", needs_self=True, accidents_excuse=True),
    _r("cut_too_deep", _S, r"\bcut (?:too|very|really|so) deep\b|\bblood everywhere\b", accidents_excuse=True),
    _r("many_tablets", _S, rf"\b(?:took|taken|swallowed|had) (?:\d{{2,}}|ten|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|[a-z]+teen|[a-z]+ty)(?: \w+)? {_MEANS}\b", needs_self=True),
    _r("made_myself_bleed", _S, r"\b(?:made|make|making) myself (?:bleed|bruise|burn)\b"),
    _r("purging", _S, r"\b(?:make|made|making) myself (?:throw up|be sick|sick|vomit|puke)\b"),
    _r("cutting_bare", _S, r"\b(?:used to|started|start|back to|been|keep|kept) (?:cutting|cut)\b(?= *(?:$|again|when|whenever|if|every|at night|myself|(?:\w+ )?(?:years?|months?|weeks?) ago|as a))", needs_self=True),
    _r("took_too_many", _S, rf"\b(?:took|take|taken|swallowed|swallow|taking) (?:like |um |uh |just )?(?:too many|a lot of|a load of|lots of|a fistful of|all (?:of )?(?:my|the)|a handful of|loads of|a bunch of|the rest of my|the whole (?:box|bottle|packet) of) (?:\w+ ){{0,2}}?{_MEANS}\b", accidents_excuse=True, needs_self=True),
    # Intent to harm others.
    _r("harm_someone", _O, rf"\b(?:want|wanted|going|plan|planning|intend|ready|about|need|would like|could|might|tempted|try|trying) to (?:kill|murder|hurt|stab|shoot|strangle|choke|beat up|poison|attack|harm|punch|smother) {_VICTIM}\b"
       rf"|\b(?:could|might|will|would|going to) (?:kill|murder|stab|shoot|strangle|choke|poison|smother) {_VICTIM}\b", needs_self=True, hyperbole_excuses=True),
    _r("violent_thoughts", _O, rf"\b(?:thoughts|think|thinking|thought|dreams?|urges?|fantasies|fantasi[sz]e|fantasi[sz]ing|imagining|imagine|picture|picturing) (?:of |about )?(?:hurting|killing|stabbing|shooting|strangling|harming|drowning|smothering|poisoning|attacking|choking) {_VICTIM}\b", needs_self=True),
    _r("weapon_to_school", _O, r"\b(?:bring|take|bringing|taking|brought|carry|carrying) (?:a |my |the |(?:my|his|her) \w+ )?(?:knife|gun|weapon|bomb|machete)s? (?:(?:to|into) (?:school|work|class|the office|college|church|the party)|in)\b", needs_self=True),
    _r("use_it_on_myself", _I, r"\buse (?:it|them|that|the \w+|a \w+) on myself\b"),
    _r("shook_the_baby", _O, r"\b(?:shook|shaking|shake) (?:the|my) (?:baby|child|son|daughter|kid|toddler)\b", needs_self=True),
    _r("could_hurt_someone", _O, r"\b(?:could|might|will|would|going to) (?:really |actually |seriously )?(?:hurt|harm) (?:someone|somebody|people|anyone)\b", needs_self=True),
    _r("push_someone", _O, r"\b(?:push|pushing|shove|shoving|throw|throwing) (?:someone|somebody|people|him|her|them|a stranger|my \w+) (?:in front of|off|under|onto|down) (?:a |the )?(?:train|car|bus|bridge|tracks|stairs|cliff|roof|balcony|traffic)\b", needs_self=True),
    _r("afraid_i_might_hurt", _O, rf"\b(?:afraid|scared|worried|terrified|frightened) (?:that )?i (?:might|will|could|am going to|would) (?:hurt|harm|kill|smother|shake|drown) {_VICTIM}\b"),
    _r("arson", _O, r"\b(?:set fire to|burn down|torch|firebomb) (?:my |his |her |their |the )?(?:\w+ )?(?:house|flat|home|car|school|office|place)\b|\bburn (?:his|her|their|the|my \w+) (?:\w+ )?(?:house|flat|home|car|school|office|place) down\b", needs_self=True),
    _r("use_it_on", _O, rf"\buse (?:it|them|the knife|the gun|a knife|a gun) on {_VICTIM}\b|\bshoot up (?:the |my |a )?(?:school|office|work|class|college|church|mall|party|place)\b|\b(?:want|wish|wanted) {_VICTIM} dead\b", needs_self=True),
    _r("make_them_suffer", _O, rf"\bmake {_VICTIM}(?: \w+){{0,3}}? suffer\b", needs_self=True),
    _r("beat_out_of", _O, rf"\b(?:beat|kick|knock) the (?:hell|shit|crap|life|living daylights) out of {_VICTIM}\b", needs_self=True),
    # Being in danger or abused.
    _r("abuser_acts", _D, rf"(?:\b{_ABUSER} (?:\w+ ){{0,4}}?|\b(?:and|then) ){_ABUSE_VERB} (?:my \w+(?: \w+)? and )?(?:me|us)\b(?! (?:on|back on) (?:instagram|twitter|tiktok|facebook|social media|snapchat|x)\b)(?! (?:at|in|to|on) (?:monopoly|chess|cards|games?|the game|a race|tennis|football|it|the punch|home)\b)", open_middle=True),
    _r("threatened", _D, r"\b(?:threatened|threatens|threatening|threaten|promised|swore) (?:that )?(?:to |he would |she would |he will |she will |they will |they would |he is going to |she is going to )?(?:kill|hurt|murder|beat|stab|shoot) (?:(?:himself|herself|themselves) and )?(?:me|us|my (?:kids|children|family|mum|mom|dog|cat|baby)|the kids|the children)\b"),
    _r("afraid_of_them", _D, r"\b(?:afraid|scared|terrified|frightened|fear|worried) (?:that )?(?:he|she|they|my \w+) (?:will|would|might|is going to|could|may) (?:kill|hurt|beat|attack|find) (?:me|us|the kids|my \w+)\b"),
    _r("if_i_leave", _D, r"\bif i (?:leave|left|tell|told|go|went|call|called|try to leave|report)\b[^,]{0,25}?\b(?:he|she|they)(?: will| would| is going to)? (?:kill|hurt|beat|take)\b"),
    _r("scared_to_go_home", _D, r"\b(?:scared|afraid|terrified|frightened|fear) (?:to go|of going) (?:back )?home\b|\b(?:scared|afraid|terrified|fear|fearing|frightened) for my (?:life|safety)\b"
       rf"|\b(?:scared|afraid|terrified|frightened) (?:to be|of being) (?:at home |home |alone )?with (?:him|her|them|my {_PEOPLE})\b"),
    _r("not_safe", _D, rf"\b(?:not|never|no longer) (?:feel )?safe (?:at home|here|with (?:him|her|them|my {_PEOPLE})|in my (?:own )?(?:home|house))\b", negatable=False),
    _r("comes_in_my_room", _D, rf"\b{_ABUSER} (?:comes|came|gets|got|climbs|sneaks|keeps coming) (?:in|into) (?:my|the) (?:room|bed|bathroom|shower)\b(?=[^,]*\b(?:at night|when (?:everyone|nobody|no one) (?:is )?(?:asleep|home|around|here)|when mum|when my mum)\b)"),
    _r("hiding_from", _D, rf"\b(?:hiding|hid|hide|locked myself)\b[^,]{{0,30}}?\b(?:from (?:him|her|them|my {_PEOPLE})|because (?:he|she|they))\b|\b{_ABUSER} (?:is |are |keeps |was )?(?:smashing|breaking|throwing|punching) (?:things|stuff|everything|the walls?|doors?|plates)\b", needs_self=True),
    _r("controls_my_money", _D, rf"\b{_ABUSER} (?:controls?|takes?|took|keeps?) (?:all )?(?:of )?my (?:money|bank card|phone|passport|keys)\b|\bi am not allowed (?:out|to (?:leave|go out|see (?:my )?(?:friends|family)|have (?:my own )?money))\b", context=r"\b(?:husband|wife|partner|boyfriend|girlfriend|carer|he|she)\b"),
    _r("armed", _D, r"\b(?:he|she|they|someone|somebody) (?:has|has got|is holding|is carrying|got|had|pulled|pulled out|is waving) (?:a |the )?(?:knife|gun|weapon|bat|machete|axe)\b"),
    _r("forcing_himself", _D, r"\bforc(?:es|ed|ing) (?:himself|herself|themselves) on me\b|\b(?:sexually )?(?:assaulted|harassed|molested|raped) me\b"),
    _r("forced_labour", _D, r"\b(?:forc(?:es|ed|ing)|making) me (?:to )?(?:work|sell|steal|do things)\b|\b(?:took|taken|keeps|kept|will not give me|would not give me) (?:back )?my (?:passport|papers|documents)\b"),
    _r("wont_let_me", _D, rf"\b{_ABUSER} (?:will not|does not|would not|never) let me (?:leave|see (?:my )?(?:friends|family)|have (?:my )?(?:phone|money|keys)|talk to anyone|out of (?:his|her|their) sight)\b"),
    _r("terrified_of", _D, r"\b(?:terrified|scared|afraid|frightened|petrified) of (?:my (?:husband|wife|partner|boyfriend|girlfriend|ex|dad|father|mum|mom|mother|stepfather|stepdad|stepmother|stepmum|uncle|brother|sister|carer)|him|her)\b(?! (?:reaction|finding|being|getting|opinion|health|judging|thinking|seeing|knowing|disappointment|leaving|dying)\b)"),
    _r("coming_for_me", _D, r"\b(?:he|she|they|someone|somebody|my (?:husband|wife|partner|boyfriend|girlfriend|ex)) (?:will|is going to|is gonna|would|is coming to|keeps? (?:\w+ ){0,4}?(?:he|she|they) will) (?:get|find|kill|hurt|come for|come after) me\b(?! (?:a|an|some|the|one|something|home|there|to|from|in|out|up|back|coffee|food|lunch|dinner|tea)\b)"),
    _r("intruder", _D, r"\b(?:someone|somebody|a man|a woman|a guy|people|he|she) (?:is |are |keeps )?(?:trying to (?:get|break) in|breaking in|outside (?:my|the) (?:door|house|flat|window|room))\b"
       r"|\b(?:someone|somebody|a man|a woman|a guy|people|they) (?:is |are |keeps |keep )?(?:trying|rattling|testing|forcing) (?:the|my|our) (?:windows?|doors?|door handle|handle|back door|front door|locks?)\b"),
    _r("break_in", _D, r"\b(?:someone|somebody|a man|he|she|they|people) (?:has )?(?:broke|broken|breaking|is breaking|is trying to break) into (?:my|the|our) (?:house|flat|home|room|apartment)\b", context=r"\b(?:hiding|hide|scared|terrified|afraid|right now|still here|inside|help)\b"),
    _r("followed", _D, rf"\b(?:someone|somebody|a man|a guy|a woman|a stranger|he|she|they|people|my {_PEOPLE}) (?:is |are |keeps |has been |was )?(?:following|followed|stalking|stalked|chasing|chased) me\b(?! (?:on|back on) (?:instagram|twitter|tiktok|facebook|social media|snapchat|x)\b)"),
    _r("i_am_not_safe", _D, r"\bi am not safe\b(?! (?:to drive|driving|at driving|on the roads|in the kitchen)\b)|\bi do not feel safe\b(?! (?:driving|at work about|in the water|swimming)\b)", negatable=False),
    _r("looking_for_me", _D, r"\b(?:he|she|they|someone|my ex) (?:is|are) (?:looking|hunting|searching) for me\b", context=r"\b(?:not safe|scared|afraid|hiding|terrified|ran away|escaped|frightened|shelter)\b"),
    _r("in_danger", _D, r"\bi (?:am|feel|might be|think i am|could be) in danger\b"),
    _r("being_abused", _D, r"\bi am being (?:abused|hurt|beaten|hit|raped|threatened|stalked|followed|trafficked|blackmailed|groomed)\b"),
    _r("trapped_with", _D, rf"\btrapped (?:with|in the house with|at home with) (?:someone|him|her|them|my {_PEOPLE})\b"),
    _r("abusive_relationship", _D, rf"\b(?:abusive|violent) (?:relationship|home|{_PEOPLE})\b", needs_self=True),
    # Round 12 (from the misses of set 12 and the dev sets): families of phrasings, not single lines.
    _r("god_take_me", _I, r"\b(?:lord|god|jesus|heaven|the man upstairs)\b[^,]{0,25}?\b(?:take|taking|took|call|calls|calling) me (?:home|away|now|already|soon|tonight|in my sleep)\b|\b(?:made|make|making) (?:my )?peace with (?:god|the lord|dying|death|leaving)\b[^,]{0,40}?\bready to go\b", needs_self=True),
    _r("no_sense_sticking_around", _I, r"\b(?:sense|point|reason|use) (?:in |of )?(?:sticking|stickin|staying|hanging|being) (?:around|about|here) (?:no|any) ?more\b|\b(?:not|no longer) (?:want|wanting) to (?:be|stay|stick) (?:a person|around|about|on this earth|in this world)\b|\b(?:love|prefer) to (?:just )?(?:not exist|stop existing|not be alive|not be here)\b|\bwant(?:s|ing)? to not (?:exist|be alive|be here any ?more|be a person|be around any ?more|live|wake up)\b", negatable=False, needs_self=True),
    _r("finish_myself", _I, r"\b(?:finish|finishing|finished|do|doing|did) myself in\b|\bfinish(?:ing)? myself\b(?! off (?:the|my) (?:work|essay|homework|meal|plate)\b)"),
    _r("live_or_die", _I, r"\b(?:do not|stopped|stop|no longer|not) car(?:e|ing) (?:if|whether) i (?:live|die|wake up|am alive|make it)\b|\b(?:live|living) or (?:die|dying)\b[^,]{0,20}?\b(?:do not care|does not matter|no difference|whatever)\b", negatable=False),
    _r("death_would_be_kind", _I, r"\b(?:death|dying|being dead|not waking up)\b(?: \w+){0,3}? (?:a mercy|merciful|a blessing|a gift|a kindness|a release)\b|\bonly (?:peace|relief|rest|escape)\b[^,]{0,30}?\b(?:being dead|dying|death|not being here|not existing)\b", needs_self=True),
    _r("tired_of_fighting", _I, r"\b(?:tired|sick|weary|exhausted) of (?:fighting|trying|struggling|having) to (?:stay alive|live|keep going|go on|keep myself alive|survive)\b|\b(?:do not|can not|no longer) (?:want|wanting) to (?:hang|hold) on\b", negatable=False, needs_self=True),
    _r("so_i_do_not_have_to", _I, r"\b(?:hop\w*|wish\w*|pray\w*|want)\b[^,]{0,40}?\bso (?:that )?i (?:do not|would not|will not|never) have to (?:do this any ?more|be here|live|go on|carry on|wake up|exist)\b(?! (?:at|for|in|on|with|early|until|till)\b)"),
    _r("one_step", _I, r"\bhow easy (?:it would be|one step would be|it would be to (?:step|jump|let go|fall|end it))\b|\b(?:one|a single|just one) step\b[^,]{0,20}?\b(?:off|over|forward|and it is over)\b", needs_self=True, context=r"\b(?:platform|edge|bridge|roof|ledge|cliff|tracks|train|balcony|window|high)\b"),
    _r("disappeared_for_good", _I, r"\b(?:disappeared|vanished|was gone|were gone) (?:for good|forever|for ever|permanently)\b[^,]{0,40}?\b(?:want|wanting|wish|like|prefer|starting to)\b|\bwants? out for good\b", needs_self=True),
    _r("done_with_world", _I, r"\b(?:world|life|everyone) is done with me\b|\bi am done with (?:the world|this world|it all|everything|all of it|everyone)\b(?! (?:today|on|in|at|from|for|i|we|you|that|this)\b)"),
    _r("reason_not_to", _I, r"\b(?:waiting for|looking for|give me|need|find|found|cannot find|can not find) (?:a|one|any) (?:good )?reason not to (?:do it|end it|go through with it|kill myself)\b"),
    _r("another_birthday", _I, r"\b(?:no wish|no desire|do not want|not want|never want|not going) to (?:see|make it to|reach|have) another (?:birthday|christmas|year|summer|winter|day|morning|week)\b(?! (?:like|of|at|in|with|without)\b)", negatable=False, needs_self=True, travel_excuses=True),
    _r("not_coming_back", _I, r"\b(?:think|thinking|thought|wonder|wondering) (?:about )?(?:just )?not coming back\b", needs_self=True, context=r"\b(?:truck|car|woods|river|sea|lake|field|bridge|cliff|alone|night|nights|field|forty|drive)\b", travel_excuses=True),
    _r("researching_means", _P, rf"\b(?:looked up|looking up|look up|googled|googling|searched|searching|researched|researching|checking|checked|worked out|working out|figured out|figuring out|calculated|reading up on)\b[^,]{{0,30}}?\b(?:tallest|highest|lethal|fatal|how (?:many|much) (?:of )?(?:my |the )?{_MEANS}|(?:how|when) (?:the |to get onto the )?(?:roof|bridge|top floor)|least painful|painless)\b", needs_self=True, context=r"\b(?:roof|jump|die|dying|end|kill|open|overdose|lethal|fatal|enough|take|do it|myself)\b"),
    _r("quickest_way", _P, r"\b(?:quickest|fastest|least painful|most painless|surest)\b[^,]{0,30}?\b(?:with|using|by) (?:the |a |my )?(?:shotgun|gun|rifle|revolver|pistol|rope|pills|tablets|exhaust)\b", needs_self=True),
    _r("not_to_catch_one", _P, r"\bnot to (?:catch|get on|board|ride) (?:one|it|the train|a train|the bus)\b"),
    _r("picked_the_date", _P, r"\b(?:picked|chosen|chose|set|written down|wrote down|decided on|marked|circled) (?:a |the )?(?:date|day|spot|place)\b(?! (?:for|of) (?:the |our |my )?(?:wedding|party|meeting|interview|holiday|trip|move|exam|appointment|dinner|date|picnic)\b)", needs_self=True, context_excludes=r"\b(?:wedding|party|meeting|interview|holiday|trip|moving|exam|appointment|dinner|picnic|birthday|anniversary|calendar|diary|shift|deadline|launch|opening)\b", context=r"\b(?:to do it|for it|that is when|that is the day|it is the \w+|it will be|when i will|cliff|bridge|edge|roof|tracks|woods|river)\b"),
    _r("enough_saved", _P, r"\b(?:saved|saving|stockpiled|stockpiling|hoarded|hoarding|collected|collecting|stashed|stashing|filled|filling|kept|keeping|put by|squirrelled)\b[^,]{0,40}?\b(?:enough|so i (?:would|will|can|could) have enough)\b", needs_self=True, context=rf"\b(?:{_MEANS}|prescriptions?|to do it)\b"),
    _r("take_the_lot", _P, r"\b(?:take|taking|swallow|swallowing|going to take|down) (?:the lot|them all|all of them|the whole lot|every (?:last )?one of them|the whole (?:bottle|box|packet|pack))\b", needs_self=True, context=rf"\b(?:tonight|asleep|alone|{_MEANS}|bottle|box|packet|end it|die|sleep|forever)\b"),
    _r("for_after", _G, r"\b(?:passwords?|bank (?:details|stuff|cards?|accounts?)|pin (?:numbers?|codes?)|life insurance)\b[^,]{0,50}?\bfor (?:after|when i am gone|when i am not here|after i am gone|after i go)\b(?! (?:the|this|that|school|work|dinner|lunch|christmas|the holidays|the move|the wedding)\b)"),
    _r("letters_each", _G, r"\b(?:left|written|wrote|writing|leaving) (?:a )?(?:letters?|notes?|cards?) (?:for|to) (?:each|every one|everyone|all) of (?:the|my) (?:kids|children|family|grandkids|boys|girls)\b"),
    _r("affairs_in_order", _G, r"\b(?:sorted|made|wrote|written|updated|finished|signed) (?:out )?(?:my|the) will\b[^.]{0,80}?\b(?:given|gave|giving|rehomed|in order)\b", needs_self=True),
    _r("last_time_we_talk", _G, r"\b(?:last|final) time (?:we|i) (?:talk|speak|will talk|will speak|see each other|chat)\b(?! (?:about|before|until|till|for (?:a while|now|the holidays)|this (?:week|year))\b)", context_excludes=r"\b(?:holiday|holidays|before|until|next|summer|christmas|break|vacation|moving|new therapist|counsellor|back in)\b"),
    _r("rang_to_say_goodbye", _G, r"\b(?:rang|called|phoned|texted|messaged|visited|saw) (?:everybody|everyone|all of them|my family|the family|each of them|all my)\b[^,]{0,30}?\bto say (?:goodbye|bye|my goodbyes)\b", travel_excuses=True, context_excludes=r"\b(?:moved|move|moving|emigrat\w*|left for|leaving for|flight|new job|holiday|retire|retiring|retired)\b"),
    _r("pull_out_hair", _S, r"\b(?:pull|pulled|pulling|rip|ripped|ripping|tear|tore|tearing|yank|yanked|yanking) (?:out )?(?:chunks|clumps|handfuls|bits|strands) of my (?:hair|eyelashes|eyebrows)\b", needs_self=True),
    _r("for_the_bad_nights", _S, r"\bfor (?:the )?(?:bad|hard|worst|dark|rough) (?:nights|days|times|moments|ones)\b", needs_self=True, context=r"\b(?:razor|blade|blades|knife|lighter|pills|tablets|sharpener)\b"),
    _r("punched_the_wall", _S, r"\b(?:punched|hit|kicked|smashed|banged) (?:the |a )?(?:\w+ )?(?:wall|door|mirror|window)\b[^,]{0,20}?\b(?:on purpose|deliberately|to feel|to punish|to hurt myself)\b", needs_self=True),
    _r("make_them_pay_armed", _O, rf"\bmake {_VICTIM} pay\b(?! (?:for|back) (?:the|my|it|damage|repairs|rent|bills?|dinner|lunch|drinks)\b)", needs_self=True, context=r"\b(?:bat|knife|gun|weapon|axe|machete|i know where|i mean it|going over|waiting for)\b"),
    _r("snap_and_hurt", _O, rf"\b(?:snap|lose it|lose control)\b[^,]{{0,10}}?\b(?:and|then) (?:hurt|kill|strangle|choke|stab|hit|shake|smother|attack) {_VICTIM}\b", needs_self=True),
    _r("finish_them", _O, r"\b(?:finish|finishing) (?:him|her|them)(?: off)?\b(?! (?:off )?(?:the|his|her|their|a) \w+)", needs_self=True, hyperbole_excuses=True, context=r"\b(?:lives|live|going over|kill|knife|gun|bat|hurt|dead|mean it)\b"),
    _r("hurt_people_who", _O, r"\b(?:going to|gonna|will|want to|plan to) (?:hurt|kill|harm|attack) (?:the )?(?:people|person|ones|man|men|woman|guy|lads) who\b", needs_self=True, hyperbole_excuses=True),
    _r("held_me_down", _D, rf"\b{_ABUSER} (?:\w+ ){{0,2}}?(?:held|holds|holding|pinned|pins|pinning|tied|ties) me (?:down|up|against)\b", open_middle=True),
    _r("kicking_the_door", _D, rf"\b{_ABUSER} (?:is |are |keeps |was )?(?:kicking|banging|pounding|hammering|smashing|trying to (?:kick|break|get) (?:in|down|through)) (?:on |at )?(?:the |my )?(?:door|window)\b", context=r"\b(?:hiding|hide|locked|scared|terrified|afraid|help|bathroom|bedroom|wardrobe|cupboard)\b"),
    # Round 13 (from the misses of set 13): families again, not lines.
    _r("unalive", _I, r"\b(?:unalive|unaliving|unalived) (?:myself|me)\b|\b(?:want|going|gonna|need) to (?:unalive|kms)\b|\bsewer ?slide\b", needs_self=True),
    _r("future_without_me", _I, r"\b(?:no|not any|not one) (?:version of (?:the|my) )?future (?:that has|with|where|that includes|that needs) me\b|\bfuture (?:does not|will not) (?:have|include|need) me\b", negatable=False),
    _r("not_growing_old", _I, r"\b(?:can not|do not|could not|never) (?:see|imagine|picture) (?:myself|me) (?:getting|growing|being) (?:older|old)\b|\b(?:make it|live) to (?:thirty|forty|twenty|fifty|\d{2}|next year|my next birthday)\b[^,]{0,25}?\b(?:do not want to|hope not|and i do not (?:want|care))\b|\bmeant to (?:die|leave this world|go young|die young)\b", negatable=False, needs_self=True),
    _r("want_out", _I, r"\bi (?:just )?(?:want|need) out\b(?! of (?:the|this|my) (?:job|contract|deal|relationship|marriage|house|flat|lease|group|team|course|class)\b)", needs_self=True, context=r"\b(?:done|tired|better|any ?more|life|living|enough|give up|waiting)\b"),
    _r("worth_more_dead", _I, r"\bworth more (?:dead|gone|to them dead) (?:than alive)?\b|\b(?:life insurance|insurance) (?:is|would be|will be) worth more than (?:i am|me)\b", needs_self=True),
    _r("for_me_not_to_be", _I, r"\bfor me to (?:just )?(?:not be (?:here|around|alive)|be gone|disappear|stop existing|die)\b(?! (?:for|on|at|when|tomorrow|tonight|next|this|by|before|after|until|till)\b)", needs_self=True, travel_excuses=True),
    _r("dying_sounds_good", _I, r"\b(?:dying|death|being dead|not waking up|not existing|going to sleep forever)\b (?:sounds|seems|looks|feels) (?:so |really |quite |kind of )?(?:nice|good|lovely|peaceful|appealing|tempting|easy|restful|like a (?:holiday|rest|break|relief|gift))\b", needs_self=True),
    _r("plane_goes_down", _I, r"\b(?:hop\w*|wish\w*|pray\w*)\b[^,]{0,20}?\b(?:the|my) (?:plane|flight) (?:goes down|crashes|falls|comes down)\b", needs_self=True),
    _r("dose_would_do_it", _P, rf"\b(?:dose|amount of {_MEANS}|how many {_MEANS}|which {_MEANS})\b[^,]{{0,25}}?\b(?:would|will|it would take to|it takes to) (?:do it|do the job|be fatal|kill me|finish me)\b", needs_self=True),
    _r("so_no_one_finds_me", _P, r"\bso (?:that )?(?:no one|nobody|the kids|my (?:kids|family|mum|mom|wife|husband|partner|parents)) (?:finds|will find|would find|has to find|have to find) me\b"),
    _r("not_his_fault", _G, r"\b(?:make sure|please (?:tell|let)|tell)\b[^,]{0,30}?\b(?:knows?|understands?|that)\b[^,]{0,10}?\b(?:none of this|this|it|any of this) (?:is|was) (?:not )?(?:his|her|their|your|anyone s|anybody s) fault\b", negatable=False),
    _r("explaining_everything", _G, r"\b(?:recorded|made|left|wrote|written|filmed) (?:a |my )?(?:video|message|voice note|voice message|letter|note|recording) for (?:my|the) \w+ (?:explaining (?:everything|why)|to explain (?:everything|why)|saying (?:sorry|goodbye))\b"),
    _r("sorry_i_could_not_stay", _G, r"\b(?:sorry|apologi[sz]e) (?:that )?i (?:could not|can not|could no longer|was not strong enough to) (?:stay|hold on|keep going|be stronger|do this any ?more|stick around|be here)\b(?! (?:longer|for|at|till|until|late|over|the night|the whole|to the end|and)\b)", needs_self=True, travel_excuses=True),
    _r("relapsed_self_harm", _S, r"\b(?:relapsed|slipped|slipped up|gave in)\b[^,]{0,15}?\b(?:cut|cutting|burned|burnt|burning|self harm\w*|hurt myself|hurting myself)\b", needs_self=True),
    _r("hand_in_the_flame", _S, r"\b(?:hold|held|holding|put|putting|press|pressed|pressing) my (?:hand|arm|fingers?|wrist|skin|palm) (?:over|in|on|under|against) (?:the |a )?(?:candle|flame|fire|stove|hob|iron|lighter|kettle|boiling water|radiator)\b[^,]{0,25}?\b(?:until (?:it|i) (?:hurts|burns|blisters|can not stand it|can not take it)|till (?:it|i) (?:hurts|burns|blisters|can not stand it|can not take it)|on purpose|to feel|to punish|because i deserve)\b", needs_self=True, accidents_excuse=True),
    _r("bleach_on_skin", _S, r"\b(?:scrub|scrubbing|scrubbed|wash|washing|washed|burn|burning|pour|pouring|poured)\b[^,]{0,15}?\bmy (?:skin|arms|body|hands|face|legs)\b[^,]{0,10}?\b(?:bleach|acid|boiling water|oven cleaner|a wire brush)\b", needs_self=True),
    _r("punishing_my_body", _S, r"\b(?:slam|slamming|slammed|shut|jam|jamming|trap|trapping)\b[^,]{0,5}? my (?:fingers?|hands?|arm|head)\b[^,]{0,20}?\b(?:in|against) (?:the |a )?(?:drawer|door|car door|wall)\b[^,]{0,30}?\b(?:when i (?:get|do|mess|make|fail|say)|to punish|on purpose|every time|because i deserve)\b", needs_self=True),
    _r("black_out_on_purpose", _S, r"\b(?:black out|blackout|pass out|knock myself out)\b[^,]{0,20}?\b(?:on purpose|deliberately|so i do not have to (?:feel|think))\b", needs_self=True),
    _r("drive_into_crowd", _O, r"\b(?:drive|driving|plough|plow|ploughing|plowing|crash|crashing) (?:my |a |the )?(?:car |van |truck )?(?:into|through) (?:a |the )?(?:crowd|people|pedestrians|protest|market|queue|group of people)\b", needs_self=True),
    _r("break_my_bones", _D, r"\b(?:he|she|they|my \w+) (?:said|says|told me|swore|threatened)\b[^,]{0,40}?\b(?:he|she|they) (?:will|would|is going to|are going to) (?:break|smash) my (?:legs|arms|neck|face|jaw|fingers|bones)\b"),
    _r("intruder_inside", _D, r"\bthere is (?:a man|a woman|someone|somebody|a stranger|a guy|a person|people) in (?:my|the|our) (?:house|flat|home|room|garden|apartment|kitchen|bedroom)\b", context=r"\b(?:right now|downstairs|upstairs|i can hear|hiding|scared|terrified|help|who should not|broke in)\b"),
    _r("watches_me_undress", _D, rf"\b{_ABUSER} (?:\w+ ){{0,2}}?(?:watches|watched|films|filmed|photographs|photographed|spies on|spied on|looks at) me (?:in the shower|in the bath|undress\w*|getting changed|naked|when i (?:shower|bathe|change|sleep))\b", open_middle=True),
    _r("makes_me_do_things", _D, rf"\b{_ABUSER} (?:\w+ ){{0,2}}?(?:makes|made|forces|forced|gets|got) me (?:to )?(?:do (?:things|stuff|sexual things)|touch) (?:to |for )?(?:him|her|them)\b", open_middle=True),
    # Round 15 (from dev15, a third author's set): a plan, means or timing said plainly, and indirect goodbyes.
    _r("not_picked_which_night", _P, r"\b(?:have not|not yet|still have not|just have not|not) (?:picked|chosen|decided|settled on) (?:which|what) (?:night|day|date|weekend)\b"),
    _r("timed_around_others", _P, r"\b(?:after|before|once|until) (?:\w+ ){0,3}?(?:wedding|birthday|christmas|exams?|graduation|holiday|funeral|party)\b[^,]{0,25}?\bso (?:i|it) (?:do not|does not|will not|would not) (?:ruin|spoil|wreck)\b"),
    _r("took_the_whole_supply", _P, rf"\b(?:took|taken|swallowed|downed|had|necked) (?:the |a |my |all (?:the |my )?)?(?:whole |hole |entire |full )?(?:bottle|box|packet|pack|strip|tub|lot)s? of (?:my )?{_MEANS}\b|\b(?:took|taken|swallowed|downed) (?:the |my )?(?:whole|hole|entire) (?:bottle|box|packet|pack|strip|tub)\b(?! of (?:wine|water|juice|vodka|whisky|whiskey|gin|rum|beer|prosecco|champagne|coke|soda|milk|cereal|chocolates?|biscuits|crisps|sweets|cough syrup|vitamins))", needs_self=True, context=r"\b(?:ago|just now|earlier|tonight|feel (?:sick|weird|strange|dizzy|funny)|all of them|on purpose|so i|to (?:die|end|sleep))\b"),
    _r("nobody_walks_in", _P, r"\bso (?:that )?(?:no one|nobody|none of them|they|she|he) (?:walks in|comes in|can stop me|will stop me|would stop me|interrupts|is (?:home|around|there)|finds out (?:in time|until))\b"),
    _r("high_enough", _P, r"\b(?:see|check|test|find out|know) (?:if|whether) (?:it|the \w+|that \w+) (?:is|was|would be|will be) (?:high|tall|deep|strong|fast) enough\b"),
    _r("drinking_poison", _S, r"\b(?:drinking|drank|drink|drunk|swallowing|swallowed|sipping|taking) (?:\w+ ){0,4}?(?:bleach|antifreeze|weed killer|weedkiller|rat poison|drain cleaner|disinfectant|paint thinner|pesticide)\b", needs_self=True, accidents_excuse=True),
    _r("the_razor_thing", _S, r"\b(?:did|done|doing|do) (?:the|that|my) (?:razor|razer|blade|cutting|cut|burning|lighter) thing\b", needs_self=True),
    _r("no_chance_to_say_it", _G, r"\b(?:because|as|since|cause|coz|cos) i (?:will not|would not|may not|might not|am not going to) (?:get|have) (?:the |a )?chance to\b"),
    _r("if_you_never_hear_from_me", _G, r"\bif (?:you|anyone|nobody|no one) (?:do not|does not|never|stop) (?:hear|hears|see|sees) (?:from )?me (?:again|after (?:today|tonight))\b"),
    _r("no_future_with_me_in_it", _I, r"\b(?:is not|there is no|can not see|do not see|can not picture|can not imagine) (?:a |any )?(?:version of |future |world |picture of )?[^,]{0,25}?\b(?:that has|that includes|with) me in it\b", negatable=False, needs_self=True),
    _r("why_i_get_to_live", _I, r"\bwhy i (?:get|deserve|should get|am allowed|still get) to (?:keep )?(?:breathing|living|be alive|live|stay alive|be here|survive)\b", negatable=False),
    _r("told_it_is_my_time", _I, r"\b(?:telling|tells|told|saying|says) me (?:it is|its|that it is) (?:my )?time to (?:come home|go home|go|leave|die|join (?:them|him|her))\b"),
    _r("give_them_what_they_want", _I, r"\b(?:give|giving) (?:them|him|her|everyone|you all) what (?:they|he|she|you) (?:want|wants|asked for)\b", context=r"\b(?:dead|better off without me|rather (?:have )?(?:a )?dead|gone|wish i (?:was|were) never born)\b"),
    # Round 16 (from set 16, a fourth author's set): dropped subjects ("cut again"), ASR spellings of means,
    # ending a treatment so that life ends, and goodbyes that hand someone over.
    _r("cut_again_bare", _S, r"^(?:and |then |just )?(?:i )?(?:cut|burned|burnt|scratched|hurt myself|used the (?:blade|razor|razer|knife|lighter))(?: myself)? again\b|\b(?:used|picked up|got out|took out) the (?:blade|razor|razer|blades|razors) again\b|\b(?:got|took|had) the (?:blade|razor|razer|blades|razors) out again\b", needs_self=True, accidents_excuse=True,
       context_excludes=r"\b(?:hair|haircut|barber|hairdresser|fringe|beard|grass|lawn|hedge|budget|costs|prices|wages|hours|pay|power|electricity|nails|paper|fabric|the top)\b"),
    _r("old_habit_back", _S, r"\b(?:the |my )?old habit (?:is|was|has come|came) back\b|\b(?:habit|urge) (?:is|has come) back\b", needs_self=True, context=r"\b(?:cut|cutting|blade|razor|burn|burning|bleed|scars?|marks|clean)\b"),
    _r("not_eating_to_punish", _S, r"\b(?:stopped|stop|stopping|quit|not) eating\b[^,]{0,20}?\b(?:on purpose|as (?:a )?punishment|to punish (?:myself|me)|because i deserve)\b", needs_self=True),
    _r("stop_treatment_to_die", _I, r"\b(?:stop|stopping|stopped|skip|skipping|miss|missing|quit|quitting|refuse|refusing) (?:taking )?(?:my |the )?(?:dialysis|insulin|meds|medication|heart pills|chemo|treatment|tablets|pills|injections)\b[^,]{0,25}?\bso (?:that )?(?:it|i|this|everything) (?:all )?(?:just )?(?:ends|end|die|dies|stops|stop|will end|would end|can end|can stop|will stop|am gone|do not wake up)\b", needs_self=True),
    _r("make_it_to_age", _I, r"\b(?:do not think i will|will not|am not going to|not going to|never going to|doubt i will|do not think i am going to) (?:\w+ )?make it to (?:\w+teen|\w+ty|\d{2}|next year|my next birthday|christmas|the summer|the end of the year)\b", negatable=False, needs_self=True, context=r"\b(?:do not want to|do not wanna|hope not|do not care|not meant to|want to die|no point)\b"),
    _r("switch_off_for_good", _I, r"\b(?:switch|turn|shut) (?:myself |me |it all |everything )?off\b(?! (?:my|the|your|his|her|it|that|this|notifications|from|at|after|when|for (?:a|the)|on)\b)|\bfade (?:away|out)\b", needs_self=True, context=r"\b(?:for good|forever|permanently|and never (?:come|wake|turn|switch) (?:back|on|up))\b"),
    _r("not_get_up_again", _I, r"\b(?:lie|lay) down\b[^,]{0,40}?\b(?:not|never) (?:get|wake|come) (?:up|back)(?: again)?\b(?! (?:till|until|before|for|at)\b)|\b(?:and|to) never (?:get|wake) up again\b", negatable=False, needs_self=True),
    _r("easier_to_be_dead", _I, r"\b(?:easier|better|simpler|kinder) (?:just )?(?:to be dead|to die|being dead|if i (?:just )?died|to not be alive|to not exist|to go than)\b"),  # impersonal: "it would be easier": the speaker
    _r("want_them_to_suffer_planned", _O, rf"\bwant {_VICTIM} to (?:suffer|die|pay|hurt|bleed)\b", needs_self=True, hyperbole_excuses=True, context=r"\b(?:worked out how|figured out how|planned|planning|i know where|following (?:him|her|them)|followed (?:him|her|them)|waiting for (?:him|her|them)|not joking|i mean it|gun|knife)\b"),
    _r("look_after_them_for_me", _G, r"\b(?:look after|take care of|keep an eye on|be there for) (?:\w+ ){1,3}?for me\b", travel_excuses=True, context=r"\b(?:you will (?:know|understand|see)|soon|after (?:tonight|today|this|the weekend|i am gone)|when i am gone|when i am not (?:here|around)|i will not be (?:here|around)|goodbye|for the last time)\b", context_excludes=r"\b(?:holiday|trip|away|hospital|conference|weekend away|surgery|operation|working|shift|while i)\b"),
    _r("will_not_be_needing_it", _G, r"\b(?:will not|would not|am not going to|not going to) (?:be )?need(?:ing)? (?:any of )?(?:it|them|this|that|these|those|my \w+|any of (?:it|this|that|them|these))\b[^,]{0,20}?\b(?:after (?:the weekend|tonight|today|this|friday|saturday|sunday|monday|tomorrow)|where i am going|for much longer|any ?more)\b", needs_self=True, context=r"\b(?:cancel\w*|paid off|pay off|gave away|given away|sold|closed|sorted|handed in|deleted)\b", context_excludes=r"\b(?:moving|emigrat\w*|holiday|upgrade|new (?:phone|job|house|flat|contract|one)|retir\w*|switching)\b"),
    _r("after_tonight_they_will_understand", _G, r"\bafter (?:tonight|today|tomorrow|this weekend|the weekend|i am gone|i go) (?:they|you|everyone|everybody|he|she|you all|my \w+) (?:will|would|are going to) (?:understand|know|see|get it|be free|be better off)\b|\byou (?:will|are going to) (?:know|understand|see) (?:what i mean|why) (?:soon|later|tomorrow)\b", context_excludes=r"\b(?:party|surprise|presentation|show|reveal|present|gift|announcement|results|exam|interview|match|game|wedding|proposal)\b"),
    _r("burden_better_gone", _I, r"\b(?:i am|am|i feel like|feel like|i feel) (?:a |the |such a |just a )?(?:burden|weight|load)\b(?! (?:off|lifted)\b)", needs_self=True, context=r"\b(?:better (?:to go|gone|off without me|if i (?:was|were) gone|dead)|to be gone|not be here|disappear|die|dead)\b"),
    # Round 17 (from set 17, a fifth author's set): where the person is now, what is at hand, notes and
    # last calls said plainly, marks hidden, and harm to others planned (said with a how or a place).
    _r("at_the_edge_now", _P, r"\bi am (?:\w+ ){0,5}?(?:at|on|by|over|near) the (?:edge|ledge|railing|parapet|top floor|roof)\b|\blooking (?:over|down) (?:the|from the) (?:edge|ledge|railing|parapet)\b|\bright at the edge\b", needs_self=True, context=r"\b(?:cliff|bridge|roof|multi storey|car park|top floor|balcony|tracks|now|tonight)\b", context_excludes=r"\b(?:photo|photos|selfie|view|sunset|hike|hiking|holiday|tourists?|fence|seat|chair|bed|sofa|table)\b"),
    _r("have_them_here", _P, r"\b(?:i have|i have got|i got|got) (?:them|it|the pills|the tablets|the rope|the gun|the knife|the blade) (?:here|with me|right here|next to me|in front of me|in my (?:hand|pocket|bag|car))\b", needs_self=True, context=rf"\b(?:box|{_MEANS}|prescription|rope|gun|knife|bottle|blade|ready|enough|of them|loaded)\b"),
    _r("counted_out", _P, r"\b(?:about|around|nearly|over|like|maybe|exactly) (?:\d{2,}|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred)(?: \w+)? (?:of them|pills|tablets)\b", context=rf"\b(?:{_MEANS})\b", context_excludes=r"\b(?:dosette|pharmacy|pharmacist|prescribed|stock|shelves|sorting|for (?:her|his|their|my \w+) (?:heart|pressure))\b"),
    _r("read_up_how", _P, r"\b(?:read up on|looked up|researched|googled|worked out|figured out|watched videos on) how to do it\b", needs_self=True, context=r"\b(?:charcoal|tent|rope|pills|tablets|exhaust|hose|gun|bridge|plan|garage|car)\b"),
    _r("letters_for_the_family", _G, r"\b(?:wrote|written|left|writing|finished) (?:some |the |a few )?(?:letters|notes)\b[^.]{0,30}?\b(?:for|to) (?:the|my) (?:kids|children|family|wife|husband|partner|parents|mum|mom|dad|boys|girls|sons|daughters)\b", needs_self=True, context=r"\b(?:drawer|someone to know|find them|in case|explain|after|when i am gone|envelope)\b", context_excludes=r"\b(?:christmas|birthday|thank you|school|teacher|santa|pen pal|holiday|lunch ?box|trip|camp)\b"),
    _r("bye_for_real", _G, r"\b(?:bye|goodbye) for real\b|\b(?:did not|does not|will not|would not|never) (?:know|realise|realize) it (?:was|is|would be) (?:goodbye|the last time)\b"),
    _r("hiding_the_marks", _S, r"\b(?:long sleeves|sleeves|hoodies?|jumpers?|plasters|bandages|make ?up|bracelets)\b[^.]{0,40}?\b(?:so (?:that )?(?:no one|nobody|people|they|my \w+) (?:sees|see|can see|notices|notice|asks|ask)|to hide|to cover)\b", needs_self=True, context=r"\b(?:marks|scars|cuts|burns|bruises)\b", context_excludes=r"\b(?:tattoo|tattoos|eczema|psoriasis|sunburn|rash|birthmark|mosquito|bites)\b"),
    _r("still_bleeding", _S, r"\b(?:has not|have not|will not|would not|does not|is not|can not get it to) stop(?:ped|ping)? bleeding\b", needs_self=True, accidents_excuse=True, context=r"\b(?:thighs?|arms?|wrists?|cut|cuts|blade|razor|stomach|deep)\b", context_excludes=r"\b(?:nose|nosebleed|gums|period|tooth|dentist|shaving|kitchen|knife slipped)\b"),
    _r("pillow_over_face", _O, r"\b(?:put|putting|hold|holding|press|pressing) (?:a |the )?pillow over (?:\w+ ){0,2}?face\b", needs_self=True),
    _r("run_them_over", _O, rf"\b(?:run|running|drive|driving|mow) (?:{_VICTIM}) (?:over|down)\b", needs_self=True, hyperbole_excuses=True, context=r"\b(?:waiting|parked|outside|now|engine running|when (?:he|she|they) (?:comes?|walks?) out)\b"),
    _r("not_around_in_years", _I, r"\b(?:plan|plan is|idea is|goal is) (?:is )?(?:not being|to not be|not to be) (?:around|here|alive)\b|\bnot (?:be|being) (?:around|here|alive) in (?:\w+ )?(?:years?|months?|weeks?)\b", needs_self=True, context=r"\b(?:not (?:actually |really )?joking|honestly|i mean it|five weeks|weeks)\b"),
    _r("happier_with_the_money", _I, r"\b(?:happier|better off|better|richer) with (?:the )?(?:insurance|life insurance|payout|money|insurance money) than (?:with )?me\b|\bthan with me (?:around|here|alive|in the picture)\b"),
    # Round 18 (from set 18, a sixth author's set): violence happening now (hands round the neck, a
    # threat of "you're next", a child hurt at home), harm planned with a means at hand, goodbyes
    # said by giving away what matters, and ideation said sideways ("check out for good").
    _r("what_am_i_still_here_for", _I, r"\b(?:can not|do not|could not) see what i am (?:even |still )*(?:here|alive|around|living) for\b|\bwhat am i (?:even |still )*(?:here|alive|around|living) for\b", negatable=False, needs_self=True,
       # the "here" named as a room: "what am i even here for, this meeting has no agenda"
       context_excludes=r"\b(?:this|the|that) (?:meeting|class|lecture|queue|party|interview|course|seminar|shift|call|training)\b"),
    _r("go_and_be_with_them", _I, r"\b(?:could|should|might|want to|would like to) (?:just )?(?:go|come) (?:and )?(?:be with|join) (?:him|her|them|my \w+)\b(?! (?:at|for|in|on|this|next|tomorrow|tonight|down|there|later|after|soon)\b)", needs_self=True,
       context=r"\b(?:died|passed|dead|death|funeral|grave|buried|ashes|put down|put to sleep|lost (?:him|her|them|my \w+))\b", clause_excludes=r"\b(?:grave|graveside|cemetery|crematorium|visit\w*|pub|party|holiday|trip)\b"),
    _r("jealous_of_the_dead", _I, r"\b(?:jealous|envious) of (?:him|her|them|the dead|the ones who|people who (?:died|did it|killed themselves))\b", needs_self=True,
       context=r"\b(?:hanging|hanged|hung (?:himself|herself|themselves)|suicide|killed (?:himself|herself|themselves)|took (?:his|her|their) (?:own )?life|jumped (?:off|in front)|is dead|are dead|died)\b"),
    _r("meant_every_line", _I, r"\bi (?:think i )?(?:really )?(?:meant|mean) (?:every|each) (?:single )?(?:line|word)\b", context=r"\b(?:suicide note|goodbye (?:note|letter|song))\b"),
    _r("go_quiet_for_good", _I, r"\b(?:check|clock|bow|tap|sign|log) out(?: of (?:life|it all))?\b(?! of)", needs_self=True, context=r"\b(?:for good|forever|for ever|permanently|of life|of it all|from (?:all of it|it all|everything|life))\b(?! (?:luck|measure|cause|reason)\b)",
       clause_excludes=r"\b(?:hotel|shift|rota|library|shop|work|job|office|account|app|website|server|game|till|checkout|retir\w*|pension|career)\b"),
    _r("working_up_to_it", _P, r"\bwork(?:ing|ed)? (?:myself )?up to (?:the next one|it|doing it|jumping|stepping (?:off|out|in front))\b|\blet(?:ting)? (?:the )?(?:fast|express|non stopping) trains (?:go )?(?:past|by)\b", needs_self=True,
       context=r"\b(?:platform|tracks|edge|bridge|cliffs?|ledge|roof|rail(?:way)? line|level crossing)\b", context_excludes=r"\b(?:spotting|photos?|photograph\w*|marathon|race|exam|interview)\b"),
    _r("enough_to_do_the_job", _P, r"\b(?:enough|plenty) (?:\w+ ){0,3}?to do (?:the job|it|me in|myself in)\b", context=rf"\b(?:{_MEANS}|rope|gun|blades?)\b"),
    _r("pressed_on_heat", _S, r"\b(?:hold|held|holding|put|putting|press|pressed|pressing) my (?:hand|arm|fingers?|wrist|skin|palm|thumb)s? (?:over|in|on|onto|under|against) (?:the |a )?(?:hot |burning |boiling |red hot )?(?:candle|flame|fire|stove|hob|iron|lighter|kettle|radiator|grill|oven|pan)\b", needs_self=True, accidents_excuse=True,
       context=r"\b(?:glad|deserved?|deserve it|on purpose|to punish|blister\w*|wanted (?:it|them) to (?:burn|hurt|blister))\b"),
    _r("hands_round_my_neck", _D, r"\b(?:put|puts|putting|had|has|got|wrapped|wraps|grabbed|grabs|squeezed) (?:his|her|their|both) hands (?:round|around|on) my (?:neck|throat)\b|\b(?:choked|strangled|throttled) me\b(?! up)"),
    _r("child_hurt_at_home", _D, r"\b(?:bruises?|marks|burns|welts|cuts)\b[^,]{0,30}?\bon (?:their|his|her|my (?:son|daughter|youngest|eldest|oldest|baby)) (?:arms?|legs?|back|face|body|neck|bottom)\b",
       context=r"\b(?:daddy|dad|mummy|mum|mommy|mom|he|she|stepdad|boyfriend|girlfriend|uncle|grandad) (?:did (?:it|that|this)|hit|hits|hurt|hurts|grabbed|grabs|smacked|beat)\b",
       context_excludes=r"\b(?:football|rugby|trampoline|playground|fell|tripped|climbing|bike|skating|game|match|training)\b"),
    _r("my_head_is_next", _D, r"\b(?:said|says|told me|swore|warned|screamed|shouted)\b[^,]{0,20}?\bmy head(?: is)? next\b"),
    _r("said_i_am_next", _D, r"\b(?:said|says|told me|swore|warned|screamed|shouted)\b[^,]{0,20}?\b(?:i am next|you are next|i would be next|i will be next|i am going to be next)\b",
       context=r"\b(?:smashed|hit|threw|threatened|hurt|kill\w*|punched|kicked|knife|gun|drunk|screaming|shouting)\b"),
    _r("scared_to_go_back_in", _D, r"\b(?:scared|afraid|terrified|frightened) (?:to go|of going) (?:back )?(?:in|inside|in there)$", needs_self=True,
       context=r"\b(?:smashed|hit|threw|screaming|shouting|drunk|threatened|next|hurt|punched|kicked)\b", context_excludes=r"\b(?:water|sea|pool|ocean|exam|hall|office|meeting|shop)\b"),
    _r("keeps_coming_into_my_room", _D, rf"\b{_ABUSER} (?:keeps coming|kept coming|comes|came|keeps getting|gets|got|sneaks|creeps) (?:in|into) (?:my|the) (?:room|bed|bathroom|shower)\b",
       context=r"\b(?:when (?:she|he|mum|my mum|mom|my mom|dad|my dad) (?:is )?(?:at work|out|away|asleep|not home|gone|on nights)|make (?:him|her|them) stop|do not want (?:him|her|them) to|touch\w*|locks? the door)\b"),
    _r("wrong_dose_on_purpose", _O, r"\b(?:giving|give|gave|slip|slipping) (?:him|her|them|a patient|the patient|my \w+) (?:the )?(?:wrong|extra|too much|a double|an extra) (?:dose|medication|meds|insulin|morphine)\b[^,]{0,25}?\b(?:on purpose|deliberately)\b|\b(?:poison|poisoning|overdose|overdosing) (?:him|her|a patient|the patient|my \w+)\b", needs_self=True,
       clause_excludes=r"\b(?:rats?|mice|mouse|slugs|weeds|pests|wasps|ants|moles|dog|cat|plants?)\b"),
    _r("take_us_all_out", _O, r"\b(?:take|taking) (?:us|them|the kids|the children|all of us) (?:all )?(?:out|with me)\b(?! (?:for|to|on|at|of|tonight|tomorrow|this|next)\b)", needs_self=True,
       context=r"\b(?:gets? the kids|custody|never find|courts?|she gets|he gets|take them somewhere|if (?:she|he) (?:leaves|takes))\b"),
    _r("brought_the_weapon", _O, r"\bi (?:have )?(?:brought|took|got|have got) (?:the|a|my) (?:hammer|knife|gun|bat|baseball bat|crowbar|axe|machete|shotgun|rifle)\b",
       context=r"\b(?:outside (?:his|her|their)|(?:his|her|their) (?:place|house|flat|work|office)|parked (?:up )?outside)\b"),
    _r("gave_away_what_matters", _G, r"\b(?:gave|given|giving|posted|sent|handed) (?:all )?(?:of )?my (?:\w+ )?(?:guitars?|medals?|ring|watch|tools|records|books|dog tags|camera|bike|paintings|instruments?|collection)\b[^,]{0,30}?\b(?:away|to (?:my|a|the) \w+)\b", needs_self=True, travel_excuses=True,
       context=r"\b(?:will not (?:be )?need(?:ing)? (?:them|it)\b(?! (?:today|tonight|tomorrow|this|for|until|till))|do not need (?:them|it) any ?more|it is time|where i am going|look after them)\b",
       context_excludes=r"\b(?:moving|upgrad\w*|new one|downsiz\w*|clear\w* out|declutter\w*|sold|charity shop|birthday|christmas|lend|lent|borrow)\b"),
    _r("hear_it_one_more_time", _G, r"\b(?:needed|wanted|need|want) (?:her|him|them|you|my \w+) to hear (?:it|that|me say (?:it|that)) (?:one (?:more|last|final) time|for the last time)\b", context=r"\b(?:loved|love (?:her|him|them|you))\b"),
    _r("nothing_left_to_sort", _G, r"\b(?:so|so that) there is nothing (?:left )?(?:for (?:anyone|anybody|them|my \w+) )?to (?:sort|sort out|deal with|clear|clear up|do)\b", needs_self=True, travel_excuses=True,
       context=r"\b(?:cancel\w*|deleted|tidied|cleared|sorted|gave away|given away|wrote (?:my|a) will|paid off)\b", context_excludes=r"\b(?:move|moving|landlord|tenants?|inspection|viewing|before we|when we|guests|party)\b"),
    # Round 19 (from set 19, a seventh author's set): means that arrived and where they are kept, acts
    # going on now, harm to others with a weapon and a time, a child at risk reported by a relative,
    # goodbyes said as errands and last requests, and ideation in new frames.
    _r("means_arrived_and_kept", _P, r"\bthe (?:rope|charcoal|helium|hose|ligature|noose|gun|shotgun|rifle) (?:came|arrived|got delivered|was delivered|is here)\b", needs_self=True,
       context=r"\b(?:in|behind|under) the (?:shed|garage|boot|wardrobe|bed|mower|loft|attic|drawer)\b|\bhidden\b|\bno one knows\b|\bnobody knows\b",
       context_excludes=r"\b(?:swing|climbing|climb|boat|tent|washing line|tree house|treehouse|dog lead|tug|gym|balloons?|party|barbecue|bbq|garden|allotment)\b"),
    _r("blade_at_hand_after_relapse", _S, r"\brelapsed\b", context=r"\b(?:blade|razor|cutting|cuts|self harm|burning myself|sh)\b",
       context_excludes=r"\b(?:drink\w*|alcohol|smok\w*|vap\w*|gambl\w*|bet\w*|pints?|beers?|wine)\b"),
    _r("doing_it_now", _S, r"\bi am doing it (?:right )?now\b", needs_self=True, context=r"\b(?:can not stop|while we (?:talk|are talking)|bleeding|blood|sorry)\b",
       context_excludes=r"\b(?:breath\w*|exercise|homework|stretch\w*|grounding|counting|walk\w*|journal\w*|writing|list|the thing you (?:said|suggested))\b"),
    _r("turning_up_with_a_weapon", _O, r"\bi am (?:turning up|going round|going over|showing up|coming round|coming over|going) (?:there |round |over )?with (?:the|a|my) (?:bat|baseball bat|knife|hammer|gun|crowbar|axe|machete)\b",
       context=r"\b(?:address|found (?:his|her|their|where)|outside|tonight|tomorrow|not trolling|not joking|i mean it)\b",
       context_excludes=r"\b(?:cricket|baseball|softball|rounders|practice|training|match|nets|club|team|game|tool ?box|diy|shelves|fence)\b"),
    _r("bringing_something_for_them", _O, r"\bi am (?:bringing|taking|carrying) something (?:in|with) (?:me|my (?:bag|pocket|coat|car))\b",
       context=r"\b(?:what is coming|(?:pay|paying) for (?:it|this|that)|regret it|get (?:him|her|them) back|sort (?:him|her|them) out)\b"),
    _r("comes_into_the_childs_room", _D, r"\b(?:he|she|they|(?:my|her|his|their) (?:\w+ )?(?:boyfriend|girlfriend|husband|partner|uncle|stepdad|stepfather|lodger|cousin|grandad)) (?:keeps coming|kept coming|comes|came|creeps|sneaks|goes) (?:in|into) (?:her|his|their) (?:room|bed|bathroom|shower)\b",
       context=r"\bmy (?:daughter|son|granddaughter|grandson|niece|nephew|little one|youngest|eldest|stepdaughter|stepson)\b[^,]{0,30}?\b(?:says|said|told me|tells me)\b|\bat night\b",
       context_excludes=r"\b(?:goodnight|good night|read (?:her|him|them)|story|check on|tuck\w*|nightmares?|monitor)\b"),
    _r("look_after_them_for_me", _G, rf"\blook after (?:my |the )?(?:{_PEOPLE}|dog|cat|kids|her|him|them) for me\b", travel_excuses=True,
       context=r"\bpromise me\b|\bwhen i am gone\b|\bafter i am gone\b",
       context_excludes=r"\b(?:while|until|till) i\b|\b(?:weekend|week|shift|appointment|surgery|operation|hospital|interview|holiday|trip|tonight)\b"),
    _r("errands_of_an_ending", _G, r"\bcancel(?:led|ling|ed)? (?:my |the )?(?:phone|phone contract|contract|subscriptions?|gym|lease|insurance|direct debits?)\b",
       context=r"\b(?:my will|wrote (?:a|my) will|sorted my will)\b[^.]*\bno point (?:paying|keeping|having)\b|\bno point (?:paying|keeping|having)\b[^.]*\bmy will\b",
       context_excludes=r"\b(?:moving|new (?:phone|provider|deal|contract|job)|switch\w*|cheaper|upgrad\w*|cost of living|saving money|skint|overdraft)\b"),
    _r("so_they_know_it_was_not_them", _G, r"\bso (?:they|she|he|you|everyone|my \w+) (?:know|knows|will know|understand|understands) it (?:was|is) not (?:their|her|his|your|anyone|anybody) fault\b",
       context=r"\b(?:messages?|letters?|notes?|goodbye)\b", context_excludes=r"\b(?:divorce|separat\w*|split|break ?up|broke up|moving out|custody)\b"),
    _r("a_move_that_is_not_happening", _G, r"\bbut i am not (?:really |actually )?(?:moving|going) anywhere\b",
       context=r"\b(?:new home for|rehom\w*|(?:gave|giving|given) (?:\w+ ){0,3}?away)\b"),
    _r("not_seeing_them_again", _G, r"\b(?:i will not|i am not going to|i will never) (?:be )?(?:seeing|see) (?:her|him|them|you|my \w+) again\b",
       context=r"\btell (?:her|him|them|my \w+) i (?:tried|love|loved|am sorry)\b|\btried my best\b",
       context_excludes=r"\b(?:mov\w*|emigrat\w*|broke up|break ?up|divorce|restraining|blocked|custody|court|visa|deport\w*)\b"),
    _r("hoping_something_hits_me", _I, r"\b(?:hoping|hope|wish|wishing|praying|pray) (?:a|the|some) (?:lorry|truck|bus|train|car|van) (?:takes me out|would take me out|hits me|would hit me|runs me over|would run me over|ploughs into me)\b", negatable=True),
    _r("pretending_i_want_to_live", _I, r"\b(?:sick|tired) of pretending (?:that )?i (?:want|wanna) to (?:be here|be alive|live|stay|keep going)\b", needs_self=True),
    _r("life_back_if_i_was_gone", _I, r"\b(?:get|have|got) (?:her|his|their|a) (?:life|lives|freedom) back if i (?:was|were|am) (?:gone|dead|not here|not around)\b"),
    _r("old_self_wishing_not_here", _I, r"\bbetter than (?:a|an) (?:\w+ ){0,3}?(?:woman|man|mum|mother|dad|father|gran|granny|grandad|grandma|nan|lad|girl) who (?:\w+ ){0,4}?wish(?:es|ing)? (?:she|he) (?:was|were) (?:not here|not alive|dead|gone)\b"),
    _r("done_with_that_and_living", _I, r"\bi am (?:so )?done with [^,]{0,30}? and (?:done with )?(?:life|living|it all|being alive|existing)\b"),
    _r("lights_not_back_on", _I, r"\bdo not want (?:anyone|anybody|you|them|someone) to (?:switch|turn|put) (?:them|it|the lights?) back on\b", context=r"\blights? (?:are|is) going out\b"),
)
