"""Speakers across the documents of one run: one person or body is one speaker, source and side."""

from __future__ import annotations

from pathlib import Path

import pytest

from contradict.extract import ClaimExtractor
from contradict.pipeline import compare
from contradict.read import read_documents
from contradict.sources import name_key
from contradict.types import Claim, Document
from tests.conftest import FakeEmbedder, FakeScorer

#: Three made-up outlets on a made-up harbor: Tom Berry is named in full in one and by surname only in
#: another; two different Coles speak, so a bare "Cole" elsewhere is ambiguous; "Police" and "police".
FIXTURE = {
    "harbor_gazette.txt": (
        "Source: Harbor Gazette\nTitle: Ferry terminal to close for repairs\n\n"
        "Port director Tom Berry said on Tuesday that the ferry terminal would close for repairs in May.\n\n"
        "Police said the harbor road would stay open during the works.\n\n"
        "Harbor engineer Ann Cole said the pier needed new pilings.\n"
    ),
    "valley_times.txt": (
        "Source: Valley Times\nTitle: Ferry terminal stays open, director says\n\n"
        "Berry told reporters that the ferry terminal would stay open all summer.\n\n"
        "The harbor road will be closed during the works, police said.\n\n"
        "Cole said the pier was safe for another decade.\n"
    ),
    "coast_ledger.txt": (
        "Source: Coast Ledger\nTitle: Two Coles, one pier\n\n"
        "Mayor Lisa Cole said the pier would be rebuilt next year.\n\n"
        "Cole said the pier did not need new pilings.\n"
    ),
}


@pytest.fixture
def harbor(tmp_path: Path) -> list[Document]:
    """The fixture as plain-text files in a folder, read as ``contradict claims <folder>`` reads them."""
    for name, text in FIXTURE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    documents, skipped = read_documents([tmp_path])
    assert not skipped
    return documents


def who(claims: list[Claim]) -> dict[tuple[str, str | None], tuple[str | None, str, str]]:
    """(document, speaker as written) -> (canonical speaker, source, side)."""
    return {(c.doc_id, c.speaker): (c.speaker_canonical, c.source, c.side) for c in claims}


def doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, source=f"Outlet {doc_id}", text=text)


def test_name_key_ignores_case_spacing_accents_and_outer_punctuation():
    assert name_key("Police") == name_key("police") == name_key("  the POLICE. ") == name_key("Police's")
    assert name_key("Stéphane  Dujarric") == name_key("stephane dujarric")
    assert name_key("Tom Berry") != name_key("Berry")


def test_a_surname_takes_the_one_full_name_used_in_another_document(nlp, harbor):
    got = who(ClaimExtractor(nlp=nlp).extract(harbor))
    assert got[("harbor_gazette", "Tom Berry")] == ("Tom Berry", "Tom Berry", "Tom Berry")
    # the speaker stays as written; canonical name, source and side are those of the full name
    assert got[("valley_times", "Berry")] == ("Tom Berry", "Tom Berry", "Tom Berry")


def test_a_surname_two_full_names_share_is_left_alone(nlp, harbor):
    got = who(ClaimExtractor(nlp=nlp).extract(harbor))
    assert got[("harbor_gazette", "Ann Cole")] == ("Ann Cole", "Ann Cole", "Ann Cole")
    assert got[("coast_ledger", "Lisa Cole")] == ("Lisa Cole", "Lisa Cole", "Lisa Cole")
    assert got[("coast_ledger", "Cole")] == ("Lisa Cole", "Lisa Cole", "Lisa Cole")  # within its document
    assert got[("valley_times", "Cole")] == ("Cole", "Cole", "Cole")  # Ann or Lisa: not guessed


def test_names_that_differ_only_in_case_are_one_source(nlp, harbor):
    got = who(ClaimExtractor(nlp=nlp).extract(harbor))
    # one "Police", one "police": the tie goes to the spelling seen first (coast_ledger, harbor_gazette, ...)
    assert got[("harbor_gazette", "Police")] == ("Police", "Police", "Police")
    assert got[("valley_times", "police")] == ("Police", "Police", "Police")


def test_the_spelling_most_claims_use_wins_whatever_the_order(nlp):
    docs = [
        doc("a", "Police said the harbor road would stay open during the works."),
        doc("b", "The harbor road will be closed during the works, police said."),
        doc("c", "The ferry will run on Sundays again, police said."),
    ]
    for order in (docs, docs[::-1]):
        claims = ClaimExtractor(nlp=nlp).extract(order)
        assert sorted(c.speaker for c in claims) == ["Police", "police", "police"]
        assert {(c.speaker_canonical, c.source, c.side) for c in claims} == {("police", "police", "police")}


def test_what_one_document_says_of_a_person_holds_in_the_others(nlp):
    claims = ClaimExtractor(nlp=nlp).extract([
        doc("a", "Berry told reporters that the ferry terminal would stay open all summer."),
        doc("b", "French engineer Tom Berry said the ferry terminal would close in May."),
    ])
    assert [(c.speaker, c.speaker_canonical, c.source, c.side) for c in claims] == [
        ("Berry", "Tom Berry", "Tom Berry", "France"),
        ("Tom Berry", "Tom Berry", "Tom Berry", "France"),
    ]


def test_a_surname_the_book_knows_keeps_the_books_person(nlp):
    claims = ClaimExtractor(nlp=nlp).extract([
        doc("a", "Mikhail Ushakov said the ferry terminal would close in May."),
        doc("b", "Ushakov said the summit would be held in Vienna."),
    ])
    assert [(c.speaker_canonical, c.source, c.side) for c in claims] == [
        ("Mikhail Ushakov", "Mikhail Ushakov", "Mikhail Ushakov"),
        ("Yury Ushakov", "Kremlin", "Russia"),
    ]


@pytest.mark.parametrize("by", ["side", "speaker"])
def test_compare_never_pairs_a_speaker_with_himself(nlp, harbor, by):
    # a scorer that finds every pair contradictory, and a pairer that keeps every cross-source pair
    report = compare(harbor, scorer=FakeScorer(default=(0.05, 0.05, 0.9)), extractor=ClaimExtractor(nlp=nlp),
                     embedder=FakeEmbedder(), by=by, threshold=0.5, top_k=100, min_similarity=-1.0)
    s = report.stats
    assert s.claims == 8
    assert s.pairs_candidates == s.pairs_considered == s.findings  # every cross-source pair, each flagged
    pairs = [(f.score.pair.a, f.score.pair.b) for f in report.findings]
    assert all(a.key(by) != b.key(by) and a.speaker_canonical != b.speaker_canonical for a, b in pairs)
    speakers = {frozenset((a.speaker, b.speaker)) for a, b in pairs}
    assert frozenset(("Tom Berry", "Berry")) not in speakers
    assert frozenset(("Police", "police")) not in speakers
    assert frozenset(("Tom Berry", "police")) in speakers  # different people still pair
    assert frozenset(("Ann Cole", "Cole")) in speakers  # the ambiguous Cole is not taken for either
