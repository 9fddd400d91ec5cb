"""Reported speech the small parser gets wrong, and attribution adjuncts left in claim texts.

Each sentence is a document of its own; the expected claims are the speaker as written, the
attribution and the claim text, which is the content only: no "in a statement", "on Monday",
"to reporters", ", adding that ..." of the speech act.
"""

from __future__ import annotations

import pytest

from contradict.extract import ClaimExtractor
from tests.test_extract import extract


@pytest.fixture(scope="module")
def extractor(nlp) -> ClaimExtractor:
    return ClaimExtractor(nlp=nlp)


def claims_of(extractor: ClaimExtractor, text: str) -> list[tuple[str | None, str, str]]:
    """(speaker as written, attribution, text) of each claim; spans are checked against the text."""
    return [(c.speaker, c.attribution, c.text) for c in extract(extractor, text, outlet="Wire")]


REPORTED = [
    # "X said (that) ..." / "X told ..." with a time, place or venue between the verb and the content
    ("Finance Minister Carla Ruiz said that the budget deficit would narrow to 3.1 percent next year.",
     "Carla Ruiz", "said", "the budget deficit would narrow to 3.1 percent next year"),
    ("The company said on Tuesday that it would cut 1,200 jobs by the end of the year.",
     "company", "said", "it would cut 1,200 jobs by the end of the year"),
    ("Police said three people had been arrested after the clashes in Lyon.",
     "Police", "said", "three people had been arrested after the clashes in Lyon"),
    ("A spokesman for the ministry said the talks would resume next week.",
     "spokesman for the ministry", "said", "the talks would resume next week"),
    ("Harbour Authority chief Tomas Brandt told reporters on Monday that the port would reopen within days.",
     "Tomas Brandt", "told", "the port would reopen within days"),
    ("Mayor Elena Vasquez said in a statement that the water supply had been restored to most districts.",
     "Elena Vasquez", "statement", "the water supply had been restored to most districts"),
    ("Interior Minister Paul Dorsey said late on Friday the plan was still under review.",
     "Paul Dorsey", "said", "the plan was still under review"),
    ("The central bank said in Frankfurt on Thursday that inflation had peaked.",
     "central bank", "said", "inflation had peaked"),
    ("Economy Minister Lena Fischer told parliament on Wednesday that growth would slow to 1.2 percent.",
     "Lena Fischer", "told", "growth would slow to 1.2 percent"),
    ("Police Chief Dan Moreau said at a news conference that the gunman had acted alone.",
     "Dan Moreau", "said", "the gunman had acted alone"),
    ("The foreign ministry said late on Thursday that the ambassador had been summoned.",
     "foreign ministry", "said", "the ambassador had been summoned"),
    ("The airline said Monday that 40 flights had been cancelled.",
     "airline", "said", "40 flights had been cancelled"),
    ("Ruiz told The Associated Press in an interview that the border would stay closed.",
     "Ruiz", "told", "the border would stay closed"),
    ("The ministry said in a statement on Sunday that 14 soldiers had been wounded.",
     "ministry", "statement", "14 soldiers had been wounded"),
    # the that-clause parsed as a relative clause of a noun in the frame
    ("Northwind Energy chief executive Jonas Berg told analysts on a conference call that output would rise "
     "5 percent this year.", "Jonas Berg", "told", "output would rise 5 percent this year"),
    ("The ministry told a briefing that 40 rockets had been fired.",
     "ministry", "told", "40 rockets had been fired"),
    ("The general told troops during a visit to the front that reinforcements were on the way.",
     "general", "told", "reinforcements were on the way"),
    ("The company told regulators in a filing that it had been hacked.",
     "company", "told", "it had been hacked"),
    ("The coach told a press conference after the game that his players were exhausted.",
     "coach", "told", "his players were exhausted"),
    # a frame after the content, with its adjuncts
    ("The summit has not been postponed, the White House said in a statement on Monday.",
     "White House", "statement", "The summit has not been postponed"),
    ("Ticket prices will rise by 8 percent in January, the transport authority said late on Tuesday.",
     "transport authority", "said", "Ticket prices will rise by 8 percent in January"),
    ("The plant will not close, the company said, in a statement on Monday.",
     "company", "statement", "The plant will not close"),
    ("The border will stay closed, said Ruiz, the interior minister.",
     "Ruiz", "said", "The border will stay closed"),
    ("The plant will close in March, Ruiz told reporters on Monday, without giving details.",
     "Ruiz", "told", "The plant will close in March"),
    # an adjunct of the speech act that the parser hung on the content
    ("Northwind Energy denied that the plant would close, in a statement on Monday.",
     "Northwind Energy", "denied", "the plant would close"),
    ("The White House denied that the summit had been postponed, in a statement.",
     "White House", "denied", "the summit had been postponed"),
    ("Avital denied that shots had been fired, speaking to reporters on Friday.",
     "Avital", "denied", "shots had been fired"),
    ("Ruiz said the economy grew 2 percent last year, in a speech to parliament.",
     "Ruiz", "said", "the economy grew 2 percent last year"),
    ("Ruiz said the reforms would be delayed in a statement on Monday.",
     "Ruiz", "statement", "the reforms would be delayed"),
    ("Ruiz told reporters the plant would close, without giving details.",
     "Ruiz", "told", "the plant would close"),
    ("Ruiz said the talks would resume in Geneva, citing progress on the prisoner swap.",
     "Ruiz", "said", "the talks would resume in Geneva"),
    # speakers: adjuncts of the subject, a title with the name in apposition, mis-tagged common nouns
    ("Northwind Energy on Monday denied reports that the plant would close.",
     "Northwind Energy", "denied", "the plant would close"),
    ("Ruiz on Tuesday told reporters the plant would close.",
     "Ruiz", "told", "the plant would close"),
    ("The ministry in a statement said the plant would close.",
     "ministry", "statement", "the plant would close"),
    ("The CEO, Jonas Berg, said the merger would be completed by March.",
     "Jonas Berg", "said", "the merger would be completed by March"),
    ("The defence ministry said its air defences had shot down 18 drones overnight.",
     "defence ministry", "said", "its air defences had shot down 18 drones overnight"),
    ("The Ministry of Health said 312 new cases had been recorded in the past 24 hours.",
     "Ministry of Health", "said", "312 new cases had been recorded in the past 24 hours"),
    ("Ruiz said that, in her view, the deal was dead.",
     "Ruiz", "said", "in her view, the deal was dead"),
]


@pytest.mark.parametrize(("text", "speaker", "kind", "content"), REPORTED)
def test_reported_speech(extractor, text, speaker, kind, content):
    assert claims_of(extractor, text) == [(speaker, kind, content)]


@pytest.mark.parametrize(
    "text",
    [
        "Ruiz said the plant would close, adding that 300 jobs would be lost.",
        "The plant would close, Ruiz said, adding that 300 jobs would be lost.",
    ],
)
def test_adding_that_is_a_claim_of_its_own(extractor, text):
    first, second = claims_of(extractor, text)
    assert first[0] == second[0] == "Ruiz"
    assert first[2].lower() == "the plant would close"
    assert second == ("Ruiz", "said", "300 jobs would be lost")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a place or time after a comma that is not how the claim was made stays in the claim
        ("Ruiz said the talks would resume, at a conference in Geneva next week.",
         "the talks would resume, at a conference in Geneva next week"),
        ("The company said profits fell 12 percent in the third quarter, hurt by weak demand.",
         "profits fell 12 percent in the third quarter, hurt by weak demand"),
    ],
)
def test_content_adjuncts_stay(extractor, text, content):
    assert [c for _, _, c in claims_of(extractor, text)] == [content]


@pytest.mark.parametrize(
    "text",
    [
        # a relative clause of the object is not reported content
        "Ruiz denied the report that the council published.",
        "Ruiz rejected the plan that the council had drafted.",
        "Ruiz told a meeting that officers had attended.",
    ],
)
def test_relative_clause_is_no_claim(extractor, text):
    assert claims_of(extractor, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The Energy Ministry issued a statement on Monday. The statement said the Kovel plant would close in March.",
     [("Energy Ministry", "statement", "the Kovel plant would close in March")]),
    ("Moscow's city hall put out a statement. Its statement said the Lutsk plant would stay open.",
     [("Moscow's city hall", "statement", "the Lutsk plant would stay open")]),
    ("Officials released a Kremlin statement late on Friday. The statement said the Rivne plant would stay open.",
     [("Kremlin", "statement", "the Rivne plant would stay open")]),
    # nobody issued it before, or the statement is anyone's: no speaker, so no attributed claim
    ("The statement said the Kovel plant would close in March.", []),
    ("The ministry met on Monday. A statement said the Dorn plant would close in April.", []),
    # "according to X" frames leave out adjuncts of the speech act too, and what X adds is X's
    ("According to Lisa Moss, the vote was postponed, without giving details.",
     [("Lisa Moss", "according_to", "the vote was postponed")]),
    ("According to Lisa Moss, the vote was postponed, speaking to reporters in Riga.",
     [("Lisa Moss", "according_to", "the vote was postponed")]),
    ("According to Lisa Moss, the vote was postponed on Monday.",
     [("Lisa Moss", "according_to", "the vote was postponed on Monday")]),
    ("According to the ministry, the bridge will reopen in May, adding that repairs cost 2 million euros.",
     [("ministry", "according_to", "the bridge will reopen in May"),
      ("ministry", "said", "repairs cost 2 million euros")]),
    # in the middle of the sentence too, where only the adjunct follows it
    ("The army had withdrawn from Dorn, according to a ministry spokesman, without giving details.",
     [("ministry spokesman", "according_to", "The army had withdrawn from Dorn")]),
    ("The vote, according to Lisa Moss, was postponed until June.",
     [("Lisa Moss", "according_to", "The vote, according to Lisa Moss, was postponed until June")]),
])
def test_statement_and_according_to_frames(extractor, text, expected):
    """ "The statement said ..." speaks for whoever issued it; "According to X, ..." frames."""
    assert claims_of(extractor, text) == expected
