"""The number check: quantities, their ranges, and the conflicts between two claims.

Uses the session-wide spaCy pipeline ``nlp`` of ``tests/conftest.py`` (lemmatizer excluded).
"""

import math

import pytest

from contradict.numbers import conflicts, number_value, quantities
from contradict.types import NumberConflict, Document


def q(nlp, text):
    return quantities(nlp(text))


def one(nlp, text):
    (found,) = q(nlp, text)
    return found


def clash(nlp, a, b):
    return conflicts(q(nlp, a), q(nlp, b))


@pytest.mark.parametrize("words, value", [
    (["42,000"], 42000), (["1.5", "million"], 1.5e6), (["twenty", "five"], 25), (["twenty-five"], 25),
    (["dozen"], 12), (["three", "hundred"], 300), (["two", "thousand", "five", "hundred"], 2500),
    (["2bn"], 2e9), (["a", "thousand"], 1000),
    (["several"], None), ([], None),
])
def test_number_value(words, value):
    assert number_value(words) == value


def test_counted_nouns_are_singular_and_carry_the_number_as_written(nlp):
    found = one(nlp, "The exchange will cover 25 prisoners.")
    assert (found.unit, found.low, found.high, found.text) == ("prisoner", 25, 25, "25 prisoners")
    # people hurt are a count of the injured, a kind of them a part of it (was ["person", "child"])
    assert [x.unit for x in q(nlp, "Officials said 12 people and 3 children were hurt.")] == [
        "injured", "injured child"]


@pytest.mark.parametrize("text, low, high", [
    ("There were about 30,000 fans in the stadium.", 24000, 36000),
    ("More than 300 people attended the rally.", 300, math.inf),
    ("Up to 300 troops will stay in the city.", 0, 300),
    ("At least 25 political prisoners were freed.", 25, math.inf),
    ("Fewer than ten people came.", 0, 10),
    ("Almost 500 houses burned.", 400, 500),  # almost X: [80% X, X]
    ("Nearly 500 houses burned.", 400, 500),
    ("As many as 300 houses burned.", 0, 300),  # a maximum, not a minimum
    ("200 houses or more burned.", 200, math.inf),
    ("Well over 70 cars were towed.", 70, math.inf),
])
def test_hedges_widen_the_range(nlp, text, low, high):
    found = one(nlp, text)
    assert found.low == pytest.approx(low) and found.high == high


# -- numbers in words, magnitudes, ranges --------------------------------------------------------

@pytest.mark.parametrize("text, low, high", [
    ("Dozens of houses burned.", 24, 99),
    ("Hundreds of houses burned.", 200, 999),
    ("Thousands of houses burned.", 2000, 99999),
    ("Tens of thousands of houses burned.", 20000, 99999),
    ("A handful of houses burned.", 2, 10),
    ("Several hundred houses burned.", 200, 999.9),
    ("A dozen houses burned.", 12, 12),
    ("The city has 1.5 million residents.", 1.5e6, 1.5e6),
    ("The city has 1.5m residents.", 1.5e6, 1.5e6),
    ("Far more than half a million vans carry the faulty part.", 5e5, math.inf),
    ("Forty-five houses burned.", 45, 45),
])
def test_numbers_in_words_and_magnitudes(nlp, text, low, high):
    found = one(nlp, text)
    assert found.low == pytest.approx(low) and found.high == pytest.approx(high)


def test_rounded_numbers_carry_their_slack(nlp):
    assert one(nlp, "The city has 1.5 million residents.").slack == pytest.approx(5e4)
    assert one(nlp, "A dozen houses burned.").slack == 2
    assert one(nlp, "Exactly 4,312 houses burned.").slack == 0
    assert clash(nlp, "The city has 1.5m residents.", "The city has 1.52 million residents.") == ()
    assert clash(nlp, "The city has 1.5m residents.", "The city has 2 million residents.") != ()


@pytest.mark.parametrize("text", [
    "Between 200 and 400 people were evacuated.", "200 to 400 people were evacuated.",
    "200-400 people were evacuated.",
])
def test_ranges_are_read_as_low_and_high(nlp, text):
    found = one(nlp, text)
    assert (found.low, found.high) == (200, 400)
    assert conflicts([found], q(nlp, "150 people were evacuated.")) != ()
    assert conflicts([found], q(nlp, "300 people were evacuated.")) == ()


def test_written_ranges_and_alternatives(nlp):
    for text, low, high in (("Officials gave a 200-to-400 range.", 200, 400), ("Two or three buildings collapsed.", 2, 3)):
        found = one(nlp, text)
        assert (found.low, found.high) == (low, high)
    assert clash(nlp, "Between 100 and 300 people were killed.", "50 people were killed.") != ()
    assert clash(nlp, "Between 100 and 300 people were killed.", "150 people were killed.") == ()


# -- money --------------------------------------------------------------------------------------

def test_money_keeps_its_currency_in_the_unit(nlp):
    (deal,) = q(nlp, "They signed a $5 billion deal.")
    assert deal.unit == "$ deal" and deal.low == 5e9
    assert conflicts([deal], q(nlp, "They signed a $3 billion deal.")) != ()


def test_money_needs_the_same_currency_and_folds_its_spellings(nlp):
    dollars = one(nlp, "The club spent $2bn on players.")
    assert (dollars.unit, dollars.low, dollars.kind) == ("$ spend", 2e9, "money")
    assert conflicts([dollars], q(nlp, "The club spent 2 billion dollars on players.")) == ()
    assert one(nlp, "The club spent 2 billion dollars on players.").unit == "$ spend"
    assert conflicts([dollars], q(nlp, "The club spent \u20ac5bn on players.")) == ()  # another currency
    assert conflicts([dollars], q(nlp, "The club spent $5bn on players.")) != ()


# -- shares -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Turnout was 64 percent.", "Turnout reached 64 percent in the runoff.", "The referendum had a turnout of 64%.",
    "A 64 per cent turnout was reported.", "64 percent of voters took part in the ballot.",
])
def test_turnout_in_its_wordings_is_one_unit(nlp, text):
    found = one(nlp, text)
    assert (found.unit, found.low, found.high, found.kind) == ("% turnout", 64, 64, "percent")
    assert conflicts([found], q(nlp, "Turnout stood at 41%.")) != ()
    assert conflicts([found], q(nlp, "Turnout was 64.3 percent.")) == ()  # rounding


def test_fractions_are_shares_of_what_follows(nlp):
    third = one(nlp, "Nearly a third of the workers lost their jobs.")
    assert third.unit == "% of worker lose job" and third.high == pytest.approx(100 / 3)
    half = one(nlp, "Half of the town's residents left.")
    assert (half.low, half.high) == (40, 60)  # a fraction is read +- 20%
    assert one(nlp, "More than half of the members voted against it.").low == 50
    assert one(nlp, "More than three-quarters of the members voted against it.").low == 75


def test_shares_conflict_only_for_the_same_group_and_predicate(nlp):
    backed = "64% of members backed the merger."
    assert clash(nlp, backed, "A third of members backed the merger.") != ()
    assert clash(nlp, "35% of members backed the merger.", "A third of members backed the merger.") == ()
    assert clash(nlp, backed, "31% of members backed the strike.") == ()  # backed something else
    assert clash(nlp, backed, "31% of managers backed the merger.") == ()  # another group
    assert clash(nlp, "Prices saw a 5% rise.", "Prices saw a 9% rise.") != ()
    assert clash(nlp, "Turnout in Lyon was 64 percent.", "Turnout was 41 percent.") == ()  # a place: another unit


# -- counts of people ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, unit, value", [
    ("Eleven people were killed when the bridge collapsed.", "dead", 11),
    ("The collapse killed 11.", "dead", 11),
    ("11 died when the bridge collapsed.", "dead", 11),
    ("The toll stood at 15.", "dead", 15),
    ("The death toll from the collapse is 15.", "dead", 15),
    ("A toll of 15 was confirmed by the mayor.", "dead", 15),
    ("The number of people killed is 15.", "dead", 15),
    ("The blast left 15 people dead.", "dead", 15),
    ("The fire injured 23 firefighters.", "injured firefighter", 23),
    ("Twenty-three people were wounded.", "injured", 23),
    ("Police detained 40 people.", "arrested", 40),
    ("40 demonstrators were arrested.", "arrested demonstrator", 40),
    ("5,000 took part in the march.", "participants", 5000),
    ("The rally was attended by 5,000 people.", "participants", 5000),
    ("Some 5,000 protesters gathered outside parliament.", "participants", 5000),
])
def test_counts_of_people_under_their_wordings(nlp, text, unit, value):
    found = [x for x in q(nlp, text) if x.unit == unit]
    assert len(found) == 1 and found[0].low <= value <= found[0].high


def test_a_count_of_people_as_subject_object_and_predicate_conflicts(nlp):
    assert clash(nlp, "The collapse killed 11 people.", "The death toll from the collapse is 15.") == (
        NumberConflict(unit="dead", a="killed 11 people", b="toll from the collapse is 15"),)
    assert clash(nlp, "Nine died in the fire.", "The fire killed 14.") != ()
    assert clash(nlp, "Eleven people were killed.", "Thirty people were injured.") == ()  # other units
    assert clash(nlp, "Police detained 40 people.", "Officers arrested 12 people.") != ()
    assert clash(nlp, "More than 1,000 people marched.", "About 800 protesters took part.") != ()
    assert clash(nlp, "Dozens of people were hurt.", "12 people were injured.") != ()


def test_nobody_is_a_count_of_zero_and_a_whole_is_not_below_its_part(nlp):
    assert one(nlp, "Nobody was injured in the blast.").unit == "injured"
    assert clash(nlp, "Nobody was injured in the blast.", "Four people were wounded in the blast.") != ()
    assert clash(nlp, "No one died in the raid.", "Guards shot three inmates dead.") == ()  # not read: no count
    assert clash(nlp, "No one died in the raid.", "Three inmates were killed in the raid.") != ()  # part of nobody
    assert clash(nlp, "The death toll is 12.", "Fifteen soldiers were killed.") != ()  # a part above its whole
    assert clash(nlp, "The death toll is 20.", "Fifteen soldiers were killed.") == ()


# -- deadlines ----------------------------------------------------------------------------------

def test_years_that_end_something_conflict_for_the_same_holder(nlp):
    until = one(nlp, "The contract was extended until 2031.")
    assert (until.unit, until.low, until.kind, until.text) == ("contract extend until", 2031, "year", "until 2031")
    assert conflicts([until], q(nlp, "Madrid extended the contract until 2035.")) != ()
    assert conflicts([until], q(nlp, "The lease was extended until 2035.")) == ()  # another holder
    assert clash(nlp, "The ban on exports runs until 2030.", "The ban on exports runs until 2030.") == ()
    assert clash(nlp, "The country pledged to cut emissions by 2030.",
                 "The country pledged to cut emissions by 2040.") != ()
    assert clash(nlp, "The country pledged to cut emissions by 2030.", "It will build the dam by 2040.") == ()
    assert clash(nlp, "The treaty was signed in 2019.", "The treaty was signed in 2021.") == ()  # a time


# -- what stays silent --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The presidents will meet in Vienna on March 14.", "The summit would last three days.",  # dates and times
    "The match ended in a draw.",
    "A 45-year-old man was arrested.", "A man, 45, was detained.", "The suspect, aged 45, was detained.",  # ages
    "He was 45 when he was arrested.",
    "He came third in the race.", "The team won its fifth title.",  # ordinals
    "The treaty was signed in 2019.", "The 2019 election was close.",  # years as times
    "The plane, Flight 302, crashed.", "Article 5 was invoked.",  # names
    "The 15-member panel met.",  # a modifier
    "The sides swapped 90 prisoners each.",  # distributive
    "Police detained 30 more.", "Another 30 were detained.",  # increments
    "Officials said 28 were killed or missing.",  # a disjunction
    "The town's population was 7,861.",  # the value of a plain noun
    "The talks lasted half an hour.",
])
def test_what_is_not_a_quantity(nlp, text):
    assert q(nlp, text) == []


@pytest.mark.parametrize("a, b", [
    ("The company reported 1,301 deaths.", "More than 1,000 people died."),  # 1,301 is more than 1,000
    ("About 1,300 people were evacuated.", "1,301 people were evacuated."),
    ("1,300 people were evacuated.", "1,301 people were evacuated."),  # within 1%
    ("The death toll has risen to 20.", "12 people were killed in the first hours."),  # a count that changes
    ("The toll rose to 20.", "12 people were killed."),
    ("Nine people died, officials said later.", "The toll stood at 14."),
    ("Twelve people were killed on Monday.", "Twenty people were killed on Tuesday."),  # different dates
    ("Twelve people were killed in Kabul.", "Twenty people were killed in Kandahar."),  # different places
    ("Forty prisoners, including 25 soldiers, were freed.", "The deal freed 25 soldiers."),  # a part
    ("Ten people die on the roads every day.", "Ninety people died on the roads last month."),  # a rate
    ("A 45-year-old man was arrested.", "A 52-year-old man was arrested."),  # ages
    ("The treaty expires in 2026.", "The treaty expires in 2031."),  # years as times
    ("Rebels freed 12 of the 40 hostages.", "Rebels freed 30 of the 40 hostages."),  # parts
    ("One of the 12 victims was a child.", "Three of the 12 victims were children."),
    ("There are two workers, one is bent over.", "One worker is bending over."),  # one of the parts
])
def test_compatible_or_incomparable_values_are_silent(nlp, a, b):
    assert clash(nlp, a, b) == () and clash(nlp, b, a) == ()


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


def test_qualified_counts_and_counts_of_parts_are_not_conflicts(nlp):
    forty = q(nlp, "40 prisoners will be exchanged.")
    assert conflicts(forty, q(nlp, "25 political prisoners will be exchanged.")) == ()  # maybe a part of the 40
    parts = q(nlp, "One man is resting while the other two men work.")
    assert conflicts(parts, q(nlp, "Three men are working.")) == ()  # 1 + 2 men may be the three
    assert conflicts(q(nlp, "Three men are working."), q(nlp, "Five men are working.")) != ()
    assert clash(nlp, "Two girls play while another child watches.", "Three children are playing.") == ()


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
    assert report.stats.findings_numbers_only == 1 and "numbers" in report.run["checks"]
    assert report.stats.findings_by["numbers"] == 1


def test_pipeline_number_check_is_vetoed_by_entailment_and_can_be_switched_off(fake_scorer):
    a, b = "40 prisoners will be exchanged before the summit", "The exchange will cover 25 prisoners"
    assert run(fake_scorer({(a, b): (0.1, 0.8, 0.1), (b, a): (0.6, 0.3, 0.1)})).findings == []
    assert run(fake_scorer(), checks=("negation", "agents")).findings == []


def test_a_model_finding_keeps_the_numbers_as_evidence(fake_scorer):
    report = run(fake_scorer(default=(0.05, 0.05, 0.9)))
    by_numbers = [f for f in report.findings if f.number_conflicts]
    assert len(by_numbers) == 1 and by_numbers[0].flagged_by == ("model", "numbers")
    assert report.stats.findings_numbers_only == 0
