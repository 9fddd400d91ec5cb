"""Render a :class:`~contradict.types.Report` as json, jsonl, csv, md or html.

:func:`report_to_dict` is the canonical form (documented field by field in
``docs/report-schema.md``); every other format is a view of the same data:

- ``json``: the whole dict, indented;
- ``jsonl``: one finding per line, ranked, nothing else;
- ``csv``: one flat row per finding (:data:`CSV_COLUMNS`), RFC 4180 quoting;
- ``md``: a Markdown report for issues, pull requests and wikis;
- ``html``: one self-contained page (no network assets, no script) that shows
  each claim highlighted inside its document.

Findings are always ranked by the calibrated ``p_contradiction``, highest
first. The source-by-source summary comes from :func:`source_summary` alone,
whatever the format.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import numbers
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contradict import bands
from contradict.errors import ConfigError
from contradict.runinfo import shareable_path
from contradict.types import ENTAILMENT, NEUTRAL, Claim, Document, Finding, Report, Stats

SCHEMA_VERSION = 1
FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "md", "html")
CSV_COLUMNS: tuple[str, ...] = (
    "band",
    "rank",
    "p_contradiction",
    "p_contradiction_raw",
    "threshold",
    "flagged_by",
    "number_conflicts",
    "negation",
    "agent_conflicts",
    *(f"{field}_{side}" for side in "ab"
      for field in ("speaker", "source", "side", "outlet", "attribution", "negated", "text", "doc", "title", "url",
                    "published")),
    "direction",
    "similarity",
)
#: Decimals of every number in the JSON and JSONL reports (the human-readable formats show 3).
JSON_DECIMALS = 6
#: Grouping used for the source summary when ``report.run`` does not name one
#: (the pipeline's own default).
DEFAULT_BY = "side"
#: Characters of document shown on each side of a highlighted claim.
EXCERPT_CONTEXT = 280
#: Above this many sources the HTML page shows the pair table without the matrix.
MATRIX_MAX_SOURCES = 12

# Characters that JSON may leave raw inside strings but that some line
# splitters (Python's str.splitlines among them) treat as line breaks.
_JSONL_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


# ---------------------------------------------------------------------------
# Source-by-source summary (the one implementation every format uses)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SourcePair:
    """How often two sources were compared and how often they disagreed.

    ``a`` sorts before (or equals) ``b``. ``scored`` is ``None`` when the
    report does not hold its scored pairs (``Report.scores`` empty while there
    are findings), so the count is unknown rather than zero.
    """

    a: str
    b: str
    scored: int | None
    flagged: int

    @property
    def rate(self) -> float | None:
        """Share of scored pairs that were flagged, or ``None`` if unknown or none scored."""
        if not self.scored:
            return None
        return self.flagged / self.scored


@dataclass(frozen=True)
class SourceSummary:
    """Claims per source and disagreement per pair of sources.

    ``by`` is the grouping key (see :meth:`contradict.types.Claim.key`).
    ``claims`` maps each source to its number of claims, most claims first;
    ``pairs`` is ranked by flagged, then scored, then names.
    """

    by: str
    claims: dict[str, int]
    pairs: tuple[SourcePair, ...]

    @property
    def sources(self) -> list[str]:
        return list(self.claims)

    def lookup(self) -> dict[tuple[str, str], SourcePair]:
        """Pairs keyed by both orders of their two sources."""
        table: dict[tuple[str, str], SourcePair] = {}
        for p in self.pairs:
            table[(p.a, p.b)] = p
            table[(p.b, p.a)] = p
        return table

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "claims": [{"source": s, "claims": n} for s, n in self.claims.items()],
            "pairs": [
                {"a": p.a, "b": p.b, "scored": p.scored, "flagged": p.flagged, "rate": p.rate}
                for p in self.pairs
            ],
        }


def _pair_key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x <= y else (y, x)


def source_summary(report: Report) -> SourceSummary:
    """Count claims per source and scored/flagged pairs per pair of sources.

    Sources are grouped by ``report.run["by"]`` (``side``, ``speaker`` or
    ``outlet``), falling back to :data:`DEFAULT_BY`. Scored pairs come from
    ``report.scores``, flagged ones from ``report.findings``.
    """
    by = str(report.run.get("by", DEFAULT_BY))
    claims = Counter(c.key(by) for c in report.claims)
    scored = Counter(_pair_key(s.pair.a.key(by), s.pair.b.key(by)) for s in report.scores)
    flagged = Counter(
        _pair_key(f.score.pair.a.key(by), f.score.pair.b.key(by)) for f in report.findings
    )
    scored_known = bool(report.scores) or not report.findings
    pairs = sorted(
        (
            SourcePair(a, b, scored[(a, b)] if scored_known else None, flagged[(a, b)])
            for a, b in set(scored) | set(flagged)
        ),
        key=lambda p: (-p.flagged, -(p.scored or 0), p.a, p.b),
    )
    names = set(claims) | {name for p in pairs for name in (p.a, p.b)}
    ordered = sorted(names, key=lambda s: (-claims[s], s))
    return SourceSummary(by=by, claims={s: claims[s] for s in ordered}, pairs=tuple(pairs))


# ---------------------------------------------------------------------------
# Canonical dict
# ---------------------------------------------------------------------------


def ranked_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Findings by calibrated p_contradiction, highest first; ties by raw p, then claim ids."""
    return sorted(
        findings,
        key=lambda f: (
            -f.p_contradiction,
            -f.score.p_contradiction,
            f.score.pair.a.id,
            f.score.pair.b.id,
        ),
    )


def _floats(values: Sequence[float] | None) -> list[float] | None:
    return None if values is None else [float(v) for v in values]


def finding_to_dict(finding: Finding, rank: int) -> dict[str, Any]:
    """One finding in the JSON schema (``rank`` is 1-based)."""
    score = finding.score
    pair = score.pair
    return {
        "band": finding.band,
        "rank": rank,
        "label": finding.label,
        "p_contradiction": float(finding.p_contradiction),
        "p_contradiction_raw": float(score.p_contradiction),
        "p_entailment": float(score.probs[ENTAILMENT]),
        "p_neutral": float(score.probs[NEUTRAL]),
        "threshold": float(finding.threshold),
        "flagged_by": list(finding.flagged_by),
        "number_conflicts": [dataclasses.asdict(c) for c in finding.number_conflicts],
        "negation": None if finding.negation is None else dataclasses.asdict(finding.negation),
        "agent_conflicts": [dataclasses.asdict(c) for c in finding.agent_conflicts],
        "direction": score.direction,
        "probs_ab": _floats(score.probs_ab),
        "probs_ba": _floats(score.probs_ba),
        "similarity": float(pair.similarity),
        "shared_entities": list(pair.shared_entities),
        "model_id": score.model_id,
        "claim_a": pair.a.to_dict(),
        "claim_b": pair.b.to_dict(),
    }


def _seconds(stats: Stats) -> dict[str, float]:
    """Seconds per stage plus ``total`` (the sum of stages unless given)."""
    seconds = {stage: float(s) for stage, s in stats.seconds.items()}
    seconds.setdefault("total", sum(seconds.values(), 0.0))
    return seconds


def stats_to_dict(stats: Stats, summary: SourceSummary) -> dict[str, Any]:
    """The ``stats`` block of the JSON schema, with the source summary inside."""
    return {
        "documents_read": stats.documents_read,
        "documents_skipped": [{**dataclasses.asdict(s), "path": shareable_path(s.path)}
                              for s in stats.documents_skipped],
        "claims": stats.claims,
        "claims_attributed": stats.claims_attributed,
        "claims_used": stats.claims_used,
        "pairs_considered": stats.pairs_considered,
        "pairs_candidates": stats.pairs_candidates,
        "pairs_scored": stats.pairs_scored,
        "pairs_reverse_skipped": stats.pairs_reverse_skipped,
        "pairs_truncated": stats.pairs_truncated,
        "cache_hits": stats.cache_hits,
        "findings": stats.findings,
        "findings_numbers_only": stats.findings_numbers_only,
        "findings_by": dict(stats.findings_by),
        "findings_by_band": dict(stats.findings_by_band),
        "findings_below_min_band": stats.findings_below_min_band,
        "seconds": _seconds(stats),
        "sources": summary.to_dict(),
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The canonical JSON-ready form of a report (see ``docs/report-schema.md``).

    ``run`` is copied as given; values JSON cannot hold are written as strings
    by :func:`render`, which also rounds every number to :data:`JSON_DECIMALS` decimals.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "bands": bands.bands_to_dict(),
        "run": dict(report.run),
        "stats": stats_to_dict(report.stats, source_summary(report)),
        "findings": [
            finding_to_dict(f, rank) for rank, f in enumerate(ranked_findings(report.findings), 1)
        ],
        "documents": [document_to_dict(d) for d in report.documents],
    }


def document_to_dict(doc: Document) -> dict[str, Any]:
    """One document of the run without its text: where a finding's ``doc_id`` points."""
    return {"id": doc.id, "source": doc.source, "title": doc.title, "url": doc.url, "published": doc.published,
            "path": shareable_path(doc.path), "line": doc.line}


# ---------------------------------------------------------------------------
# Shared helpers for the human-readable formats
# ---------------------------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _fmt_p(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.3f}"


def _fmt_rate(p: SourcePair) -> str:
    rate = p.rate
    return "n/a" if rate is None else f"{rate:.0%}"


def _fmt_scored(p: SourcePair) -> str:
    return "unknown" if p.scored is None else str(p.scored)


def _run_value(value: Any) -> str:
    """A run setting as text: numbers to 3 decimals, lists joined, nested settings as ``key value`` pairs."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {_run_value(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, (list, tuple)):
        return ", ".join(_run_value(v) for v in value)
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return _fmt_p(float(value))
    return "" if value is None else str(value)


def _run_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    """``run`` as compact (setting, text) rows: one row per top-level key, nested blocks on one line."""
    return [(str(key), _run_value(value)) for key, value in run.items()]


#: What every number and word shown with a finding means, for the legends of the Markdown and HTML reports.
LEGEND: tuple[tuple[str, str], ...] = (
    *((f"band {name}", bands.describe(name)) for name in bands.BANDS),
    ("p", "the calibrated contradiction probability: the model's score mapped, on labelled dev pairs, to how often "
          "pairs at that level were contradictions (the higher of the two reading directions, or of the negation "
          "check's); findings are ranked by it"),
    ("raw", "the model's own contradiction probability, before calibration"),
    ("threshold", "the p from which the model flags a pair (the model's own, fitted on dev data, unless --threshold "
                  "set it); a rule check can flag a pair below it"),
    ("direction", "which reading gave p: a->b (claim A as premise, claim B as hypothesis) or b->a"),
    ("similarity", "how alike the two claims' wording is (cosine of their sentence embeddings plus a bonus for "
                   "shared names): why the pair was compared, not evidence that it contradicts"),
    ("flagged by", "model (p reached the threshold), or a rule check: negation (one claim denies what the other "
                   "entails), numbers (counts that cannot both hold), agents (one act given to different agents)"),
)


def _stats_rows(stats: Stats) -> list[tuple[str, str]]:
    """Label/value rows shared by the Markdown and HTML statistics tables."""
    seconds = _seconds(stats)
    timing = ", ".join(f"{stage} {s:.2f} s" for stage, s in seconds.items())
    return [
        ("Documents read", str(stats.documents_read)),
        ("Documents skipped", str(len(stats.documents_skipped))),
        ("Claims", str(stats.claims)),
        ("Claims attributed", str(stats.claims_attributed)),
        ("Claims used", str(stats.claims_used)),
        ("Pairs considered", str(stats.pairs_considered)),
        ("Candidate pairs", str(stats.pairs_candidates)),
        ("Pair directions scored", str(stats.pairs_scored)),
        ("Reverse directions skipped", str(stats.pairs_reverse_skipped)),
        ("Pairs truncated", str(stats.pairs_truncated)),
        ("Cache hits", str(stats.cache_hits)),
        ("Findings", str(stats.findings)),
        ("Findings by what flagged them", ", ".join(f"{name} {n}" for name, n in stats.findings_by.items())),
        ("Findings by band", ", ".join(f"{name} {n}" for name, n in stats.findings_by_band.items())),
        ("Findings left out by --min-band", str(stats.findings_below_min_band)),
        ("Time", timing),
    ]


_SKIPPED_HEADER = ("Path", "Line", "Field", "Reason")
_PAIRS_HEADER = ("Source A", "Source B", "Flagged", "Pairs scored", "Share flagged")
_CLAIMS_HEADER = ("Source", "Claims")


def _skipped_rows(stats: Stats) -> list[tuple[str, str, str, str]]:
    return [
        (shareable_path(s.path) or "", "" if s.line is None else str(s.line), s.field or "", s.reason)
        for s in stats.documents_skipped
    ]


def _pairs_rows(summary: SourceSummary) -> list[tuple[str, str, str, str, str]]:
    return [(p.a, p.b, str(p.flagged), _fmt_scored(p), _fmt_rate(p)) for p in summary.pairs]


def _claims_rows(summary: SourceSummary) -> list[tuple[str, str]]:
    return [(source, str(n)) for source, n in summary.claims.items()]


def _who(claim: Claim) -> str:
    """Who made the claim: the speaker's full name where known ("she" resolved), else the source."""
    return claim.speaker_canonical or claim.speaker or claim.source


def _negation_text(f: Finding) -> str:
    n = f.negation
    return "" if n is None else (f"claim {n.claim.upper()} is a {n.kind} ({n.cue}) of \"{n.positive}\", which the "
                                 f"other claim entails (p = {_fmt_p(n.p_entailment)})")


def _flag_note(f: Finding) -> str | None:
    """What flagged a finding and each check's evidence, where the model's probability alone does not say it."""
    parts = [f"flagged by {' + '.join(f.flagged_by)}"] if f.flagged_by != ("model",) else []
    if f.negation is not None and "negation" in f.flagged_by:
        parts.append(_negation_text(f))
    if f.number_conflicts:
        parts.append("numbers differ: " + "; ".join(str(c) for c in f.number_conflicts))
    if f.agent_conflicts:
        parts.append("agents differ: " + "; ".join(str(c) for c in f.agent_conflicts))
    if "model" not in f.flagged_by and f.p_contradiction < f.threshold:
        parts.append("p is below the threshold: the check flagged it, not the model")
    return "; ".join(parts) or None


def _band_precision(name: str) -> str:
    """How often a finding of band ``name`` was right, in words, for the line under a finding's heading."""
    right, total = bands.BAND_PRECISION[name]
    return f"{right / total:.0%} of {name} findings were contradictions on labelled news pairs"


def _facts(f: Finding) -> list[str]:
    """The numbers and evidence shown under a finding's heading, in the words of :data:`LEGEND`."""
    facts = [
        f"p {_fmt_p(f.p_contradiction)} (raw {_fmt_p(f.score.p_contradiction)}, threshold {_fmt_p(f.threshold)})",
        f"direction {f.score.direction}",
        f"similarity {_fmt_p(f.score.pair.similarity)}",
    ]
    if f.score.pair.shared_entities:
        facts.append("shared entities: " + ", ".join(f.score.pair.shared_entities))
    note = _flag_note(f)
    if note:
        facts.append(note)
    return facts


def _claim_context(claim: Claim) -> str:
    """Source, side, outlet and attribution of a claim, without repeats."""
    parts = [claim.source]
    if claim.side != claim.source:
        parts.append(f"side {claim.side}")
    if claim.outlet not in (claim.source, claim.side):
        parts.append(f"outlet {claim.outlet}")
    parts.append(f"attribution: {claim.attribution}")
    return "; ".join(parts)


def _lede(report: Report) -> str:
    stats = report.stats
    by_band = Counter(f.band for f in report.findings)
    banded = ", ".join(f"{by_band[name]} {name}" for name in bands.BANDS if by_band[name])
    left_out = stats.findings_below_min_band
    return (
        f"{_plural(len(report.findings), 'finding')}" + (f" ({banded})" if banded else "") + " among "
        f"{_plural(stats.pairs_candidates, 'candidate pair')} of claims from "
        f"{_plural(stats.documents_read, 'document')}"
        + (f"; {left_out} more below --min-band {report.run.get('min_band')} left out" if left_out else "") + "."
    )


# ---------------------------------------------------------------------------
# json, jsonl, csv
# ---------------------------------------------------------------------------


def _rounded(value: Any, digits: int = JSON_DECIMALS) -> Any:
    """``value`` with every float in it (numpy's too) rounded to ``digits`` decimals, containers rebuilt."""
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return round(float(value), digits)
    return value


def _render_json(report: Report) -> str:
    return json.dumps(_rounded(report_to_dict(report)), indent=2, ensure_ascii=False, default=str) + "\n"


def _jsonl_line(obj: dict[str, Any]) -> str:
    line = json.dumps(_rounded(obj), ensure_ascii=False, default=str)
    for raw, escaped in _JSONL_LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line + "\n"


def _render_jsonl(report: Report) -> str:
    return "".join(
        _jsonl_line(finding_to_dict(f, rank))
        for rank, f in enumerate(ranked_findings(report.findings), 1)
    )


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text: a leading formula character gets a ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_claim(claim: Claim, doc: Document | None) -> list[Any]:
    speaker = claim.speaker_canonical or claim.speaker or ""  # empty for an unattributed claim
    meta = (doc.title, doc.url, doc.published) if doc is not None else (None, None, None)
    return [_csv_text(v) for v in (speaker, claim.source, claim.side, claim.outlet, claim.attribution)] + [
        str(claim.negated).lower(), _csv_text(claim.text), _csv_text(claim.doc_id)] + [
        _csv_text(v or "") for v in meta]


def _render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    docs = {d.id: d for d in report.documents}
    for rank, f in enumerate(ranked_findings(report.findings), 1):
        writer.writerow(
            [
                f.band,
                rank,
                _fmt_p(f.p_contradiction),
                _fmt_p(f.score.p_contradiction),
                _fmt_p(f.threshold),
                " ".join(f.flagged_by),
                _csv_text("; ".join(str(c) for c in f.number_conflicts)),
                _csv_text(_negation_text(f) if "negation" in f.flagged_by else ""),
                _csv_text("; ".join(str(c) for c in f.agent_conflicts)),
                *_csv_claim(f.score.pair.a, docs.get(f.score.pair.a.doc_id)),
                *_csv_claim(f.score.pair.b, docs.get(f.score.pair.b.doc_id)),
                f.score.direction,
                _fmt_p(f.score.pair.similarity),
            ]
        )
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def _md_text(text: str) -> str:
    """Text safe to place in one line of Markdown: line breaks become spaces (a newline in a source
    name cannot start a heading) and no raw HTML can open (``<`` becomes ``&lt;``)."""
    return " ".join(text.split()).replace("<", "&lt;")


def _md_cell(text: str) -> str:
    """Text for one table cell: one line, backslashes and pipes escaped."""
    return _md_text(text.replace("\\", "\\\\").replace("|", "\\|"))


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    rule = ("---:" if i in numeric else "---" for i in range(len(header)))
    lines.append("|" + "|".join(rule) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def _md_quote(text: str) -> list[str]:
    return [f"> {_md_text(line)}" if line.strip() else ">" for line in text.splitlines() or [""]]


def _md_claim(tag: str, claim: Claim, doc: Document | None) -> list[str]:
    verb = "denies" if claim.negated else "says"
    ref = [f"document {claim.doc_id}"]
    if doc is not None:
        ref += [f"\u201c{doc.title}\u201d" if doc.title else "", doc.published or "", _safe_url(doc.url) or ""]
    head = (
        f"**{tag}. {_md_text(_who(claim))}** ({_md_text(_claim_context(claim))}; "
        f"{_md_text(', '.join(r for r in ref if r))}) {verb}:"
    )
    return [head, "", *_md_quote(claim.text), ""]


def heading_name(claim: Claim, by: str) -> str:
    """What a finding's heading calls a claim's source: the grouping key, as the source-by-source tables name
    it, with the claim's own source in brackets where it says more ("Russia (Kremlin)")."""
    key = claim.key(by)
    return key if claim.source == key else f"{key} ({claim.source})"


def _md_finding(rank: int, f: Finding, by: str = DEFAULT_BY, docs: dict[str, Document] | None = None) -> list[str]:
    a, b = f.score.pair.a, f.score.pair.b
    return [
        f"### {rank}. [{f.band.upper()}] {_md_text(heading_name(a, by))} vs. {_md_text(heading_name(b, by))}: "
        f"p = {_fmt_p(f.p_contradiction)}",
        "",
        f"**{f.band}** ({_md_text(_band_precision(f.band))}); {_md_text('; '.join(_facts(f)))}",
        "",
        *_md_claim("A", a, (docs or {}).get(a.doc_id)),
        *_md_claim("B", b, (docs or {}).get(b.doc_id)),
    ]


def _render_md(report: Report) -> str:
    summary = source_summary(report)
    lines = ["# Contradiction report", "", _lede(report), ""]

    lines += ["## Findings", ""]
    ranked = ranked_findings(report.findings)
    if not ranked:
        lines += ["No pair of claims passed the threshold.", ""]
    else:
        lines += ["How to read a finding:", "", *(f"- **{term}**: {_md_text(text)}" for term, text in LEGEND), ""]
    docs = {d.id: d for d in report.documents}
    for rank, f in enumerate(ranked, 1):
        lines += _md_finding(rank, f, summary.by, docs)

    lines += [f"## Source by source (grouped by {_md_text(summary.by)})", ""]
    if summary.claims:
        lines += [*_md_table(_CLAIMS_HEADER, _claims_rows(summary), {1}), ""]
    if summary.pairs:
        lines += [*_md_table(_PAIRS_HEADER, _pairs_rows(summary), {2, 3, 4}), ""]
    if not summary.claims and not summary.pairs:
        lines += ["No claims.", ""]

    stats_table = _md_table(("Measure", "Value"), _stats_rows(report.stats), set())
    lines += ["## Statistics", "", *stats_table, ""]
    skipped = _skipped_rows(report.stats)
    if skipped:
        skipped_table = _md_table(_SKIPPED_HEADER, skipped, {1})
        lines += [f"### Skipped records ({len(skipped)})", "", *skipped_table, ""]

    run_rows = _run_rows(report.run)
    if run_rows:
        lines += ["## Run", "", *_md_table(("Setting", "Value"), run_rows, set()), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_e = html.escape
_DOT = " \u00b7 "

_CSS = """
:root {
  --fg: #1c2230; --muted: #5a6374; --line: #dde1e8; --panel: #f6f7f9; --bg: #ffffff;
  --accent: #b42318; --accent-soft: #fee4e2; --mark-a: #fde68a; --mark-b: #c7ddfe;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", sans-serif;
}
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.lede, .note { color: var(--muted); }
.lede { margin: 0; font-size: 1.05rem; }
.kpis { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; padding: 0; margin: 1.25rem 0 0; }
.kpis li { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem .9rem; min-width: 8rem; }
.kpis b { display: block; font-size: 1.35rem; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .92rem; margin: 0 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .65rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix td { text-align: center; min-width: 4.5rem; font-variant-numeric: tabular-nums; }
.matrix td.self { color: var(--muted); }
.matrix th[scope=row] { text-align: right; }
.finding { border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
.finding-head { display: flex; align-items: center; flex-wrap: wrap; gap: .5rem .9rem; }
.finding-head h3 { margin: 0; flex: 1 1 20rem; }
.band { padding: .15rem .6rem; border-radius: .3rem; font-weight: 700; text-transform: uppercase;
        letter-spacing: .04em; font-size: .8rem; }
.band-strong .band { background: var(--accent); color: #ffffff; }
.band-possible .band { background: var(--panel); color: var(--muted); border: 1px dashed var(--muted); }
.finding.band-possible { border-style: dashed; }
.legend { margin: 0 0 1.25rem; }
.rank { color: var(--muted); font-variant-numeric: tabular-nums; }
.vs { color: var(--muted); font-weight: 400; }
.prob { display: flex; align-items: center; gap: .5rem; }
.badge { padding: .1rem .55rem; border-radius: 999px; font-weight: 600; font-variant-numeric: tabular-nums;
         background: var(--accent-soft); color: #7a1a12; }
.bar { display: inline-block; width: 8rem; height: .5rem; border-radius: 999px; overflow: hidden;
       background: var(--line); }
.bar > span { display: block; height: 100%; background: var(--accent); }
.meta { color: var(--muted); font-size: .88rem; margin: .4rem 0 .8rem; }
.claims { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.claim { background: var(--panel); border-radius: .5rem; padding: .8rem 1rem; min-width: 0; }
.claim h4 { margin: 0; font-size: 1rem; }
.tag { display: inline-block; width: 1.4rem; height: 1.4rem; line-height: 1.4rem; text-align: center;
       border-radius: 50%; background: var(--fg); color: var(--bg); font-size: .75rem; margin-right: .35rem; }
.who { color: var(--muted); font-size: .85rem; margin: .15rem 0 .6rem; }
.verb { font-weight: 600; }
.denies { color: var(--accent); }
blockquote { margin: 0 0 .7rem; padding-left: .8rem; border-left: 3px solid var(--accent); }
.excerpt, .doc { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .9rem; max-width: 75ch; margin: 0 0 .5rem; }
.doc { max-height: 28rem; overflow-y: auto; background: var(--bg); padding: .6rem .8rem; border-radius: .35rem; }
mark { background: var(--mark-a); color: inherit; padding: 0 .1em; border-radius: .15em; }
.claim-b mark { background: var(--mark-b); }
summary { cursor: pointer; color: var(--muted); font-size: .86rem; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .92rem; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  main { max-width: none; padding: 0; }
  .finding, .matrix, tr { break-inside: avoid; }
  .doc { max-height: none; overflow: visible; }
  a { color: inherit; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Nothing on the page may load from anywhere; links to original articles stay clickable.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address worth linking, else ``None``."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _span_parts(text: str, span: tuple[int, int]) -> tuple[str, str, str] | None:
    """Split ``text`` into (before, span, after), or ``None`` if the span does not fit."""
    start, end = span
    if not 0 <= start < end <= len(text):
        return None
    return text[:start], text[start:end], text[end:]


def _trim_before(before: str) -> tuple[str, str]:
    """The last :data:`EXCERPT_CONTEXT` characters, cut at a word start; and an ellipsis if cut."""
    if len(before) <= EXCERPT_CONTEXT:
        return "", before
    tail = before[-EXCERPT_CONTEXT:]
    cut = next((i for i, ch in enumerate(tail) if ch.isspace()), None)
    if cut is not None and cut < len(tail) - 1:
        tail = tail[cut + 1 :]
    return "\u2026", tail


def _trim_after(after: str) -> tuple[str, str]:
    """The first :data:`EXCERPT_CONTEXT` characters, cut at a word end; and an ellipsis if cut."""
    if len(after) <= EXCERPT_CONTEXT:
        return after, ""
    head = after[:EXCERPT_CONTEXT]
    cut = max((i for i, ch in enumerate(head) if ch.isspace()), default=-1)
    return (head[:cut] if cut > 0 else head), "\u2026"


def _html_marked(before: str, marked: str, after: str) -> str:
    return f"{_e(before)}<mark>{_e(marked)}</mark>{_e(after)}"


def _html_document(claim: Claim, doc: Document | None) -> str:
    """The excerpt around a claim with its sentence marked, and the whole document folded."""
    if doc is None:
        return f'<p class="note">Document {_e(claim.doc_id)} is not included in this report.</p>'
    parts = _span_parts(doc.text, claim.span)
    ref = [f"{_e(doc.title)} ({_e(doc.id)})" if doc.title else _e(doc.id)]
    if doc.published:
        ref.append(_e(doc.published))
    url = _safe_url(doc.url)
    if url:
        ref.append(f'<a href="{_e(url)}" rel="noopener noreferrer">original</a>')
    if parts is None:
        excerpt = (
            f'<p class="note">Span {claim.span[0]}\u2013{claim.span[1]} lies outside '
            f"this document ({len(doc.text)} characters).</p>"
        )
        whole = _e(doc.text)
    else:
        before, marked, after = parts
        ellipsis_in, shown_before = _trim_before(before)
        shown_after, ellipsis_out = _trim_after(after)
        excerpt = (
            f'<p class="excerpt">{ellipsis_in}'
            f"{_html_marked(shown_before, marked, shown_after)}{ellipsis_out}</p>"
        )
        whole = _html_marked(before, marked, after)
    return (
        f"{excerpt}\n<details><summary>Whole document: {_DOT.join(ref)}</summary>"
        f'<div class="doc">{whole}</div></details>'
    )


def _html_claim(tag: str, claim: Claim, doc: Document | None) -> str:
    if claim.negated:
        verb = '<span class="verb denies">denies</span>'
    else:
        verb = '<span class="verb">says</span>'
    return (
        f'<section class="claim claim-{tag.lower()}">\n'
        f'<h4><span class="tag">{tag}</span>{_e(_who(claim))} {verb}</h4>\n'
        f'<p class="who">{_e(_claim_context(claim))}</p>\n'
        f"<blockquote>{_e(claim.text)}</blockquote>\n"
        f"{_html_document(claim, doc)}\n"
        "</section>"
    )


def _html_finding(rank: int, f: Finding, docs: dict[str, Document], by: str = DEFAULT_BY) -> str:
    a, b = f.score.pair.a, f.score.pair.b
    p = min(max(float(f.p_contradiction), 0.0), 1.0)
    meta = [_e(fact) for fact in _facts(f)]
    return (
        f'<article class="finding band-{f.band}" id="finding-{rank}">\n'
        '<div class="finding-head">\n'
        f'<span class="band" title="{_e(_band_precision(f.band))}">{_e(f.band)}</span>\n'
        f'<span class="rank">#{rank}</span>\n'
        f'<h3>{_e(heading_name(a, by))} <span class="vs">vs.</span> {_e(heading_name(b, by))}</h3>\n'
        f'<div class="prob" title="calibrated contradiction probability">'
        f'<span class="badge">p = {_fmt_p(p)}</span>'
        f'<span class="bar" role="img" aria-label="{p:.0%}">'
        f'<span style="width: {p * 100:.1f}%"></span></span>'
        "</div>\n</div>\n"
        f'<p class="meta">{_DOT.join(meta)}</p>\n'
        '<div class="claims">\n'
        f"{_html_claim('A', a, docs.get(a.doc_id))}\n"
        f"{_html_claim('B', b, docs.get(b.doc_id))}\n"
        "</div>\n</article>"
    )


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A table from plain text cells (escaped here)."""

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f'<th scope="col"{cls(i)}>{_e(h)}</th>' for i, h in enumerate(header))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(i)}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def _html_matrix(summary: SourceSummary) -> str:
    """Sources x sources: flagged/scored per pair, shaded by the share flagged."""
    sources = summary.sources
    table = summary.lookup()
    head = "".join(f'<th scope="col">{_e(s)}</th>' for s in sources)
    rows = []
    for row in sources:
        cells = []
        for col in sources:
            pair = table.get((row, col))
            if pair is None:
                cells.append('<td class="self">\u2014</td>' if row == col else "<td></td>")
                continue
            rate = pair.rate
            style = ""
            if rate is not None:
                alpha = 0.06 + 0.64 * rate
                ink = "#ffffff" if alpha > 0.5 else "inherit"
                style = f' style="background-color: rgba(180, 35, 24, {alpha:.2f}); color: {ink}"'
            label = f"{row} / {col}: {pair.flagged} flagged of {_fmt_scored(pair)} scored"
            text = f"{pair.flagged}/{_fmt_scored(pair)}"
            cells.append(f'<td title="{_e(label)}"{style}>{_e(text)}</td>')
        rows.append(f'<tr><th scope="row">{_e(row)}</th>{"".join(cells)}</tr>')
    return (
        '<div class="table-wrap"><table class="matrix">\n'
        f"<thead><tr><td></td>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )


def _html_sources(summary: SourceSummary) -> str:
    out = [
        f'<p class="note">Grouped by {_e(summary.by)}. Each cell: pairs flagged / pairs scored '
        "between the two sources.</p>"
    ]
    if not summary.claims:
        return out[0] + '\n<p class="note">No claims.</p>'
    if summary.pairs and 2 <= len(summary.claims) <= MATRIX_MAX_SOURCES:
        out.append(_html_matrix(summary))
    if summary.pairs:
        out.append(_html_table(_PAIRS_HEADER, _pairs_rows(summary), {2, 3, 4}))
    out.append("<h3>Claims per source</h3>")
    out.append(_html_table(_CLAIMS_HEADER, _claims_rows(summary), {1}))
    return "\n".join(out)


def _html_stats(stats: Stats) -> str:
    out = [_html_table(("Measure", "Value"), _stats_rows(stats), set())]
    skipped = _skipped_rows(stats)
    if skipped:
        out.append(f"<h3>Skipped records ({len(skipped)})</h3>")
        out.append(_html_table(_SKIPPED_HEADER, skipped, {1}))
    return "\n".join(out)


def _html_run(run: dict[str, Any]) -> str:
    rows = _run_rows(run)
    if not rows:
        return '<p class="note">No run information.</p>'
    items = "\n".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<dl class="run">\n{items}\n</dl>'


def _render_html(report: Report) -> str:
    summary = source_summary(report)
    stats = report.stats
    docs = {d.id: d for d in report.documents}
    ranked = ranked_findings(report.findings)
    kpis = [
        ("findings", len(ranked)),
        *((name, sum(f.band == name for f in ranked)) for name in bands.BANDS),
        ("documents", stats.documents_read),
        ("claims", stats.claims),
        ("pairs scored", stats.pairs_scored),
        ("records skipped", len(stats.documents_skipped)),
    ]
    kpi_html = "".join(f"<li><b>{n}</b>{_e(label)}</li>" for label, n in kpis)
    if ranked:
        findings_html = "\n".join(_html_finding(rank, f, docs, summary.by) for rank, f in enumerate(ranked, 1))
    else:
        findings_html = '<p class="note">No pair of claims passed the threshold.</p>'
    legend_html = ""
    if ranked:
        items = "\n".join(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in LEGEND)
        legend_html = ('<details class="legend" open><summary>How to read a finding</summary>\n'
                       f'<dl class="run">\n{items}\n</dl></details>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="referrer" content="no-referrer">
<title>Contradiction report: {_plural(len(ranked), 'finding')}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Contradiction report</h1>
<p class="lede">{_e(_lede(report))}</p>
<ul class="kpis">{kpi_html}</ul>
</header>
<section id="findings">
<h2>Findings</h2>
{legend_html}
{findings_html}
</section>
<section id="sources">
<h2>Source by source</h2>
{_html_sources(summary)}
</section>
<section id="stats">
<h2>Statistics</h2>
{_html_stats(stats)}
</section>
<section id="run">
<h2>Run</h2>
{_html_run(report.run)}
</section>
<footer>Generated by contradict. Probabilities come from an NLI model and can be wrong:
read both claims in context before relying on a finding.</footer>
</main>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "json": _render_json,
    "jsonl": _render_jsonl,
    "csv": _render_csv,
    "md": _render_md,
    "html": _render_html,
}


def render(report: Report, fmt: str = "json") -> str:
    """The report as text in ``fmt`` (one of :data:`FORMATS`).

    Raises :class:`~contradict.errors.ConfigError` for an unknown format.
    """
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        expected = ", ".join(FORMATS)
        raise ConfigError(f"unknown report format {fmt!r}; expected one of {expected}") from None
    return renderer(report)


def write_report(report: Report, fmt: str, path: str | Path | None = None) -> None:
    """Render ``report`` and write it to ``path`` (UTF-8), or to stdout when ``path`` is None.

    Raises :class:`~contradict.errors.ConfigError` if the file cannot be written.
    """
    write_output(render(report, fmt), path)


def check_output(path: str | Path | None) -> None:
    """Fail before any work is done when ``path`` cannot be a file to write (None is stdout).

    Raises :class:`~contradict.errors.ConfigError` for a folder, a missing folder above it, or one
    that cannot be written to.
    """
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise ConfigError(f"cannot write to {target}: it is a folder")
    if not target.parent.is_dir():
        raise ConfigError(f"cannot write to {target}: there is no folder {target.parent}")
    if not os.access(target.parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ConfigError(f"cannot write to {target}: permission denied")


def write_output(text: str, path: str | Path | None) -> None:
    """Write ``text`` to ``path`` as UTF-8, or to stdout when ``path`` is None.

    Raises :class:`~contradict.errors.ConfigError` if the file cannot be written.
    """
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        # newline="" keeps CSV's CRLF row ends as they are on every platform.
        target.write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise ConfigError(f"cannot write to {target}: {err.strerror or err}") from err
