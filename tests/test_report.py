"""Tests for contradict.report: every format from hand-built reports (no models)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from html.parser import HTMLParser

import pytest

from contradict.errors import ConfigError
from contradict.report import (
    CSV_COLUMNS,
    FORMATS,
    SCHEMA_VERSION,
    SourcePair,
    SourceSummary,
    render,
    report_to_dict,
    source_summary,
    write_report,
)
from contradict.types import (Claim, ClaimPair, Document, Finding, NumberConflict, PairScore, Report, Skipped,
                              Stats)

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
]


class TagCollector(HTMLParser):
    """The start tags of a page, as a browser's tokenizer sees them."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def make_doc(doc_id: str, source: str, text: str, **kw) -> Document:
    return Document(id=doc_id, source=source, text=text, **kw)


def claim_in(doc: Document, sentence: str, *, cid: str, speaker: str | None, source: str,
             side: str | None = None, negated: bool = False) -> Claim:
    """A claim whose span is ``sentence``'s place in ``doc``."""
    start = doc.text.index(sentence)
    return Claim(
        id=cid,
        doc_id=doc.id,
        text=sentence,
        speaker=speaker,
        speaker_canonical=speaker,
        source=source,
        side=side or source,
        span=(start, start + len(sentence)),
        outlet=doc.source,
        attribution="said" if speaker else "none",
        negated=negated,
    )


def make_score(a: Claim, b: Claim, p_c: float, *, sim: float = 0.8,
               entities: tuple[str, ...] = ()) -> PairScore:
    p_e = (1.0 - p_c) / 3
    probs = (p_e, 1.0 - p_c - p_e, p_c)
    return PairScore(
        pair=ClaimPair(a, b, sim, entities),
        probs=probs,
        probs_ab=probs,
        probs_ba=(0.2, 0.3, 0.5),
        direction="both",
        model_id="fake/nli",
    )


def make_report(*, findings_p: tuple[float, ...] = (0.71, 0.95), texts: dict[str, str] | None = None,
                names: dict[str, str] | None = None) -> Report:
    """Three documents from two outlets, four claims, three scored pairs.

    Findings are made for the first ``len(findings_p)`` scored pairs, in the
    given (deliberately unsorted) order.
    """
    texts = texts or {}
    names = names or {}
    src_r = names.get("russia", "Russia")
    src_u = names.get("ukraine", "Ukraine")
    s1 = texts.get("s1", "The troops left the city on Monday.")
    s2 = texts.get("s2", "No troops have left the city.")
    s3 = texts.get("s3", "Talks will resume next week.")
    s4 = texts.get("s4", "There are no plans for talks.")
    d1 = make_doc("d1", names.get("outlet", "TASS"), f"Moscow, Monday. {s1} Officials added little.",
                  title="Troops leave")
    d2 = make_doc("d2", "Kyiv Independent", f"{s2} Fighting went on overnight.")
    d3 = make_doc("d3", "TASS", f"In other news, {s3} {s4}")
    c1 = claim_in(d1, s1, cid="c1", speaker=names.get("speaker", "Dmitry Peskov"), source=src_r,
                  side=names.get("russia_side"))
    c2 = claim_in(d2, s2, cid="c2", speaker="Volodymyr Zelensky", source=src_u, negated=True)
    c3 = claim_in(d3, s3, cid="c3", speaker="Sergei Lavrov", source=src_r, side=names.get("russia_side"))
    c4 = claim_in(d3, s4, cid="c4", speaker=None, source=src_u)
    scores = [
        make_score(c1, c2, 0.9, entities=("city",)),
        make_score(c3, c4, 0.6),
        make_score(c1, c4, 0.1, sim=0.4),
    ]
    findings = [Finding(score=scores[i], p_contradiction=p, threshold=0.5)
                for i, p in enumerate(findings_p)]
    stats = Stats(
        documents_read=3,
        documents_skipped=[Skipped("in.jsonl", 7, "text", "empty text")],
        claims=4,
        claims_attributed=3,
        claims_used=4,
        pairs_considered=4,
        pairs_candidates=3,
        pairs_scored=3,
        pairs_truncated=0,
        cache_hits=1,
        findings=len(findings),
        seconds={"extract": 1.5, "score": 2.25},
    )
    run = {"model_id": "fake/nli", "threshold": 0.5, "by": "side",
           "versions": {"contradict": "0.1.0", "torch": "2.13"}}
    return Report(findings=findings, stats=stats, run=run, documents=[d1, d2, d3],
                  claims=[c1, c2, c3, c4], scores=scores)


def empty_report() -> Report:
    return Report(findings=[], stats=Stats(), run={})


def hostile_report() -> Report:
    """Hostile strings in document text, titles, urls, speakers, sources, outlets, run and skipped records."""
    h = HOSTILE
    report = make_report(
        texts={"s1": f"He said {h[0]} happened.", "s2": f"Nothing {h[1]} happened."},
        names={"russia": h[1], "ukraine": h[2], "outlet": h[0], "speaker": h[2]},
    )
    docs = [
        Document(d.id, d.source, d.text, title=h[1], url="javascript:alert(4)", published=h[0])
        for d in report.documents
    ]
    report.documents = docs
    report.run = {"model_id": h[0], "notes": {h[1]: h[2]}}
    report.stats.documents_skipped = [Skipped(h[0], 3, h[1], h[2])]
    return report


# --- source summary -----------------------------------------------------------------------


def test_source_summary_counts_claims_and_pairs():
    summary = source_summary(make_report())
    assert summary.by == "side"
    assert summary.claims == {"Russia": 2, "Ukraine": 2}
    assert len(summary.pairs) == 1  # every scored pair is Russia vs Ukraine
    pair = summary.pairs[0]
    assert (pair.a, pair.b, pair.scored, pair.flagged) == ("Russia", "Ukraine", 3, 2)
    assert pair.rate == pytest.approx(2 / 3)


def test_source_summary_follows_the_grouping_in_run():
    report = make_report()
    report.run["by"] = "outlet"
    summary = source_summary(report)
    assert summary.claims == {"TASS": 3, "Kyiv Independent": 1}
    by_pair = {(p.a, p.b): (p.scored, p.flagged) for p in summary.pairs}
    # c3/c4 both come from TASS: a same-outlet pair.
    assert by_pair == {("Kyiv Independent", "TASS"): (1, 1), ("TASS", "TASS"): (2, 1)}


def test_source_summary_scored_unknown_without_scores():
    report = make_report()
    report.scores = []
    (pair,) = source_summary(report).pairs
    assert pair.scored is None and pair.flagged == 2 and pair.rate is None


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_every_format_takes_its_source_table_from_source_summary(fmt, monkeypatch):
    import contradict.report as report_module

    fake = SourceSummary("side", {"Zeta": 9, "Omega": 1}, (SourcePair("Omega", "Zeta", 40, 7),))
    monkeypatch.setattr(report_module, "source_summary", lambda report: fake)
    out = render(make_report(), fmt)
    assert "Zeta" in out and "Omega" in out
    assert "40" in out and "Russia\": 2" not in out


# --- JSON ---------------------------------------------------------------------------------


def test_json_schema_fields_and_sorting():
    data = json.loads(render(make_report(), "json"))
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["run"]["versions"] == {"contradict": "0.1.0", "torch": "2.13"}

    findings = data["findings"]
    assert [f["p_contradiction"] for f in findings] == [0.95, 0.71]
    assert [f["rank"] for f in findings] == [1, 2]
    top = findings[0]
    assert top["p_contradiction_raw"] == pytest.approx(0.6)  # the c3/c4 pair, calibrated up
    assert top["claim_a"]["id"] == "c3"
    second = findings[1]
    assert second["p_contradiction_raw"] == pytest.approx(0.9)
    assert second["p_entailment"] + second["p_neutral"] + second["p_contradiction_raw"] == pytest.approx(1)
    assert second["shared_entities"] == ["city"]
    for key in ("direction", "similarity", "threshold"):
        assert key in second
    claim_keys = {"id", "text", "speaker", "speaker_canonical", "source", "side", "outlet", "doc_id",
                  "span", "attribution", "negated"}
    assert claim_keys <= set(second["claim_a"])
    assert second["claim_b"]["negated"] is True
    start, end = second["claim_a"]["span"]
    assert make_report().documents[0].text[start:end] == second["claim_a"]["text"]


def test_json_stats_block():
    stats = report_to_dict(make_report())["stats"]
    assert stats["documents_read"] == 3
    assert stats["documents_skipped"] == [
        {"path": "in.jsonl", "line": 7, "field": "text", "reason": "empty text"}
    ]
    for key, value in {"claims": 4, "claims_attributed": 3, "claims_used": 4, "pairs_considered": 4,
                       "pairs_candidates": 3, "pairs_scored": 3, "pairs_truncated": 0,
                       "cache_hits": 1, "findings": 2}.items():
        assert stats[key] == value, key
    assert stats["seconds"] == {"extract": 1.5, "score": 2.25, "total": 3.75}
    assert stats["sources"] == {
        "by": "side",
        "claims": [{"source": "Russia", "claims": 2}, {"source": "Ukraine", "claims": 2}],
        "pairs": [{"a": "Russia", "b": "Ukraine", "scored": 3, "flagged": 2, "rate": pytest.approx(2 / 3)}],
    }


def test_json_keeps_given_total_and_writes_odd_run_values_as_text():
    report = make_report()
    report.stats.seconds = {"read": 1.0, "total": 10.0}
    report.run["path"] = __import__("pathlib").Path("models/x")
    data = json.loads(render(report, "json"))
    assert data["stats"]["seconds"]["total"] == 10.0
    assert data["run"]["path"] == "models/x"


def test_json_converts_numpy_floats():
    np = pytest.importorskip("numpy")
    report = make_report()
    f = report.findings[0]
    report.findings[0] = Finding(f.score, np.float32(0.75), np.float64(0.5))
    data = json.loads(render(report, "json"))
    assert data["findings"][1]["p_contradiction"] == pytest.approx(0.75)


def test_jsonl_one_finding_per_line():
    report = make_report(texts={"s1": "Line one.\nLine two\u2028with a separator."})
    text = render(report, "jsonl")
    lines = text.splitlines()  # splits on U+2028 too: the renderer must escape it
    assert len(lines) == 2
    rows = [json.loads(line) for line in lines]
    assert [r["rank"] for r in rows] == [1, 2]
    assert rows[1]["claim_a"]["text"] == "Line one.\nLine two\u2028with a separator."


# --- CSV ----------------------------------------------------------------------------------


def test_csv_round_trip_with_awkward_text():
    awkward = 'He said, "no", then\nleft; commas, "quotes"\r\nand CRLF.'
    report = make_report(texts={"s2": awkward})
    rows = list(csv.reader(io.StringIO(render(report, "csv"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    record = dict(zip(CSV_COLUMNS, rows[2]))
    assert record["text_b"] == awkward
    assert record["rank"] == "2"
    assert float(record["p_contradiction"]) == 0.71
    assert record["speaker_a"] == "Dmitry Peskov" and record["source_a"] == "Russia"
    assert record["doc_a"] == "d1" and record["doc_b"] == "d2"
    assert record["direction"] == "both" and float(record["similarity"]) == 0.8
    # unattributed claim: empty speaker, not "None"
    assert dict(zip(CSV_COLUMNS, rows[1]))["speaker_b"] == ""


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1 555", "-2 killed", "@SUM(A1)", "\tx"])
def test_csv_cells_cannot_start_a_spreadsheet_formula(cell):
    report = make_report(texts={"s2": cell}, names={"russia": cell})
    csv_text = render(report, "csv")
    record = dict(zip(CSV_COLUMNS, list(csv.reader(io.StringIO(csv_text, newline="")))[2]))
    assert record["text_b"] == "'" + cell and record["source_a"] == "'" + cell
    assert json.loads(render(report, "json"))["findings"][1]["claim_b"]["text"] == cell  # JSON keeps it as is


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_sections_and_order():
    md = render(make_report(), "md")
    assert md.startswith("# Contradiction report\n")
    for heading in ("## Run", "## Statistics", "### Skipped records (1)", "## Source by source",
                    "## Findings"):
        assert heading in md
    assert md.index("### 1. [STRONG] Russia vs. Ukraine: p = 0.950") < md.index(
        "### 2. [STRONG] Russia vs. Ukraine: p = 0.710")
    assert "| Russia | Ukraine | 2 | 3 | 67% |" in md
    assert "> The troops left the city on Monday." in md
    assert "**B. Volodymyr Zelensky**" in md and "denies:" in md
    assert "| versions | contradict 0.1.0, torch 2.13 |" in md  # one compact row per nested block
    # the findings come first, the run details last
    order = [md.index(h) for h in ("## Findings", "## Source by source", "## Statistics", "## Run")]
    assert order == sorted(order)


def test_markdown_escapes_pipes_and_newlines_in_cells():
    report = make_report(names={"russia": "Left | Right", "ukraine": "Up\\Down"})
    report.stats.documents_skipped = [Skipped("a|b.jsonl", 2, None, "bad\nline | here")]
    md = render(report, "md")
    assert "| Left \\| Right | 2 |" in md
    assert "| Up\\\\Down | 2 |" in md
    assert "| a\\|b.jsonl | 2 |  | bad line \\| here |" in md
    header_cells = None
    for line in md.splitlines():  # every row has as many cells as its table's header
        if not line.startswith("|"):
            header_cells = None
            continue
        cells = len(re.split(r"(?<!\\)\|", line.replace("\\\\", ""))) - 2
        header_cells = header_cells or cells
        assert cells == header_cells, line


def test_markdown_has_no_raw_html_from_input():
    md = render(hostile_report(), "md")
    for bad in ("<script", "<img", "<svg"):
        assert bad not in md
    assert "&lt;script>alert(1)&lt;/script>" in md


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [make_report, empty_report, hostile_report])
def test_html_is_self_contained(build):
    page = render(build(), "html")
    assert page.startswith("<!DOCTYPE html>")
    lowered = page.lower()
    for forbidden in ("http://", "https://", "<link", "<script", "@import", "url(", "<iframe"):
        assert forbidden not in lowered, forbidden
    tags = TagCollector(page).tags
    assert not [t for t, attrs in tags if "src" in attrs or t in ("link", "script", "img", "object")]
    assert "<style>" in page and "Content-Security-Policy" in page


def test_html_links_only_http_urls_to_original_articles():
    report = make_report()
    report.documents = [
        Document(d.id, d.source, d.text, url=url)
        for d, url in zip(report.documents, ["https://example.org/a?x=1&y=2", "javascript:alert(1)", None])
    ]
    page = render(report, "html")
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer">' in page
    assert "javascript:" not in page
    # the only network addresses on the page are link targets
    assert all(page[m.start() - 6: m.start()] == 'href="' for m in re.finditer("https?://", page))


def test_html_escapes_hostile_text():
    page = render(hostile_report(), "html")
    for bad in ("<script", "<img", "<svg", "onerror=alert", "onload=alert", "javascript:"):
        hits = [m.start() for m in re.finditer(re.escape(bad), page)]
        # onerror=/onload= may survive only inside escaped text, where the tag cannot open
        if bad.startswith("on"):
            for i in hits:
                assert "<" not in page[page.rfind("&lt;", 0, i): i]
        else:
            assert not hits, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    # every tag on the page is one the renderer writes itself, with no event handlers
    tags = TagCollector(page).tags
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)]
    assert {t for t, _ in tags} <= {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2",
                    "h3", "h4", "p", "ul", "li", "b", "section", "article", "div", "span", "blockquote",
                    "mark", "details", "summary", "table", "thead", "tbody", "tr", "th", "td", "dl",
                    "dt", "dd", "footer", "a"}
    assert "<a " not in page  # javascript: urls are not linked


def test_html_marks_claims_in_their_documents():
    report = make_report()
    page = render(report, "html")
    marks = re.findall(r"<mark>(.*?)</mark>", page, flags=re.S)
    for claim in report.claims:  # every claim is in a finding
        # the excerpt and the whole document both mark the claim's own sentence
        assert marks.count(claim.text) == 2, claim.id
    assert "Moscow, Monday. <mark>The troops left the city on Monday.</mark> Officials added little." in page
    assert '<div class="doc">' in page and "<details>" in page


def test_html_excerpt_trims_long_documents_around_the_mark():
    filler_before = " ".join(f"before{i}" for i in range(200))
    filler_after = " ".join(f"after{i}" for i in range(200))
    sentence = "The bridge was destroyed."
    doc = make_doc("long", "Outlet", f"{filler_before} {sentence} {filler_after}")
    a = claim_in(doc, sentence, cid="a", speaker="X", source="S1")
    b = claim_in(doc, "before3 before4", cid="b", speaker="Y", source="S2")
    score = make_score(a, b, 0.9)
    report = Report([Finding(score, 0.9, 0.5)], Stats(), {}, documents=[doc], claims=[a, b], scores=[score])
    page = render(report, "html")
    excerpt = re.search(r'<p class="excerpt">(.*?)</p>', page, flags=re.S).group(1)
    assert excerpt.startswith("\u2026before") and excerpt.endswith("\u2026")
    assert f"<mark>{sentence}</mark>" in excerpt
    before, _, after = excerpt.partition("<mark>")
    assert len(before) < 300 and not before[1:].startswith(" ")
    assert re.match(r"\u2026before\d+ ", before)  # cut at a word start, not mid-word
    assert "before0 " not in excerpt and "after199" not in excerpt
    assert "after199" in page  # still in the whole document


def test_html_handles_missing_document_and_bad_span():
    report = make_report()
    report.documents = report.documents[1:]  # d1 missing
    bad = report.claims[1]
    moved = Claim(**{**bad.to_dict(), "span": (500, 520)})
    f = report.findings[1]
    report.findings[1] = Finding(make_score(f.score.pair.a, moved, 0.9), 0.71, 0.5)
    page = render(report, "html")
    assert "Document d1 is not included in this report." in page
    assert "Span 500\u2013520 lies outside this document" in page


def test_html_shows_matrix_stats_run_and_skipped():
    page = render(make_report(), "html")
    assert 'class="matrix"' in page
    assert re.search(r'<td title="Russia / Ukraine: 2 flagged of 3 scored"[^>]*>2/3</td>', page)
    assert "Skipped records (1)" in page and "empty text" in page and "in.jsonl" in page
    assert "<dt>versions</dt><dd>contradict 0.1.0, torch 2.13</dd>" in page
    assert 'style="width: 95.0%"' in page
    assert page.index('id="finding-1"') < page.index('id="finding-2"')
    assert "denies" in page


# --- all formats --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_report_renders(fmt):
    text = render(empty_report(), fmt)
    if fmt == "json":
        data = json.loads(text)
        assert data["findings"] == [] and data["stats"]["sources"]["pairs"] == []
        assert data["stats"]["seconds"] == {"total": 0.0}
    elif fmt == "jsonl":
        assert text == ""
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(text))) == [list(CSV_COLUMNS)]
    else:
        assert "No pair of claims passed the threshold." in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_unicode_survives(fmt):
    text_ru = "Войска покинули город — «никогда»."
    report = make_report(texts={"s1": text_ru, "s2": "部队没有离开 🚫"},
                         names={"russia": "Россия", "speaker": "Дмитрий Песков"})
    out = render(report, fmt)
    assert text_ru in out and "部队没有离开 🚫" in out
    if fmt != "jsonl":
        assert "Россия" in out


def test_unknown_format_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown report format 'pdf'"):
        render(make_report(), "pdf")


def test_write_report_to_file_and_stdout(tmp_path, capsys):
    report = make_report(texts={"s2": "multi\nline, text"})
    path = tmp_path / "report.csv"
    write_report(report, "csv", path)
    assert path.read_bytes() == render(report, "csv").encode("utf-8")  # no newline translation

    write_report(report, "md", None)
    assert capsys.readouterr().out == render(report, "md")


def test_write_report_unwritable_path_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot write to"):
        write_report(make_report(), "json", tmp_path / "missing" / "r.json")


def test_the_lede_counts_candidate_pairs_not_directions():
    report = make_report()
    report.stats.pairs_candidates, report.stats.pairs_scored = 3, 6
    for fmt in ("md", "html"):
        text = render(report, fmt)
        assert "among 3 candidate pairs of claims" in text
        assert "Pair directions scored" in text


def test_a_line_break_in_a_source_name_cannot_start_markdown_blocks():
    text = render(make_report(names={"russia": "Baltic Wire\n# Injected heading\n<script>"}), "md")
    assert "\n# Injected heading" not in text and "<script>" not in text
    assert "Baltic Wire # Injected heading &lt;script>" in text


def test_each_check_says_what_flagged_a_finding_and_its_evidence_in_every_format():
    import dataclasses

    from contradict.types import AgentConflict, NegationEvidence, NumberConflict

    report = make_report(findings_p=(0.71,))
    conflict = NumberConflict(unit="troop", a="40 troops", b="25 troops")
    agents = AgentConflict(act="initiated", event="talks", agent_a="Russia", agent_b="Ukraine",
                           a="Moscow proposed the talks", b="Kyiv asked for the talks")
    negation = NegationEvidence(claim="b", kind="denial", cue="denied", removed="", positive="troops left",
                                p_entailment=0.83, p_contradiction=0.04)
    low = dataclasses.replace(report.findings[0], p_contradiction=0.2, flagged_by=("negation", "numbers", "agents"),
                              number_conflicts=(conflict,), negation=negation, agent_conflicts=(agents,))
    report.findings = [low]
    report.stats.findings_by = {"model": 0, "negation": 1, "numbers": 1, "agents": 1}
    data = json.loads(render(report, "json"))
    (finding,) = data["findings"]
    assert finding["flagged_by"] == ["negation", "numbers", "agents"] and finding["p_contradiction"] == 0.2
    assert finding["number_conflicts"] == [{"unit": "troop", "a": "40 troops", "b": "25 troops"}]
    assert finding["negation"]["positive"] == "troops left" and finding["negation"]["p_entailment"] == 0.83
    assert finding["agent_conflicts"][0]["agent_a"] == "Russia" and finding["agent_conflicts"][0]["event"] == "talks"
    assert data["stats"]["findings_by"]["agents"] == 1
    row = dict(zip(CSV_COLUMNS, list(csv.reader(io.StringIO(render(report, "csv"))))[1]))
    assert row["flagged_by"] == "negation numbers agents" and row["number_conflicts"] == "40 troops vs. 25 troops"
    assert row["agent_conflicts"] == "initiated talks: Russia vs. Ukraine" and "troops left" in row["negation"]
    assert row["side_b"] == "Ukraine" and row["negated_b"] == "true" and row["negated_a"] == "false"
    for fmt in ("md", "html"):
        text = render(report, fmt)
        assert "flagged by negation + numbers + agents" in text
        assert "40 troops vs. 25 troops" in text and "initiated talks: Russia vs. Ukraine" in text
        assert "troops left" in text and "p is below the threshold: the check flagged it, not the model" in text


def test_a_finding_of_the_model_alone_carries_no_check_note():
    report = make_report(findings_p=(0.71,))
    assert "flagged by" not in render(report, "md").split("## Findings")[1].split("### 1.")[1]
    (finding,) = json.loads(render(report, "json"))["findings"]
    assert finding["negation"] is None and finding["agent_conflicts"] == [] and finding["flagged_by"] == ["model"]


def test_documents_are_listed_and_named_where_findings_cite_them():
    report = make_report(findings_p=(0.71,))
    data = json.loads(render(report, "json"))
    assert [d["id"] for d in data["documents"]] == ["d1", "d2", "d3"]
    assert data["documents"][0]["title"] == "Troops leave" and "text" not in data["documents"][0]
    row = dict(zip(CSV_COLUMNS, list(csv.reader(io.StringIO(render(report, "csv"))))[1]))
    assert row["title_a"] == "Troops leave" and row["title_b"] == "" and row["url_b"] == ""
    assert "document d1, \u201cTroops leave\u201d" in render(report, "md")


def test_finding_headings_follow_the_grouping():
    report = make_report(findings_p=(0.71,))
    assert "### 1. [STRONG] Russia vs. Ukraine" in render(report, "md")
    report.run = {**report.run, "by": "speaker"}
    assert "### 1. [STRONG] Dmitry Peskov (Russia) vs. Volodymyr Zelensky (Ukraine)" in render(report, "md")
    assert ("<h3>Dmitry Peskov (Russia) <span class=\"vs\">vs.</span> Volodymyr Zelensky (Ukraine)</h3>"
            in render(report, "html"))


# --- bands, legend, rounding, naming, shareable paths ---------------------------------------------


def banded_report() -> Report:
    """Three findings: strong by p, possible (the model alone, lower p), strong by the number check."""
    report = make_report(findings_p=(0.38325723282097646, 0.95))
    weak, strong = report.findings
    report.findings = [dataclasses.replace(weak, threshold=0.38325723282097646),
                       dataclasses.replace(strong, threshold=0.38325723282097646),
                       Finding(score=report.scores[2], p_contradiction=0.1234567, threshold=0.38325723282097646,
                               flagged_by=("numbers",), number_conflicts=(NumberConflict("troops", "40", "25"),))]
    return report


def test_each_finding_has_its_band_first_in_every_format():
    report = banded_report()
    data = json.loads(render(report, "json"))
    assert [f["band"] for f in data["findings"]] == ["strong", "possible", "strong"]
    assert all(next(iter(f)) == "band" for f in data["findings"])
    assert list(data["bands"]) == ["strong", "possible"] and data["bands"]["strong"]["precision"] > 0
    assert [json.loads(line)["band"] for line in render(report, "jsonl").splitlines()] == ["strong", "possible",
                                                                                          "strong"]
    rows = list(csv.reader(io.StringIO(render(report, "csv"))))
    assert rows[0][0] == "band" and [r[0] for r in rows[1:]] == ["strong", "possible", "strong"]
    md = render(report, "md")
    assert "### 1. [STRONG] " in md and "### 2. [POSSIBLE] " in md and "### 3. [STRONG] " in md
    assert "\n**possible** (46% of possible findings were contradictions" in md
    page = render(report, "html")
    heads = re.findall(r'<article class="finding band-(\w+)" id="finding-\d">\n<div class="finding-head">\n'
                       r'<span class="band"[^>]*>(\w+)</span>\n<span class="rank">', page)
    assert heads == [("strong", "strong"), ("possible", "possible"), ("strong", "strong")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_legend_explains_every_number_shown(fmt):
    from contradict.report import LEGEND

    text = render(banded_report(), fmt)
    terms = [term for term, _ in LEGEND]
    for term in ("band strong", "band possible", "p", "raw", "threshold", "direction", "similarity", "flagged by"):
        assert term in terms
    for term, meaning in LEGEND:
        assert (f"**{term}**" if fmt == "md" else f"<dt>{term}</dt>") in text
    assert "29 of 38 such findings (76%)" in text  # the strong band's measured precision
    assert text.index("How to read a finding") < text.index("finding-1" if fmt == "html" else "### 1.")


@pytest.mark.parametrize("fmt", FORMATS)
def test_numbers_never_show_seventeen_digits(fmt):
    report = banded_report()
    report.run = {**report.run, "threshold": 0.38325723282097646, "min_similarity": 0.4}
    text = render(report, fmt)
    assert "38325723282097646" not in text and "0.1234567" not in text
    assert not re.search(r"\d\.\d{7,}", text)  # at most 6 decimals anywhere (JSON), 3 in the others
    if fmt in ("json", "jsonl"):
        assert "0.383257" in text and "0.123457" in text
    else:
        assert "0.383" in text and "0.383257" not in text and "0.123" in text


def test_md_and_html_put_findings_before_sources_statistics_and_run():
    page = render(make_report(), "html")
    order = [page.index(f'<section id="{s}">') for s in ("findings", "sources", "stats", "run")]
    assert order == sorted(order)


def test_finding_titles_name_sources_as_the_source_table_does():
    report = make_report(findings_p=(0.71,), names={"russia": "Kremlin", "russia_side": "Russia"})
    md = render(report, "md")
    assert "### 1. [STRONG] Russia (Kremlin) vs. Ukraine: p = 0.710" in md
    assert "| Russia | 2 |" in md and "| Kremlin |" not in md  # the table groups by side
    page = render(report, "html")
    assert '<h3>Russia (Kremlin) <span class="vs">vs.</span> Ukraine</h3>' in page


def test_document_and_skipped_paths_are_shared_without_local_folders():
    report = make_report()
    report.documents = [dataclasses.replace(report.documents[0], path="/home/ana/news/in.jsonl", line=3),
                        dataclasses.replace(report.documents[1], path="news/rel.txt"), report.documents[2]]
    report.stats.documents_skipped = [Skipped("/home/ana/news/bad.jsonl", 7, "text", "empty text")]
    data = json.loads(render(report, "json"))
    assert [d["path"] for d in data["documents"]] == ["in.jsonl", "news/rel.txt", None]
    assert data["stats"]["documents_skipped"][0]["path"] == "bad.jsonl"
    for fmt in ("md", "html"):
        assert "/home/ana" not in render(report, fmt)
