import numpy as np
import pytest

from contradict.errors import ModelError
from contradict.scorer import NLIScorer, label_permutation


def test_label_permutation_reads_names():
    assert label_permutation({0: "CONTRADICTION", 1: "entailment", 2: "Neutral"}) == [1, 2, 0]
    assert label_permutation({0: "entailment", 1: "neutral", 2: "contradiction"}) == [0, 1, 2]


@pytest.mark.parametrize("labels", [{0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"},
                                    {0: "entailment", 1: "not_entailment"},
                                    {0: "entailment", 1: "entailment", 2: "neutral"}])
def test_label_permutation_rejects_unknown(labels):
    with pytest.raises(ModelError):
        label_permutation(labels)


@pytest.fixture(scope="module")
def scorer(tiny_nli_model):
    return NLIScorer(tiny_nli_model, max_length=24, batch_size=2)


def test_shapes_and_probabilities(scorer):
    assert scorer.score([]).shape == (0, 3)
    one = scorer.score([("a man is sleeping", "a man is running")])
    assert one.shape == (1, 3)
    np.testing.assert_allclose(one.sum(1), 1.0, atol=1e-5)


def test_columns_follow_id2label(scorer):
    """The tiny model stores contradiction first; our column 2 must be its logit 0."""
    import torch

    pairs = [("the dog is outside", "the cat is inside")]
    enc = scorer.tokenizer([p for p, _ in pairs], [h for _, h in pairs], return_tensors="pt")
    with torch.inference_mode():
        raw = torch.softmax(scorer.model(**enc).logits, -1).numpy()[0]
    ours = scorer.score(pairs)[0]
    np.testing.assert_allclose(ours, [raw[1], raw[2], raw[0]], atol=1e-5)


def test_batching_and_sorting_do_not_change_results(scorer):
    pairs = [("a man", "a woman is playing in the park"), ("people running in the street", "no"),
             ("the boy", "the girl"), ("a", "b"), ("a man", "a woman is playing in the park")]
    together = scorer.score(pairs, batch_size=2)
    alone = np.vstack([scorer.score([p]) for p in pairs])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(together[0], together[4])


def test_truncation_is_counted(scorer):
    long = " ".join(["the man is playing outside"] * 20)
    scorer.score([(long, "a man"), ("a man", "a woman")])
    assert scorer.truncated == 1
    scorer.score([("a man", "a woman")])
    assert scorer.truncated == 0


def test_metadata_and_hash(scorer, tiny_nli_model):
    assert scorer.model_hash.startswith("sha256:")
    described = scorer.describe()
    assert described["model"] == tiny_nli_model.name and "path" not in described  # nothing of this machine
    assert described["hash"] == scorer.model_hash
    assert scorer.metadata == {}


def test_a_model_folder_without_its_tokenizer_is_refused(tiny_nli_model, tmp_path):
    import shutil

    for name in ("config.json", "model.safetensors"):  # what a checkpoint without its tokenizer holds
        shutil.copy(tiny_nli_model / name, tmp_path / name)
    with pytest.raises(ModelError, match="lacks the tokenizer files"):
        NLIScorer(tmp_path)


def test_max_length_is_capped_at_the_model_positions(tiny_nli_model, caplog):
    scorer = NLIScorer(tiny_nli_model, max_length=512)  # the tiny model has 128 positions
    assert scorer.max_length == 128 and "lowered" in caplog.text
    long_pair = (" ".join(["the man is playing outside"] * 40), "a man")
    assert scorer.score([long_pair]).shape == (1, 3) and scorer.truncated == 1


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError):
        NLIScorer(tmp_path / "nowhere", local_files_only=True)


SHIPPED = ["contradict-nli-minilm", "contradict-nli-minilm-stance"]


@pytest.mark.parametrize("name", SHIPPED)
def test_a_shipped_model_loads_as_float32_with_plain_transformers(name):
    """Stored in fp16 (half the size), computed in float32 by a plain from_pretrained: its config names float32."""
    import torch
    from transformers import AutoModelForSequenceClassification

    from contradict.models import resolve_model, stored_dtype

    path = resolve_model(name)
    assert stored_dtype(path) == "float16"
    model = AutoModelForSequenceClassification.from_pretrained(path)
    assert {p.dtype for p in model.parameters()} == {torch.float32}


def test_the_scorer_computes_in_float32_on_cpu_and_in_the_stored_dtype_elsewhere(tiny_nli_model, tmp_path):
    import shutil

    import torch
    from transformers import AutoModelForSequenceClassification

    from contradict.models import resolve_model
    from contradict.scorer import load_dtype

    half = tmp_path / "half"
    shutil.copytree(tiny_nli_model, half)
    AutoModelForSequenceClassification.from_pretrained(tiny_nli_model).half().save_pretrained(half)
    assert next(NLIScorer(half).model.parameters()).dtype == torch.float32
    assert load_dtype(half, "cpu") == "float32" and load_dtype(half, "cuda") == "float16"
    assert load_dtype(resolve_model(SHIPPED[0]), "cuda") == "float16"  # a GPU keeps the shipped fp16
    assert load_dtype("org/some-hub-model", "cuda") == "auto"
