"""Wire copy: datelines, bylines and headings are dropped before parsing and never become speakers or claims."""

from __future__ import annotations

import pytest

from contradict.extract import ClaimExtractor, wire_furniture
from contradict.types import Claim, Document
from tests.conftest import extract_checked


def extract(extractor: ClaimExtractor, text: str) -> list[Claim]:
    return extract_checked(extractor, text, "w")


def dropped(extractor: ClaimExtractor) -> list[tuple[str, str]]:
    return [(d.reason, d.text.strip()) for d in extractor.dropped_]


def speakers(claims: list[Claim]) -> list[str | None]:
    return [c.speaker for c in claims]


def test_dateline_with_country_date_and_outlet(extractor):
    text = "TRIPOLI, Libya, June 8 (Coastal Wire) - The harbour guard said the ferry had left before dawn."
    claims = extract(extractor, text)
    assert [(c.speaker, c.text) for c in claims] == [("harbour guard", "the ferry had left before dawn")]
    assert dropped(extractor) == [("dateline", "TRIPOLI, Libya, June 8 (Coastal Wire) -")]


def test_dateline_with_only_a_city_is_no_speaker(extractor):
    text = "OSLO - Fishermen will stay in port until the storm passes, the coast authority said on Monday."
    claims = extract(extractor, text)
    assert speakers(claims) == ["coast authority"]
    assert claims[0].text == "Fishermen will stay in port until the storm passes"
    assert "OSLO" not in claims[0].text
    assert dropped(extractor) == [("dateline", "OSLO -")]


def test_em_dash_dateline_with_outlet_and_quote(extractor):
    text = "HELSINKI (Nordic Desk) \u2014 \u201cThe bridge is safe to cross again,\u201d the mayor said on Friday."
    claims = extract(extractor, text)
    assert [(c.speaker, c.attribution, c.text) for c in claims] == [
        ("mayor", "quote", "The bridge is safe to cross again")
    ]
    assert all("HELSINKI" not in (c.speaker or "") and "HELSINKI" not in c.source for c in claims)
    assert dropped(extractor) == [("dateline", "HELSINKI (Nordic Desk) \u2014")]


def test_date_only_dateline(extractor):
    text = "PORTLAND, Oct. 2 \u2014 The county sheriff said the road would reopen by noon."
    claims = extract(extractor, text)
    assert speakers(claims) == ["county sheriff"]
    assert [r for r, _ in dropped(extractor)] == ["dateline"]


def test_byline_and_credit_line_are_no_claims(extractor):
    text = (
        "By Mara Quill and Teo Brandt\n\n"
        "ROME (Southern Wire) - The transport minister said the rail strike would end on Thursday.\n\n"
        "(Reporting by Mara Quill; Editing by Teo Brandt)"
    )
    claims = extract(extractor, text)
    assert [(c.speaker, c.text) for c in claims] == [
        ("transport minister", "the rail strike would end on Thursday")
    ]
    assert dropped(extractor) == [
        ("byline", "By Mara Quill and Teo Brandt"),
        ("dateline", "ROME (Southern Wire) -"),
        ("byline", "(Reporting by Mara Quill; Editing by Teo Brandt)"),
    ]


def test_all_caps_subheading_is_not_glued_to_the_next_quote(extractor):
    text = (
        "The union said the talks had stalled over pensions.\n"
        "VOTE EXPECTED IN SPRING\n"
        "\u201cOur members want a clear offer on the table,\u201d the union leader said."
    )
    claims = extract(extractor, text)
    assert [c.text for c in claims] == [
        "the talks had stalled over pensions",
        "Our members want a clear offer on the table",
    ]
    assert not any("VOTE" in c.text for c in claims)
    assert dropped(extractor) == [("heading", "VOTE EXPECTED IN SPRING")]


def test_all_caps_heading_between_paragraphs(extractor):
    text = (
        "The council said the bridge would close for repairs.\n\n"
        "'TRAFFIC CHAOS'\n\n"
        "Drivers will face long detours, the police said."
    )
    claims = extract(extractor, text)
    assert [(c.speaker, c.text) for c in claims] == [
        ("council", "the bridge would close for repairs"),
        ("police", "Drivers will face long detours"),
    ]
    assert dropped(extractor) == [("heading", "'TRAFFIC CHAOS'")]


def test_title_case_heading_without_a_verb(extractor):
    text = (
        "The ministry said exports rose in March.\n\n"
        "Questions Over the Figures\n\n"
        "Analysts said the numbers had been revised twice."
    )
    claims = extract(extractor, text)
    assert speakers(claims) == ["ministry", "Analysts"]
    assert claims[1].text == "the numbers had been revised twice"
    assert dropped(extractor) == [("heading", "Questions Over the Figures")]


def test_unattributed_sentences_leave_headings_out(nlp):
    ex = ClaimExtractor(nlp=nlp, include_unattributed=True)
    text = "SOFIA - Prices rose sharply in the capital this week.\n\nHOUSING SQUEEZE\n\nRents climbed by a tenth."
    claims = extract(ex, text)
    assert [c.text for c in claims] == ["Prices rose sharply in the capital this week.", "Rents climbed by a tenth."]


# -- silent cases: nothing is dropped ---------------------------------------------------------


def test_acronym_speaker_inside_a_sentence_is_kept(extractor):
    claims = extract(extractor, "NATO said the exercise in the Baltic would go ahead as planned.")
    assert speakers(claims) == ["NATO"]
    assert claims[0].text == "the exercise in the Baltic would go ahead as planned"
    assert extractor.dropped_ == []


def test_short_sentence_on_its_own_line_is_not_a_heading(extractor):
    text = "The mayor said the market would reopen.\nThe vote was close.\nThe governor said the budget was balanced."
    claims = extract(extractor, text)
    assert speakers(claims) == ["mayor", "governor"]
    assert extractor.dropped_ == []


@pytest.mark.parametrize(
    "text",
    [
        "By Friday, the ministry said, the pipeline would be repaired.",
        "The minister said the deal\nPrime Minister Ola Berg\nhad signed was fair.",  # a hard-wrapped line
        "U.S. officials said the embargo would stay.",
        "A TINY village voted to leave the county, its council said.",
        "Talks Are Over\n\nThe envoy said the ceasefire held.",  # title case, but a sentence with a verb
    ],
)
def test_prose_is_not_furniture(text):
    assert wire_furniture(text) == []


# -- the claims command lists what was dropped ------------------------------------------------


def test_claims_command_lists_dropped_lines():
    from typer.testing import CliRunner

    from contradict.cli.main import app

    text = "By Mara Quill\n\nOSLO (Harbour Desk) - The coast authority said the ferry would sail at noon.\n"
    table = CliRunner().invoke(app, ["claims", "-", "--source", "Wire", "--table", "--dropped"], input=text)
    assert table.exit_code == 0, table.output
    assert "Left out before extraction" in table.stdout
    assert "byline" in table.stdout and "dateline" in table.stdout and "OSLO (Harbour Desk) -" in table.stdout
    jsonl = CliRunner().invoke(app, ["claims", "-", "--source", "Wire", "--dropped"], input=text)
    assert jsonl.exit_code == 0, jsonl.output
    assert "(dateline): OSLO (Harbour Desk) -" in jsonl.stderr and "OSLO" not in jsonl.stdout
    plain = CliRunner().invoke(app, ["claims", "-", "--source", "Wire", "--table"], input=text)
    assert "Left out" not in plain.stdout
    short = CliRunner().invoke(app, ["claims", "-", "--source", "Wire", "--table", "-v"], input=text)
    assert short.stdout == table.stdout  # -v is --dropped


def test_claims_command_says_when_nothing_was_dropped():
    from typer.testing import CliRunner

    from contradict.cli.main import app

    text = "The coast authority said the ferry would sail at noon.\n"
    table = CliRunner().invoke(app, ["claims", "-", "--source", "Wire", "--table", "-v"], input=text)
    assert table.exit_code == 0, table.output
    assert "Nothing was left out before extraction" in table.stdout and "Left out before" not in table.stdout
