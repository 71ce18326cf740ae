"""Every sentence the Demo therapist can say, in one place: several phrasings per move so a session
never says the same sentence twice. Templates take the person's own words: {feeling}, {situation},
{words}, {topics}, {feelings}, {step}.

The acknowledgements, greetings and the crisis lines have no slots: they are the first sentence of
a reply, and the engine synthesizes them ahead of time (`CACHEABLE`), so a reply starts at once.
"""

from __future__ import annotations

GREETINGS = (
    "Hello, I'm glad you're here. I'm an AI companion, not a human and not a licensed therapist, "
    "and I'm here to listen. What brings you here today?",
    "Hi, welcome. I'm an AI companion, not a human and not a licensed therapist, so please treat this as "
    "self-help. What brings you here today?",
    "Hello. Before we start, I'm an AI companion, not a human and not a licensed therapist. "
    "I'm here to listen without judgement. What brings you here today?",
)

# Said when asked for a response with nothing new to answer (a silent start, a restored session).
PROMPTS = (
    "I'm still here, and there's no rush. What's on your mind?",
    "Take your time. Whenever you're ready, tell me what's going on.",
    "I'm listening. Where would you like to start?",
    "No hurry at all. What would feel useful to talk about?",
    "I'm here whenever you want to pick this up again. What comes to mind?",
    "Whenever you're ready. What would you like to share?",
)

# Neutral: fit whatever was said. HARD_ACKS only follow a hard feeling or a hard situation.
ACKNOWLEDGEMENTS = (
    "I hear you.", "Thank you for telling me.", "That makes sense.", "I'm with you.", "Thank you for sharing that.",
    "I appreciate you saying that.", "Okay, I'm following.", "Mm, I see.", "Thanks for putting that into words.",
    "I'm glad you said that.", "Right, I understand.", "That helps me understand.", "Thank you, that's helpful.",
    "I see what you mean.", "Thank you for being open.", "I'm listening.", "I get that.", "Thank you for staying with this.",
    "I'm following you.", "That's honest of you.", "Go on, I'm here.", "Okay, thank you.", "Thanks for explaining.",
    "I can follow that.", "That's useful to know.", "Good, thank you.", "Mm, okay.", "Thank you for going into it.",
    "I understand.", "Thanks, that paints a picture.", "Alright, I'm with you.", "I'm taking that in.",
)
HARD_ACKS = (
    "That sounds hard.", "That sounds like a lot.", "That's really understandable.", "That's a lot to hold.",
    "That sounds tiring.", "It makes sense you'd feel that way.", "You're not alone in that.", "That sounds painful.",
    "That sounds heavy.", "That sounds difficult.", "That sounds uncomfortable.", "I can see why that's hard.",
    "That's worth taking seriously.", "I'm sorry it's been like this.", "That can wear anyone down.",
)
GOOD_ACKS = (
    "I'm glad to hear that.", "That's good to hear.", "That's a real shift.", "Good, that matters.",
    "I'm pleased for you.", "That sounds like progress.",
)

# Reflections: the person's own words said back (second person).
REFLECT_BOTH = (
    "It sounds like {situation} has left you feeling {feeling}.",
    "So there's {situation}, and underneath it you feel {feeling}.",
    "Feeling {feeling} with {situation} on your mind makes a lot of sense.",
    "You're feeling {feeling}, and {situation} is part of it.",
    "When you think of {situation}, you feel {feeling}.",
    "So {situation} brings up feeling {feeling}.",
)
REFLECT_FEELING = (
    "You said you feel {feeling}.",
    "Feeling {feeling} is a lot to carry.",
    "So right now it's feeling {feeling}.",
    "It sounds like {feeling} is the word for it.",
    "That feeling, {feeling}, deserves some room.",
    "Feeling {feeling} is understandable.",
)
REFLECT_SITUATION = (
    "So {situation} has been on your mind.",
    "It sounds like {situation} is weighing on you.",
    "There's {situation} in the middle of this.",
    "You're carrying {situation} right now.",
    "So a lot of this is about {situation}.",
    "I'm hearing that {situation} matters here.",
)
REFLECT_CLAUSE = (
    "It sounds like {clause}.",
    "So {clause}.",
    "If I'm hearing you right, {clause}.",
    "You're saying {clause}.",
    "What I'm hearing is that {clause}.",
    "So for you, {clause}.",
    "It seems {clause}.",
    "Let me say it back: {clause}.",
)
REFLECT_WORDS = (
    "You mentioned {words}.",
    "So {words} is part of this.",
    "I'm hearing {words} in what you said.",
    "Let's stay with {words} for a moment.",
    "I noticed you said {words}.",
    "Part of this is {words}.",
)

# The arc's moves, one open question each. Keys are move names; therapist.ARCS orders them.
QUESTIONS: dict[str, tuple[str, ...]] = {
    # anxiety
    "worry": (
        "What is the worry, in a sentence or two?",
        "What's the part of it that worries you most?",
        "When the worry shows up, what does it usually say?",
        "What are you most afraid might happen?",
        "Can you tell me more about what's making you anxious?",
        "When did you first notice this worry today?",
        "What would you call this worry if you gave it a name?",
        "What sets the worry off, usually?",
    ),
    "body": (
        "Where do you notice it in your body right now?",
        "What happens in your body when the worry gets loud?",
        "If you scan from your head to your feet, where is the tension?",
        "How is your breathing when this comes up?",
        "What does your body do when you feel this way?",
        "Is there a spot, like your chest or your stomach, where you feel it most?",
        "What do you notice in your shoulders and jaw as we talk about it?",
        "How does your body feel at this very moment?",
    ),
    "thought": (
        "What's the thought that keeps coming back?",
        "How likely is it, honestly, that the worst will happen?",
        "What evidence do you have for that thought, and what against it?",
        "If a friend had that thought, what would you tell them?",
        "Is there a kinder or more balanced way to put that thought?",
        "What would you say to that thought if it weren't so convincing?",
        "How would you cope if the thing you fear did happen?",
        "What has happened the other times you had this thought?",
    ),
    "step": (
        "What's one small step you could take in the next day?",
        "What would help you feel even slightly steadier tomorrow?",
        "What's something small and doable that would ease this a little?",
        "What's one thing you could try the next time the worry shows up?",
        "What helped you the last time you felt like this?",
        "Who could you lean on for a bit of support this week?",
        "What would a gentle first move look like for you?",
        "What could you do tonight to look after yourself?",
    ),
    # stress
    "plate": (
        "What's on your plate right now?",
        "What are the main things pulling at you this week?",
        "If you listed everything you're juggling, what would be at the top?",
        "What part of it feels most urgent?",
        "Which of these things takes the most out of you?",
        "What's been added to your load lately?",
        "What's the heaviest thing on your list?",
        "What else is competing for your time and energy?",
    ),
    "control": (
        "Which parts of this are within your control, and which aren't?",
        "What's one piece of it you can actually influence?",
        "What could you let go of, at least for now?",
        "If you sorted it into can change and can't change, what goes where?",
        "What would happen if one of these things waited a little?",
        "Which part could someone else help with?",
        "What's the smallest part of this you could act on?",
        "What do you have more say over than it first seems?",
    ),
    "boundary": (
        "Is there one boundary that would protect your time or energy?",
        "Where could you say no, or not yet, this week?",
        "What's one thing you could ask someone else to take on?",
        "What limit would make the next few days more manageable?",
        "When do you need to stop working, and what would help you keep to it?",
        "Who would you need to tell about that boundary?",
        "What would make it easier to protect some time for yourself?",
        "What's one request you could make that would lighten the load?",
    ),
    "kindness": (
        "What's one kind thing you could do for yourself today?",
        "How could you give yourself a short break in the middle of all this?",
        "What usually helps you recharge, even a little?",
        "What would you say to a friend carrying this much?",
        "What's a small comfort you could plan for this evening?",
        "How could you be a bit gentler with yourself this week?",
        "When did you last do something just for you?",
        "What would rest look like for you right now?",
    ),
    # general
    "listen": (
        "Can you tell me more about that?",
        "What's that been like for you?",
        "How long has this been going on?",
        "What feels most important to talk about right now?",
        "How has this been affecting your days?",
        "What's the hardest part of it?",
        "What goes through your mind when that happens?",
        "Who else knows about this?",
        "What do you wish other people understood about it?",
        "How do you usually cope when it gets like this?",
        "What would you like to be different?",
        "What's been on your mind most this week?",
        "How are you sleeping with all of this going on?",
        "What happened next?",
        "What did that bring up for you?",
        "What do you make of that?",
        "How do you feel as you say it out loud?",
        "Is there a part of this we haven't touched yet?",
        "What would you need to feel a little more settled?",
        "Where would you like to go from here?",
        "What does a better day look like for you?",
        "How have you been getting through it?",
        "What's one thing that has helped, even a little?",
        "What are you hoping for, when you think about this?",
    ),
    "summarise": (
        "Let me check I've got this right: so far you've talked about {topics}.",
        "To sum up what I've heard so far: {topics}.",
        "If I put it together, it's been about {topics}.",
        "So, the threads so far are {topics}.",
    ),
    "help": (
        "What would help most right now?",
        "What would make the biggest difference for you this week?",
        "What kind of support would feel good right now?",
        "What would you like to take away from today?",
        "If things got a little easier, what would be the first sign?",
        "What's one thing you'd like to try before we talk again?",
    ),
}
SUMMARY_CHECK = (
    "Did I get that right?",
    "Is that a fair picture?",
    "Does that sound right to you?",
    "Have I missed anything important?",
)

# The person asked whether they are talking to a human or a real therapist.
AI_ANSWERS = (
    "That's a fair question. I'm an AI companion, not a human and not a licensed therapist.",
    "I'm an AI, not a person and not a licensed therapist, so I can listen and help you reflect, but I'm no "
    "substitute for professional care.",
    "No, I'm not a human. I'm an AI companion, and I'm not a licensed therapist either.",
    "I'm an AI companion. There's no person on this end, and I'm not a licensed therapist.",
)
AI_FOLLOW_UPS = (
    "I'm still glad to listen. Where were we?",
    "Would you like to keep going with what you were saying?",
    "If it's okay with you, I'd like to hear more.",
    "What would you like to do with our time today?",
)

# Offering an exercise: acknowledge first, then ask; it starts only after a yes.
OFFER_ACKS = (
    "That sounds really uncomfortable, and it makes sense your body is reacting.",
    "Thank you for telling me how it feels physically; that can be frightening.",
    "That sounds like a lot for your body to hold.",
    "When it feels like that, slowing down can help a little.",
)
OFFERS = (
    "A short breathing exercise might help; it takes about a minute, and we can stop any time. Would you like to try it with me?",
    "If you like, we could do a slow breathing exercise together for about a minute. Would you like that?",
    "Would it help to pause and breathe together for a minute, or would you rather keep talking?",
    "We could try one minute of paced breathing, with a pacer on your screen. Shall we?",
)
LOAD_OFFER_ACKS = (
    "That's a lot to be carrying at once.",
    "With that much on, it makes sense to feel wound up.",
    "It sounds like there's been little room to breathe lately.",
    "Holding all of that takes energy.",
)
REQUEST_ACKS = (
    "Yes, we can do that together.",
    "Of course, breathing together is a good idea.",
    "Sure, let's make some room for that.",
    "Good idea, we can do that.",
)
REQUEST_OFFERS = (
    "It's about a minute of slow breathing, with a pacer on your screen. Shall we start now?",
    "It's about a minute of slow breathing, and you can stop whenever you like. Ready to begin?",
    "We'll breathe in, hold, and breathe out, about a minute in all. Would you like to start now?",
    "I'll guide your breathing with a pacer on screen for about a minute. Shall we begin?",
)
DECLINED = (
    "That's completely fine, we can keep talking.",
    "Okay, no exercise then; let's stay with what you're saying.",
    "Sure, we can leave that for another time.",
    "That's okay. We'll carry on talking.",
)

# The breathing exercise, paced phase by phase.
BREATHING_START = (
    "Let's breathe together. Follow the pacer on your screen.",
    "Let's begin. Sit comfortably and follow the pacer on your screen.",
    "Here we go. Let your shoulders drop and follow the pacer.",
)
BREATHE_IN = ("Breathe in slowly.", "Breathe in.", "And in again, gently.", "In through your nose.",
              "Breathe in once more.", "Fill your lungs slowly.")
HOLD = ("Hold.", "And hold.", "Hold it gently.", "Hold there.", "Pause and hold.", "Keep it there for a moment.")
BREATHE_OUT = ("And breathe out.", "Breathe out.", "Out slowly.", "Let it all go.", "And out, nice and slow.",
               "Breathe out gently.")
REST = ("Rest.", "And rest.", "Rest there.", "Pause.", "Rest a moment.", "Stay still for a moment.")
BREATHING_END = ("Well done. How do you feel now?", "Nicely done. What do you notice now?",
                 "Good. How is your body feeling now?")

# Crisis: stop, take it seriously, give resources, ask about safety. Repeated as often as needed, in new words.
CRISIS_OPENINGS = (
    "I'm really glad you told me, and I'm concerned about your safety.",
    "Thank you for telling me. What you're saying is serious, and I'm worried about you.",
    "I'm taking what you said seriously, and I'm concerned for you.",
    "I hear how much pain you're in, and your safety matters most right now.",
)
CRISIS_RESOURCES = (
    "I'm an AI and can't help in an emergency: please call your local emergency number now, or in the US call or "
    "text 988; in the UK and Ireland you can call Samaritans on 116 123.",
    "Please reach a person now: your local emergency number, or 988 by call or text in the US, or Samaritans on "
    "116 123 in the UK and Ireland. I'm an AI, so I can't get you help myself.",
    "As an AI I can't keep you safe, but people can: call your emergency number, or 988 in the US, or Samaritans "
    "on 116 123 in the UK and Ireland, any time of day.",
    "I'm an AI, and if you might act on these thoughts, please call your local emergency number right away; in the "
    "US call or text 988, and in the UK and Ireland Samaritans are on 116 123.",
)
CRISIS_QUESTIONS = (
    "Are you somewhere safe right now?",
    "Is there someone you trust who could be with you tonight?",
    "Would you be willing to call one of those lines while we talk?",
    "Is there anything near you that you could use to hurt yourself, that you could move away?",
    "Who could you reach out to in the next hour?",
    "Can you tell me whether you're safe at this moment?",
)
CRISIS_FOLLOW_UPS = (
    "I'm still here with you.",
    "Your safety comes first, before anything else we talk about.",
    "You don't have to go through this alone.",
    "Thank you for staying and talking with me.",
)

GOODBYES = (
    "Thank you for talking with me today. Remember that I'm an AI, so please reach out to someone you trust or a "
    "professional whenever things feel heavy. Take good care. Goodbye.",
    "Thank you for your openness today. I'm an AI companion, so do lean on the people around you and on "
    "professional help when you need it. Take care of yourself. Goodbye.",
)

# The summary shown at the end (end_session_summary): the person's own words go in.
SUMMARY_TOPICS = "You talked about {topics}."
SUMMARY_FEELINGS = "You described feeling {feelings}."
SUMMARY_QUOTE = "In your words: \u201c{quote}.\u201d"
SUMMARY_BREATHING = "We did a {pattern} breathing exercise together."
SUMMARY_CRISIS = "You shared thoughts about your safety; please keep the crisis line numbers close."
SUMMARY_EMPTY = "A short session; we didn't get far into what's on your mind yet."
STEP_FROM_WORDS = "What you said you'd try: \u201c{step}\u201d"
STEP_BREATHING = "Try the {pattern} breathing once a day, especially when {feeling_or_it} builds up"
STEP_DEFAULT = "Notice one moment each day when things feel a little lighter"
MOOD_FEELINGS = "Described feeling {first} at the start{later}."
MOOD_LATER = ", and {last} later on"
MOOD_UNKNOWN = "Talked openly; named no particular feeling."

CACHEABLE: tuple[str, ...] = (
    *ACKNOWLEDGEMENTS, *HARD_ACKS, *GOOD_ACKS, *CRISIS_OPENINGS, *OFFER_ACKS, *LOAD_OFFER_ACKS, *REQUEST_ACKS, *DECLINED, *BREATHING_START,
)


def opening_sentences() -> list[str]:
    """The fixed first sentences of replies (greetings first), for the voice to synthesize ahead."""
    greetings = [g.split(". ")[0] + "." if not g.split(". ")[0].endswith((".", "?", "!")) else g.split(". ")[0]
                 for g in GREETINGS]
    return [*greetings, *CACHEABLE]
