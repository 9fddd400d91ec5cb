"""The detector's decision (contradict.detect) and its evaluation on labelled pairs (evaluate.detector_eval)."""

import numpy as np
import pytest

from contradict.decide import ContradictionDecider
from contradict.detect import CHECKS, decide, parse_checks
from contradict.errors import ConfigError
from contradict.evaluate.detector_eval import decision_row, detector_metrics, text_claim_pairs
from contradict.pipeline import score_pairs
from contradict.types import Claim, ClaimPair

THRESHOLD_ONLY = ContradictionDecider(calibration="none", threshold=0.5)


def pairs_of(*texts):
    return text_claim_pairs([str(i) for i in range(len(texts))], [a for a, _ in texts], [b for _, b in texts])


def run(scorer, pairs, checks=CHECKS, decider=THRESHOLD_ONLY, nlp=None):
    scores = score_pairs(pairs, scorer, directions="both")
    return decide(scores, scorer=scorer, decider=decider, checks=checks, nlp=nlp)


def test_parse_checks():
    assert parse_checks(None) == CHECKS
    assert parse_checks("agents, numbers") == ("numbers", "agents")  # in the detector's order
    assert parse_checks("none") == parse_checks("") == parse_checks([]) == ()
    with pytest.raises(ConfigError, match="unknown check colour"):
        parse_checks("numbers,colour")


def test_model_alone_flags_by_calibrated_probability_and_gate(fake_scorer):
    pairs = pairs_of(("the ship sank", "the ship stayed afloat"), ("the ship sank", "the ship went down"))
    scorer = fake_scorer({("the ship sank", "the ship stayed afloat"): (0.1, 0.1, 0.8)}, default=(0.6, 0.2, 0.2))
    decisions = run(scorer, pairs, checks=())
    assert [d.flagged_by for d in decisions] == [("model",), ()]
    assert decisions[0].p_contradiction == pytest.approx(0.8)
    gated = ContradictionDecider(calibration="none", threshold=0.15, gate="entailment")
    gated.fit(np.array([0.1, 0.9]), np.array([0, 1]), p_entailment=np.array([0.5, 0.05]))
    assert [d.flagged for d in run(scorer, pairs, checks=(), decider=gated)] == [True, False]  # 0.2 < 0.6


def test_the_model_never_flags_a_denial_read_as_written(fake_scorer):
    # "X denied that the ship sank" against "the ship stayed afloat": agreement, though P vs other is contradiction
    denied = Claim(id="a", doc_id="d", text="the ship sank", speaker="X", speaker_canonical="X", source="X",
                   side="X", span=(0, 13), outlet="o", attribution="denied", negated=True)
    other = Claim(id="b", doc_id="e", text="the ship stayed afloat", speaker="Y", speaker_canonical="Y", source="Y",
                  side="Y", span=(0, 22), outlet="o", attribution="said")
    scorer = fake_scorer(default=(0.05, 0.05, 0.9))
    [d] = run(scorer, [ClaimPair(denied, other, 0.9)], checks=())
    assert not d.flagged and not d.fired["model"]
    [d] = run(scorer, [ClaimPair(denied, other, 0.9)], checks=("negation",))
    assert not d.flagged and d.negation.p_entailment == pytest.approx(0.05)
    agree = fake_scorer(default=(0.9, 0.05, 0.05))  # the other says the ship sank: the denial contradicts it
    [d] = run(agree, [ClaimPair(denied, other, 0.9)], checks=("negation",))
    assert d.flagged_by == ("negation",) and d.negation.claim == "a" and d.negation.positive == "the ship sank"
    assert d.p_contradiction == pytest.approx(0.9) and len(agree.calls) == 1  # nothing scored twice


def test_negation_scores_the_positive_form_against_the_other_claim(fake_scorer, nlp):
    negated, other = "The minister did not resign.", "The minister resigned on Friday."
    [pair] = pairs_of((other, negated))
    scorer = fake_scorer(default=(0.2, 0.6, 0.2))
    [d] = run(scorer, [pair], checks=("negation",), nlp=nlp)
    assert d.negation is not None and d.negation.claim == "b" and d.negation.kind == "negation"
    positive = d.negation.positive
    assert "not" not in positive.split() and "resign" in positive
    asked = scorer.calls[-1]
    assert asked == [(other, positive)]  # the other claim as premise: only its entailing P contradicts "not P"
    assert not d.flagged  # entailment 0.2 does not reach 0.5
    scorer = fake_scorer({(other, positive): (0.85, 0.1, 0.05)}, default=(0.2, 0.6, 0.2))
    [d] = run(scorer, [pair], checks=("negation",), nlp=nlp)
    assert d.flagged_by == ("negation",) and d.negation.p_entailment == pytest.approx(0.85)
    # P entailing the other claim is no conflict: "it was not rape" and "they met" both follow from one account
    scorer = fake_scorer({(positive, other): (0.95, 0.04, 0.01)}, default=(0.2, 0.6, 0.2))
    assert not run(scorer, [pair], checks=("negation",), nlp=nlp)[0].flagged
    assert run(scorer, [pair], checks=(), nlp=nlp)[0].flagged_by == ()  # the model alone misses it


def test_negation_stays_silent_when_both_or_neither_claim_is_negated(fake_scorer, nlp):
    pairs = pairs_of(("The minister did not resign.", "The army did not withdraw."),
                     ("The minister resigned.", "The minister resigned on Friday."))
    scorer = fake_scorer(default=(0.9, 0.05, 0.05))
    assert [d.negation for d in run(scorer, pairs, checks=("negation",), nlp=nlp)] == [None, None]
    assert len(scorer.calls) == 1  # no positive form scored


def test_number_check_and_its_veto(fake_scorer, nlp):
    a, b = "40 prisoners will be exchanged next week.", "The exchange will cover 25 prisoners."
    [pair] = pairs_of((a, b))
    [d] = run(fake_scorer(), [pair], checks=("numbers",), nlp=nlp)
    assert d.flagged_by == ("numbers",) and d.number_conflicts and d.p_contradiction < 0.5
    [d] = run(fake_scorer({(b, a): (0.6, 0.3, 0.1)}), [pair], checks=("numbers",), nlp=nlp)
    assert not d.flagged and d.number_conflicts  # the model reads b->a as entailment: vetoed, evidence kept
    assert run(fake_scorer(), [pair], checks=("negation",), nlp=nlp)[0].flagged_by == ()


def test_detector_metrics_stage_by_stage():
    from contradict.detect import Decision

    def decision(**fired):
        flags = {name: fired.get(name, False) for name in ("model", *CHECKS)}
        return Decision(score=None, p_contradiction=0.0, threshold=0.5, fired=flags,
                        flagged_by=tuple(k for k, v in flags.items() if v))

    decisions = [decision(model=True), decision(negation=True), decision(model=True, numbers=True),
                 decision(agents=True), decision()]
    y = [True, True, False, False, True]
    m = detector_metrics(decisions, y, CHECKS)
    assert [s["stage"] for s in m["stages"]] == ["model", "+ negation", "+ numbers", "+ agents"]
    assert [s["flagged"] for s in m["stages"]] == [2, 3, 3, 4]
    assert [s["added"] for s in m["stages"]] == [2, 1, 0, 1]
    assert [s["added_contradictions"] for s in m["stages"]] == [1, 1, 0, 0]
    assert m["stages"][0]["decision_precision"] == pytest.approx(0.5)
    assert m["decision_precision"] == pytest.approx(0.5) and m["decision_recall"] == pytest.approx(2 / 3)
    assert m["parts"]["numbers"] == {"fired": 1, "contradictions": 0, "precision": 0.0}
    assert m["parts"]["agents"]["fired"] == 1 and m["contradictions"] == 3
    row = decision_row(decisions[2])
    assert row["flagged_by"] == ["model", "numbers"] and row["fired"] == {"model": True, "numbers": True}


def test_a_negation_that_does_not_fire_leaves_the_probability_to_the_model(fake_scorer, nlp):
    negated, other = "The minister did not resign.", "The minister resigned on Friday."
    [pair] = pairs_of((other, negated))
    scorer = fake_scorer({(other, negated): (0.1, 0.6, 0.3)}, default=(0.45, 0.35, 0.2))  # P entailed 0.45 < 0.5
    tally = {}
    [d] = decide(score_pairs([pair], scorer, directions="both"), scorer=scorer, decider=THRESHOLD_ONLY,
                 checks=("negation",), nlp=nlp, tally=tally)
    assert not d.flagged and d.negation.p_entailment == pytest.approx(0.45)
    assert d.p_contradiction == pytest.approx(0.3)  # the model's, not the unfired check's 0.45
    assert tally == {"scored": 1, "truncated": 0, "cache_hits": 0}  # the positive form, one direction


def test_claims_with_one_id_keep_their_own_polarity(fake_scorer, nlp):
    # ids are the caller's: two claims sharing one must not trade negation readings
    pairs = text_claim_pairs(["x", "x"], ["The ship sank.", "The bridge held."],
                             ["The ship did not sink.", "The bridge did not hold."])
    decisions = run(fake_scorer(), pairs, checks=("negation",), nlp=nlp)
    assert ["sink" in d.negation.positive for d in decisions] == [True, False]
    assert ["hold" in d.negation.positive for d in decisions] == [False, True]


def test_a_missing_spacy_model_is_a_model_error(monkeypatch):
    import spacy

    from contradict.errors import ModelError
    from contradict.extract import load_spacy

    def refuse(*args, **kwargs):
        raise OSError("no such model")

    monkeypatch.setattr(spacy, "load", refuse)
    with pytest.raises(ModelError, match="pip install"):
        load_spacy("no_such_pipeline")
