"""The learned layer: generated from the phrase sets, consulted only when no rule spoke."""

from tests.therapy import train_crisis_model
from therapy_desktop.therapy import crisis_model, crisis_model_weights
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
    assert not quiet.is_crisis and quiet.model_score is None  # no word of risk: the layer is not asked
    calm = classify("I feel safe at home now")
    assert not calm.is_crisis and calm.model_score is not None and calm.model_score < crisis_model.THRESHOLD
    flagged = classify("i feel like a ghost already, might as well make it official")  # a dev-set line no rule has
    assert flagged.is_crisis and flagged.kinds == {CrisisKind.UNSPECIFIED}
    assert flagged.cues[0].rule == "learned_layer" and "learned_layer" in flagged.log_line


def test_scores_are_probabilities():
    for text in ("", "kill", "i want to die " * 200):
        assert 0.0 <= crisis_model.score(clauses(normalize(text))) <= 1.0
