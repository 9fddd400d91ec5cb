"""Issue 17: a speaker's stance frame, a trailing reaction participle and a "called" judgement are not
part of the claim's text."""

from __future__ import annotations

import pytest

from tests.conftest import extract_checked


def _texts(extractor, text):
    return [c.text for c in extract_checked(extractor, text)]


@pytest.mark.parametrize(
    "sentence, claim",
    [
        ("The harbour master said he had no doubt that the ferry would sail on Friday.", "the ferry would sail on Friday"),
        ("The harbour master said she could state that the ferry was seaworthy.", "the ferry was seaworthy"),
        ("The harbour master said it was clear that the ferry was seaworthy.", "the ferry was seaworthy"),
        ("The harbour master said he was confident that the ferry would sail.", "the ferry would sail"),
        ("The harbour master said he believed the ferry was seaworthy.", "the ferry was seaworthy"),
    ],
)
def test_stance_frame_inside_content_is_left_out(extractor, sentence, claim):
    claims = extract_checked(extractor, sentence)
    assert [c.text for c in claims] == [claim]
    assert claims[0].attribution == "said"


@pytest.mark.parametrize(
    "sentence",
    [
        "The harbour master said it was unclear whether the ferry was seaworthy.",
        "The harbour master said he doubted that the ferry was seaworthy.",
        "The harbour master said he was not sure that the ferry was seaworthy.",
    ],
)
def test_frames_that_do_not_assert_the_content_stay(extractor, sentence):
    texts = _texts(extractor, sentence)
    assert len(texts) == 1
    assert texts[0].startswith(("it was unclear", "he doubted", "he was not sure"))


def test_second_that_clause_after_a_stance_frame_is_kept(extractor):
    texts = _texts(extractor, "The coach said he had no doubt that the striker saw the foul, and that the referee missed it.")
    assert texts == ["the striker saw the foul", "the referee missed it"]


@pytest.mark.parametrize(
    "tail",
    ["pushing back against the mayor's account", "disputing the engineers' report", "responding to questions from the council"],
)
def test_trailing_reaction_participle_is_cut(extractor, tail):
    assert _texts(extractor, f"The harbour master said the ferry was seaworthy, {tail}.") == ["the ferry was seaworthy"]


def test_result_participle_stays_in_the_claim(extractor):
    texts = _texts(extractor, "The harbour master said the storm had sunk two boats, leaving the quay empty.")
    assert texts == ["the storm had sunk two boats, leaving the quay empty"]


def test_called_judgement_is_an_attributed_claim(extractor):
    claims = extract_checked(extractor, "Harbour Master Ines Varga called the inspection a careful and thorough review.")
    assert [c.text for c in claims] == ["the inspection a careful and thorough review"]
    assert claims[0].speaker.endswith("Ines Varga")


def test_called_with_adjective(extractor):
    claims = extract_checked(extractor, "The port authority called the complaints groundless.")
    assert [c.text for c in claims] == ["the complaints groundless"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The port authority called for a new inspection.",
        "The port authority called him a troublemaker.",
        "The inspection was called a farce by the union.",
    ],
)
def test_other_uses_of_called_give_no_claim(extractor, sentence):
    assert _texts(extractor, sentence) == []
