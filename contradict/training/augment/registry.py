"""Every rule with its name, labels and description: :data:`RULES`."""

from __future__ import annotations


from .base import CONTRADICTION, ENTAILMENT, NEUTRAL, Rule
from .frames import add_report_frame, deny_frame, drop_report_frame
from .negation import antonym_swap, negate_verb
from .neutral import add_detail, add_manner, same_article
from .numbers import change_date, change_number, vague_number
from .paraphrase import paraphrase_light, trim_clause
from .roles import generalize_agent, replace_agent, swap_entities


RULES: tuple[Rule, ...] = (
    Rule("change_number", CONTRADICTION, CONTRADICTION,
         "an exact cardinal, sum of money, percentage or age replaced by a clearly different value",
         change_number),
    Rule("change_date", CONTRADICTION, CONTRADICTION,
         "the weekday, month, day or year of an event changed (not dates of speaking or ranges)",
         change_date),
    Rule("swap_entities", CONTRADICTION, CONTRADICTION,
         "subject and object names of one non-symmetric verb swapped: 'A accused B' -> 'B accused A'",
         swap_entities),
    Rule("replace_agent", CONTRADICTION, CONTRADICTION,
         "the named agent of the main action replaced by a same-type name from another sentence",
         replace_agent),
    Rule("negate_verb", CONTRADICTION, CONTRADICTION,
         "main verb negated ('said' -> 'did not say', 'is' -> 'is not') or its negation removed",
         negate_verb),
    Rule("antonym_swap", CONTRADICTION, CONTRADICTION,
         "one word replaced by its antonym from a curated list (rose/fell, won/lost, before/after)",
         antonym_swap),
    Rule("deny_frame", CONTRADICTION, CONTRADICTION,
         "the sentence embedded under a denial: 'Officials denied that <sentence>'",
         deny_frame),
    Rule("trim_clause", ENTAILMENT, NEUTRAL,
         "a leading adverbial or trailing modifier dropped from a positive sentence "
         "(reversed: the hypothesis adds it, neutral)",
         trim_clause),
    Rule("drop_report_frame", ENTAILMENT, None,
         "the reporting frame removed: 'Officials said that X' -> 'X'",
         drop_report_frame),
    Rule("add_report_frame", None, ENTAILMENT,
         "a reporting frame added to the premise: 'Officials said that X' entails 'X' "
         "(only in this direction)",
         add_report_frame),
    Rule("vague_number", ENTAILMENT, NEUTRAL,
         "an exact number turned into a lower bound it implies: '40' -> 'more than 30' "
         "(reversed: neutral)",
         vague_number),
    Rule("paraphrase_light", ENTAILMENT, ENTAILMENT,
         "one or two words swapped for close synonyms (began/started, troops/soldiers, 5/five)",
         paraphrase_light),
    Rule("same_article", NEUTRAL, NEUTRAL,
         "another sentence of the same article with little word overlap, preferably naming "
         "the same entity",
         same_article),
    Rule("add_detail", NEUTRAL, ENTAILMENT,
         "an unsupported day, place or circumstance appended to a positive eventive sentence "
         "(reversed: the premise has it and the hypothesis drops it, entailment)",
         add_detail),
    Rule("add_manner", NEUTRAL, ENTAILMENT,
         "an unsupported manner adverb (secretly, reluctantly, repeatedly, ...) put on the "
         "action of a person or body (reversed: entailment)",
         add_manner),
    Rule("generalize_agent", ENTAILMENT, NEUTRAL,
         "the subject named more generally: 'the Russian and U.S. presidents' -> 'the two leaders', "
         "'President X' -> 'the president' (reversed: neutral); only where a recipe names it",
         generalize_agent, opt_in=True),
)


def describe_rules() -> list[tuple[str, str, str]]:
    """(name, label, description) of every rule, for the model card.

    The label is the one of (sentence, rewrite), or of (rewrite, sentence) for
    rules used only that way; the description says what the reverse gives.
    """
    return [(r.name, r.label or r.swapped_label or "", r.description) for r in RULES]
