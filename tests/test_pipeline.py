import numpy as np
import pytest

from contradict.decide import ContradictionDecider
from contradict.pipeline import compare, reduce_directions
from contradict.types import Document

STORY = Document(id="d1", source="Wire", text=(
    "Ushakov | Russia | the american side asked for the summit\n"
    "Leavitt | United States | the russian side asked for the summit\n"
    "Peskov | Russia | the weather in moscow was cold\n"
    "Rubio | United States | !forty prisoners will be exchanged next week\n"
    "Lavrov | Russia | forty prisoners will be exchanged next week\n"))


def test_reduce_directions_takes_the_more_contradictory_direction():
    ab = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    ba = np.array([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
    rows, dirs = reduce_directions(ab, ba)
    np.testing.assert_allclose(rows, [[0.1, 0.1, 0.8], [0.1, 0.1, 0.8]])
    assert dirs == ["b->a", "a->b"]
    rows, dirs = reduce_directions(ab, None)
    np.testing.assert_allclose(rows, ab)
    assert dirs == ["a->b", "a->b"]


def run(scorer, **kw):
    from tests.conftest import FakeEmbedder, LineExtractor

    return compare([STORY], scorer=scorer, extractor=LineExtractor(), embedder=FakeEmbedder(),
                   min_similarity=0.3, **kw)


def test_compare_flags_conflicts_and_not_agreements(fake_scorer):
    a, b = "the american side asked for the summit", "the russian side asked for the summit"
    p = "forty prisoners will be exchanged next week"
    scorer = fake_scorer({(b, a): (0.05, 0.05, 0.9), (p, p): (0.95, 0.04, 0.01)})
    report = run(scorer)
    flagged = {frozenset((f.score.pair.a.speaker, f.score.pair.b.speaker)) for f in report.findings}
    assert flagged == {frozenset({"Ushakov", "Leavitt"}), frozenset({"Rubio", "Lavrov"})}
    top = report.findings[0]
    # the other claim entails what the denial denies: a conflict, found by the negation check
    assert top.p_contradiction == pytest.approx(0.95) and top.flagged_by == ("negation",)
    assert top.negation.positive == p and top.negation.kind == "denial"
    assert report.findings[1].score.direction == "b->a"
    s = report.stats
    assert s.claims == 5 and s.claims_used == 5
    assert s.pairs_considered == 6  # 5 claims, 3 Russia + 2 US: 3 * 2 cross-side pairs
    assert s.pairs_scored == 2 * s.pairs_candidates
    assert s.findings == 2
    assert report.run["threshold"] == 0.5 and report.run["by"] == "side"
    assert "versions" in report.run and "date" in report.run


def test_all_pairs_scored_in_one_batch_both_directions(fake_scorer):
    scorer = fake_scorer()
    report = run(scorer)
    assert len(scorer.calls) == 1
    texts = scorer.calls[0]
    n = report.stats.pairs_candidates
    assert len(texts) == 2 * n
    assert texts[n:] == [(h, p) for p, h in texts[:n]]
    assert report.findings == []


def test_one_direction_and_threshold(fake_scorer):
    scorer = fake_scorer(default=(0.2, 0.4, 0.4))
    report = run(scorer, directions="one", threshold=0.35)
    assert report.stats.pairs_scored == report.stats.pairs_candidates
    plain = [s for s in report.scores if s.pair.a.negated == s.pair.b.negated]
    # the denial's positive form is entailed with p 0.2 only: its pairs are not flagged
    assert len(report.findings) == len(plain) < report.stats.pairs_candidates
    assert all(f.threshold == 0.35 for f in report.findings)


def test_model_decision_is_applied(fake_scorer):
    decider = ContradictionDecider(calibration="none", threshold=0.3).fit(np.array([0.1, 0.9]), np.array([0, 1]))
    scorer = fake_scorer(default=(0.3, 0.3, 0.4))
    scorer.metadata = {"decision": decider.to_dict()}
    report = run(scorer)
    plain = [s for s in report.scores if not (s.pair.a.negated or s.pair.b.negated)]
    assert len(report.findings) == len(plain) < report.stats.pairs_candidates  # a denial: entailment 0.3 < 0.5
    assert run(scorer, threshold=0.5).findings == []


def test_entailment_gate_of_the_model_decision(fake_scorer):
    from tests.conftest import FakeEmbedder, LineExtractor

    # every pair 0.45 entailment / 0.4 contradiction but one, 0.1 / 0.6
    a, b = "the american side asked for the summit", "the russian side asked for the summit"
    scorer = fake_scorer({(a, b): (0.1, 0.3, 0.6)}, default=(0.45, 0.15, 0.4))
    flagged = {}
    for gate in ("none", "entailment"):
        decider = ContradictionDecider(calibration="none", threshold=0.35, gate=gate)
        decider.fit(np.array([0.1, 0.9]), np.array([0, 1]), p_entailment=np.array([0.5, 0.05]))
        scorer.metadata = {"decision": decider.to_dict()}
        report = compare([STORY], scorer=scorer, extractor=LineExtractor(), embedder=FakeEmbedder(),
                         min_similarity=-1.0, directions="auto")  # every cross-side pair a candidate
        flagged[gate] = {frozenset((f.score.pair.a.speaker, f.score.pair.b.speaker)) for f in report.findings}
    assert report.stats.pairs_scored == 2 * report.stats.pairs_candidates  # with a gate "auto" scores both ways
    assert report.stats.pairs_candidates == 6
    # Rubio's denial: the others entail its positive form with 0.45 only, below the negation check's 0.5,
    # and the model never reads a denial as written: his three pairs are flagged under neither gate
    plain = {frozenset({"Leavitt", r}) for r in ("Ushakov", "Peskov", "Lavrov")}
    assert flagged["none"] == plain
    assert flagged["entailment"] == {frozenset({"Ushakov", "Leavitt"})}  # the others: entailment 0.45 > 0.4


def test_no_claims(fake_scorer):
    from tests.conftest import FakeEmbedder, LineExtractor

    report = compare([Document(id="x", source="S", text="nothing attributed")], scorer=fake_scorer(),
                     extractor=LineExtractor(), embedder=FakeEmbedder())
    assert report.findings == [] and report.stats.pairs_scored == 0


def test_bad_grouping(fake_scorer):
    with pytest.raises(ValueError):
        run(fake_scorer(), by="colour")


class HashScorer:
    """Probabilities drawn from a hash of the pair text: a different, fixed answer for every direction."""

    def __init__(self, seed):
        self.seed, self.calls = seed, []

    def score(self, pairs, *, batch_size=None, show_progress=False):
        import zlib

        pairs = list(pairs)
        self.calls.append(pairs)
        rows = [np.random.default_rng(zlib.crc32(f"{self.seed}|{a}|{b}".encode())).dirichlet([1, 1, 1])
                for a, b in pairs]
        return np.array(rows).reshape(-1, 3)


def flagged_pairs(report):
    return {(f.score.pair.a.id, f.score.pair.b.id) for f in report.findings}


@pytest.mark.parametrize("seed", range(12))
def test_auto_directions_flag_exactly_the_pairs_both_directions_flag(seed):
    both = run(HashScorer(seed), threshold=0.4)
    scorer = HashScorer(seed)
    auto = run(scorer, directions="auto", threshold=0.4)
    assert flagged_pairs(auto) == flagged_pairs(both)
    skipped = [s for s in auto.scores if s.probs_ba is None]
    assert auto.stats.pairs_reverse_skipped == len(skipped)
    assert auto.stats.pairs_scored == 2 * auto.stats.pairs_candidates - len(skipped)
    full = {(s.pair.a.id, s.pair.b.id): s for s in both.scores}
    for s in auto.scores:
        twin = full[(s.pair.a.id, s.pair.b.id)]
        if s.probs_ba is None:  # a->b alone flagged it; its probability is a lower bound of the full run's
            assert s.p_contradiction <= twin.p_contradiction + 1e-12 and s.direction == "a->b"
        else:
            assert s.probs == pytest.approx(twin.probs)
    # the second call asks only for the reverse of the pairs a->b left unflagged
    asked = set(scorer.calls[1]) if len(scorer.calls) > 1 else set()
    assert asked == {(s.pair.b.text, s.pair.a.text) for s in auto.scores if s.probs_ba is not None} - set(scorer.calls[0])


def test_auto_directions_skip_the_reverse_of_pairs_a_to_b_flags(fake_scorer):
    scorer = fake_scorer(default=(0.1, 0.1, 0.8))  # every a->b flags, except pairs holding a denial
    auto = run(scorer, directions="auto")
    denials = [s for s in auto.scores if s.pair.a.negated != s.pair.b.negated]
    assert denials and auto.stats.pairs_reverse_skipped == len(auto.scores) - len(denials)
    assert all(s.probs_ba is not None for s in denials)
    asked = [pair for call in scorer.calls for pair in call]
    assert len(asked) == len(set(asked)) == len(auto.scores)  # the denial's b->a is the same text as its a->b


def test_auto_directions_score_both_ways_when_the_calibration_is_decreasing():
    scorer = HashScorer(1)
    falling = ContradictionDecider.from_dict({"calibration": "platt", "fitted": True, "threshold_": 0.5,
                                              "calibrator_": {"kind": "platt", "coef": -1.0, "intercept": 0.0}})
    scorer.metadata = {"decision": falling.to_dict()}
    report = run(scorer, directions="auto")
    assert len(scorer.calls) == 1 and report.stats.pairs_reverse_skipped == 0
    assert all(s.probs_ba is not None for s in report.scores)


def test_unknown_directions_value_is_refused():
    with pytest.raises(ValueError, match="directions"):
        run(HashScorer(0), directions="sideways")


def test_auto_directions_score_both_ways_with_a_batch_dependent_scorer(fake_scorer):
    scorer = fake_scorer(default=(0.1, 0.1, 0.8))
    scorer.batch_invariant = False  # as ONNX int8: one activation scale per batch
    report = run(scorer, directions="auto")
    assert len(scorer.calls) == 1 and report.stats.pairs_reverse_skipped == 0


def test_min_band_leaves_out_weaker_findings_and_counts_them(fake_scorer):
    from contradict.errors import ConfigError
    from tests.conftest import FakeEmbedder, LineExtractor

    a, b = "the american side asked for the summit", "the russian side asked for the summit"
    v, g = "the summit will be held in vienna", "the summit will be held in geneva"
    story = Document(id="d2", source="Wire", text=(
        f"Ushakov | Russia | {a}\nLeavitt | United States | {b}\nPeskov | Russia | {v}\nRubio | United States | {g}\n"))
    table = {(b, a): (0.05, 0.05, 0.9), (v, g): (0.2, 0.3, 0.5)}

    def run_story(**kw):
        return compare([story], scorer=fake_scorer(table), extractor=LineExtractor(), embedder=FakeEmbedder(),
                       min_similarity=0.3, checks="none", **kw)

    everything = run_story()
    assert [(f.band, round(f.p_contradiction, 3)) for f in everything.findings] == [("strong", 0.9), ("possible", 0.5)]
    assert everything.stats.findings_below_min_band == 0 and everything.run["min_band"] is None

    strong = run_story(min_band="strong")
    assert [(f.band, round(f.p_contradiction, 3)) for f in strong.findings] == [("strong", 0.9)]
    assert strong.stats.findings == 1 and strong.stats.findings_below_min_band == 1
    assert strong.stats.findings_by_band == {"strong": 1, "possible": 0}
    assert strong.run["min_band"] == "strong"
    with pytest.raises(ConfigError, match="unknown band 'sure'"):
        run_story(min_band="sure")


def test_the_run_records_the_threshold_without_seventeen_digits(fake_scorer):
    report = run(fake_scorer(), threshold=0.38325723282097646)
    assert report.run["threshold"] == 0.383257
