"""The learned layer: generated from the phrase sets, consulted only when no rule spoke."""

from tests.therapy import train_crisis_model
from therapy_desktop.therapy import crisis_embedding, crisis_embedding_weights, crisis_model, crisis_model_weights
from therapy_desktop.therapy.crisis import CrisisKind, classify
from therapy_desktop.therapy.crisis_text import clauses, normalize


def test_the_committed_weights_are_what_the_trainer_makes_from_the_data():
    # If this fails, a phrase set changed: run `python -m tests.therapy.train_crisis_model`.
    assert crisis_model_weights.DATA_DIGEST == train_crisis_model.data_digest()
    assert train_crisis_model.main(["--check"]) == 0


def test_it_never_trains_on_the_held_out_sets():
    assert "test" not in crisis_model_weights.TRAINED_ON
    assert not any(name.startswith("unseen") for name in crisis_model_weights.TRAINED_ON)


def test_negated_words_are_features_of_their_own():
    feats = crisis_model.features(clauses(normalize("I don't want to die")))
    assert "NOT_want" in feats and "want" not in feats and "NOT_want_NOT_to" in feats


def test_a_rule_excuse_is_never_overridden_by_the_model():
    result = classify("I would never hurt myself")
    assert not result.is_crisis and result.excused and result.model_score is None


def test_when_no_rule_speaks_the_model_is_consulted_and_its_score_logged():
    quiet = classify("I had pasta for lunch and went for a walk")
    # No word of risk: asked all the same (the sentence model knows meaning), with the higher bar.
    assert not quiet.is_crisis and quiet.model_score is not None
    assert quiet.model_score < crisis_model.THRESHOLD_WITHOUT_RISK_WORDS
    calm = classify("I feel safe at home now")
    assert not calm.is_crisis and calm.model_score is not None and calm.model_score < crisis_model.RISK_WORD_THRESHOLD
    flagged = classify("i have been thinking the world does not need me in it")  # a dev-set line no rule has
    assert flagged.is_crisis and flagged.kinds == {CrisisKind.UNSPECIFIED}
    assert flagged.cues[0].rule == "learned_layer" and "learned_layer" in flagged.log_line


def test_without_the_sentence_model_the_word_layer_alone_decides_where_a_word_of_risk_appears():
    crisis_embedding._reset_for_tests(failed="the model file is missing (test)")
    try:
        assert not crisis_embedding.available() and crisis_embedding.embed("hello") is None
        assert classify("I had pasta for lunch and went for a walk").model_score is None  # not asked
        calm = classify("I feel safe at home now")
        assert not calm.is_crisis and calm.model_score is not None and calm.model_score < crisis_model.THRESHOLD
        assert classify("I want to kill myself").is_crisis  # the rules do not need the model
        assert not classify("I would never hurt myself").is_crisis
    finally:
        crisis_embedding._reset_for_tests()
    assert crisis_embedding.available()


def test_the_vector_weights_cover_every_dimension_and_were_trained_on_the_same_data():
    assert len(crisis_embedding_weights.WEIGHTS) == crisis_embedding.DIMENSIONS
    assert crisis_embedding_weights.DATA_DIGEST == crisis_model_weights.DATA_DIGEST
    assert crisis_embedding_weights.TRAINED_ON == crisis_model_weights.TRAINED_ON


def test_scores_are_probabilities():
    for text in ("", "kill", "i want to die " * 200):
        assert 0.0 <= crisis_model.score(clauses(normalize(text))) <= 1.0


def test_a_resolved_story_the_rules_flag_is_excused_by_its_nearest_labelled_lines():
    story = "i used to want to kill my father, i've forgiven him now"  # dev14: "forgiven" is in no rule's list
    assert classify(story, sentence_vector=False).is_crisis  # the rules alone flag it
    result = classify(story)
    assert not result.is_crisis and {c.excused for c in result.excused} == {"past_resolved_learned"}
    # The past alone, a wish stated now, or a recurrence are never excused this way.
    assert classify("years ago I tried to end my life").is_crisis
    assert classify("i used to want to kill my father, and i want to kill him now").is_crisis
    assert classify("i used to hurt myself, i started again this week").is_crisis


def test_the_neighbour_score_is_a_share_and_knows_its_own_lines():
    crisis_line = crisis_embedding.embed("i want to kill myself")
    calm_line = crisis_embedding.embed("thank you, that breathing exercise really helped")
    assert 0.0 <= crisis_model.neighbour_score(calm_line) < 0.5 < crisis_model.neighbour_score(crisis_line) <= 1.0
    assert len(crisis_embedding_weights.EXEMPLAR_LABELS) == len(train_crisis_model.training_rows())
