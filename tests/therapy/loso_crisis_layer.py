"""Leave-one-set-out over the tuning sets: how the crisis net's learned layer does on a set it was not trained on.

    python -m tests.therapy.loso_crisis_layer

For each tuning set, the learned layer (word features, sentence-vector head, nearest labelled exemplars) is
retrained without it and the whole net (today's rules + that layer) scores it. The rules were written with
every tuning set in view, so this measures what the *learned* parts add on phrasings they were not fitted
to; the fresh-set numbers in data/README.md are the honest end-to-end ones. A measurement, not a test.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from tests.therapy import train_crisis_model as trainer
from tests.therapy.phrase_sets import load
from therapy_desktop.therapy import crisis, crisis_embedding, crisis_model
from therapy_desktop.therapy.crisis_rules import RULES
from therapy_desktop.therapy.crisis_text import clauses, normalize

SETS = trainer.TRAINING_SETS


@dataclass
class Row:
    text: str
    label: int
    group: str
    rule_crisis: bool  # a rule counted
    asked: bool  # no rule spoke at all, not a resolved past: the layer is consulted
    risk_word: bool
    past: bool  # a rule counted, a past marker, no wish stated now, no recurrence: a resolved-story candidate
    features: set[str]
    vector: np.ndarray


def rows() -> list[Row]:
    out: list[Row] = []
    groups = [(name, trainer._files(name)) for name in SETS] + [("talk", (None, trainer.TALK))]
    real_consult = crisis_model.consult
    crisis_model.consult = lambda *a, **k: None  # rules only
    try:
        for name, (crisis_file, benign_file) in groups:
            labelled = ([(t, 1) for _, t in load(crisis_file)] if crisis_file else []) + [(t, 0) for _, t in load(benign_file)]
            for text, label in labelled:
                normalized = normalize(text)
                rules = crisis.classify(text, sentence_vector=False)
                resolved = crisis._is_resolved_past(normalized)
                asked = not rules.cues and not rules.excused and not resolved
                out.append(Row(text, label, name, rules.is_crisis, asked, bool(crisis._RISK_WORDS.search(normalized)),
                               rules.is_crisis and bool(crisis._PAST.search(normalized))
                               and not crisis._PRESENT_INTENT.search(normalized) and not crisis._RECURRENCE.search(normalized)
                               and len(clauses(normalized)) >= 2
                               and not any(rule.pattern.search(clauses(normalized)[-1]) for rule in RULES),
                               crisis_model.features(clauses(normalized)),
                               np.array(crisis_embedding.embed(text), dtype=np.float64)))
    finally:
        crisis_model.consult = real_consult
    return out


def logistic(x: np.ndarray, y: np.ndarray, l2: float, epochs: int, rate: float, balanced: bool) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent from zero (the same fit as train_crisis_model)."""
    weight = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9)) if balanced else np.ones_like(y)
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30)))
        g = (p - y) * weight
        w -= rate * (x.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return w, b


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def word_matrix(train: list[Row], test: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    vocab = {f: i for i, f in enumerate(sorted({f for r in train for f in r.features}))}
    def m(rs: list[Row]) -> np.ndarray:
        out = np.zeros((len(rs), len(vocab)), dtype=np.float64)
        for i, r in enumerate(rs):
            for f in r.features:
                if f in vocab:
                    out[i, vocab[f]] = 1.0
        return out
    return m(train), m(test)


def knn_scores(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, k: int, self_excluded: bool) -> np.ndarray:
    """Share of crisis lines among the k nearest labelled lines, weighted by similarity."""
    sims = test_x @ train_x.T
    if self_excluded:
        np.fill_diagonal(sims, -1.0)
    nearest = np.argsort(-sims, axis=1)[:, :k]
    w = np.take_along_axis(sims, nearest, axis=1).clip(min=0) ** 4
    return (w * train_y[nearest]).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-9)


def layer_scores(train: list[Row], test: list[Row]) -> dict[str, np.ndarray]:
    y = np.array([r.label for r in train], dtype=np.float64)
    xw, tw = word_matrix(train, test)
    ww, wb = logistic(xw, y, trainer.L2, trainer.EPOCHS, trainer.LEARNING_RATE, balanced=False)
    xv = np.array([r.vector for r in train])
    tv = np.array([r.vector for r in test])
    vw, vb = logistic(xv, y, trainer.VECTOR_L2, trainer.VECTOR_EPOCHS, trainer.VECTOR_LEARNING_RATE, balanced=True)
    words, vec = sigmoid(tw @ ww + wb), sigmoid(tv @ vw + vb)
    knn = knn_scores(xv, y, tv, 7, self_excluded=False)
    return {"words": words, "vec": vec, "knn": knn, "mean": (words + vec) / 2, "mean3": (words + vec + knn) / 3}


def decide(test: list[Row], s: dict[str, np.ndarray], head: str, t_risk: float, t_none: float, past_excuse: float | None) -> np.ndarray:
    out = np.zeros(len(test), dtype=bool)
    for i, r in enumerate(test):
        if r.rule_crisis:
            # A rule's flag on a line that tells of the past, whose nearest labelled lines are resolved stories.
            out[i] = not (past_excuse is not None and r.past and s["knn"][i] < past_excuse)
        elif r.asked:
            out[i] = s[head][i] >= (t_risk if r.risk_word else t_none)
    return out


CONFIGS = {
    "round 13 (mean of 2, 0.6/0.7)": ("mean", 0.6, 0.7, None),
    "round 13 + kNN past excuse 0.3": ("mean", 0.6, 0.7, 0.3),
    "mean of 3 (words, vector, kNN), 0.6/0.7": ("mean3", 0.6, 0.7, None),
    "round 14: mean of 3 + kNN past excuse 0.3": ("mean3", 0.6, 0.7, 0.3),
    "mean of 3, 0.6/0.75": ("mean3", 0.6, 0.75, None),
    "mean of 3, 0.55/0.7": ("mean3", 0.55, 0.7, None),
    "mean of 2, 0.55/0.65": ("mean", 0.55, 0.65, None),
}


def main(argv: list[str]) -> int:
    data = rows()
    totals = {name: [0, 0, 0, 0] for name in CONFIGS}  # caught, crisis, alarms, benign
    per_set: dict[str, dict[str, str]] = {name: {} for name in CONFIGS}
    talk_alarms = {name: 0 for name in CONFIGS}
    for held in SETS:
        train = [r for r in data if r.group != held]
        test = [r for r in data if r.group == held]
        scores = layer_scores(train, test)
        y = np.array([r.label for r in test])
        for name, (head, t1, t2, past) in CONFIGS.items():
            flagged = decide(test, scores, head, t1, t2, past)
            c, n, a, m = int((flagged & (y == 1)).sum()), int((y == 1).sum()), int((flagged & (y == 0)).sum()), int((y == 0).sum())
            totals[name] = [x + d for x, d in zip(totals[name], (c, n, a, m), strict=True)]
            per_set[name][held] = f"{c}/{n} {a}/{m}"
    # Session talk (training negatives) held out as one more fold: does anything raise on it?
    train = [r for r in data if r.group != "talk"]
    test = [r for r in data if r.group == "talk"]
    scores = layer_scores(train, test)
    for name, (head, t1, t2, past) in CONFIGS.items():
        talk_alarms[name] = int(decide(test, scores, head, t1, t2, past).sum())
    print(f"{'configuration':40} {'recall':>16} {'false alarms':>16} {'talk raised':>11}")
    for name, (c, n, a, m) in totals.items():
        print(f"{name:40} {c / n:7.1%} ({c}/{n}) {a / m:7.1%} ({a}/{m}) {talk_alarms[name]:>5}/{len(test)}")
    if "-v" in argv:
        for name in CONFIGS:
            print(name, per_set[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
