"""Sources from the text itself: organisations named by a role, anonymous sources, conjoined speakers."""

from __future__ import annotations

import pytest

from contradict.extract import ClaimExtractor
from contradict.sources import SourceBook, anonymous_kind
from contradict.types import Document


@pytest.fixture(scope="module")
def extractor(nlp) -> ClaimExtractor:
    return ClaimExtractor(nlp=nlp)


def _rows(extractor: ClaimExtractor, *texts: str) -> list[tuple[str, str, str]]:
    docs = [Document(id=f"t{n}", source="Test Wire", text=t) for n, t in enumerate(texts)]
    return [(c.speaker, c.source, c.side) for c in extractor.extract(docs)]


def test_spokespeople_of_one_organisation_are_one_source(extractor):
    rows = _rows(
        extractor,
        "A spokesman for the Harbour Pilots' Guild said the ferries would stay in port until Friday.",
        "Mara Lind, a spokeswoman for Calder Freight, said the lorries had been turned back at the border.",
        "Piet Olsen, a spokesman for Calder Freight, said no drivers had been hurt in the delays.",
    )
    assert rows[0][1:] == ("Harbour Pilots' Guild", "Harbour Pilots' Guild")
    assert rows[1] == ("Mara Lind", "Calder Freight", "Calder Freight")
    assert rows[2] == ("Piet Olsen", "Calder Freight", "Calder Freight")


def test_possessive_role_takes_the_organisation_named_in_the_document(extractor):
    rows = _rows(
        extractor,
        "The Harbour Pilots' Guild voted to strike on Monday. "
        "The guild's spokesman said the vote had been nearly unanimous among members.",
    )
    assert rows == [("guild's spokesman", "Harbour Pilots' Guild", "Harbour Pilots' Guild")]


def test_possessive_role_without_a_named_organisation_stays_as_it_was(extractor):
    rows = _rows(extractor, "The guild's spokesman said the vote had been nearly unanimous among members.")
    assert rows == [("guild's spokesman", "guild's spokesman", "guild's spokesman")]


def test_organisation_side_comes_from_a_nationality_cue_or_the_book():
    book = SourceBook.default()
    assert book.resolve("Ivo Kask", "a spokesman for the Russian Grain Union") == (
        "Russian Grain Union", "Russia", "Ivo Kask")
    assert book.resolve("spokesman for the Kremlin").source == "Kremlin"
    assert book.organisation("a senior Russian official") is None


def test_bare_anonymous_sources_are_a_source_of_their_kind(extractor):
    rows = _rows(
        extractor,
        "Officials said the tunnel would reopen before the holidays.",
        "A senior official said the subsidy would be halved next spring.",
        "Two sources told the agency that the governor intended to step down.",
        "The ballot has been pushed back by a week, diplomats said.",
    )
    assert rows == [
        ("Officials", "anonymous officials", "anonymous officials"),
        ("senior official", "anonymous officials", "anonymous officials"),
        ("Two sources", "anonymous sources", "anonymous sources"),
        ("diplomats", "anonymous diplomats", "anonymous diplomats"),
    ]


def test_anonymous_sources_with_different_cues_stay_apart(extractor):
    rows = _rows(
        extractor,
        "A senior U.S. official said the tariffs would be dropped within weeks.",
        "Russian officials said the trucks carried nothing but flour and medicine.",
        "Officials said the checkpoint had been closed for repairs overnight.",
    )
    assert rows == [
        ("senior U.S. official", "senior U.S. official", "United States"),
        ("Russian officials", "Russian officials", "Russia"),
        ("Officials", "anonymous officials", "anonymous officials"),
    ]


def test_qualified_anonymous_sources_are_attributed(extractor):
    rows = _rows(extractor, "The governor intended to step down, according to people familiar with his plans.")
    assert rows == [("people familiar with his plans",) * 3]
    assert anonymous_kind("people familiar with his plans") == "sources"
    assert anonymous_kind("Jan Roe") is None and anonymous_kind("the ministry") is None


def test_conjoined_speakers(extractor):
    rows = _rows(
        extractor,
        "Police and prosecutors said the driver had left the scene before dawn.",
        "Peskov and Ushakov said the meeting had been called off for now.",
    )
    assert rows == [
        ("Police and prosecutors", "Police and prosecutors", "Police and prosecutors"),
        ("Peskov and Ushakov", "Kremlin", "Russia"),
    ]


def test_silent_cases_keep_resolving_as_before(extractor):
    rows = _rows(
        extractor,
        "Dmitry Peskov, the Kremlin spokesman, said the talks would resume in the spring.",
        "The company said the plant would shut at the end of the year.",
    )
    assert rows == [("Dmitry Peskov", "Kremlin", "Russia"), ("company", "company", "company")]
