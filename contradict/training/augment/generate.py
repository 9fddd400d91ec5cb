"""Pairs from sentences: :func:`augment_sentences` runs the rules and keeps balanced picks;
:func:`compose_entailed` rewrites the hypotheses of human-labelled entailment pairs."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TYPE_CHECKING

from .base import CONTRADICTION, ENTAILMENT, Entity, Rule, RuleContext, _check_nlp, _entities, _same
from .registry import RULES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class _Candidate:
    rule: Rule
    swapped: bool
    label: str
    premise: str
    hypothesis: str


def _select(
    candidates: list[_Candidate],
    k: int,
    label_counts: Counter[str],
    rule_counts: Counter[str],
    rng: random.Random,
    swap_rate: float,
) -> list[_Candidate]:
    """Pick up to k candidates of different rules, evening out labels then rules.

    The label chosen is the one least used so far among those this sentence
    offers (labels not yet used for this sentence first); within it the least
    used rule; where a rule gives the same label both ways, the reversed pair
    is taken with probability ``swap_rate``.
    """
    picks: list[_Candidate] = []
    remaining = list(candidates)
    while remaining and len(picks) < k:
        used = {p.label for p in picks}
        labels = sorted({c.label for c in remaining})
        fresh = [lab for lab in labels if lab not in used] or labels
        low = min(label_counts[lab] for lab in fresh)
        label = rng.choice([lab for lab in fresh if label_counts[lab] == low])
        pool = [c for c in remaining if c.label == label]
        low_rule = min(rule_counts[c.rule.name] for c in pool)
        name = rng.choice(sorted({c.rule.name for c in pool if rule_counts[c.rule.name] == low_rule}))
        options = sorted((c for c in pool if c.rule.name == name), key=lambda c: c.swapped)
        chosen = options[-1] if len(options) > 1 and rng.random() < swap_rate else options[0]
        picks.append(chosen)
        label_counts[label] += 1
        rule_counts[name] += 1
        remaining = [c for c in remaining if c.rule.name != name]
    return picks


def augment_sentences(
    sentences: Sequence[str],
    *,
    seed: int,
    nlp: Language,
    per_sentence: int = 2,
    groups: Sequence[Hashable] | None = None,
    rules: Sequence[str] | None = None,
    swap_rate: float = 0.3,
    reverse: bool = True,
) -> list[dict[str, Any]]:
    """Make labelled NLI pairs from news sentences.

    Returns dicts with ``premise``, ``hypothesis``, ``label`` (entailment,
    neutral or contradiction), ``kind`` (the rule's name), ``origin`` (index of
    the source sentence) and ``swapped`` (True where the rewrite is the
    premise). At most ``per_sentence`` pairs come from one sentence, each from a
    different rule; labels are kept about equally frequent overall.

    ``groups`` gives each sentence's article (any hashable id); sentences of
    one article supply the neutral "other sentence" pairs and the replacement
    agents and speakers. Without it, all sentences count as one article.
    ``rules`` limits generation to the named rules (the default: every rule but the
    opt-in ones); ``reverse=False`` keeps only
    (sentence, rewrite) pairs. The same inputs and seed give the same output.
    """
    if per_sentence < 1:
        raise ValueError(f"per_sentence must be at least 1, got {per_sentence}")
    if not 0.0 <= swap_rate <= 1.0:
        raise ValueError(f"swap_rate must be within [0, 1], got {swap_rate}")
    if groups is not None and len(groups) != len(sentences):
        raise ValueError(f"groups has {len(groups)} entries for {len(sentences)} sentences")
    known = {r.name: r for r in RULES}
    if rules is not None:
        unknown = sorted(set(rules) - set(known))
        if unknown:
            raise ValueError(f"unknown rules {unknown}; known: {sorted(known)}")
    active = [r for r in RULES if (not r.opt_in if rules is None else r.name in rules)]
    if not sentences:
        return []
    _check_nlp(nlp)

    docs = list(nlp.pipe((re.sub(r"\s+", " ", s).strip() for s in sentences), batch_size=64))
    group_of = list(groups) if groups is not None else [0] * len(docs)
    members: dict[Hashable, list[Doc]] = defaultdict(list)
    local: dict[Hashable, list[Entity]] = defaultdict(list)
    everywhere: list[Entity] = []
    for doc, group in zip(docs, group_of):
        members[group].append(doc)
        ents = _entities(doc)
        local[group].extend(ents)
        everywhere.extend(ents)
    everywhere = sorted(set(everywhere), key=lambda e: (e.text, e.label, e.tag, e.role))

    picker = random.Random(seed)
    label_counts: Counter[str] = Counter()
    rule_counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    pairs: list[dict[str, Any]] = []
    for index, (doc, group) in enumerate(zip(docs, group_of)):
        ctx = RuleContext(
            rng=random.Random(f"{seed}/{index}"),
            neighbours=members[group],
            local_entities=local[group],
            global_entities=everywhere,
        )
        candidates = []
        for rule in active:
            hypothesis = rule.apply(doc, ctx)
            if hypothesis is None or _same(hypothesis, doc.text):
                continue
            if rule.label is not None:
                candidates.append(_Candidate(rule, False, rule.label, doc.text, hypothesis))
            if rule.swapped_label is not None and reverse:
                candidates.append(_Candidate(rule, True, rule.swapped_label, hypothesis, doc.text))
        candidates = [c for c in candidates if (c.premise, c.hypothesis) not in seen]
        for pick in _select(candidates, per_sentence, label_counts, rule_counts, picker, swap_rate):
            seen.add((pick.premise, pick.hypothesis))
            pairs.append(
                {
                    "premise": pick.premise,
                    "hypothesis": pick.hypothesis,
                    "label": pick.label,
                    "kind": pick.rule.name,
                    "origin": index,
                    "swapped": pick.swapped,
                }
            )
    return pairs


#: Rules whose (sentence, rewrite) label carries over from an entailed hypothesis to its premise.
COMPOSABLE = tuple(r.name for r in RULES if r.label in (CONTRADICTION, ENTAILMENT))

#: The composable rules used where a recipe names none.
DEFAULT_COMPOSABLE = tuple(r.name for r in RULES if r.name in COMPOSABLE and not r.opt_in)


def compose_entailed(
    premises: Sequence[str],
    hypotheses: Sequence[str],
    *,
    seed: int,
    nlp: Language,
    rules: Sequence[str] | None = None,
    swap_rate: float = 0.3,
    max_swap_words: int = 40,
) -> list[dict[str, Any]]:
    """Pairs (P, H') from human-labelled entailment pairs (P, H), where H' is a rule's rewrite of H.

    The rewrite's label against H carries over to P: P entails H and H' contradicts H, so
    P contradicts H' (both read as the same event); P entails H and H entails H', so P entails
    H'. Rules that make neutral pairs are not used (P may well entail an unsupported detail
    of H). Where the premise is human-written and the hypothesis keeps the human wording
    around the edit, the model sees a contradiction across a paraphrase ("40 prisoners will
    be exchanged" against "the exchange will cover 25 prisoners"), which rewriting one
    sentence never shows it.

    Contradiction is symmetric, so a contradiction pair is also taken the other way round,
    (H', P), with probability ``swap_rate`` when P has at most ``max_swap_words`` words.
    One pair per entailment pair at most; labels and rules are evened out as in
    :func:`augment_sentences`. Returns dicts with ``premise``, ``hypothesis``, ``label``,
    ``kind`` (the rule), ``origin`` (index of the entailment pair) and ``swapped``.
    """
    if len(premises) != len(hypotheses):
        raise ValueError(f"{len(premises)} premises for {len(hypotheses)} hypotheses")
    chosen = list(DEFAULT_COMPOSABLE if rules is None else rules)
    wrong = sorted(set(chosen) - set(COMPOSABLE))
    if wrong:
        raise ValueError(f"rules {wrong} cannot be composed; composable: {list(COMPOSABLE)}")
    rewrites = augment_sentences(hypotheses, seed=seed, nlp=nlp, per_sentence=1, rules=chosen, reverse=False)
    rng = random.Random(f"{seed}/compose")
    out = []
    for r in rewrites:
        premise, hypothesis = premises[r["origin"]], r["hypothesis"]
        swapped = (r["label"] == CONTRADICTION and len(premise.split()) <= max_swap_words
                   and rng.random() < swap_rate)
        if swapped:
            premise, hypothesis = hypothesis, premise
        out.append({"premise": premise, "hypothesis": hypothesis, "label": r["label"], "kind": r["kind"],
                    "origin": r["origin"], "swapped": swapped})
    return out
