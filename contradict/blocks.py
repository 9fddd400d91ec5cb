"""Blocking: which claims may be compared, so that candidate search needs no index of the whole run.

A block is a set of documents; claims pair only with claims of the same block (each block is paired
on its own: embedded, searched for nearest neighbours, shared-act candidates added). Both engines
(``--engine local`` and ``--engine ray``) use these rules, so a run gives the same pairs on either.

* ``none`` (the default): one block of every document. Nothing is pruned: the pairs are those of
  a run without blocking.
* ``entity``: documents are linked when claims of theirs share a name (the capitalised-name cues of
  :func:`contradict.pair.entity_terms`, numbers left out, as they link unrelated stories); a block is a
  connected set of linked documents. A pair of claims from documents that no chain of shared names
  joins is never a candidate: a pruning rule, which can lose a contradiction whose two sides name no
  one in common (the ``none`` rule is the reference).

Blocks come in the order of their first claim; a block's claims keep the run's order.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ConfigError
from .pair import entity_terms
from .types import Claim

BLOCK_RULES = ("none", "entity")


def parse_block_by(rule: str | None) -> str:
    """The blocking rule's name; ConfigError for an unknown one."""
    rule = (rule or "none").strip().lower()
    if rule not in BLOCK_RULES:
        raise ConfigError(f"unknown blocking rule {rule!r}; expected one of {', '.join(BLOCK_RULES)}")
    return rule


def name_terms(text: str) -> frozenset[str]:
    """The name cues of a claim (its entity terms without the numbers)."""
    return frozenset(t for t in entity_terms(text) if not t.replace(",", "").replace(".", "").isdigit())


def blocks(claims: Sequence[Claim], rule: str = "none") -> list[list[int]]:
    """Indices into ``claims`` of each block (see the module notes), blocks of fewer than 2 claims included."""
    rule = parse_block_by(rule)
    n = len(claims)
    if n == 0:
        return []
    if rule == "none":
        return [list(range(n))]
    docs = list(dict.fromkeys(c.doc_id for c in claims))
    parent = {d: d for d in docs}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    first_doc: dict[str, str] = {}  # name -> the first document naming it
    for c in claims:
        for term in name_terms(c.text):
            other = first_doc.setdefault(term, c.doc_id)
            a, b = root(other), root(c.doc_id)
            if a != b:
                parent[b] = a
    grouped: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        grouped.setdefault(root(c.doc_id), []).append(i)
    return sorted(grouped.values(), key=lambda members: members[0])
