"""Shapes of attribution from real wire copy (issue 17): two that-clauses joined by "and"/"but" are
two claims, and a speech verb conjoined to the content is the speaker's next act, not content."""

from __future__ import annotations

import pytest

from contradict.extract import ClaimExtractor
from contradict.types import Document


@pytest.fixture(scope="module")
def extractor(nlp) -> ClaimExtractor:
    return ClaimExtractor(nlp=nlp)


def _claims(extractor: ClaimExtractor, text: str) -> list[tuple[str | None, str]]:
    doc = Document(id="d", source="Wire", text=text)
    claims = extractor.extract([doc])
    for c in claims:
        assert text[c.span[0]:c.span[1]] == c.text
    return [(c.speaker_canonical, c.text) for c in claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry said the convoy had stayed inside the border for the entire trip, "
         "and that this had been logged by independent sensors.",
         [("ministry", "the convoy had stayed inside the border for the entire trip"),
          ("ministry", "this had been logged by independent sensors")]),
        ("Lopez told the court that he had locked the gate because he feared a burglar, "
         "and that he believed his brother was asleep upstairs.",
         [("Lopez", "he had locked the gate because he feared a burglar"),
          ("Lopez", "he believed his brother was asleep upstairs")]),
        ("Harmon said that the tender had been fair but that two bidders had withdrawn early.",
         [("Harmon", "the tender had been fair"), ("Harmon", "two bidders had withdrawn early")]),
    ],
)
def test_conjoined_that_clauses_are_two_claims(extractor, text, expected):
    assert _claims(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The mayor said flood barriers were a serious priority and told engineers to finish the work "
         "before winter.", "flood barriers were a serious priority"),
        ("Okafor said the bridge was safe for traffic and warned drivers to slow down near the works.",
         "the bridge was safe for traffic"),
    ],
)
def test_speech_verb_joined_to_content_is_left_out(extractor, text, content):
    assert [t for _, t in _claims(extractor, text)] == [content]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a plain "and" between clauses without "that" stays one claim
        ("The agency said prices rose in March and wages fell in April.",
         "prices rose in March and wages fell in April"),
        # a conjoined verb that is not a speech verb stays in the content
        ("Duarte said the company had cut costs and hired forty engineers.",
         "the company had cut costs and hired forty engineers"),
        # "and that" inside a noun phrase (not a second reported clause): nothing to split
        ("Reyes said the rumour that the mill would close and that jobs would go was false.",
         "the rumour that the mill would close and that jobs would go was false"),
    ],
)
def test_silent_cases(extractor, text, content):
    assert [t for _, t in _claims(extractor, text)] == [content]


def test_other_speaker_joined_by_and_keeps_its_claim_and_drops_the_and(extractor):
    text = "Silva said the vote was fair and the opposition claimed it was rigged."
    assert _claims(extractor, text) == [("Silva", "the vote was fair"), ("opposition", "it was rigged")]
