"""How often is the number check right? Its precision on labelled NLI pairs, with and without the model's veto.

    python eval/bench/number_check.py --model models/contradict-nli-minilm \
        [--tasks snli_test xnli_en_dev mnli_heldout] [--out eval/results/number-check]

For each task, every premise/hypothesis pair is parsed with the spaCy pipeline the extractor uses and
passed to :func:`contradict.numbers.conflicts`. For the pairs where the check fires it reports the
gold labels (precision = the share whose gold label is contradiction), then scores those pairs with
the model in both directions and reports the same after the pipeline's veto (a pair the model reads
as entailment, p >= ``contradict.pipeline.NUMBER_VETO``, is not flagged), and how many of the
contradictions the check finds the model alone would have missed (calibrated p below its threshold).
Writes ``results.json`` (with git commit, versions and machine) and ``summary.md`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str] | None = None) -> dict:
    import numpy as np
    import spacy

    from contradict.evaluate.tasks import load_task_data
    from contradict.extract import DEFAULT_MODEL
    from contradict.numbers import conflicts, quantities
    from contradict.pipeline import NUMBER_VETO, decider_for, reduce_directions
    from contradict.runinfo import run_info
    from contradict.scorer import NLIScorer
    from contradict.types import ENTAILMENT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--tasks", nargs="+", default=["snli_test", "xnli_en_dev", "mnli_heldout"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--out", default="eval/results/number-check")
    args = parser.parse_args(argv)

    nlp = spacy.load(DEFAULT_MODEL, exclude=["lemmatizer"])
    scorer = NLIScorer(args.model)
    decider = decider_for(scorer, None)
    rows = []
    for name in args.tasks:
        data = load_task_data(name, data_dir=args.data_dir)
        texts = sorted(set(data.premises) | set(data.hypotheses))
        found = {t: quantities(d) for t, d in zip(texts, nlp.pipe(texts, batch_size=256))}
        fired = [i for i, (p, h) in enumerate(data.pairs()) if conflicts(found[p], found[h])]
        gold = [data.gold[i] for i in fired]
        pairs = [data.pairs()[i] for i in fired]
        row = {"task": name, "pairs": len(data), "fired": len(fired), "gold_of_fired": dict(Counter(gold)),
               "precision": gold.count("contradiction") / len(gold) if gold else None,
               "examples": [{"premise": p, "hypothesis": h, "gold": g,
                             "conflicts": [str(c) for c in conflicts(found[p], found[h])]}
                            for (p, h), g in list(zip(pairs, gold))[:8]]}
        if pairs:
            probs = scorer.score(pairs + [(h, p) for p, h in pairs])
            reduced, _ = reduce_directions(probs[:len(pairs)], probs[len(pairs):], np.zeros(len(pairs), bool))
            kept = reduced[:, ENTAILMENT] < NUMBER_VETO
            model_flags = decider.predict(reduced[:, 2], reduced[:, ENTAILMENT])
            kept_gold = [g for g, k in zip(gold, kept) if k]
            row.update(after_veto=int(kept.sum()), gold_after_veto=dict(Counter(kept_gold)),
                       precision_after_veto=kept_gold.count("contradiction") / len(kept_gold) if kept_gold else None,
                       contradictions_model_missed=sum(1 for g, k, m in zip(gold, kept, model_flags)
                                                       if k and not m and g == "contradiction"),
                       non_contradictions_model_flagged=sum(1 for g, m in zip(gold, model_flags)
                                                            if m and g != "contradiction"))
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "examples"}), flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record = {"run": run_info(model=scorer.describe(), tasks=args.tasks, number_veto=NUMBER_VETO,
                              command="python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])])),
              "results": rows}
    (out / "results.json").write_text(json.dumps(record, indent=2) + "\n")
    lines = ["# Number check on labelled NLI pairs", "", f"Model `{scorer.model_id}`; veto: p(entailment) >= "
             f"{NUMBER_VETO}.", "",
             "| task | pairs | check fires | precision | after veto | precision after veto | "
             "contradictions the model missed |", "|---|---:|---:|---:|---:|---:|---:|"]

    def fmt(x):
        return "n/a" if x is None else f"{x:.3f}"

    for r in rows:
        lines.append(f"| {r['task']} | {r['pairs']} | {r['fired']} | {fmt(r['precision'])} | "
                     f"{r.get('after_veto', 0)} | {fmt(r.get('precision_after_veto'))} | "
                     f"{r.get('contradictions_model_missed', 0)} |")
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    return record


if __name__ == "__main__":
    main()
