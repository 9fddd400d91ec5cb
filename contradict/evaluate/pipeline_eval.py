"""Evaluate the whole compare pipeline on document sets with gold contradictions.

A set is one JSON object per line::

    {"id": "budget-vote",
     "documents": [{"doc_id": "d1", "source_outlet": "Daily Ledger", "text": "..."}, ...],
     "gold_contradictions": [{"speaker_a": "...", "claim_a": "...", "speaker_b": "...", "claim_b": "..."}]}

Each set goes through :func:`contradict.pipeline.compare`; its findings are the flagged pairs.

Matching rule: two claims match when the Jaccard similarity of their sets of
lower-cased word tokens (``\\w+``) is at least ``min_jaccard`` (0.5 by default). A
flagged pair matches a gold pair when its two claims match the two gold claims in
either order. Flagged pairs are taken in report order; each is matched to the
not-yet-matched gold pair with the highest summed similarity, so each gold pair is
matched at most once and a second finding of the same contradiction counts as a
false positive. Precision = matched findings / findings, recall = matched gold pairs /
gold pairs, both pooled over all sets (None when the denominator is 0). Speakers do not
take part in matching; ``speaker_agreement`` reports, among matched pairs, the share
whose gold speakers both share a word with the matched claims' speaker, canonical
speaker or source.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..evidence import words
from ..types import Claim, Document, Report

_DOC_FIELDS = ("doc_id", "source_outlet", "text")
_GOLD_FIELDS = ("speaker_a", "claim_a", "speaker_b", "claim_b")


@dataclass(frozen=True)
class GoldContradiction:
    speaker_a: str
    claim_a: str
    speaker_b: str
    claim_b: str


@dataclass(frozen=True)
class DocumentSet:
    id: str
    documents: list[Document]
    gold: list[GoldContradiction]
    line: int


def load_document_sets(path: str | Path) -> list[DocumentSet]:
    """Read a document-set file; InputError names the line and field of any malformed record."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file not found")
    sets: list[DocumentSet] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"not valid JSON: {exc.msg}", line=number) from None
            sets.append(_parse_set(record, str(path), number))
            if sets[-1].id in seen:
                raise InputError(str(path), f"duplicate set id {sets[-1].id!r}", line=number, field="id")
            seen.add(sets[-1].id)
    return sets


def _parse_set(record: Any, path: str, line: int) -> DocumentSet:
    def need(obj: Any, key: str, kind: type, where: str) -> Any:
        if not isinstance(obj, dict) or not isinstance(obj.get(key), kind):
            what = "a string" if kind is str else "a list"
            raise InputError(path, f"expected {what} here", line=line, field=f"{where}{key}")
        return obj[key]

    set_id = need(record, "id", str, "")
    documents = []
    for i, doc in enumerate(need(record, "documents", list, "")):
        values = [need(doc, key, str, f"documents[{i}].") for key in _DOC_FIELDS]
        documents.append(Document(id=values[0], source=values[1], text=values[2], path=path, line=line))
    gold = [GoldContradiction(*(need(g, key, str, f"gold_contradictions[{i}].") for key in _GOLD_FIELDS))
            for i, g in enumerate(need(record, "gold_contradictions", list, ""))]
    return DocumentSet(id=set_id, documents=documents, gold=gold, line=line)


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the lower-cased word-token sets of two texts (0 when both are empty)."""
    x, y = set(words(a)), set(words(b))
    return len(x & y) / len(x | y) if x | y else 0.0


def match_findings(flagged: list[tuple[str, str]], gold: list[GoldContradiction],
                   min_jaccard: float = 0.5) -> list[tuple[int, bool] | None]:
    """For each flagged (claim_a, claim_b), the matched gold index and whether the order was swapped, or None."""
    taken: set[int] = set()
    out: list[tuple[int, bool] | None] = []
    for a, b in flagged:
        best: tuple[float, int, bool] | None = None
        for j, g in enumerate(gold):
            if j in taken:
                continue
            for swapped, (ga, gb) in ((False, (g.claim_a, g.claim_b)), (True, (g.claim_b, g.claim_a))):
                sa, sb = jaccard(a, ga), jaccard(b, gb)
                if sa >= min_jaccard and sb >= min_jaccard and (best is None or sa + sb > best[0]):
                    best = (sa + sb, j, swapped)
        if best is None:
            out.append(None)
        else:
            taken.add(best[1])
            out.append((best[1], best[2]))
    return out


def _speaker_agrees(gold_speaker: str, claim: Claim) -> bool:
    wanted = set(words(gold_speaker))
    known = set(words(" ".join(s for s in (claim.speaker, claim.speaker_canonical, claim.source) if s)))
    return bool(wanted & known)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def evaluate_pipeline(sets: list[DocumentSet], *, scorer: Any, compare: Callable[..., Report] | None = None,
                      min_jaccard: float = 0.5, **compare_options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run ``compare`` on every set and score its findings against the gold pairs.

    ``compare`` defaults to :func:`contradict.pipeline.compare` (then the claim extractor and the
    embedder are built once for all sets, unless given); ``compare_options`` are passed on to it.
    Returns pooled metrics and one record per set (findings with their gold match, and gold pairs
    with whether they were found).
    """
    if compare is None:
        from ..embed import Embedder
        from ..extract import ClaimExtractor
        from ..pipeline import compare

        if "extractor" not in compare_options:
            compare_options["extractor"] = ClaimExtractor(
                include_unattributed=compare_options.get("include_unattributed", False))
        if "embedder" not in compare_options:
            compare_options["embedder"] = Embedder()
    records: list[dict[str, Any]] = []
    n_flagged = n_true = n_gold = n_found = n_speakers = 0
    false_alarm_sets = 0
    for s in sets:
        report = compare(s.documents, scorer=scorer, **compare_options)
        pairs = [(f.score.pair.a, f.score.pair.b) for f in report.findings]
        matches = match_findings([(a.text, b.text) for a, b in pairs], s.gold, min_jaccard)
        findings = []
        for finding, (a, b), m in zip(report.findings, pairs, matches):
            findings.append({"claim_a": a.text, "speaker_a": a.speaker, "claim_b": b.text, "speaker_b": b.speaker,
                             "p_contradiction": finding.p_contradiction, "gold": None if m is None else m[0]})
            if m is not None:
                g = s.gold[m[0]]
                first, second = (b, a) if m[1] else (a, b)
                n_speakers += _speaker_agrees(g.speaker_a, first) and _speaker_agrees(g.speaker_b, second)
        found = {m[0] for m in matches if m is not None}
        n_flagged += len(findings)
        n_true += len(found)
        n_gold += len(s.gold)
        n_found += len(found)
        false_alarm_sets += not s.gold and bool(findings)
        records.append({"id": s.id, "findings": findings,
                        "gold": [{**g.__dict__, "found": j in found} for j, g in enumerate(s.gold)]})
    precision, recall = _ratio(n_true, n_flagged), _ratio(n_found, n_gold)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    metrics = {
        "n": len(sets), "flagged": n_flagged, "gold": n_gold, "true_positives": n_true,
        "precision": precision, "recall": recall, "f1": f1,
        "sets_without_gold": sum(1 for s in sets if not s.gold), "false_alarm_sets": false_alarm_sets,
        "speaker_agreement": _ratio(n_speakers, n_true), "min_jaccard": min_jaccard,
    }
    return metrics, records
