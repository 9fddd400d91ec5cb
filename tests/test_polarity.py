"""Negated claims and their positive forms (contradict.polarity).

Uses the session-wide ``nlp`` fixture of conftest.py (the extractor's spaCy pipeline, no lemmatizer).
"""

import pytest

from contradict.polarity import polarities, polarity, refuted_spans
from contradict.types import Polarity


def pol(nlp, text: str) -> Polarity:
    return polarity(nlp(text))


# -- main-clause negation ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, positive, cue", [
    ("The minister did not resign.", "The minister did resign.", "not"),
    ("The bridge was not damaged in the storm.", "The bridge was damaged in the storm.", "not"),
    ("The two leaders have never met in person.", "The two leaders have met in person.", "never"),
    ("The rebels never reached the capital.", "The rebels reached the capital.", "never"),
    ("The suspect has not been charged.", "The suspect has been charged.", "not"),
    ("The union didn't call a strike.", "The union did call a strike.", "n't"),
    ("The government won't raise taxes.", "The government will raise taxes.", "n't"),
    ("The court can't hear the case.", "The court can hear the case.", "n't"),
    ("The airline cannot refund the tickets.", "The airline can refund the tickets.", "not"),
    ("The mayor no longer supports the plan.", "The mayor supports the plan.", "no"),
    ("The negotiators have not yet signed the text.", "The negotiators have signed the text.", "not"),
])
def test_not_and_never_on_the_main_verb_are_removed(nlp, text, positive, cue):
    p = pol(nlp, text)
    assert (p.kind, p.positive, p.cue) == ("negation", positive, cue)
    assert p.negated


@pytest.mark.parametrize("text, positive, removed", [
    ("There was no plan for a ceasefire.", "There was a plan for a ceasefire.", "no"),
    ("No deal was signed at the summit.", "A deal was signed at the summit.", "No"),
    ("The navy found no evidence of sabotage.", "The navy found evidence of sabotage.", "no"),
    ("No civilians were hurt in the raid.", "Civilians were hurt in the raid.", "No"),
    ("The treaty contains no exit clause.", "The treaty contains an exit clause.", "no"),
    ("Nobody was arrested at the protest.", "Someone was arrested at the protest.", "Nobody"),
    ("No one answered the phone at the embassy.", "Someone answered the phone at the embassy.", "No one"),
    ("None of the ministers attended the meeting.", "Some of the ministers attended the meeting.", "None"),
    ("Inspectors found nothing at the site.", "Inspectors found something at the site.", "nothing"),
    ("Not a single vote was counted twice.", "A single vote was counted twice.", "Not"),
])
def test_negative_subjects_and_objects_are_made_positive(nlp, text, positive, removed):
    p = pol(nlp, text)
    assert (p.kind, p.positive, p.removed) == ("negation", positive, removed)


def test_negative_polarity_words_in_the_negated_clause_become_positive(nlp):
    assert pol(nlp, "The army did not fire any shells.").positive == "The army did fire some shells."
    assert pol(nlp, "The police haven't questioned anyone.").positive == "The police have questioned someone."
    assert pol(nlp, "The pilots did not see anything at all.").positive == "The pilots did see something."


def test_every_negated_main_verb_of_the_sentence_is_undone(nlp):
    p = pol(nlp, "The vote was not fair and did not follow the law.")
    assert p.positive == "The vote was fair and did follow the law."
    assert (p.cue, p.removed) == ("not", "not")
    assert pol(nlp, "The storm hit the coast, but the dam did not break.").positive == \
        "The storm hit the coast, but the dam did break."


def test_a_trailing_attribution_leaves_its_content_as_the_main_clause(nlp):
    p = pol(nlp, "The convoy did not cross the border, the ministry said.")
    assert p.positive == "The convoy did cross the border, the ministry said."


def test_only_the_first_negated_sentence_is_changed(nlp):
    p = pol(nlp, "The port reopened on Friday. No ships were damaged. The crew did not leave.")
    assert p.positive == "The port reopened on Friday. Ships were damaged. The crew did not leave."


# -- silent cases ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The minister resigned on Tuesday.",
    "Two soldiers were wounded near the border.",
    "The company not only cut jobs but also closed two plants.",
    "Not only did the talks fail, the envoy also left early.",
    "There is no doubt that the dam burst.",
    "It is no secret that the two parties distrust each other.",
    "The spokesman said the troops would not withdraw.",
    "Officials believe the fire was not an accident.",
    "The reform was passed, not least because of the opposition's votes.",
    "No more than 40 people attended the rally.",
    "The ruling was nothing but a formality.",
    "The talks did not begin until midnight.",
    "Local police, not the army, guarded the building.",
    "The board chose not to publish the audit.",
    "The rebels failed to take the airport.",
    "The government rejected the budget proposal.",
    "The border guards denied the reporters entry.",
])
def test_stays_silent(nlp, text):
    assert pol(nlp, text) == Polarity()
    assert not pol(nlp, text).negated


# -- denials -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, positive, removed", [
    ("The ministry denied that its warships entered the strait.",
     "The ministry's warships entered the strait.", "denied that"),
    ("Police denied that officers used tear gas.", "Officers used tear gas.", "denied that"),
    ("The club denied reports that the coach had been sacked.", "The coach had been sacked.",
     "denied reports that"),
    ("The embassy rejected claims that the ambassador was recalled.", "The ambassador was recalled.",
     "rejected claims that"),
    ("The army dismissed allegations that it shelled the village.", "The army shelled the village.",
     "dismissed allegations that"),
    ("Officials denied that any hostages were harmed.", "Some hostages were harmed.", "denied that"),
])
def test_denials_give_the_denied_clause(nlp, text, positive, removed):
    p = pol(nlp, text)
    assert (p.kind, p.positive, p.removed) == ("denial", positive, removed)


def test_denial_frame_continuation_is_cut_from_the_clause(nlp):
    p = pol(nlp, "The coastguard denied that the boat capsized, saying it ran aground.")
    assert p.positive == "The boat capsized."


@pytest.mark.parametrize("text, positive", [
    ("The militia denied planting the bomb.", "The militia planted the bomb."),
    ("The firm denied hiding the losses.", "The firm hid the losses."),
    ("The governor denied having ordered the curfew.", "The governor had ordered the curfew."),
    ("The rebels denied being involved in the kidnapping.", "The rebels were involved in the kidnapping."),
    ("The agency denied any involvement in the leak.", "The agency was involved in the leak."),
    ("The bank denied any role in the scheme.", "The bank played a role in the scheme."),
])
def test_denied_gerunds_and_nouns_become_a_sentence_about_the_denier(nlp, text, positive):
    p = pol(nlp, text)
    assert (p.kind, p.positive) == ("denial", positive)


def test_a_denial_without_a_readable_claim_has_no_positive_form(nlp):
    p = pol(nlp, "The palace denied the rumours.")
    assert (p.kind, p.positive, p.cue) == ("denial", None, "denied")


def test_a_negated_denial_is_a_negation_not_a_denial(nlp):
    p = pol(nlp, "The minister did not deny meeting the lobbyist.")
    assert p.kind == "negation"
    assert p.positive == "The minister did deny meeting the lobbyist."


# -- refutations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, positive, removed", [
    ("Reports that the governor fled the country are false.", "The governor fled the country.", "are false"),
    ("Claims that the factory leaked chemicals are completely baseless.", "The factory leaked chemicals.",
     "are completely baseless"),
    ("The suggestion that the ballots were forged is a lie.", "The ballots were forged.", "is a lie"),
    ("It is untrue that the senator took a bribe.", "The senator took a bribe.", "It is untrue that"),
    ("It is not true that the bridge collapsed.", "The bridge collapsed.", "It is not true that"),
    ("There is no truth to reports that the king is ill.", "The king is ill.",
     "There is no truth to reports that"),
])
def test_refutations_give_the_refuted_clause(nlp, text, positive, removed):
    p = pol(nlp, text)
    assert (p.kind, p.positive, p.removed) == ("refutation", positive, removed)


@pytest.mark.parametrize("text, positive", [
    # the parser makes the report noun the root and hangs "was untrue" on the refuted clause
    ("Kremlin spokesman Ivan Petrov's assertion that the American president had sought the summit and asked "
     "for it again and again was untrue.",
     "The American president had sought the summit and asked for it again and again."),
    ("Press secretary Maria Lopez's allegation that the Mexican leader had sought the meeting and asked for it "
     "again and again was untrue.", "The Mexican leader had sought the meeting and asked for it again and again."),
    ("The coach's claim that the referee was bribed is false.", "The referee was bribed."),
    ("Deputy foreign minister Anna Berg's allegation that the embassy was spying is baseless.",
     "The embassy was spying."),
    ("Reports that the bridge was mined were false, the army said.", "The bridge was mined."),
    ("It is untrue that the mayor resigned; the council dismissed him.", "The mayor resigned."),
])
def test_possessive_report_nouns_attributions_and_semicolons(nlp, text, positive):
    p = pol(nlp, text)
    assert (p.kind, p.positive) == ("refutation", positive)


@pytest.mark.parametrize("text", [
    "The finance minister's statement that the economy grew is true.",
    "The minister's assertion that exports rose was welcomed.",
])
def test_a_report_noun_that_is_not_called_false_is_no_refutation(nlp, text):
    assert pol(nlp, text).kind == "none"


def test_refuted_spans_cover_the_denied_or_refuted_clause(nlp):
    doc = nlp("Officials denied that the convoy was hit. It is untrue that the mayor resigned; the council "
              "dismissed him. The port reopened.")
    assert [doc[s:e].text for s, e in refuted_spans(doc)] == ["the convoy was hit", "the mayor resigned"]
    doc = nlp("The minister did not resign.")
    assert refuted_spans(doc) == []


def test_a_refuted_report_without_its_clause_is_declared_true(nlp):
    p = pol(nlp, "The casualty figure is totally untrue.")
    assert (p.kind, p.positive, p.cue, p.removed) == ("refutation", "The casualty figure is true.", "untrue",
                                                      "totally untrue")
    p = pol(nlp, "The statement is not accurate.")
    assert (p.kind, p.positive, p.cue) == ("refutation", "The statement is accurate.", "not")


def test_it_is_wrong_that_is_a_judgement_not_a_refutation(nlp):
    assert pol(nlp, "It is wrong that pensioners pay more tax.").kind != "refutation"


# -- many texts --------------------------------------------------------------------------------------

def test_polarities_maps_each_distinct_text(nlp):
    texts = ["The dam did not burst.", "The dam burst.", "The dam did not burst."]
    found = polarities(texts, nlp)
    assert list(found) == ["The dam did not burst.", "The dam burst."]
    assert found["The dam did not burst."].positive == "The dam did burst."
    assert found["The dam burst."] == Polarity()
