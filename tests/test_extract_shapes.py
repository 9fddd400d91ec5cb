"""Issue 17: sentence shapes of real wire copy that the parser splits or mislabels, and speakers named
before they speak (pronouns, role nouns, family names written first)."""

from __future__ import annotations

import pytest

from tests.conftest import extract_checked


def _said(extractor, text):
    return [(c.speaker, c.text) for c in extract_checked(extractor, text)]


# -- what the content is -----------------------------------------------------------------------


def test_cleft_content_keeps_its_that_clause(extractor):
    text = "The ministry issued a rebuttal on Sunday, saying it was Lisbon, not Madrid, that had asked for the talks."
    assert _said(extractor, text) == [("ministry", "it was Lisbon, not Madrid, that had asked for the talks")]


def test_a_subject_the_parser_split_off_stays_with_its_verb(extractor):
    text = ("Chief negotiator Oskar Lind said no vote took place, adding that the only delegates present "
            "had been Danish and Finnish.")
    assert [t for _, t in _said(extractor, text)] == [
        "no vote took place", "the only delegates present had been Danish and Finnish"]


def test_a_subject_hung_on_the_speech_verb_is_put_back(extractor):
    text = "Council chair Oskar Lind said Norway, like every member state, had a right to protect its fisheries."
    assert _said(extractor, text) == [
        ("Oskar Lind", "Norway, like every member state, had a right to protect its fisheries")]


def test_speech_inside_a_relative_clause_without_a_subject_is_no_claim(extractor):
    text = "The coast guard published a photograph it said was taken from the patrol boat."
    assert _said(extractor, text) == []


def test_quoted_content_of_a_said_clause_is_one_claim(extractor):
    text = 'The watchdog said on Monday that "the audit cannot be rushed", and that it would report in May.'
    assert _said(extractor, text) == [("watchdog", "the audit cannot be rushed"), ("watchdog", "it would report in May")]


# -- a frame between commas -------------------------------------------------------------------


def test_adjunct_before_a_parenthetical_frame_is_left_out(extractor):
    text = "Under those conditions, the regulator said, the merger would harm consumers."
    assert _said(extractor, text) == [("regulator", "the merger would harm consumers")]


def test_subject_before_a_parenthetical_frame_stays(extractor):
    text = "The merger, the regulator said, would harm consumers."
    assert _said(extractor, text) == [("regulator", "The merger, the regulator said, would harm consumers")]


def test_clauses_around_a_parenthetical_frame_are_two_claims(extractor):
    text = ("The tanker had been hailed six times, the navy said in a statement, and the crew "
            "had ignored every call.")
    claims = extract_checked(extractor, text)
    assert [c.text for c in claims] == ["The tanker had been hailed six times", "the crew had ignored every call"]
    assert {c.attribution for c in claims} == {"statement"}


def test_subjectless_clause_after_a_parenthetical_frame_is_left_out(extractor):
    text = "The tanker had been hailed six times, the navy said, and was boarded at dawn."
    assert [t for _, t in _said(extractor, text)] == ["The tanker had been hailed six times"]


def test_trailing_calling_is_a_judgement_of_its_own(extractor):
    text = ("The interior ministry on Tuesday rejected a report that 900 people were detained during the strike, "
            "calling the figure an invention.")
    claims = extract_checked(extractor, text)
    assert [(c.text, c.negated) for c in claims] == [
        ("900 people were detained during the strike", True), ("the figure an invention", False)]


# -- who speaks ----------------------------------------------------------------------------------


def test_pronoun_before_any_speaker_is_the_last_person_named(extractor):
    text = ('Transport Minister Ilse Brandt visited the depot on Monday. "No contract was signed," she said.')
    claims = extract_checked(extractor, text)
    assert [(c.speaker, c.speaker_pronoun, c.text) for c in claims] == [
        ("Ilse Brandt", "she", "No contract was signed")]


def test_role_noun_names_the_person_and_a_later_pronoun_follows(extractor):
    text = ("Tomas Varga, the mayor's chief aide, told reporters that the bridge would reopen in June. "
            "According to the aide, the repairs had cost less than planned. He said the tender was fair.")
    claims = extract_checked(extractor, text)
    assert [c.speaker_canonical for c in claims] == ["Tomas Varga"] * 3


def test_family_name_written_first_takes_the_full_name_and_its_description(extractor):
    text = ("Chinese Vice Premier Ding Xuexiang met the delegation on Friday. "
            "Ding told reporters that the port deal was close.")
    (claim,) = extract_checked(extractor, text)
    assert claim.speaker_canonical == "Ding Xuexiang"
    assert claim.side == "China"


@pytest.mark.parametrize(
    "text",
    [
        "Last week we reported that the ferry company had sold its fleet.",  # the writer's own voice
        "That said, no buyer for the fleet has come forward.",  # an idiom, not a speaker
    ],
)
def test_writer_and_demonstratives_are_no_speakers(extractor, text):
    assert _said(extractor, text) == []


def test_object_pronoun_as_subject_of_saying_is_resolved(extractor):
    text = "The skater Mia Lund posted a video on Sunday, with her saying she would compete in March."
    claims = extract_checked(extractor, text)
    assert [(c.speaker, c.speaker_pronoun, c.text) for c in claims] == [
        ("Mia Lund", "her", "she would compete in March")]


def test_bare_organisation_noun_is_the_last_organisation_of_that_kind(extractor):
    text = ("The Baltic Press Agency said the ferry had been sold. The agency said the buyer was Danish. "
            "The Nordic News Agency said no sale had taken place. The agency said talks were continuing.")
    claims = extract_checked(extractor, text)
    assert [c.speaker_canonical for c in claims] == [
        "Baltic Press Agency", "Baltic Press Agency", "Nordic News Agency", "Nordic News Agency"]
