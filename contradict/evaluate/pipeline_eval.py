"""Evaluate the whole compare pipeline on document sets with gold contradictions.

A set is one JSON object per line::

    {"id": "budget-vote",
     "documents": [{"doc_id": "d1", "source_outlet": "Daily Ledger", "text": "..."}, ...],
     "gold_contradictions": [{"speaker_a": "...", "claim_a": "...", "speaker_b": "...", "claim_b": "..."}]}

Each set goes through :func:`contradict.pipeline.compare`; its findings are the flagged pairs.

Matching: gold claims are paraphrases of what a speaker asserted, not spans of the text, so an
extracted claim *matches* a gold claim when the cosine similarity of their all-MiniLM-L6-v2
embeddings is at least ``min_cosine`` (:data:`MIN_COSINE`, "semantic", the headline figures); the
older rule, Jaccard similarity of lower-cased word-token sets at least ``min_jaccard`` (0.5,
"token"), is reported beside it. A flagged pair matches a gold pair when its two claims match the
two gold claims in either order. Flagged pairs are taken in report order; each is matched to the
not-yet-matched gold pair with the highest summed similarity, so each gold pair is matched at most
once and a second finding of the same contradiction counts as a false positive. Precision = matched
findings / findings, recall = matched gold pairs / gold pairs, both pooled over all sets (None when
the denominator is 0). Speakers do not take part in matching; ``speaker_agreement`` reports, among
matched pairs, the share whose gold speakers both share a word with the matched claims' speaker,
canonical speaker or source.

Where contradictions are lost, stage by stage (under each matcher): ``claim_recall`` is the share of
gold claims that some extracted claim matches, ``extracted_recall`` the share of gold contradictions whose two claims both match some extracted claim, ``paired_recall``
the share whose two claims match the two claims of a candidate pair that was scored, and
``flagged_recall`` (= recall) the share found. Each false alarm gets a coarse cause, the first that
applies: ``same_speaker`` (the two speakers share a name word: one person under two names),
``unattributed`` (a claim nobody is quoted as making), ``not_gold_claims`` (a claim matching no gold
claim), ``gold_claims_not_paired`` (both claims are gold claims, of no gold contradiction together:
by the annotation, compatible).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..evidence import words
from ..types import Claim, Document, Report

#: Cosine similarity (all-MiniLM-L6-v2) from which an extracted claim matches a gold claim (the semantic rule).
MIN_COSINE = 0.7
#: Looser cosines at which the semantic figures are also reported (``metrics["by_cosine"]``), to show how
#: much of the loss is the matching rule's strictness rather than the pipeline's.
LOOSER_COSINES = (0.6, 0.65)
MATCHERS = ("semantic", "token")
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


def similarity_matrix(texts: list[str], gold_texts: list[str], matcher: str, embedder: Any = None) -> np.ndarray:
    """Similarity of each text (rows) to each gold claim (columns): word-token Jaccard for "token", cosine of
    ``embedder``'s unit vectors for "semantic"."""
    if matcher == "token":
        return np.array([[jaccard(t, g) for g in gold_texts] for t in texts], dtype=float).reshape(len(texts),
                                                                                                     len(gold_texts))
    if matcher != "semantic":
        raise ValueError(f"unknown matcher {matcher!r}; expected one of {', '.join(MATCHERS)}")
    if not texts or not gold_texts:
        return np.zeros((len(texts), len(gold_texts)))
    vectors = np.asarray(embedder.encode(list(texts) + list(gold_texts)), dtype=float)
    return vectors[:len(texts)] @ vectors[len(texts):].T


def _match(pairs: list[tuple[int, int]], sim: np.ndarray, n_gold: int, threshold: float) -> list[tuple[int, bool] | None]:
    """Greedy matching of (text x, text y) pairs to gold pairs (gold j's claims are columns 2j and 2j+1)."""
    taken: set[int] = set()
    out: list[tuple[int, bool] | None] = []
    for x, y in pairs:
        best: tuple[float, int, bool] | None = None
        for j in range(n_gold):
            if j in taken:
                continue
            for swapped, (ca, cb) in ((False, (2 * j, 2 * j + 1)), (True, (2 * j + 1, 2 * j))):
                sa, sb = sim[x, ca], sim[y, cb]
                if sa >= threshold and sb >= threshold and (best is None or sa + sb > best[0]):
                    best = (float(sa + sb), j, swapped)
        if best is None:
            out.append(None)
        else:
            taken.add(best[1])
            out.append((best[1], best[2]))
    return out


def _gold_texts(gold: list[GoldContradiction]) -> list[str]:
    return [t for g in gold for t in (g.claim_a, g.claim_b)]


def match_findings(flagged: list[tuple[str, str]], gold: list[GoldContradiction],
                   min_jaccard: float = 0.5) -> list[tuple[int, bool] | None]:
    """For each flagged (claim_a, claim_b), the matched gold index and whether the order was swapped, or None
    (the token rule)."""
    texts = list(dict.fromkeys(t for pair in flagged for t in pair))
    index = {t: i for i, t in enumerate(texts)}
    sim = similarity_matrix(texts, _gold_texts(gold), "token")
    return _match([(index[a], index[b]) for a, b in flagged], sim, len(gold), min_jaccard)


def _speaker_agrees(gold_speaker: str, claim: Claim) -> bool:
    wanted = set(words(gold_speaker))
    known = set(words(" ".join(s for s in (claim.speaker, claim.speaker_canonical, claim.source) if s)))
    return bool(wanted & known)


#: Words that do not make two speakers one person.
_TITLE_WORDS = frozenset("the a an of mr mrs ms dr president prime minister spokesman spokeswoman spokesperson "
                         "official officials said says press secretary senior aide agency news ministry foreign "
                         "office department government council committee national state".split())


def _same_speaker(a: Claim, b: Claim) -> bool:
    names = [set(words(c.speaker_canonical or c.speaker or "")) - _TITLE_WORDS for c in (a, b)]
    return bool(names[0] & names[1])


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


CAUSES = ("same_speaker", "unattributed", "not_gold_claims", "gold_claims_not_paired")


def _report_texts(report: Report) -> list[str]:
    """The distinct claim texts of a report, its claims' and its findings', in order: the rows of its matrix."""
    claims = list(report.claims) + [c for f in report.findings for c in (f.score.pair.a, f.score.pair.b)]
    return list(dict.fromkeys(c.text for c in claims))


def _score_set(report: Report, gold: list[GoldContradiction], texts: list[str], sim: np.ndarray,
               threshold: float) -> dict[str, Any]:
    """One set under one matcher (``sim``: :func:`similarity_matrix` of ``texts`` = :func:`_report_texts` to the
    gold claims) at one threshold: stage counts, each finding's gold match and each false alarm's cause."""
    index = {t: i for i, t in enumerate(texts)}
    hit = sim >= threshold
    scored = [(index[s.pair.a.text], index[s.pair.b.text]) for s in report.scores if s.pair.a.text in index
              and s.pair.b.text in index]
    extracted = [bool(hit[:, 2 * j].any() and hit[:, 2 * j + 1].any()) for j in range(len(gold))]
    paired = [any((hit[x, 2 * j] and hit[y, 2 * j + 1]) or (hit[x, 2 * j + 1] and hit[y, 2 * j]) for x, y in scored)
              for j in range(len(gold))]
    pairs = [(f.score.pair.a, f.score.pair.b) for f in report.findings]
    matches = _match([(index[a.text], index[b.text]) for a, b in pairs], sim, len(gold), threshold)
    in_gold = hit.any(axis=1) if len(gold) else np.zeros(len(texts), dtype=bool)
    causes = []
    for (a, b), m in zip(pairs, matches):
        if m is not None:
            causes.append(None)
        elif _same_speaker(a, b):
            causes.append("same_speaker")
        elif not (a.attributed and b.attributed):
            causes.append("unattributed")
        elif not (in_gold[index[a.text]] and in_gold[index[b.text]]):
            causes.append("not_gold_claims")
        else:
            causes.append("gold_claims_not_paired")
    speakers = 0
    for (a, b), m in zip(pairs, matches):
        if m is not None:
            g = gold[m[0]]
            first, second = (b, a) if m[1] else (a, b)
            speakers += _speaker_agrees(g.speaker_a, first) and _speaker_agrees(g.speaker_b, second)
    found = {m[0] for m in matches if m is not None}
    return {"matches": matches, "causes": causes, "found": found, "extracted": sum(extracted),
            "claims_extracted": int(hit.any(axis=0).sum()) if len(texts) else 0,
            "paired": sum(paired), "speakers": speakers,
            "gold_extracted": extracted, "gold_paired": paired}


def _pooled(per_set: list[dict[str, Any]], n_flagged: int, n_gold: int) -> dict[str, Any]:
    true = sum(len(r["found"]) for r in per_set)
    precision, recall = _ratio(true, n_flagged), _ratio(true, n_gold)
    causes = {c: sum(r["causes"].count(c) for r in per_set) for c in CAUSES}
    return {"true_positives": true, "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "claim_recall": _ratio(sum(r["claims_extracted"] for r in per_set), 2 * n_gold),
            "extracted_recall": _ratio(sum(r["extracted"] for r in per_set), n_gold),
            "paired_recall": _ratio(sum(r["paired"] for r in per_set), n_gold), "flagged_recall": recall,
            "speaker_agreement": _ratio(sum(r["speakers"] for r in per_set), true), "false_alarm_causes": causes}


def evaluate_pipeline(sets: list[DocumentSet], *, scorer: Any, compare: Callable[..., Report] | None = None,
                      min_jaccard: float = 0.5, min_cosine: float = MIN_COSINE, match_embedder: Any = None,
                      **compare_options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run ``compare`` on every set and score its findings against the gold pairs, under the semantic rule
    (the headline) and the token rule (``metrics["token"]``), stage by stage (module notes).

    ``compare`` defaults to :func:`contradict.pipeline.compare` (then the claim extractor and the
    embedder are built once for all sets, unless given); ``compare_options`` are passed on to it.
    ``match_embedder`` embeds claims for the semantic rule (default: the compare embedder, else a new
    :class:`contradict.embed.Embedder`). Returns pooled metrics and one record per set (findings with
    their gold match and false-alarm cause, gold pairs with how far each got).
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
    if match_embedder is None:
        match_embedder = compare_options.get("embedder")
    if match_embedder is None:
        from ..embed import Embedder

        match_embedder = Embedder()
    thresholds = {"semantic": min_cosine, "token": min_jaccard}
    records: list[dict[str, Any]] = []
    scored: dict[str, list[dict[str, Any]]] = {m: [] for m in MATCHERS}
    looser: dict[float, list[dict[str, Any]]] = {c: [] for c in LOOSER_COSINES if c < min_cosine}
    n_flagged = n_gold = 0
    false_alarm_sets = 0
    for s in sets:
        report = compare(s.documents, scorer=scorer, **compare_options)
        texts = _report_texts(report)
        sims = {m: similarity_matrix(texts, _gold_texts(s.gold), m, match_embedder) for m in MATCHERS}
        per = {m: _score_set(report, s.gold, texts, sims[m], thresholds[m]) for m in MATCHERS}
        for m in MATCHERS:
            scored[m].append(per[m])
        for cosine in looser:
            looser[cosine].append(_score_set(report, s.gold, texts, sims["semantic"], cosine))  # embedded once
        sem, tok = per["semantic"], per["token"]
        findings = []
        for i, f in enumerate(report.findings):
            a, b = f.score.pair.a, f.score.pair.b
            findings.append({"claim_a": a.text, "speaker_a": a.speaker, "claim_b": b.text, "speaker_b": b.speaker,
                             "p_contradiction": f.p_contradiction, "flagged_by": list(f.flagged_by),
                             "gold": None if sem["matches"][i] is None else sem["matches"][i][0],
                             "gold_token": None if tok["matches"][i] is None else tok["matches"][i][0],
                             "cause": sem["causes"][i]})
        n_flagged += len(findings)
        n_gold += len(s.gold)
        false_alarm_sets += not s.gold and bool(findings)
        records.append({"id": s.id, "findings": findings,
                        "stages": {m: {"gold": len(s.gold), "extracted": per[m]["extracted"],
                                       "paired": per[m]["paired"], "found": len(per[m]["found"]),
                                       "flagged": len(findings)} for m in MATCHERS},
                        "gold": [{**g.__dict__, "extracted": sem["gold_extracted"][j], "paired": sem["gold_paired"][j],
                                  "found": j in sem["found"], "found_token": j in tok["found"]}
                                 for j, g in enumerate(s.gold)]})
    metrics = {"n": len(sets), "flagged": n_flagged, "gold": n_gold, "matching": "semantic",
               **_pooled(scored["semantic"], n_flagged, n_gold),
               "token": _pooled(scored["token"], n_flagged, n_gold),
               "by_cosine": {f"{c:.2f}": {k: v for k, v in _pooled(r, n_flagged, n_gold).items()
                                          if k in ("claim_recall", "extracted_recall", "paired_recall", "precision",
                                                   "recall", "f1")}
                             for c, r in {**looser, min_cosine: scored["semantic"]}.items()},
               "sets_without_gold": sum(1 for s in sets if not s.gold), "false_alarm_sets": false_alarm_sets,
               "min_cosine": min_cosine, "min_jaccard": min_jaccard}
    return metrics, records
