"""Sentence picking: clean, self-contained statements from article bodies."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .base import _check_nlp, _finite_clause

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span


_BAD_CHARS = re.compile(r"[\"“”‘«»:;|()\[\]{}<>*•_=~^/\\@#]|https?|www\.|\.com\b|\.\.\.")

#: First words of sentences that lean on the previous one or are not plain statements.
_BAD_OPENERS = frozenset("but and or so yet if of then also however".split())

_PERSONAL = frozenset("i me my mine we our ours you your yours".split())


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=\w)[’‘`](?=\w)", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _clean_sentence(sent: Span) -> str | None:
    """The sentence's text if it is a clean, self-contained declarative sentence, else None."""
    text = sent.text.strip()
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not 8 <= len(words) <= 40:
        return None
    if not text[:1].isupper() or not text.endswith(".") or "?" in text or "!" in text:
        return None
    if sent[0].lower_ in _BAD_OPENERS or re.search(r"\s[-–—]+\s|—", text):
        return None
    if _BAD_CHARS.search(text) or "’" in text:
        return None
    if re.search(r"(^|\s)'|'(\s|$|[.,])", text.replace("s' ", "s ")):
        return None  # a single quotation mark (a plural possessive "soldiers' " is fine)
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.3 * len(letters):
        return None
    if any(t.is_alpha and t.is_upper and len(t) >= 5 for t in sent):
        return None
    if any(t.lower_ in _PERSONAL and not (t.lower_ == "us" and t.text == "US") for t in sent):
        return None
    return text if _finite_clause(sent.root) else None


def news_sentences_by_text(
    texts: Sequence[str],
    nlp: Language,
    *,
    max_sentences: int,
    seed: int,
    per_text: int = 6,
) -> list[tuple[int, str]]:
    """Pick clean declarative sentences from articles, with the index of the text each came from.

    Texts are visited in a seeded random order and up to ``per_text`` sentences
    are kept from each (several per article, so that ``augment_sentences`` can
    pair sentences of one article), until ``max_sentences`` are found. A kept
    sentence has 8-40 words, a verb with a subject before it, ends with a full
    stop, and has no quotation marks, brackets, colons, URLs, handles, shouting
    capitals or first/second person pronouns (quote fragments). Curly
    apostrophes inside words become straight ones; runs of spaces become one.
    Duplicates are dropped.
    """
    if max_sentences < 0 or per_text < 1:
        raise ValueError("max_sentences must be >= 0 and per_text >= 1")
    if max_sentences == 0 or not texts:
        return []
    _check_nlp(nlp)
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    picked: list[tuple[int, str]] = []
    seen: set[str] = set()
    # picking needs only the parse: entities and lemmas would cost a third of the time
    unused = [name for name in ("ner", "lemmatizer") if name in nlp.pipe_names]
    with nlp.select_pipes(disable=unused):
        stream: Iterator[tuple[Doc, int]] = nlp.pipe(
            ((_normalise(texts[i]), i) for i in order), as_tuples=True, batch_size=16
        )
        for doc, i in stream:
            found = []
            for sent in doc.sents:
                text = _clean_sentence(sent)
                if text is not None and text not in seen:
                    seen.add(text)
                    found.append(text)
            if len(found) > per_text:
                keep = sorted(rng.sample(range(len(found)), per_text))
                found = [found[j] for j in keep]
            for text in found:
                picked.append((i, text))
                if len(picked) >= max_sentences:
                    return picked
    return picked


def news_sentences(
    texts: Sequence[str], nlp: Language, *, max_sentences: int, seed: int, per_text: int = 6
) -> list[str]:
    """The sentences of ``news_sentences_by_text`` without their text indices."""
    picked = news_sentences_by_text(texts, nlp, max_sentences=max_sentences, seed=seed, per_text=per_text)
    return [text for _, text in picked]
