import json
from pathlib import Path

import pytest

from contradict.errors import InputError
from contradict.evaluate.pipeline_eval import (
    DocumentSet,
    GoldContradiction,
    evaluate_pipeline,
    jaccard,
    load_document_sets,
    match_findings,
)
from contradict.types import Claim, ClaimPair, Document, Finding, PairScore, Report, Stats

NEWS_PAIRS = Path(__file__).resolve().parents[2] / "eval" / "pipeline" / "news_pairs.jsonl"


def claim(text: str, speaker: str | None, doc: str = "d") -> Claim:
    return Claim(id=f"{doc}:{text[:8]}", doc_id=doc, text=text, speaker=speaker, speaker_canonical=speaker,
                 source=speaker or "outlet", side=speaker or "outlet", span=(0, len(text)), outlet="outlet",
                 attribution="said" if speaker else "none")


def finding(a: Claim, b: Claim, p: float = 0.9) -> Finding:
    score = PairScore(pair=ClaimPair(a, b, 0.8), probs=(0.05, 0.05, p), probs_ab=(0.05, 0.05, p), probs_ba=None,
                      direction="a->b", model_id="fake")
    return Finding(score=score, p_contradiction=p, threshold=0.5)


def test_the_shipped_gold_set_loads():
    sets = load_document_sets(NEWS_PAIRS)
    assert 8 <= len(sets) <= 12
    assert sum(not s.gold for s in sets) >= 2  # some sets hold no contradiction
    assert all(isinstance(d, Document) and d.text for s in sets for d in s.documents)
    assert len({s.id for s in sets}) == len(sets)


def test_jaccard():
    assert jaccard("The bridge is closed", "the BRIDGE is closed!") == 1.0
    assert jaccard("a b c d", "a b") == 0.5
    assert jaccard("", "") == 0.0


GOLD = [GoldContradiction("Okafor", "The bridge will stay closed until March", "Brandt",
                          "the bridge will reopen next week"),
        GoldContradiction("Okafor", "inspectors found corrosion in the cables", "Brandt",
                          "the inspection found no corrosion")]


def test_match_in_either_order_and_each_gold_once():
    flagged = [
        ("the bridge will reopen next week", "The bridge will stay closed until March"),  # swapped order
        ("The bridge will stay closed until March", "the bridge will reopen next week"),  # same gold again
        ("inspectors found corrosion in the cables", "shops welcomed the news"),  # one side only
    ]
    assert match_findings(flagged, GOLD) == [(0, True), None, None]


def test_threshold_of_the_matching_rule():
    # "the bridge will stay closed" shares 5 of the gold claim's 7 words (Jaccard .71): a match;
    # "the bridge closed" shares 3 of 7 (.43): none.
    assert match_findings([("the bridge will stay closed", "the bridge will reopen next week")], GOLD) == [(0, False)]
    assert match_findings([("the bridge closed", "the bridge will reopen next week")], GOLD) == [None]
    assert match_findings([("the bridge closed", "the bridge will reopen next week")], GOLD, min_jaccard=0.4) == \
        [(0, False)]


def test_evaluate_pipeline_with_a_fake_compare():
    sets = [
        DocumentSet("bridge", [Document("d1", "Post", "text"), Document("d2", "Herald", "text")], GOLD, 1),
        DocumentSet("quiet", [Document("d3", "Gazette", "text")], [], 2),
    ]
    okafor, brandt = "Dana Okafor", "Ilse Brandt"
    findings = {
        "d1": [finding(claim("the bridge will reopen next week", brandt), claim("The bridge will stay closed until "
                                                                                 "March", okafor)),
               finding(claim("the weather is fine", None), claim("it is raining", "someone"))],
        "d3": [finding(claim("a", "x"), claim("b", "y"))],
    }
    calls = []

    def fake_compare(documents, *, scorer, threshold=None):
        calls.append((documents[0].id, scorer, threshold))
        return Report(findings=findings[documents[0].id], stats=Stats(), run={})

    metrics, records = evaluate_pipeline(sets, scorer="SCORER", compare=fake_compare, threshold=0.4)
    assert calls == [("d1", "SCORER", 0.4), ("d3", "SCORER", 0.4)]
    # 3 findings, 1 right; 2 gold pairs, 1 found.
    assert (metrics["flagged"], metrics["true_positives"], metrics["gold"]) == (3, 1, 2)
    assert metrics["precision"] == pytest.approx(1 / 3)
    assert metrics["recall"] == pytest.approx(1 / 2)
    assert metrics["f1"] == pytest.approx(0.4)
    assert metrics["false_alarm_sets"] == 1 and metrics["sets_without_gold"] == 1
    assert metrics["speaker_agreement"] == 1.0  # swapped match: Brandt/Okafor line up with the gold speakers
    assert records[0]["findings"][0]["gold"] == 0
    assert [g["found"] for g in records[0]["gold"]] == [True, False]
    json.dumps(records)  # JSON-ready


def test_nothing_flagged_nothing_expected():
    sets = [DocumentSet("quiet", [Document("d", "o", "t")], [], 1)]
    metrics, _ = evaluate_pipeline(sets, scorer=None, compare=lambda docs, scorer: Report([], Stats(), {}))
    assert metrics["precision"] is None and metrics["recall"] is None and metrics["f1"] is None


@pytest.mark.parametrize(("line", "field"), [
    ("{not json", None),
    ('{"id": "x", "documents": [{"doc_id": "d", "text": "t"}], "gold_contradictions": []}',
     "documents[0].source_outlet"),
    ('{"id": "x", "documents": [], "gold_contradictions": [{"claim_a": "a"}]}', "gold_contradictions[0].speaker_a"),
    ('{"documents": [], "gold_contradictions": []}', "id"),
])
def test_malformed_sets(tmp_path, line, field):
    path = tmp_path / "sets.jsonl"
    path.write_text('{"id": "ok", "documents": [], "gold_contradictions": []}\n' + line + "\n")
    with pytest.raises(InputError) as exc:
        load_document_sets(path)
    assert (exc.value.line, exc.value.field) == (2, field)


def test_stage_wise_losses_and_false_alarm_causes(fake_embedder):
    """Of two gold contradictions: one extracted, paired and flagged; one extracted but never paired. Of three
    findings: one right, one between two names of one speaker, one between gold claims that the gold does not pair."""
    okafor, brandt, cole = claim("the bridge will reopen next week", "Ilse Brandt"), \
        claim("The bridge will stay closed until March", "Dana Okafor"), claim("the inspection found no corrosion",
                                                                               "Ilse Brandt", "d2")
    corrosion = claim("inspectors found corrosion in the cables", "Dana Okafor", "d2")
    twin = claim("the bridge will reopen next week", "Brandt", "d3")
    found = finding(okafor, brandt)
    same = finding(claim("the weather is fine today", "Ilse Brandt", "d4"), claim("it is raining", "Brandt", "d5"))
    crossed = finding(brandt, cole)  # two gold claims, of different gold contradictions
    scored = [found.score, same.score, crossed.score]

    def fake_compare(documents, *, scorer):
        return Report(findings=[found, same, crossed], stats=Stats(), run={},
                      claims=[okafor, brandt, cole, corrosion, twin], scores=scored)

    sets = [DocumentSet("bridge", [Document("d1", "Post", "text")], GOLD, 1)]
    metrics, records = evaluate_pipeline(sets, scorer=None, compare=fake_compare, match_embedder=fake_embedder)
    assert metrics["matching"] == "semantic" and metrics["min_cosine"] == 0.7
    assert metrics["extracted_recall"] == 1.0 and metrics["paired_recall"] == 0.5
    assert metrics["claim_recall"] == 1.0  # all four gold claims have an extracted claim
    assert list(metrics["by_cosine"]) == ["0.60", "0.65", "0.70"]
    assert metrics["by_cosine"]["0.70"]["paired_recall"] == 0.5
    assert all(v["recall"] >= 0.5 for v in metrics["by_cosine"].values())  # here looser matching finds no less
    assert metrics["flagged_recall"] == metrics["recall"] == 0.5 and metrics["precision"] == pytest.approx(1 / 3)
    assert metrics["false_alarm_causes"] == {"same_speaker": 1, "unattributed": 0, "not_gold_claims": 0,
                                             "gold_claims_not_paired": 1}
    assert metrics["token"]["recall"] == 0.5 and metrics["token"]["paired_recall"] == 0.5
    assert [f["cause"] for f in records[0]["findings"]] == [None, "same_speaker", "gold_claims_not_paired"]
    assert records[0]["stages"]["semantic"] == {"gold": 2, "extracted": 2, "paired": 1, "found": 1, "flagged": 3}
    assert [(g["extracted"], g["paired"], g["found"]) for g in records[0]["gold"]] == [(True, True, True),
                                                                                     (True, False, False)]
    json.dumps(records)


def test_semantic_matching_finds_a_paraphrase_the_token_rule_misses(fake_embedder):
    from contradict.evaluate.pipeline_eval import similarity_matrix

    texts = ["the bridge stays closed until march", "shops welcomed the news"]
    gold = ["The bridge will stay closed until March"]
    semantic = similarity_matrix(texts, gold, "semantic", fake_embedder)
    token = similarity_matrix(texts, gold, "token")
    assert semantic.shape == token.shape == (2, 1)
    assert semantic[0, 0] > semantic[1, 0] and token[0, 0] < 0.7
    with pytest.raises(ValueError, match="unknown matcher"):
        similarity_matrix(texts, gold, "fuzzy")
