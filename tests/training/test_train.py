"""`contradict train` on a tiny model and a tiny data folder: seeded, resumable, dev-only choice, export."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoModelForSequenceClassification

from contradict.errors import ConfigError, InputError
from contradict.scorer import NLIScorer
from contradict.training import Recipe, build_training_set, export, train
from contradict.training.data import load_augmented, load_composed

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PLACES = ("park", "street", "city")
# (hypothesis template, label): the premise is "the man {i} is playing in the {place}"
TEMPLATES = (("a man is playing in the {place}", "entailment"),
             ("the man {i} is sleeping inside", "contradiction"),
             ("the man {i} is playing with a dog", "neutral"))


def write_data(root: Path, n: int = 60) -> Path:
    """A folder shaped like ../shared/data with one small NLI file (named so that its hash split applies)."""
    (root / "nli").mkdir(parents=True)
    with (root / "nli" / "snli_dev.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            place = PLACES[i % 3]
            template, label = TEMPLATES[(i // 3) % 3]
            fh.write(json.dumps({"premise": f"the man {i} is playing in the {place}",
                                 "hypothesis": template.format(i=i, place=place), "label": label}) + "\n")
    return root


def tiny_recipe(base: Path, **overrides) -> Recipe:
    fields = dict(name="tiny", base=str(base), seed=3, max_length=32, epochs=1.0, batch_size=8,
                  learning_rate=1e-3, eval_every=3, checkpoint_every=2, num_threads=1,
                  nli=[{"file": "nli/snli_dev.jsonl", "part": "train"}],
                  dev=[{"name": "tiny_dev", "file": "nli/snli_dev.jsonl", "part": "dev"}])
    fields.update(overrides)
    return Recipe(**fields)


def weights(folder: Path) -> dict[str, torch.Tensor]:
    return load_file(str(folder / "model.safetensors"))


def same_weights(a: Path, b: Path) -> bool:
    wa, wb = weights(a), weights(b)
    return wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)


@pytest.fixture(autouse=True)
def _restore_torch_threads():
    """``train`` sets torch's thread count for the process (``num_threads``); give other tests theirs back."""
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def data(tmp_path):
    return write_data(tmp_path / "data")


def test_training_set_keeps_train_and_dev_parts_apart(tiny_nli_model, data):
    rows, dev = build_training_set(tiny_recipe(tiny_nli_model), data)
    assert rows and dev and len(rows) + len(dev) <= 60
    assert not {r["premise"] for r in rows} & {r["premise"] for r in dev}
    assert {r["dev_set"] for r in dev} == {"tiny_dev"}


def test_training_is_reproducible_and_keeps_the_best_dev_checkpoint(tiny_nli_model, data, tmp_path):
    recipe = tiny_recipe(tiny_nli_model)
    best_a = train(recipe, data, tmp_path / "a", max_steps=6)
    best_b = train(recipe, data, tmp_path / "b", max_steps=6)
    assert same_weights(best_a, best_b)
    state = json.loads((tmp_path / "a" / "trainer_state.json").read_text())
    assert state["step"] == 6 and [h["step"] for h in state["history"]] == [3, 6]
    assert state["best_step"] in (3, 6)
    assert state["best_score"] == max(h["selection_score"] for h in state["history"])
    assert (tmp_path / "a" / "checkpoint-last" / "optimizer.pt").is_file()
    NLIScorer(tmp_path / "a" / "checkpoint-last")  # the last checkpoint loads as a model, tokenizer included


def test_an_interrupted_run_resumes_to_the_same_weights(tiny_nli_model, data, tmp_path, monkeypatch):
    recipe = tiny_recipe(tiny_nli_model)
    train(recipe, data, tmp_path / "whole", max_steps=6)

    real_clip, calls = torch.nn.utils.clip_grad_norm_, []

    def interrupt_at_step_five(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("simulated crash")
        return real_clip(*args, **kwargs)

    monkeypatch.setattr(torch.nn.utils, "clip_grad_norm_", interrupt_at_step_five)
    with pytest.raises(RuntimeError, match="simulated crash"):
        train(recipe, data, tmp_path / "cut", max_steps=6)
    monkeypatch.setattr(torch.nn.utils, "clip_grad_norm_", real_clip)
    assert json.loads((tmp_path / "cut" / "checkpoint-last" / "trainer_state.json").read_text())["step"] == 4
    train(recipe, data, tmp_path / "cut", max_steps=6)
    assert same_weights(tmp_path / "whole" / "checkpoint-last", tmp_path / "cut" / "checkpoint-last")


def test_bf16_training_is_reproducible_and_rounds_differently_from_fp32(tiny_nli_model, data, tmp_path):
    bf16 = tiny_recipe(tiny_nli_model, precision="bf16")
    best_a = train(bf16, data, tmp_path / "a", max_steps=4)
    best_b = train(bf16, data, tmp_path / "b", max_steps=4)
    assert same_weights(best_a, best_b)
    assert {t.dtype for t in weights(best_a).values()} == {torch.float32}  # autocast leaves the weights fp32
    train(tiny_recipe(tiny_nli_model), data, tmp_path / "fp32", max_steps=4)
    assert not same_weights(tmp_path / "a" / "checkpoint-last", tmp_path / "fp32" / "checkpoint-last")


def test_export_writes_fp16_weights_and_a_dev_fitted_decision(tiny_nli_model, data, tmp_path):
    from contradict.scorer import NLIScorer

    recipe = tiny_recipe(tiny_nli_model)
    best = train(recipe, data, tmp_path / "run", max_steps=3)
    target = export(best, tmp_path / "shipped", recipe=recipe, data_dir=data)
    assert {t.dtype for t in weights(target).values()} == {torch.float16}
    # its config asks for float32: a plain from_pretrained computes in float32 on a CPU
    assert json.loads((target / "config.json").read_text())["dtype"] == "float32"
    assert next(AutoModelForSequenceClassification.from_pretrained(target).parameters()).dtype == torch.float32
    meta = json.loads((target / "contradict.json").read_text())
    assert meta["decision_fitted_on"] == ["tiny_dev"] and meta["decision"]["fitted"]
    assert 0.0 <= meta["threshold"] <= 1.0 and meta["best_step"] == 3
    scorer = NLIScorer(target)
    assert scorer.metadata["name"] == "tiny"
    assert scorer.score([("the man 1 is playing in the park", "a man is playing")]).shape == (1, 3)


def test_a_finished_run_is_exported_again_with_another_decision(tiny_nli_model, data, tmp_path):
    from contradict.decide import ContradictionDecider

    best = train(tiny_recipe(tiny_nli_model), data, tmp_path / "run", max_steps=3)
    gated = tiny_recipe(tiny_nli_model, name="shipped-name", decision_gate="entailment", decision_objective="f0.5")
    # the name and the decision fields are not the run's: the finished run is reused, not trained again
    assert train(gated, data, tmp_path / "run", max_steps=3) == best
    meta = json.loads((export(best, tmp_path / "shipped", recipe=gated, data_dir=data) / "contradict.json").read_text())
    decider = ContradictionDecider.from_dict(meta["decision"])
    assert (decider.gate, decider.objective, decider.fitted) == ("entailment", "f0.5", True)
    assert meta["name"] == "shipped-name"


def test_recipe_files_are_checked(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nepochz = 1\n')
    with pytest.raises(ConfigError, match="epochz"):
        Recipe.from_file(bad)
    bad.write_text("epochs = 1\n")
    with pytest.raises(ConfigError, match="name"):
        Recipe.from_file(bad)
    with pytest.raises(ConfigError, match="no_such_rule"):
        load_augmented({"bodies": "b.jsonl", "stances": "s.jsonl", "exclude_rules": ["no_such_rule"]}, tmp_path, 0)


def test_composed_pairs_come_from_training_entailments_and_leave_the_rest_alone(tiny_nli_model, data):
    pytest.importorskip("spacy")
    plain_train, plain_dev = build_training_set(tiny_recipe(tiny_nli_model), data)
    recipe = tiny_recipe(tiny_nli_model, compose={"rules": ["negate_verb", "trim_clause"], "seed": 5})
    train_rows, dev_rows = build_training_set(recipe, data)
    assert dev_rows == plain_dev  # composing draws no numbers from the recipe's random stream
    composed = [r for r in train_rows if r["origin"].startswith("compose:")]
    assert composed and len(train_rows) == len(plain_train) + len(composed)
    entailed = {r["premise"] for r in plain_train if r["label"] == "entailment"}
    for row in composed:
        _, rule, source = row["origin"].split(":", 2)
        assert source == "nli/snli_dev.jsonl" and rule in {"negate_verb", "trim_clause"}
        assert row["label"] == {"negate_verb": "contradiction", "trim_clause": "entailment"}[rule]
        assert (row["hypothesis"] if row["premise"] not in entailed else row["premise"]) in entailed
    assert build_training_set(recipe, data)[0] == train_rows


def test_composing_caps_pairs_per_rule_and_checks_its_keys(tiny_nli_model, data):
    pytest.importorskip("spacy")
    rows, _ = build_training_set(tiny_recipe(tiny_nli_model), data)
    capped = load_composed({"rules": ["negate_verb", "trim_clause"], "max_per_rule": 2}, rows, 0)
    kinds = [r["origin"].split(":")[1] for r in capped]
    assert 0 < len(capped) <= 4 and max(kinds.count(k) for k in set(kinds)) <= 2
    assert len(load_composed({"max_pairs": 1}, rows, 0)) == 1
    with pytest.raises(ConfigError, match="max_pair"):
        load_composed({"max_pair": 3}, rows, 0)
    with pytest.raises(ConfigError, match="add_detail"):
        load_composed({"rules": ["add_detail"]}, rows, 0)


def test_the_stance_model_recipe_stages_chain_and_share_their_dev_data():
    stages = [Recipe.from_file(REPO / "models/recipes/contradict-nli-minilm-stance" / f"stage{n}.toml")
              for n in (1, 2, 3, 4)]
    assert [r.base for r in stages] == ["minilm-base", "runs/stance-stage1/best", "runs/stance-stage2/best",
                                        "runs/stance-stage3/best"]
    assert {r.name for r in stages} == {"contradict-nli-minilm-stance"}
    # the same seed and dev files, so every stage's checkpoint is chosen on the same dev pairs
    assert all(r.dev == stages[0].dev and r.seed == stages[0].seed and r.dev_limit == stages[0].dev_limit
               for r in stages)


@pytest.mark.parametrize("path", sorted([*(REPO / "models" / "recipes").rglob("*.toml"),
                                         *(REPO / "eval" / "experiments").rglob("*.toml")]),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_every_recipe_in_the_repository_parses(path):
    recipe = Recipe.from_file(path)
    assert recipe.dev and (recipe.nli or recipe.stance)


def test_training_device_is_checked(monkeypatch):
    from contradict.training.trainer import training_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert training_device("auto") == "cpu" and training_device("cpu") == "cpu"
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        training_device("cuda")
    with pytest.raises(ConfigError, match="expected auto, cpu"):
        training_device("tpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_a_gpu_run_follows_the_cpu_run(tiny_nli_model, data, tmp_path):
    """Same batches in the same order: the GPU run checks the same steps and scores about the same on dev
    (Adam turns float rounding into small weight differences, so the weights are not compared exactly)."""
    recipe = tiny_recipe(tiny_nli_model)
    train(recipe, data, tmp_path / "cpu", max_steps=6, device="cpu")
    best = train(recipe, data, tmp_path / "gpu", max_steps=6, device="cuda")
    cpu, gpu = (json.loads((tmp_path / d / "trainer_state.json").read_text())["history"] for d in ("cpu", "gpu"))
    assert [h["step"] for h in cpu] == [h["step"] for h in gpu] == [3, 6]
    assert all(abs(a["selection_score"] - b["selection_score"]) <= 0.05 for a, b in zip(cpu, gpu))
    assert {t.dtype for t in weights(best).values()} == {torch.float32}


def test_training_from_an_exported_fp16_model_trains_in_float32(tiny_nli_model, data, tmp_path):
    recipe = tiny_recipe(tiny_nli_model)
    shipped = export(train(recipe, data, tmp_path / "first", max_steps=3), tmp_path / "shipped", recipe=recipe,
                     data_dir=data)
    best = train(tiny_recipe(shipped), data, tmp_path / "again", max_steps=3)
    assert {t.dtype for t in weights(best).values()} == {torch.float32}


def test_augment_tables_add_up_and_an_opt_in_rule_leaves_the_others_alone(tiny_nli_model, data):
    pytest.importorskip("spacy")
    body = ("The Russian and U.S. presidents would meet in Vienna on March 14. Police arrested two men near "
            "the border on Friday. President Vladimir Putin signed the decree on Monday after a long meeting. "
            "Three ministers resigned over the scandal last week. Officials said 40 prisoners would be "
            "exchanged before the summit.")
    (data / "stance").mkdir()
    (data / "stance" / "bodies.jsonl").write_text(json.dumps({"body_id": 1, "text": body}) + "\n")
    (data / "stance" / "stances.jsonl").write_text(json.dumps(
        {"id": "s1", "hypothesis": "h", "body_id": 1, "stance": "agree", "ukp_split": "train90"}) + "\n")
    news = {"bodies": "stance/bodies.jsonl", "stances": "stance/stances.jsonl", "max_sentences": 10, "seed": 4}
    one, _ = build_training_set(tiny_recipe(tiny_nli_model, augment=news), data)
    two, _ = build_training_set(tiny_recipe(tiny_nli_model, augment=[news, {**news, "rules": ["generalize_agent"],
                                                                            "per_sentence": 1}]), data)
    kinds = Counter(r["origin"] for r in two)
    assert kinds["augment:generalize_agent"] >= 2
    assert "augment:generalize_agent" not in {r["origin"] for r in one}  # opt-in: not among the default rules
    key = lambda r: (r["premise"], r["hypothesis"], r["label"])  # noqa: E731
    assert sorted(map(key, one)) == sorted(map(key, (r for r in two if r["origin"] != "augment:generalize_agent")))


# -- refusals: bad recipes, bad data, a run folder of another recipe --------------------------------------------

@pytest.mark.parametrize(("line", "words"), [
    ("batch_size = 0", "batch_size must be a whole number of at least 1"),
    ("eval_every = 0", "eval_every"),
    ('epochs = "two"', "epochs must be a number above 0"),
    ("epochs = -1", "epochs must be a number above 0"),
    ('learning_rate = "fast"', "learning_rate"),
    ('max_length = "long"', "max_length"),
    ('seed = "abc"', "seed"),
    ('num_threads = "two"', "num_threads"),
    ("dev_limit = -1", "dev_limit"),
    ("warmup_ratio = 1.5", "warmup_ratio"),
    ('decision_objective = "bogus"', "decision_objective must be one of f1"),
    ('decision_gate = "neutral"', "decision_gate must be one of none, entailment, got 'neutral'"),
    ('precision = "fp16"', "precision must be one of fp32, bf16, got 'fp16'"),
    ("dev = 5", "dev must be a list of tables"),
    ('nli = "x"', "nli must be a list of tables"),
    ('[[nli]]\nfille = "nli/snli_dev.jsonl"', "unknown keys ['fille']"),
    ('[[nli]]\nfile = "nli/snli_dev.jsonl"\npart = "trian"', "part 'trian' is not one of"),
    ('[[nli]]\nfile = "nli/mine.jsonl"\npart = "train"', "needs a split of nli/mine.jsonl"),
    ('[[dev]]\nfile = "nli/snli_dev.jsonl"\ndecision_objective = "f1"', "[[dev]] 1: unknown keys"),
    ('[augment]\nbodies = "b"\nstances = "s"\nrules = "negate_verb"', "rules must be a list of rule names"),
    ('[augment]\nbodies = "b"\nstances = "s"\nrules = ["no_such_rule"]', "unknown rules ['no_such_rule']"),
])
def test_bad_recipe_values_are_named(tmp_path, line, words):
    path = tmp_path / "r.toml"
    path.write_text(f'name = "x"\n{line}\n')
    with pytest.raises(ConfigError, match=re.escape(words)):
        Recipe.from_file(path)


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    ('{"premise": "p", "hypothesis": "h", "label": "not_entailment"}\n', 1, "label", "training is 3-way"),
    ('{"premise": "p", "hypothesis": "h", "label": "neutral"}\n{"premise": "p", "label": "neutral"}\n', 2,
     "hypothesis", "missing"),
    ('{"premise": "p", "hypothesis": "h", "label": "neutral"}\n{"premise": "p",\n', 2, None, "invalid JSON"),
    ('\n\n{"premise": "caf\xe9", "hypothesis": "h", "label": "neutral"}\n', 3, None, "not valid UTF-8"),
])
def test_bad_training_data_names_file_line_and_field(tiny_nli_model, tmp_path, text, line, field, words):
    (tmp_path / "nli").mkdir()
    (tmp_path / "nli" / "mine.jsonl").write_bytes(text.encode("latin-1" if "UTF-8" in words else "utf-8"))
    recipe = tiny_recipe(tiny_nli_model, nli=[{"file": "nli/mine.jsonl"}], dev=[])
    with pytest.raises(InputError, match=re.escape(words)) as exc:
        build_training_set(recipe, tmp_path)
    assert (exc.value.path, exc.value.line, exc.value.field) == (str(tmp_path / "nli" / "mine.jsonl"), line, field)


def test_a_missing_data_file_is_named(tiny_nli_model, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        build_training_set(tiny_recipe(tiny_nli_model, nli=[{"file": "nli/none.jsonl"}]), tmp_path)


def test_a_run_folder_refuses_another_recipe_and_restart_starts_afresh(tiny_nli_model, data, tmp_path):
    train(tiny_recipe(tiny_nli_model), data, tmp_path / "run", max_steps=2)
    other = tiny_recipe(tiny_nli_model, batch_size=4, seed=9)
    with pytest.raises(ConfigError, match="another recipe .*batch_size, seed"):
        train(other, data, tmp_path / "run", max_steps=2)
    train(other, data, tmp_path / "run", max_steps=2, resume=False)
    fresh = train(other, data, tmp_path / "fresh", max_steps=2)
    assert same_weights(tmp_path / "run" / "best", fresh)  # nothing of the first run was reused
    assert (tmp_path / "run" / "data.jsonl").read_text() == (tmp_path / "fresh" / "data.jsonl").read_text()


def test_resuming_with_another_step_count_is_refused(tiny_nli_model, data, tmp_path):
    recipe = tiny_recipe(tiny_nli_model)
    train(recipe, data, tmp_path / "run", max_steps=2)
    with pytest.raises(ConfigError, match="2 steps and this one has 4"):
        train(recipe, data, tmp_path / "run", max_steps=4)


def test_a_missing_base_folder_fails_before_any_data_work(tmp_path):
    from contradict.errors import ModelError

    recipe = tiny_recipe(tmp_path / "no" / "such-model")
    with pytest.raises(ModelError, match="no such model folder"):
        train(recipe, tmp_path / "no-data", tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_a_recipe_that_gives_no_training_pairs(tiny_nli_model, data, tmp_path):
    with pytest.raises(ConfigError, match="no training pairs"):
        train(tiny_recipe(tiny_nli_model, nli=[]), data, tmp_path / "run")


def test_cli_refuses_an_export_it_could_not_make_before_training(tiny_nli_model, data, tmp_path):
    from typer.testing import CliRunner

    from contradict.cli.main import app

    recipe = tmp_path / "r.toml"
    recipe.write_text(f'name = "x"\nbase = "{tiny_nli_model}"\n[[nli]]\nfile = "nli/snli_dev.jsonl"\n')
    result = CliRunner().invoke(app, ["train", str(recipe), "--data-dir", str(data), "-o", str(tmp_path / "run"),
                                      "--export", str(tmp_path / "out")])
    assert result.exit_code == 2 and "has none" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "run").exists()


def test_export_fits_the_decision_on_the_named_dev_sets_and_cross_fits_it(tiny_nli_model, tmp_path):
    data = write_data(tmp_path / "data", n=200)
    recipe = tiny_recipe(tiny_nli_model, dev=[{"name": "tiny_dev", "file": "nli/snli_dev.jsonl", "part": "dev"},
                                              {"name": "tiny_test", "file": "nli/snli_dev.jsonl", "part": "test"}],
                         decision_fit=["tiny_test"])
    best = train(recipe, data, tmp_path / "run", max_steps=2)
    meta = json.loads((export(best, tmp_path / "shipped", recipe=recipe, data_dir=data) / "contradict.json").read_text())
    rows = [json.loads(line) for line in (tmp_path / "run" / "data.jsonl").open()]
    test_rows = [r for r in rows if r.get("dev_set") == "tiny_test"]
    assert meta["decision_fitted_on"] == ["tiny_test"]
    assert meta["decision"]["n_fit_"] == len(test_rows) == meta["decision_cross_fit"]["pairs"]
    cross = meta["decision_cross_fit"]
    assert len(cross["thresholds"]) == 5 and 0.0 <= cross["f1"] <= 1.0
    assert cross["contradictions"] == sum(r["label"] == "contradiction" for r in test_rows)
    # fitted on the more contradictory direction of each pair, as compare applies it
    from contradict.decide import ContradictionDecider
    from contradict.pipeline import reduce_directions
    from contradict.scorer import NLIScorer

    scorer = NLIScorer(best, max_length=recipe.max_length)
    pairs = [(r["premise"], r["hypothesis"]) for r in test_rows]
    reduced, _ = reduce_directions(scorer.score(pairs), scorer.score([(h, p) for p, h in pairs]))
    refit = ContradictionDecider(calibration="platt", objective=recipe.decision_objective, gate=recipe.decision_gate)
    refit.fit(reduced[:, 2], [r["label"] == "contradiction" for r in test_rows], p_entailment=reduced[:, 0])
    assert meta["decision_directions"] == "both"
    assert meta["decision"]["threshold_"] == pytest.approx(refit.threshold_, abs=1e-4)


def test_decision_fit_must_name_dev_sets(tiny_nli_model):
    with pytest.raises(ConfigError, match="decision_fit names \\['news'\\]"):
        tiny_recipe(tiny_nli_model, decision_fit=["news"]).check()
