import pytest

from contradict.evidence import relatedness, select_evidence, split_sentences

BODY = ("The mayor opened the new bridge on Monday. Crowds lined the river. "
        "Engineers said the bridge cost 40 million dollars. \"It will last a century,\" one said.\n"
        "Traffic was light in the afternoon.")


def test_split_sentences_on_punctuation_quotes_and_newlines():
    assert split_sentences(BODY) == [
        "The mayor opened the new bridge on Monday.",
        "Crowds lined the river.",
        "Engineers said the bridge cost 40 million dollars.",
        "\"It will last a century,\" one said.",
        "Traffic was light in the afternoon.",
    ]


def test_keeps_the_most_relevant_sentences_in_body_order():
    # "bridge cost million" overlaps sentence 3 most, then sentence 1 ("bridge"); 8 + 8 words fit in 16.
    out = select_evidence(BODY, "The bridge cost a million", max_words=16)
    assert out == "The mayor opened the new bridge on Monday. Engineers said the bridge cost 40 million dollars."


def test_no_overlap_gives_the_lead():
    assert select_evidence(BODY, "Volcanoes erupt", max_words=12) == \
        "The mayor opened the new bridge on Monday. Crowds lined the river."


def test_a_sentence_longer_than_the_budget_is_cut():
    long = " ".join(f"w{i}" for i in range(50)) + "."
    assert select_evidence(long, "w3", max_words=5) == "w0 w1 w2 w3 w4"


def test_short_body_is_returned_whole_and_empty_stays_empty():
    assert select_evidence("One line only.", "line") == "One line only."
    assert select_evidence("", "anything") == ""
    assert select_evidence("   \n ", "anything") == ""


def test_unicode_text():
    body = "Der Bürgermeister sagte nein. Zürich wächst schnell."
    assert select_evidence(body, "Zürich wächst", max_words=3) == "Zürich wächst schnell."


def test_rejects_a_non_positive_budget():
    with pytest.raises(ValueError):
        select_evidence(BODY, "bridge", max_words=0)


def test_relatedness_is_the_share_of_headline_content_words_in_the_body():
    assert relatedness("New bridge opened by mayor", BODY) == pytest.approx(1.0)
    assert relatedness("Bridge collapses in storm", BODY) == pytest.approx(1 / 3)
    assert relatedness("the of and", BODY) == 0.0
