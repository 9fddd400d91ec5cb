"""News-domain NLI training pairs made by rule from real news sentences.

Each rule is a small function ``rule(doc, ctx) -> str | None`` that rewrites one
parsed sentence into a hypothesis whose relation to the sentence is known: a
changed number, date or agent, a negated main verb or a swapped antonym gives a
contradiction; a sentence trimmed to its main clause, stripped of its
reporting frame, made vaguer about a number or lightly paraphrased gives an
entailment; another sentence of the same article or an added, unsupported
detail gives a neutral pair. A rule returns ``None`` whenever it cannot make
its change cleanly: no pair is better than a pair with a wrong label.

Labels assume the usual NLI reading that premise and hypothesis describe the
same event (so "Russia initiated the talks" and "The United States initiated
the talks" contradict), and the news reading that a reporting frame is not part
of the claim ("Officials said that X" entails "X"; "Officials denied that X"
contradicts "X").

``augment_sentences`` parses the sentences with a spaCy pipeline, runs every
rule on every sentence and keeps ``per_sentence`` pairs per sentence, chosen so
that the three labels and the rules stay balanced. Everything random goes
through ``random.Random`` objects derived from the seed: the same sentences,
seed and pipeline give the same pairs.

The rules live in one module per family: :mod:`.numbers` (numbers and dates),
:mod:`.roles` (who did it), :mod:`.negation` (negated verbs, antonyms),
:mod:`.frames` (reporting frames), :mod:`.paraphrase` (trimmed and reworded
sentences) and :mod:`.neutral` (hard neutral pairs); :mod:`.base` and
:mod:`.words` hold what they share, :mod:`.registry` lists them all,
:mod:`.generate` turns sentences into pairs and :mod:`.sentences` picks the
sentences from article bodies.
"""

from .base import CONTRADICTION, ENTAILMENT, NEUTRAL, Entity, Rule, RuleContext
from .frames import add_report_frame, deny_frame, drop_report_frame
from .generate import COMPOSABLE, DEFAULT_COMPOSABLE, augment_sentences, compose_entailed
from .negation import antonym_swap, negate_verb
from .neutral import add_detail, add_manner, same_article
from .numbers import change_date, change_number, vague_number
from .paraphrase import paraphrase_light, trim_clause
from .registry import RULES, describe_rules
from .roles import generalize_agent, replace_agent, swap_entities
from .sentences import news_sentences, news_sentences_by_text

__all__ = [
    "COMPOSABLE",
    "CONTRADICTION",
    "DEFAULT_COMPOSABLE",
    "ENTAILMENT",
    "Entity",
    "NEUTRAL",
    "RULES",
    "Rule",
    "RuleContext",
    "augment_sentences",
    "compose_entailed",
    "describe_rules",
    "news_sentences",
    "news_sentences_by_text",
    # the rules, by family
    "change_number",
    "change_date",
    "vague_number",
    "swap_entities",
    "replace_agent",
    "generalize_agent",
    "negate_verb",
    "antonym_swap",
    "deny_frame",
    "drop_report_frame",
    "add_report_frame",
    "trim_clause",
    "paraphrase_light",
    "same_article",
    "add_detail",
    "add_manner",
]
