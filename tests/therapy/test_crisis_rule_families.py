"""Rounds 12, 13, 16, 17 and 18 of the crisis rules: each new family catches phrasings beyond the set-12 or set-13 line
it came from, and leaves the everyday sentence that shares its words alone. The sentences here are made up for the
test (none is in a phrase set)."""

import pytest

from therapy_desktop.therapy.crisis import CrisisKind, classify

CAUGHT = [
    ("i would love to just stop existing", CrisisKind.SUICIDAL_IDEATION),
    ("i made my peace with god and i am ready to go", CrisisKind.SUICIDAL_IDEATION),
    ("the only relief i can imagine is being dead", CrisisKind.SUICIDAL_IDEATION),
    ("i have stopped caring if i wake up", CrisisKind.SUICIDAL_IDEATION),
    ("i am tired of trying to keep myself alive", CrisisKind.SUICIDAL_IDEATION),
    ("i have picked the place, the bridge by the station, that is where i will do it", CrisisKind.PLAN_OR_MEANS),
    ("i am going to take the lot tonight", CrisisKind.PLAN_OR_MEANS),
    ("i googled how many of my sleeping pills it would take", CrisisKind.PLAN_OR_MEANS),
    ("i wrote a letter to each of my kids and put them in the drawer", CrisisKind.GOODBYE),
    ("my bank details and passwords are in the desk for when i am gone", CrisisKind.GOODBYE),
    ("i ripped out clumps of my hair last night", CrisisKind.SELF_HARM),
    ("i am scared i will lose it and hurt my son", CrisisKind.HARM_TO_OTHERS),
    ("he pinned me down and would not stop", CrisisKind.DANGER_OR_ABUSE),
    ("my partner is banging on the door and i am hiding in the bedroom", CrisisKind.DANGER_OR_ABUSE),
    # round 13
    ("i keep thinking about how to unalive myself", CrisisKind.SUICIDAL_IDEATION),
    ("there is no future that has me in it", CrisisKind.SUICIDAL_IDEATION),
    ("being dead sounds really peaceful to me", CrisisKind.SUICIDAL_IDEATION),
    ("honestly my family would be worth more to them dead than alive with me", CrisisKind.SUICIDAL_IDEATION),
    ("i looked up which sleeping pills would do it", CrisisKind.PLAN_OR_MEANS),
    ("i am going to the woods so nobody finds me", CrisisKind.PLAN_OR_MEANS),
    ("i left a voice note for my dad explaining why", CrisisKind.GOODBYE),
    ("tell my mum i am sorry i could not hold on", CrisisKind.GOODBYE),
    ("i slipped up and burned myself again", CrisisKind.SELF_HARM),
    ("i put my hand on the hob on purpose", CrisisKind.SELF_HARM),
    ("i want to plough my van into the market", CrisisKind.HARM_TO_OTHERS),
    ("my stepdad told me he will break my arms if i tell", CrisisKind.DANGER_OR_ABUSE),
    ("there is someone in my flat right now and i am hiding", CrisisKind.DANGER_OR_ABUSE),
    # round 16
    ("burned again last night, i am sorry", CrisisKind.SELF_HARM),
    ("got the razor out again after two years", CrisisKind.SELF_HARM),
    ("i have stopped eating on purpose because i deserve it", CrisisKind.SELF_HARM),
    ("i took like all my ibuprofen and i feel really sick", CrisisKind.SELF_HARM),
    ("i keep skipping my insulin so it all ends quicker", CrisisKind.SUICIDAL_IDEATION),
    ("i am not going to make it to twenty, honestly i do not want to", CrisisKind.SUICIDAL_IDEATION),
    ("it would be simpler to be dead", CrisisKind.SUICIDAL_IDEATION),
    ("i am such a burden, they would be better off if i was gone", CrisisKind.SUICIDAL_IDEATION),
    ("i want her to suffer and i know where she parks", CrisisKind.HARM_TO_OTHERS),
    ("i am going to burn their car down tonight", CrisisKind.HARM_TO_OTHERS),
    ("take care of my dog for me, you will understand soon", CrisisKind.GOODBYE),
    ("sold the car and cancelled everything, i will not be needing any of it after friday", CrisisKind.GOODBYE),
    ("somebody keeps rattling the back door and i am alone", CrisisKind.DANGER_OR_ABUSE),
    # round 17
    ("i am up on the roof of the car park now, right by the railing", CrisisKind.PLAN_OR_MEANS),
    ("yeah i have got the rope with me, in the car", CrisisKind.PLAN_OR_MEANS),
    ("i counted them, about sixty tablets, all my sleeping pills", CrisisKind.PLAN_OR_MEANS),
    ("i wrote notes for my daughters and put them in an envelope", CrisisKind.GOODBYE),
    ("i wear a hoodie all the time so nobody sees the cuts", CrisisKind.SELF_HARM),
    ("i cut my arm an hour ago and it will not stop bleeding", CrisisKind.SELF_HARM),
    ("i keep thinking about holding a pillow over his face while he sleeps", CrisisKind.HARM_TO_OTHERS),
    ("if he hits her again i will kill him, i have worked out how", CrisisKind.HARM_TO_OTHERS),
    # round 18
    ("honestly what am i even still here for", CrisisKind.SUICIDAL_IDEATION),
    ("my wife passed in march and some nights i think i should just go and join her", CrisisKind.SUICIDAL_IDEATION),
    ("i think i am ready to clock out for good", CrisisKind.SUICIDAL_IDEATION),
    ("i have saved up enough sleeping tablets to do the job", CrisisKind.PLAN_OR_MEANS),
    ("stood on the platform for ages working myself up to it", CrisisKind.PLAN_OR_MEANS),
    ("i held my palm against the hot pan again, i deserve it", CrisisKind.SELF_HARM),
    ("last night he wrapped his hands around my throat", CrisisKind.DANGER_OR_ABUSE),
    ("he threw the plates and told me i am next", CrisisKind.DANGER_OR_ABUSE),
    ("my daughter has bruises on her legs and she says her stepdad did it", CrisisKind.DANGER_OR_ABUSE),
    ("i have got the bat in the boot and i am parked outside his work", CrisisKind.HARM_TO_OTHERS),
    ("i gave my tools to my nephew, i will not be needing them", CrisisKind.GOODBYE),
    # round 18's excuses reach only their own clause, or only the very next one
    ("the queue at the pharmacy made me want to cry, honestly most days i want to die", CrisisKind.SUICIDAL_IDEATION),
    ("i am going to walk into the sea tonight, if i see that man again i will call the police", CrisisKind.SUICIDAL_IDEATION),
    ("i visit his grave every day, i just want to go and join him", CrisisKind.SUICIDAL_IDEATION),
    ("is it getting better? the answer is no. she keeps asking if i want to die and honestly i do", CrisisKind.SUICIDAL_IDEATION),
    ("you asked if i want to die, the answer is no longer no", CrisisKind.SUICIDAL_IDEATION),
    # round 19
    ("the charcoal arrived this morning, it is hidden under the bed", CrisisKind.PLAN_OR_MEANS),
    ("relapsed last night, the razor is still in the bathroom", CrisisKind.SELF_HARM),
    ("sorry, i am doing it now, there is a lot of blood", CrisisKind.SELF_HARM),
    ("i found out where he lives, i am going round there with a knife tonight", CrisisKind.HARM_TO_OTHERS),
    ("he will regret it, i am bringing something in my pocket tomorrow", CrisisKind.HARM_TO_OTHERS),
    ("my niece told me her mum's partner comes into her room at night", CrisisKind.DANGER_OR_ABUSE),
    ("look after the kids for me, promise me you will", CrisisKind.GOODBYE),
    ("i wrote my will and cancelled my gym, no point paying for it now", CrisisKind.GOODBYE),
    ("i left notes for them so they know it was not their fault", CrisisKind.GOODBYE),
    ("gave the cat away, said i am moving, but i am not going anywhere", CrisisKind.GOODBYE),
    ("tell him i love him, i will not be seeing him again", CrisisKind.GOODBYE),
    ("every morning on the cycle path i pray a bus hits me", CrisisKind.SUICIDAL_IDEATION),
    ("i am tired of pretending i want to be alive", CrisisKind.SUICIDAL_IDEATION),
    ("my dad would get his life back if i were gone", CrisisKind.SUICIDAL_IDEATION),
    ("i am done with school and done with life", CrisisKind.SUICIDAL_IDEATION),
    ("i am ready to log out from everything", CrisisKind.SUICIDAL_IDEATION),
    ("i keep thinking i would be better of dead", CrisisKind.SUICIDAL_IDEATION),
]

LEFT_ALONE = [
    "i set a time to study tonight",
    "i checked the train times for tomorrow",
    "i looked up the quickest route to work",
    "i will make a cake for after",
    "this is the last time we talk about this, promise",
    "i am pulling my hair out over this spreadsheet",
    "i kicked the door till it opened",
    "no point sticking around, the party is dead",
    "i am ready to go whenever you are",
    "i am done with everything on my list",
    "i will take them all, they are lovely shirts",
    "i want a dishwasher so i do not have to do this every night",
    "i rang everyone to say goodbye before we moved to spain",
    "i am going to make them pay for the damage",
    "i saved up enough for a holiday",
    "we picked the date for the wedding, it is the fourteenth",
    "there was a time i drank too much, that is over now and i am doing well",
    "years ago my dad used to hit me, i have been safe for a long time",
    # round 13
    "okay i am done now, bye",
    "sorry i could not stay longer at the party",
    "we are meant to go soon, the taxi is here",
    "how much flour would do it for the cake",
    "we ran into a crowd of old friends at the market",
    "i held my hand over the fire until it was warm",
    "i used to drink every night, i have been sober two years",
    "i wanted to quit in my first year, i am so glad i did not, look how far i have come",
    "the lyrics go i want to disappear, it is a sad song",
    # round 16
    "cut again, the barber took too much off the top",
    "i wish i could disappear for the weekend to the mountains",
    "if i have to answer one more email about parking i will kill myself",
    "take care of my dog for me while i am away on the trip",
    "i will not be needing the car after friday, i am moving to the city",
    "i want to switch off my phone for good and read more books",
    "after tonight you will understand why the surprise party mattered",
    "it would be easier to drive than take the bus",
    # round 17
    "we stood right at the edge of the cliff for a photo",
    "i have got the tickets with me, in my bag",
    "the pharmacist counted out about thirty tablets for my dad's pressure",
    "my nose has not stopped bleeding since lunch",
    "i wear long sleeves so nobody sees the eczema on my arms",
    "if my brother eats my chips again i will kill him",
    # round 18
    "what am i even here for, this meeting has no agenda",
    "my nan passed last year, on sundays i go and be with her at the cemetery",
    "i will clock out for good when i retire next spring",
    "there is enough paint to do the job twice",
    "we stood on the platform letting the fast trains go past, the kids love spotting them",
    "i pressed my fingers on the hot iron by accident doing the shirts",
    "the kids came back from rugby with bruises on their legs, they loved it",
    "i am taking the kids out for pizza tonight",
    "i gave my old guitars to my students because i upgraded",
    "i tidied the flat so there is nothing left to sort before the inspection",
    "you asked if i want to die, the answer is no, i want the builders to stop",
    "i need to kill the process that is hogging the laptop",
    "the doctor said two tablets a day with food",
    "in the game you jump off the cliff and respawn at the top",
    "used to cut, eleven years clear now",
    "the commute this morning made me want to die",
    "i love watching the trains go by from the bridge",
    "i have been working up to it, the marathon is in may",
    "the receptionist said i am next",
    "watching her graduate choked me up",
    "i put my hands on the radiator to feel if the heating was on",
    "my son keeps coming into my bed, he is scared of the dark",
    "the rats are back, i poison them every spring",
    "i was jealous of them, they jumped out of a plane for charity",
    "i have got the knife, waiting for her to bring the cake",
    "he has gone to the pub, i might go and join him",
    "left my coat in the car, i will not be needing it today",
    # round 19
    "the rope came today for the tree swing, it is in the shed",
    "relapsed on the fags, the lighter is still on the side",
    "i am doing it right now while we talk, the breathing you showed me",
    "i am going round with the bat for cricket practice tomorrow",
    "i am bringing something in my bag for the bake sale tomorrow",
    "my granddaughter says he comes into her room at night to read her a story",
    "look after the dog for me while i am at the hospital, promise me",
    "cancelled the phone contract, moving to a cheaper deal",
    "i told the kids about the divorce so they know it was not their fault",
    "but i am not going anywhere, i love it here",
    "i will not be seeing her again until christmas, she lives in australia",
    "i hope the bus comes soon, it is freezing",
    "i am sick of pretending i like my job",
    "she got her life back after the divorce",
    "i am done with the dishes and done with the laundry",
    "i checked out of the hotel and i am ready to go home",
    "it is not that i want to move, it is that we have to",
]


@pytest.mark.parametrize(("text", "kind"), CAUGHT)
def test_a_family_member_is_caught_with_its_kind(text, kind):
    result = classify(text)
    assert result.is_crisis and kind in result.kinds, result.log_line


# Round 14's nearest-neighbour term flags these three: each is a few words from a crisis line of its family,
# and its nearest labelled lines are crisis lines. Measured and kept visible, not hidden; the ceiling only goes
# down (data/README.md, round 14).
LAYER_ALARMS = {
    "i kicked the door till it opened",
    "i am going to make them pay for the damage",
    "i held my hand over the fire until it was warm",
    "it would be easier to drive than take the bus",  # round 16's twin of "easier to be dead": the layer, no rule
    "i have got the tickets with me, in my bag",  # round 17's twin of "i have got the rope with me": the layer, no rule
    # Round 18's twins that no rule matches and the layer flags (0.64–0.78): written for the review of round 18,
    # each the everyday double of a new rule's crisis line; new lines, so the ceiling for the old ones is unchanged.
    "i pressed my fingers on the hot iron by accident doing the shirts",
    "my son keeps coming into my bed, he is scared of the dark",
    "i have got the knife, waiting for her to bring the cake",
    "he has gone to the pub, i might go and join him",
    "left my coat in the car, i will not be needing it today",
}


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_the_everyday_sentence_with_the_same_words_is_not(text):
    result = classify(text)
    assert not result.cues or all(c.rule == "learned_layer" for c in result.cues), result.log_line  # no rule
    if text not in LAYER_ALARMS:
        assert not result.is_crisis, result.log_line


def test_the_learned_layer_flags_no_more_of_them_than_measured():
    flagged = {text for text in LEFT_ALONE if classify(text).is_crisis}
    assert flagged <= LAYER_ALARMS, flagged - LAYER_ALARMS
