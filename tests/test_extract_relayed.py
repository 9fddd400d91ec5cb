"""Attribution shapes of wire copy: fronted participle frames, relayed telling, role nouns across paragraphs."""

from __future__ import annotations

import pytest

from contradict.extract import ClaimExtractor
from contradict.types import Claim, Document
from tests.conftest import extract_checked


def extract(extractor: ClaimExtractor, text: str) -> list[Claim]:
    return extract_checked(extractor, text, "r")


def pairs(claims: list[Claim]) -> list[tuple[str | None, str]]:
    return [(c.speaker, c.text) for c in claims]


# -- 1. fronted participle frames ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("Briefing the cabinet on his journey on Tuesday, Halvorsen said the rebels would like to negotiate.",
         "Halvorsen", "the rebels would like to negotiate"),
        ("Speaking to reporters in Tromso, the minister said the ferry route would reopen in April.",
         "minister", "the ferry route would reopen in April"),
        ("Asked about the negotiations, Brandt said the delegation would fly to Vienna.",
         "Brandt", "the delegation would fly to Vienna"),
        ("Briefing Okafor on the visit, Halvorsen said: \"The rebels want a deal by summer.\"",
         "Halvorsen", "The rebels want a deal by summer."),
    ],
)
def test_fronted_participle_frame_is_not_the_speaker(extractor, text, speaker, content):
    claims = extract(extractor, text)
    assert pairs(claims) == [(speaker, content)]


def test_bare_yes_no_reply_is_no_claim(extractor):
    text = "Asked whether the rebels would disarm, Halvorsen said: \"No, they won't.\""
    assert extract(extractor, text) == []


def test_reply_with_content_is_kept(extractor):
    text = "Asked about the vote, Halvorsen said: \"No, the harbour tax will not rise this year.\""
    assert pairs(extract(extractor, text)) == [("Halvorsen", "No, the harbour tax will not rise this year.")]


def test_participle_clause_without_speech_is_no_claim(extractor):
    text = "Citing safety worries, the agency shut the mountain pass on Sunday."
    assert extract(extractor, text) == []


# -- 2. relayed attribution --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Halvorsen said Okafor had told him that the militia would withdraw from the valley.",
        "Halvorsen said Okafor told him the militia would withdraw from the valley.",
        "According to Halvorsen, Okafor told him that the militia would withdraw from the valley.",
    ],
)
def test_relayed_claim_belongs_to_the_one_who_told(extractor, text):
    claims = extract(extractor, text)
    assert pairs(claims) == [("Okafor", "the militia would withdraw from the valley")]
    assert all(c.speaker != "Halvorsen" for c in claims)


def test_relayer_stays_the_pronoun_antecedent(extractor):
    text = ("Halvorsen said Okafor had told him that the militia would withdraw from the valley. "
            "He added that the talks would continue in the spring.")
    claims = extract(extractor, text)
    assert [(c.speaker_pronoun, c.speaker, c.text) for c in claims] == [
        (None, "Okafor", "the militia would withdraw from the valley"),
        ("He", "Halvorsen", "the talks would continue in the spring"),  # the relayer, not Okafor
    ]


def test_said_someone_was_wrong_stays_the_speakers_claim(extractor):
    text = "Halvorsen said Okafor was wrong about the size of the militia."
    assert pairs(extract(extractor, text)) == [("Halvorsen", "Okafor was wrong about the size of the militia")]


def test_denied_telling_is_not_relayed(extractor):
    text = "Halvorsen said Okafor never told him that the militia would withdraw."
    assert [c.speaker for c in extract(extractor, text)] == ["Halvorsen"]


# -- 3. role nouns across paragraphs -----------------------------------------------------


def test_role_noun_resolves_to_the_last_person_with_that_role(extractor):
    text = ("Foreign Minister Maja Sorensen said the consulate would reopen in May.\n\n"
            "The negotiations lasted five hours.\n\n"
            "The minister added that the delegation had already left the capital.")
    claims = extract(extractor, text)
    assert pairs(claims) == [
        ("Maja Sorensen", "the consulate would reopen in May"),
        ("Maja Sorensen", "the delegation had already left the capital"),
    ]
    assert claims[0].source == claims[1].source


def test_role_noun_takes_the_latest_holder(extractor):
    text = ("Defence Minister Piet Hulst said the drills would end on Friday.\n\n"
            "Trade Minister Lotte Vinke said exports had fallen sharply.\n\n"
            "The minister said the figures would be revised next month.")
    claims = extract(extractor, text)
    assert [c.speaker for c in claims] == ["Piet Hulst", "Lotte Vinke", "Lotte Vinke"]


def test_role_noun_without_a_holder_stays(extractor):
    text = ("Mayor Anton Brix said the bridge would close.\n\n"
            "The spokeswoman said the closure would last a week.")
    claims = extract(extractor, text)
    assert [c.speaker for c in claims] == ["Anton Brix", "spokeswoman"]


def test_role_noun_after_its_use_is_not_used(extractor):
    text = ("The envoy said the ceasefire was holding.\n\n"
            "Special envoy Rana Aziz arrived in the capital on Monday and said the talks were stalled.")
    claims = extract(extractor, text)
    assert claims[0].speaker == "envoy"


def test_an_account_of_what_was_told_to_others_stays_the_speakers_claim(nlp):
    from contradict.extract import ClaimExtractor
    from contradict.types import Document

    text = "The residents' group said the council had told tenants that the rent would double in May."
    (claim,) = ClaimExtractor(nlp=nlp).extract([Document(id="d", source="Wire", text=text)])
    assert claim.speaker == "residents' group" and "the rent would double in May" in claim.text
