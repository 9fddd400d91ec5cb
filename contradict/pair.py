"""Candidate pairs: claims from different sources that speak of the same matter.

Scoring every cross-source pair grows with the square of the corpus. Instead each
claim keeps its ``top_k`` nearest neighbours from *other* groups (cosine similarity
of MiniLM embeddings, searched block by block so memory stays bounded), boosted by
shared entity cues (names, numbers), above a similarity floor. At most
``top_k * n_claims`` pairs are scored, so the scored count grows linearly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

import numpy as np

from .progress import progress
from .types import Claim, ClaimPair

#: The most similarities :class:`Pairer` and :func:`shared_matter_pairs` hold at a time (float32: 32 MB, with
#: the shortlist's indices about 100 MB at the peak).
MAX_CELLS = 1 << 23

_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*[A-Za-z0-9](?:\s+(?:of|de|al|bin)?\s*[A-Z][\w'’.-]*[A-Za-z0-9])*)")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NOT_NAMES = frozenset("The A An He She They It We I This That These Those In On At But And Or If "
                       "When While After Before According Mr Mrs Ms Dr".split())


def entity_terms(text: str) -> frozenset[str]:
    """Cheap entity cues: capitalised names (not sentence-initial function words) and numbers."""
    names = set()
    for m in _NAME.finditer(text):
        words = [w for w in m.group(0).split() if w not in _NOT_NAMES]
        if words:
            names.add(" ".join(words).lower().rstrip("'’s"))
    return frozenset(names | {n.rstrip(".,") for n in _NUMBER.findall(text)})


def blocks(members: np.ndarray, width: int, block_size: int, max_cells: int) -> Iterator[np.ndarray]:
    """``members`` in consecutive blocks of at most ``block_size`` rows and ``max_cells`` cells of a matrix
    ``width`` wide (at least one row a block)."""
    step = max(1, min(block_size, max_cells // max(1, width)))
    for start in range(0, len(members), step):
        yield members[start:start + step]


def cross_group_pairs(keys: Sequence[str]) -> int:
    """How many unordered pairs of items have different keys (all pairs a brute force would score)."""
    n = len(keys)
    return n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in Counter(keys).values())


class Pairer:
    """Finds candidate pairs among claims of different groups.

    Parameters
    ----------
    by: group claims by ``side``, ``speaker`` or ``outlet``; only different groups pair.
    top_k: neighbours kept per claim.
    min_similarity: floor on the pair score (cosine plus the entity bonus).
    entity_bonus: added to the cosine when the two claims share a name or number.
    block_size: rows of the similarity matrix computed at a time (fewer where the matrix is wide).
    max_cells: the most similarities computed at a time: a block has at most ``max_cells // n_claims`` rows
        (at least one), so memory stays bounded however many claims there are.
    """

    def __init__(self, *, by: str = "side", top_k: int = 5, min_similarity: float = 0.4,
                 entity_bonus: float = 0.1, block_size: int = 1024, max_cells: int = MAX_CELLS):
        self.by = by
        self.top_k = top_k
        self.min_similarity = min_similarity
        self.entity_bonus = entity_bonus
        self.block_size = block_size
        self.max_cells = max_cells

    def pair(self, claims: Sequence[Claim], embeddings: np.ndarray, *, show_progress: bool = False) -> list[ClaimPair]:
        """Candidate pairs, each unordered pair once, in order of decreasing score (``show_progress``: a bar of
        claims searched)."""
        n = len(claims)
        if n < 2:
            return []
        keys = [c.key(self.by) for c in claims]
        _, group = np.unique(np.array(keys, dtype=object).astype(str), return_inverse=True)
        terms = [entity_terms(c.text) for c in claims]
        wide = min(n - 1, self.top_k * 3)  # cosine shortlist before the entity bonus re-ranks it
        best: dict[tuple[int, int], tuple[float, float, tuple[str, ...]]] = {}
        with progress(show_progress, n, "pairing claims") as advance:
            for rows in blocks(np.arange(n), n, self.block_size, self.max_cells):
                self._block(rows, embeddings, group, terms, wide, best)
                advance(len(rows))
        ordered = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [ClaimPair(claims[i], claims[j], similarity=round(cos, 6), shared_entities=shared)
                for (i, j), (_, cos, shared) in ordered]

    def _block(self, rows: np.ndarray, embeddings: np.ndarray, group: np.ndarray, terms: list[frozenset[str]],
               wide: int, best: dict[tuple[int, int], tuple[float, float, tuple[str, ...]]]) -> None:
        """Each claim of ``rows``: its ``top_k`` best partners, added to ``best`` where the pair is new."""
        n = len(embeddings)
        sims = embeddings[rows] @ embeddings.T
        sims[group[rows][:, None] == group[None, :]] = -np.inf  # same group (and self) never pair
        shortlist = np.argpartition(-sims, wide - 1, axis=1)[:, :wide] if wide < n else \
            np.tile(np.arange(n), (len(rows), 1))
        for r, i in enumerate(rows):
            scored = []
            for j in shortlist[r]:
                cos = float(sims[r, j])
                if not np.isfinite(cos):
                    continue
                shared = tuple(sorted(terms[i] & terms[j]))
                score = cos + (self.entity_bonus if shared else 0.0)
                if score >= self.min_similarity:
                    scored.append((score, int(j), cos, shared))
            scored.sort(key=lambda t: (-t[0], t[1]))
            for score, j, cos, shared in scored[:self.top_k]:
                key = (min(i, j), max(i, j))
                if key not in best:
                    best[key] = (score, cos, shared)


def shared_matter_pairs(claims: Sequence[Claim], matters: Sequence[frozenset[str]], embeddings: np.ndarray, *,
                        by: str = "side", top_k: int = 5, exclude: set[tuple[str, str]] | None = None,
                        block_size: int = 1024, max_cells: int = MAX_CELLS) -> list[ClaimPair]:
    """Pairs of claims from different groups that share a matter key (for example the act "initiated" that the
    agent check reads: two accounts of who asked for talks may share few words), each claim keeping its
    ``top_k`` most similar such partners, whatever their similarity. Pairs whose claim ids are in
    ``exclude`` (already candidates) are left out; the rest come in order of decreasing similarity.
    Each matter's claims are compared block by block, one matrix product a block, as :class:`Pairer` does."""
    keys = np.array([c.key(by) for c in claims], dtype=object).astype(str)
    exclude = exclude or set()
    by_matter: dict[str, list[int]] = {}
    for i, ms in enumerate(matters):
        for m in ms:
            by_matter.setdefault(m, []).append(i)
    found: dict[tuple[int, int], float] = {}
    for members in map(np.array, by_matter.values()):
        k = min(top_k, len(members) - 1)
        if k < 1:
            continue
        for rows in blocks(members, len(members), block_size, max_cells):
            sims = embeddings[rows] @ embeddings[members].T
            sims[keys[rows][:, None] == keys[members][None, :]] = -np.inf  # same group (and self) never pair
            best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for r, i in enumerate(rows):
                for col in best[r]:
                    j = int(members[col])
                    if not np.isfinite(sims[r, col]):
                        continue
                    a, b = min(int(i), j), max(int(i), j)
                    if (claims[a].id, claims[b].id) not in exclude and (claims[b].id, claims[a].id) not in exclude:
                        found[(a, b)] = float(sims[r, col])
    ordered = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return [ClaimPair(claims[i], claims[j], similarity=round(cos, 6),
                      shared_entities=tuple(sorted(entity_terms(claims[i].text) & entity_terms(claims[j].text))))
            for (i, j), cos in ordered]
