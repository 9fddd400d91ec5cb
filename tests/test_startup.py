"""Start-up, the time split, progress and bounded memory (issue 18): what loads when, and that the split is whole.

No timing thresholds here: speed is measured by eval/bench, not by tests."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from contradict.cli.main import app
from contradict.pair import Pairer, blocks, shared_matter_pairs
from contradict.timing import Stopwatch, format_split, stage
from contradict.types import Claim

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "spacy", "sklearn", "matplotlib")
STAGES = ("read", "load_scorer", "load_spacy", "extract", "load_embedder", "pair", "score", "decide")


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)


@pytest.mark.parametrize("args", [["--help"], ["compare", "--help"], ["claims", "--help"]])
def test_help_imports_no_model_library(args):
    code = ("import sys\nfrom contradict.cli import main\nsys.argv = ['contradict', *%r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in %r if m in sys.modules))" % (args, HEAVY))
    done = run_cli("-c", code)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout and "LOADED []" in done.stdout


def test_stopwatch_stages_are_exclusive_and_sum_to_the_total():
    watch = Stopwatch()
    with watch.stage("score"):
        with stage("load_scorer"):  # a lazy load inside a stage counts as its own stage, once
            sum(range(10_000))
        sum(range(10_000))
    with stage("nowhere"):  # no stopwatch running: nothing recorded
        pass
    split = watch.split()
    assert list(split) == ["load_scorer", "score", "other", "total"]
    assert sum(v for k, v in split.items() if k != "total") == pytest.approx(split["total"], abs=0.002)
    assert format_split(split).startswith(f"total {split['total']:.2f} s")


def _sum_of_stages(seconds):
    return sum(v for k, v in seconds.items() if k != "total")


@pytest.mark.slow
def test_compare_time_split_covers_the_whole_process(tiny_nli_model, tmp_path):
    out = tmp_path / "r.json"
    done = run_cli("-m", "contradict.cli", "compare", "examples/summit", "--model", str(tiny_nli_model),
                   "--cache-path", str(tmp_path / "cache.sqlite3"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    seconds = json.loads(out.read_text())["stats"]["seconds"]
    assert {"start", *STAGES, "other", "total"} <= set(seconds)
    assert _sum_of_stages(seconds) == pytest.approx(seconds["total"], abs=0.01)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("time total")]
    assert line and "start" in line[0] and "write" not in seconds  # the report is written after its split
    # a second run reads every score and vector from the cache: neither model is loaded
    again = run_cli("-m", "contradict.cli", "compare", "examples/summit", "--model", str(tiny_nli_model),
                    "--cache-path", str(tmp_path / "cache.sqlite3"), "-o", str(out))
    assert again.returncode == 0, again.stderr
    warm = json.loads(out.read_text())["stats"]
    assert warm["cache_hits"] > 0 and "load_embedder" not in warm["seconds"]
    assert "score" in warm["seconds"] and _sum_of_stages(warm["seconds"]) == pytest.approx(warm["seconds"]["total"],
                                                                                           abs=0.01)


@pytest.mark.slow
def test_progress_with_counts_for_every_stage(tiny_nli_model, tmp_path):
    result = CliRunner().invoke(app, ["compare", "examples/summit", "--model", str(tiny_nli_model), "--no-cache",
                                      "--progress-always", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    for label in ("reading files", "extracting claims", "pairing claims", "parsing claims", "scoring pairs",
                  "checking pairs"):
        counted = [ln for ln in lines if ln.startswith(label)]
        assert counted, (label, result.stderr)
        done, total = counted[-1].rsplit(": ", 1)[1].split("/")
        assert done == total and int(total) > 0
    seconds = json.loads((tmp_path / "r.json").read_text())["stats"]["seconds"]
    assert set(STAGES) - {"read"} <= set(seconds)  # in-process, the command's stopwatch starts with the command
    quiet = CliRunner().invoke(app, ["compare", "examples/summit", "--model", str(tiny_nli_model), "--no-cache",
                                     "--no-progress", "-o", str(tmp_path / "r.json")])
    assert "pairing claims" not in quiet.stderr and "time total" in quiet.stderr


def test_extraction_reports_chunks_of_a_long_document():
    from contradict.extract import ClaimExtractor
    from contradict.types import Document

    text = "\n\n".join(f"Mayor Dana Holt said the bridge {i} will stay closed until March." for i in range(30))
    seen = []
    claims = ClaimExtractor(max_chunk_chars=200).extract([Document(id="d", source="Wire", text=text)],
                                                         progress=lambda *a: seen.append(a))
    assert claims and seen[-1] == (30, 30, 0) and [s[0] for s in seen] == list(range(1, 31))


def _claims(n, groups, seed=0):
    rng = np.random.default_rng(seed)
    sides = [f"side{int(g)}" for g in rng.integers(0, groups, n)]
    names = ["Dana Holt", "Omar Varga", "the ministry", "42 people", "Carrow"]
    claims = [Claim(id=f"c{i}", doc_id="d", text=f"{names[i % 5]} and claim {i}", speaker=None,
                    speaker_canonical=None, source=s, side=s, span=(0, 1), outlet="Wire", attribution="said")
              for i, s in enumerate(sides)]
    emb = rng.normal(size=(n, 16)).astype(np.float32)
    return claims, emb / np.linalg.norm(emb, axis=1, keepdims=True)


def _same(pairs, expected):
    """The same pairs in the same order with the same shared entities; the same similarities to 1e-6 (float32
    products of different block shapes may differ in the last bit)."""
    assert [(p.a.id, p.b.id, p.shared_entities) for p in pairs] == \
        [(p.a.id, p.b.id, p.shared_entities) for p in expected]
    np.testing.assert_allclose([p.similarity for p in pairs], [p.similarity for p in expected], atol=2e-6)
    return True


def test_pairing_blockwise_gives_the_pairs_of_all_at_once():
    claims, emb = _claims(300, 4)
    whole = Pairer(top_k=3, min_similarity=-1.0, max_cells=10**9).pair(claims, emb)
    for cells in (300, 3000, 299 * 7):  # one row a block, ten rows, blocks that do not divide the claims
        assert _same(Pairer(top_k=3, min_similarity=-1.0, max_cells=cells).pair(claims, emb), whole)
    matters = [frozenset({"initiated"} if i % 3 else {"caused"}) for i in range(len(claims))]
    whole = shared_matter_pairs(claims, matters, emb, top_k=2, max_cells=10**9)
    assert _same(shared_matter_pairs(claims, matters, emb, top_k=2, max_cells=250), whole)
    assert [len(b) for b in blocks(np.arange(10), 10, 1024, 30)] == [3, 3, 3, 1]


def test_scorer_tokenises_in_slices_with_the_same_scores_and_loads_nothing_for_cached_pairs(tiny_nli_model, tmp_path,
                                                                                            monkeypatch):
    import contradict.scorer as scorer_module
    from contradict.scorer import NLIScorer

    pairs = [(f"the man {i} is sleeping" + " very" * (i % 7), f"the man {i} is awake") for i in range(40)]
    whole = NLIScorer(tiny_nli_model, batch_size=8).score(pairs)
    monkeypatch.setattr(scorer_module, "_TOKENIZE_SLICE", 3)
    cached = NLIScorer(tiny_nli_model, batch_size=8, cache=tmp_path / "c.sqlite3")
    assert cached._model is None and cached._tokenizer is None  # a local folder: read from its JSON files
    np.testing.assert_array_equal(cached.score(pairs), whole)
    again = NLIScorer(tiny_nli_model, batch_size=8, cache=tmp_path / "c.sqlite3")
    np.testing.assert_array_equal(again.score(pairs), whole)
    assert again.cache_hits == len(pairs) and again._model is None and again._tokenizer is None
    assert again.load()._model is not None  # loading on request, to time it apart (eval/bench)


@pytest.mark.slow
def test_embedder_reads_cached_vectors_without_loading_its_model(tmp_path):
    from contradict.cache import ScoreCache
    from contradict.embed import Embedder

    texts = ["The bridge stays closed until March.", "The bridge opens on Monday.", "The bridge stays closed until March."]
    first = Embedder(cache=ScoreCache(tmp_path / "c.sqlite3"))
    vectors = first.encode(texts)
    np.testing.assert_allclose(vectors, Embedder().encode(texts), atol=1e-5)
    second = Embedder(cache=ScoreCache(tmp_path / "c.sqlite3"))
    np.testing.assert_array_equal(second.encode(texts), vectors)
    assert second._model is None
