"""Shared by the rules: labels, the Rule and RuleContext types, and text, parse and entity helpers."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contradict.errors import ModelError

from .words import DOWNWARD, _VOWELS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token


ENTAILMENT, NEUTRAL, CONTRADICTION = "entailment", "neutral", "contradiction"

#: Subject words for which negation is not a contradiction ("Some attended" / "Some did not").
QUANTIFIERS = frozenset(
    "some many most several few all both each every any no none another other others half "
    "someone somebody anyone anybody everyone everybody nobody".split()
)


@dataclass(frozen=True)
class Entity:
    """A named entity seen in some sentence, as a candidate replacement."""

    text: str
    label: str
    tag: str  # fine-grained tag of its head word (NNP, NNPS, JJ): keeps agreement
    role: str  # "agent" (a whole subject), "modifier" (of a noun: "U.S. officials") or "other"


@dataclass
class RuleContext:
    """What a rule may use besides the sentence itself.

    ``neighbours`` are the other parsed sentences of the same article (the
    sentence itself may be among them and is skipped); ``local_entities`` are
    entities from that article and ``global_entities`` from all sentences.
    """

    rng: random.Random
    neighbours: Sequence[Doc] = ()
    local_entities: Sequence[Entity] = ()
    global_entities: Sequence[Entity] = ()


RuleFn = Callable[["Doc", RuleContext], "str | None"]


@dataclass(frozen=True)
class Rule:
    """A named rewrite and the labels it gives.

    ``label`` is the label of (sentence, rewrite); ``swapped_label`` that of
    (rewrite, sentence), or None where that direction has no safe label. An
    ``opt_in`` rule runs only where a recipe names it, so that adding one does
    not change the pairs of recipes written before it.
    """

    name: str
    label: str | None
    swapped_label: str | None
    description: str
    apply: RuleFn
    opt_in: bool = False


def _tidy(text: str) -> str:
    """Collapse spaces, remove spaces before punctuation, capitalise the first letter."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" +([,.;:!?%])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",\s*\.$", ".", text)
    return text[:1].upper() + text[1:]


def _render(doc: Doc, edits: Mapping[int, str]) -> str:
    """The sentence with token i replaced by ``edits[i]`` ('' deletes it)."""
    return _tidy("".join(edits.get(t.i, t.text) + t.whitespace_ for t in doc))


def _text(tokens: Sequence[Token] | Span) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _final_punct(doc: Doc) -> str:
    return doc[-1].text if doc[-1].text in {".", "!", "?"} else ""


def _put_word(doc: Doc, token: Token, new: str, edits: dict[int, str]) -> None:
    """Record ``new`` in place of ``token``, keeping its capital and fixing "a"/"an" before it."""
    if token.text[:1].isupper():
        new = new[:1].upper() + new[1:]
    edits[token.i] = new
    if token.i > 0 and doc[token.i - 1].lower_ in {"a", "an"}:
        article = "an" if new[:1].lower() in _VOWELS else "a"
        prev = doc[token.i - 1].text
        edits[token.i - 1] = article.capitalize() if prev[:1].isupper() else article


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s.lower()).strip()  # noqa: E731
    return norm(a) == norm(b)


def _fit_name(text: str, at_start: bool) -> str:
    """An entity's text fitted to its new position ("The United States" -> "the ...")."""
    if at_start:
        return text[:1].upper() + text[1:]
    return "the" + text[3:] if text.startswith("The ") else text


def _root(doc: Doc) -> Token | None:
    """The main verb of a one-sentence, subject-first declarative doc, else None."""
    if len(doc) < 3 or not doc.has_annotation("DEP"):
        return None
    sents = list(doc.sents)
    if len(sents) != 1:
        return None
    root = sents[0].root
    return root if _finite_clause(root) else None


def _finite_clause(verb: Token) -> bool:
    """True for a verb with a tense (its own or its auxiliary's) and a subject before it."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    finite = {"VBD", "VBZ", "VBP", "MD"}
    if verb.tag_ not in finite and not any(a.tag_ in finite for a in _auxes(verb)):
        return False  # "Their jobs creating programs."
    subj = _subject(verb)
    return subj is not None and subj.i < verb.i


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _has_downward(tokens: Sequence[Token] | Span) -> bool:
    return any(t.lower_ in DOWNWARD or t.dep_ == "neg" for t in tokens)


def _quantified(subj: Token) -> bool:
    words = [subj] + [c for c in subj.children if c.dep_ in {"det", "amod", "nummod", "quantmod"}]
    return any(w.lower_ in QUANTIFIERS or w.like_num for w in words)


def _auxes(verb: Token) -> list[Token]:
    return sorted(
        (c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i),
        key=lambda t: t.i,
    )


def _clean_np(ent: Span) -> bool:
    """True when an entity is a whole noun phrase: nothing but 'the' outside it."""
    inside = set(range(ent.start, ent.end))
    return all(t.i in inside or (t.dep_ == "det" and t.lower_ == "the") for t in ent.root.subtree)


def _name_start(ent: Span) -> int:
    """Where a name's noun phrase starts: at a "the" that belongs to it ("the OGD"), else the name."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].lower_ == "the" and doc[ent.start - 1].head == ent.root:
        return ent.start - 1
    return ent.start


def _entity_of(token: Token) -> Span | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _good_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        bool(letters)
        and text[:1].isupper()
        and not any(c.isdigit() for c in text)
        and not (text.isupper() and len(letters) > 5)
        and len(text) <= 40
        and not re.search(r"[\"“”‘’:;()]", text)
    )


def _names_overlap(a: str, b: str) -> bool:
    words = lambda s: {w for w in re.findall(r"\w+", s.lower()) if w != "the"}  # noqa: E731
    return bool(words(a) & words(b))


def _entities(doc: Doc) -> list[Entity]:
    """The person, organisation, place and group names of a sentence, with their roles."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"} or not _good_name(ent.text):
            continue
        if ent.root.dep_ in {"nsubj", "nsubjpass"} and _clean_np(ent):
            role = "agent"
        elif ent.root.dep_ in {"compound", "amod"} and ent.root.head.pos_ == "NOUN":
            role = "modifier"
        else:
            role = "other"
        text = _text(doc[_name_start(ent) : ent.end])
        found.append(Entity(text, ent.label_, ent.root.tag_, role))
    return found


def _pick_entity(
    ctx: RuleContext, doc: Doc, labels: set[str], tag: str | None = None, role: str | None = None
) -> Entity | None:
    """An entity of one of ``labels`` from the article (else anywhere) not named in ``doc``.

    ``tag`` and ``role`` restrict it to names seen with that head tag and in that role.
    """
    for pool in (ctx.local_entities, ctx.global_entities):
        options = sorted(
            {
                e
                for e in pool
                if e.label in labels
                and (tag is None or e.tag == tag)
                and (role is None or e.role == role)
                and not _names_overlap(e.text, doc.text)
            },
            key=lambda e: (e.text, e.label, e.tag, e.role),
        )
        if options:
            return ctx.rng.choice(options)
    return None


def _has(verb: Token, *deps: str) -> bool:
    """True when the verb has a dependent with one of these relations."""
    return any(c.dep_ in deps for c in verb.children)


def _check_nlp(nlp: Language) -> None:
    """Fail early when the pipeline lacks what the rules read: tags, parse, lemmas, entities.

    A pipeline loaded with ``disable=["lemmatizer"]`` would otherwise give
    empty lemmas and quietly make most rules never apply.
    """
    probe = nlp("Officials in Moscow said the talks failed.")
    said = probe[3]
    if not (said.tag_ and said.dep_ and said.lemma_ == "say" and probe.ents):
        hint = " (its lemmas are empty: was it loaded with disable=['lemmatizer']?)" if not said.lemma_ else ""
        raise ModelError(
            "augmentation needs a spaCy pipeline with a tagger, parser, lemmatizer and NER "
            f"(an English one such as en_core_web_sm); this one runs {nlp.pipe_names}{hint}"
        )
