"""Synthetic multi-source news corpora for timing `compare` at scale.

Every document reports one story from one outlet: a few attributed claims by named
officials of two camps (said / said that / quotes / according to / denied), plus
unattributed context. Camps disagree on the story's facts (a number, a day, whether
something happened), so a run finds contradictions as well as agreement. Names, places,
numbers and days are drawn at random per story, figures and phrasing vary per document,
so claim texts repeat only as much as quotes do across outlets. Stories scale with the corpus
(one per ``docs_per_story`` documents), so the pairs found per claim stay roughly
constant and the work should grow linearly.

All people, places and outlets are invented. Deterministic for a given seed.

    python eval/bench/corpus.py 500 --out corpus-500.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

FIRST = ("Dana Ilse Marek Tomas Aino Ruth Pavel Lena Omar Selin Joren Maia Teodor Nadia Bruno Ida Kasper Vera "
         "Hugo Alma Emil Rosa Felix Petra Anton Clara Jonas Mira Oskar Elin").split()
LAST = ("Okafor Brandt Holt Varga Lindqvist Moreau Castell Duarte Ferrand Halvorsen Ibsen Kovac Lemaire Marsh "
        "Novak Orlov Pereira Quist Rahman Sauer Tanaka Ulloa Voss Wendt Yilmaz Zeller Aalto Berger Conti Dahl").split()
TOWNS = ("Millbrook Orvale Carrow Westhaven Dunmere Ashford Kelby Norrland Halden Brisk Fennwick Lowmoor "
         "Redcliff Stanmouth Tarrow Umbridge Velle Wyck Yarrow Zell").split()
OUTLETS = ("Carrow Evening Post", "Millbrook Herald", "Northern Business Daily", "Orvale Voice", "The Valley Wire",
           "Coastal Tribune", "Metro Ledger", "Regional Dispatch")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")

# Story kinds: the two camps' roles, and claim templates per camp. {n}, {m}, {day}, {month}, {town}
# and {thing} are filled per story; camp A and camp B contradict each other on purpose.
STORIES = (
    {"roles": ("city engineer", "mayor"), "thing": "harbour bridge",
     "a": ("the {town} {thing} will stay closed until {month}",
           "inspectors found corrosion in {n} of the {town} cables", "repairs in {town} will cost about {m} million"),
     "b": ("the {thing} in {town} will reopen on {day}", "the {town} inspection found no corrosion in the cables",
           "repairs in {town} will cost less than {n} million")},
    {"roles": ("company spokesperson", "union secretary"), "thing": "plant",
     "a": ("the {town} {thing} will cut {n}00 jobs this year", "orders at the {town} {thing} fell by {m} percent",
           "the cuts in {town} were agreed with the works council on {day}"),
     "b": ("no jobs will be cut at the {town} {thing} this year", "orders at the {thing} in {town} rose in {month}",
           "the {town} works council never agreed to any cuts")},
    {"roles": ("health official", "water company director"), "thing": "water supply",
     "a": ("the {thing} in {town} was contaminated on {day}", "{n} people in {town} were treated in hospital",
           "residents of {town} should boil tap water until {month}"),
     "b": ("the {town} {thing} is safe to drink", "nobody in {town} was treated in hospital because of the water",
           "the {town} boil notice will be lifted on {day}")},
    {"roles": ("election commissioner", "opposition leader"), "thing": "vote count",
     "a": ("the {thing} in {town} was completed on {day}", "turnout in {town} reached {n} percent",
           "{m} ballots in {town} were rejected as invalid"),
     "b": ("the {town} {thing} has not been completed", "turnout in {town} was below {m} percent",
           "no ballots were rejected in {town}")},
    {"roles": ("police chief", "protest organiser"), "thing": "march",
     "a": ("about {n}00 people joined the {thing} in {town}", "{m} officers were injured in {town} on {day}",
           "the {thing} was stopped before it reached the {town} square"),
     "b": ("more than {m}000 people joined the {town} {thing}", "no officers were injured during the {thing} in {town}",
           "the {thing} reached the {town} square on {day}")},
    {"roles": ("school board chair", "teachers' representative"), "thing": "school",
     "a": ("the {town} {thing} will close in {month}", "enrolment in {town} fell to {n}0 pupils",
           "the {town} school building failed a safety check on {day}"),
     "b": ("the {thing} in {town} will stay open", "enrolment in {town} has grown to {m}00 pupils",
           "the {town} school building passed every safety check")},
)
TAILS = ("", "", "", " this week", " on {day}", " by the end of {month}", ", officials confirmed", " last week",
         " earlier this year", " in {month}", ", the figures show", " after weeks of talks", " so far")
FILLER = ("Traffic in {town} was light on {day}.", "The council meets again in {month}.",
          "Local shops reported a quiet week.", "Weather in {town} stayed mild for the season.",
          "The story was first reported on {day}.")


def _frame(rng: random.Random, speaker: str, role: str, claim: str) -> str:
    """One attributed sentence in one of the extractor's frames."""
    claim = claim[0].upper() + claim[1:]
    lower = claim[0].lower() + claim[1:]
    kind = rng.randrange(6)
    if kind == 0:
        return f"{role.capitalize()} {speaker} said that {lower}."
    if kind == 1:
        return f"\u201c{claim},\u201d {speaker} said."
    if kind == 2:
        return f"According to {speaker}, {lower}."
    if kind == 3:
        return f"{claim}, {role} {speaker} told reporters on {rng.choice(DAYS)}."
    if kind == 4:
        return f"{speaker} said in a statement that {lower}."
    return f"{speaker}, the {role}, said {lower}."


def _story(rng: random.Random) -> dict:
    kind = rng.choice(STORIES)
    slots = {"town": rng.choice(TOWNS), "n": rng.randint(2, 9), "m": rng.randint(11, 99),
             "day": rng.choice(DAYS), "month": rng.choice(MONTHS), "thing": kind["thing"]}
    people = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 4)
    return {"kind": kind, "slots": slots, "camps": ((people[0], people[1]), (people[2], people[3]))}


def _document(rng: random.Random, story: dict, outlet: str, doc_id: str) -> dict:
    kind, slots = story["kind"], dict(story["slots"])
    if rng.random() < 0.5:  # outlets do not always agree on the figures or the dates
        slots.update(n=rng.randint(2, 9), m=rng.randint(11, 99), day=rng.choice(DAYS))
    sentences = []
    for camp, key in ((0, "a"), (1, "b")):
        role = kind["roles"][camp]
        speakers = story["camps"][camp]
        for template in rng.sample(kind[key], 2):
            claim = template.format(**slots) + rng.choice(TAILS).format(**slots)
            if rng.random() < 0.1:  # a denial of the other camp's claim
                other = rng.choice(kind["b" if key == "a" else "a"]).format(**slots)
                sentences.append(f"{rng.choice(speakers)} denied that {other}.")
            else:
                sentences.append(_frame(rng, rng.choice(speakers), role, claim))
    rng.shuffle(sentences)
    sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(FILLER).format(**slots))
    return {"id": doc_id, "source": outlet, "text": " ".join(sentences),
            "title": f"{slots['town']} {kind['thing']}"}


def generate(n_documents: int, *, seed: int = 0, docs_per_story: int = 8) -> Iterator[dict]:
    """``n_documents`` document records (``id``, ``source``, ``text``, ``title``), as `contradict` reads JSONL."""
    rng = random.Random(seed)
    stories = [_story(rng) for _ in range(max(1, n_documents // docs_per_story))]
    for i in range(n_documents):
        story = stories[i % len(stories)]
        yield _document(rng, story, OUTLETS[rng.randrange(len(OUTLETS))], f"doc-{i:05d}")


def write_corpus(path: str | Path, n_documents: int, *, seed: int = 0) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as fh:
        for record in generate(n_documents, seed=seed):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", type=int, help="How many documents.")
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write.")
    parser.add_argument("--seed", type=int, default=0, help="Random seed.")
    args = parser.parse_args()
    write_corpus(args.out, args.documents, seed=args.seed)


if __name__ == "__main__":
    main()
