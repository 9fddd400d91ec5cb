"""Cut a long text down to the sentences that bear on a short one.

NLI cross-encoders read a few hundred tokens at most, while a news body runs to
hundreds of words. :func:`select_evidence` keeps the body's sentences that share
the most content words with the headline or claim, in their original order, up
to a word budget. Evaluation and training both import it so that a model is
scored on premises built the same way as the ones it learned from.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Sentence ends: ., ! or ? (optionally followed by closing quotes or brackets)
# and whitespace, or any line break. Abbreviations such as "Mr. Smith" split
# wrongly now and then; that costs a little context, never a word.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\s*\n+\s*")
_WORD = re.compile(r"\w+", re.UNICODE)

#: Function words ignored when counting overlap: they match everything.
STOPWORDS = frozenset(
    """a about after against all also an and any are as at be been before being but by can could did do does
    for from had has have he her hers him his how i if in into is it its just may me might more most my no nor
    not of off on once only or other our out over own said says she should so some such than that the their
    them then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (``\\w+`` runs) of ``text``."""
    return _WORD.findall(text.lower())


def content_words(text: str) -> set[str]:
    """The distinct lower-cased words of ``text`` that are not :data:`STOPWORDS`."""
    return {w for w in words(text) if w not in STOPWORDS}


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences with a plain regular expression; empty pieces are dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@lru_cache(maxsize=2048)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...], tuple[int, ...], frozenset[str]]:
    """Sentences, their content words and word counts, and all content words of ``text``.

    Cached because stance sets pair each long body with many headlines.
    """
    sentences = tuple(split_sentences(text))
    sets = tuple(frozenset(content_words(s)) for s in sentences)
    lengths = tuple(len(s.split()) for s in sentences)
    return sentences, sets, lengths, frozenset().union(*sets)


def relatedness(hypothesis: str, text: str) -> float:
    """Share of the hypothesis's content words that occur anywhere in ``text`` (0 to 1).

    A hypothesis without content words gets 0.
    """
    hyp = content_words(hypothesis)
    if not hyp:
        return 0.0
    return len(hyp & _analyse(text)[3]) / len(hyp)


def select_evidence(body: str, hypothesis: str, max_words: int = 80) -> str:
    """The sentences of ``body`` most relevant to ``hypothesis``, in body order, within ``max_words`` words.

    Sentences are ranked by how many distinct content words they share with the
    hypothesis (ties go to the earlier sentence, so a body with no overlap at all
    gives its lead). Ranked sentences are taken while they fit the budget; one
    that does not fit is skipped in favour of shorter ones further down. If even
    the best sentence is longer than the budget, its first ``max_words`` words are
    returned. Words are counted as whitespace-separated tokens.
    """
    if max_words < 1:
        raise ValueError(f"max_words must be at least 1, got {max_words}")
    sentences, word_sets, lengths, _ = _analyse(body)
    if not sentences:
        return ""
    hyp = content_words(hypothesis)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(word_sets[i] & hyp), i))
    best = ranked[0]
    if lengths[best] > max_words:
        return " ".join(sentences[best].split()[:max_words])
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if used + lengths[i] <= max_words:
            chosen.append(i)
            used += lengths[i]
            if used == max_words:
                break
    return " ".join(sentences[i] for i in sorted(chosen))
