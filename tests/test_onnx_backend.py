"""The ONNX Runtime backend: export once, same numbers as torch, int8 close to them."""

import json
import os
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from contradict import onnx_backend
from contradict.batching import collate
from contradict.errors import ConfigError, ModelError
from contradict.scorer import NLIScorer

PAIRS = [("a man is sleeping", "a man is running"),
         ("the dog is outside in the park", "no"),
         ("people said the report was not out", "the report is out"),
         ("a", "b"),
         ("a man is sleeping", "a man is running"),
         ("Café au lait ünïcode", "naïve")]
LONG = (" ".join(["the man is playing outside"] * 20), "a man")


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx-exports")


@pytest.fixture(scope="module")
def torch_scorer(tiny_nli_model):
    return NLIScorer(tiny_nli_model, max_length=24, batch_size=2)


@pytest.fixture(scope="module")
def fp32_scorer(tiny_nli_model, export_dir):
    return NLIScorer(tiny_nli_model, max_length=24, batch_size=2, backend="onnx", quantize=False,
                     export_dir=export_dir, num_threads=1)


@pytest.fixture(scope="module")
def int8_scorer(tiny_nli_model, export_dir, fp32_scorer):
    return NLIScorer(tiny_nli_model, max_length=24, batch_size=2, backend="onnx", export_dir=export_dir,
                     num_threads=1)


def test_fp32_graph_matches_torch(torch_scorer, fp32_scorer):
    """Same columns (the tiny model stores contradiction first), padding, dedup and truncation."""
    pairs = PAIRS + [LONG]
    expected = torch_scorer.score(pairs)
    got = fp32_scorer.score(pairs, batch_size=3)
    assert got.shape == (len(pairs), 3) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert fp32_scorer.truncated == torch_scorer.truncated == 2  # LONG, and the accented pair spelled letter by letter


def test_int8_graph_is_close_and_a_distribution(torch_scorer, int8_scorer):
    expected = torch_scorer.score(PAIRS)
    got = int8_scorer.score(PAIRS)
    np.testing.assert_allclose(got.sum(1), 1.0, atol=1e-5)
    assert np.abs(got - expected).max() < 0.05
    np.testing.assert_array_equal(got[0], got[4])


def test_edge_cases(int8_scorer):
    assert int8_scorer.score([]).shape == (0, 3)
    assert int8_scorer.score([("one", "pair")]).shape == (1, 3)


def test_export_is_cached_and_described(int8_scorer, fp32_scorer, export_dir, tiny_nli_model, monkeypatch):
    folders = list(export_dir.iterdir())
    assert len(folders) == 1
    folder = folders[0]
    assert {p.name for p in folder.iterdir()} == {onnx_backend.FP32_FILE, onnx_backend.INT8_FILE,
                                                  onnx_backend.INFO_FILE}
    info = json.loads((folder / onnx_backend.INFO_FILE).read_text())
    assert info["model_hash"] == int8_scorer.model_hash
    assert info["fused"].get("Attention") == 2  # one fused attention per layer of the tiny model
    assert info["first_token_only"] is True  # and still equal to torch (test_fp32_graph_matches_torch)
    assert info["max_probe_difference"] < 1e-4

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_backend, "export_fp32", no_export)
    monkeypatch.setattr(onnx_backend, "quantize_int8", no_export)
    again = NLIScorer(tiny_nli_model, max_length=24, backend="onnx", export_dir=export_dir)
    d = again.describe()
    assert d["backend"] == "onnx" and d["quantize"] == "int8"
    assert d["onnx_file"].endswith(onnx_backend.INT8_FILE)
    assert d["threads"] == onnx_backend.physical_cores()
    assert fp32_scorer.describe()["quantize"] is None


def test_fingerprint_separates_backends(torch_scorer, fp32_scorer, int8_scorer):
    prints = {torch_scorer.fingerprint, fp32_scorer.fingerprint, int8_scorer.fingerprint}
    assert len(prints) == 3
    assert json.loads(int8_scorer.fingerprint) == {"model_hash": int8_scorer.model_hash, "backend": "onnx",
                                                   "quantize": "int8", "max_length": 24,
                                                   "export_format": onnx_backend.EXPORT_FORMAT}


def test_option_errors(tiny_nli_model, tmp_path):
    with pytest.raises(ConfigError, match="backend"):
        NLIScorer(tiny_nli_model, backend="tensorflow")
    with pytest.raises(ConfigError, match="onnx"):
        NLIScorer(tiny_nli_model, quantize=True)


def test_missing_onnxruntime_is_a_model_error(tiny_nli_model, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes `import onnxruntime` raise ImportError
    with pytest.raises(ModelError, match=r"contradict\[onnx\]"):
        NLIScorer(tiny_nli_model, backend="onnx", export_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_pad_batch_matches_collate():
    encoded = {"input_ids": [[5, 6, 7], [5], [5, 6]], "token_type_ids": [[0, 1, 1], [0], [0, 1]]}
    batch = np.array([2, 0])
    ours = onnx_backend.pad_batch(encoded, batch, pad_id=9)
    theirs = collate(encoded, batch, 9)
    assert set(ours) == set(theirs) == {"input_ids", "token_type_ids", "attention_mask"}
    for key in ours:
        assert ours[key].dtype == np.int64
        np.testing.assert_array_equal(ours[key], theirs[key].numpy())


def test_first_token_pruning_leaves_other_graphs_alone():
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, None, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None, 4])
    model = helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y]))
    assert onnx_backend.prune_to_first_token(model) is False
    assert [n.op_type for n in model.graph.node] == ["Relu"] and not model.graph.initializer


def test_physical_cores_is_sane():
    assert 1 <= onnx_backend.physical_cores() <= (os.cpu_count() or 1)


def test_export_key_depends_on_hash_and_on_name_for_hub_revisions():
    a = onnx_backend.export_key("sha256:aa", "x")
    assert a == onnx_backend.export_key("sha256:aa", "y")
    assert a != onnx_backend.export_key("sha256:bb", "x")
    assert onnx_backend.export_key("revision:unknown", "x") != onnx_backend.export_key("revision:unknown", "y")


def test_score_pairs_file_with_onnx_backend(tiny_nli_model, export_dir, tmp_path, int8_scorer, monkeypatch):
    from contradict.cli.main import app

    monkeypatch.setattr(onnx_backend, "default_export_dir", lambda: export_dir)  # reuse the module's export
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps({"premise": p, "hypothesis": h}) for p, h in PAIRS) + "\n")
    # the fixture's batches (a->b alone, two pairs a batch), so int8 activation scales match
    args = ["score", "--pairs", pairs, "--model", tiny_nli_model, "--backend", "onnx", "--max-length", 24,
            "--batch-size", 2, "--no-cache", "--directions", "one"]
    result = CliRunner().invoke(app, list(map(str, args)))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    np.testing.assert_allclose([[r["entailment"], r["neutral"], r["contradiction"]] for r in rows],
                               int8_scorer.score(PAIRS), atol=1e-5)
