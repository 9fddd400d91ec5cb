"""The engines (issue 19): blocking rules, the per-document extraction split, `--engine ray` without Ray, and,
where Ray is installed, a local Ray giving the local engine's findings and scores and resuming a killed run."""

from __future__ import annotations

import builtins
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from contradict.blocks import blocks, name_terms, parse_block_by
from contradict.errors import ConfigError
from contradict.read import read_documents
from contradict.types import Claim, Document

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = ROOT / "examples" / "summit"


def _claim(cid: str, doc: str, text: str) -> Claim:
    return Claim(id=cid, doc_id=doc, text=text, speaker="X", speaker_canonical="X", source="S", side="S",
                 span=(0, len(text)), outlet="O", attribution="said")


def _synthetic(n: int = 6) -> list[Document]:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "eval" / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [Document(**record) for record in module.generate(n, seed=3, docs_per_story=3)]


def _corpus() -> list[Document]:
    docs, _ = read_documents([SUMMIT])
    return docs + _synthetic()


# -- blocking (no Ray) ------------------------------------------------------------------------------------

def test_block_rule_names():
    assert parse_block_by(None) == "none" and parse_block_by(" Entity ") == "entity"
    with pytest.raises(ConfigError, match="expected one of none, entity"):
        parse_block_by("topic")


def test_no_blocking_is_one_block_of_every_claim():
    claims = [_claim(f"d{i}:c0", f"d{i}", f"Nobody {i} said anything") for i in range(3)]
    assert blocks(claims, "none") == [[0, 1, 2]]
    assert blocks([], "none") == []


def test_entity_blocks_join_documents_by_shared_names_not_numbers():
    claims = [_claim("a:c0", "a", "the Orvale bridge will reopen in 5 weeks"),
              _claim("b:c0", "b", "Mayor Holt said 5 people were hurt"),
              _claim("c:c0", "c", "the bridge in Orvale is closed"),
              _claim("b:c1", "b", "Holt will resign"),
              _claim("d:c0", "d", "Holt denies it")]
    assert name_terms("the Orvale bridge will reopen in 5 weeks") == {"orvale"}
    # a and c share Orvale; b and d share Holt; the number 5 links nothing
    assert blocks(claims, "entity") == [[0, 2], [1, 3, 4]]


def test_entity_blocking_pairs_a_subset_of_the_unblocked_pairs(fake_scorer):
    from contradict.pipeline import compare
    from tests.conftest import FakeEmbedder, LineExtractor

    lines = ["Peskov | Russia | Holt will attend the summit",
             "Leavitt | United States | Holt will not attend the summit",
             "Lavrov | Russia | the Orvale talks failed", "Rubio | United States | the Orvale talks went well"]
    docs = [Document(id=f"d{i}", source="S", text=line) for i, line in enumerate(lines)]
    runs = {rule: compare(docs, scorer=fake_scorer(), extractor=LineExtractor(), embedder=FakeEmbedder(),
                          min_similarity=-1.0, checks="none", block_by=rule) for rule in ("none", "entity")}
    ids = {rule: {(s.pair.a.doc_id, s.pair.b.doc_id) for s in r.scores} for rule, r in runs.items()}
    assert ids["entity"] == {("d0", "d1"), ("d2", "d3")} < ids["none"]  # Holt's block and Orvale's
    assert runs["entity"].run["block_by"] == "entity" and runs["none"].run["engine"] == {"name": "local"}


def test_per_document_extraction_then_the_run_merge_is_extract(extractor):
    docs = _corpus()
    whole = extractor.extract(docs)
    pieces = [c for d in docs for c in extractor.extract_documents([d])]
    assert extractor.merge_run(pieces) == whole and whole


# -- --engine ray without Ray -----------------------------------------------------------------------------

def test_engine_ray_without_ray_says_how_to_install_it_and_exits_2(monkeypatch):
    from contradict.cli.main import app

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    for name in [m for m in sys.modules if m == "ray" or m.startswith("ray.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", no_ray)
    result = CliRunner().invoke(app, ["compare", str(SUMMIT), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install -e '.[ray]'" in result.output


def test_ray_options_need_the_ray_engine():
    from contradict.cli.main import app

    result = CliRunner().invoke(app, ["compare", str(SUMMIT), "--ray-address", "auto"])
    assert result.exit_code == 2 and "--engine ray" in result.output


# -- a local Ray --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, object_store_memory=300 * 2**20, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def _findings(report):
    """The flagged pairs and what flagged them (the probabilities are compared by :func:`_same_scores`)."""
    return sorted((f.score.pair.a.id, f.score.pair.b.id, f.flagged_by) for f in report.findings)


def _scores(report):
    return [(s.pair.a.id, s.pair.b.id, s.pair.shared_entities, s.direction) for s in report.scores]


def _numbers(report):
    """Each pair's similarity and probabilities (both directions)."""
    return np.array([[s.pair.similarity, *s.probs_ab, *(s.probs_ba or (np.nan,) * 3)] for s in report.scores])


def _same_scores(a, b):
    """The same pairs, in the same order, taking the same direction, with the same numbers to float rounding:
    the embedder and the model run with another thread count in a Ray worker, which can move the 6th digit."""
    assert _scores(a) == _scores(b)
    np.testing.assert_allclose(_numbers(a), _numbers(b), rtol=0, atol=1e-5)


@pytest.mark.slow  # about 35 s each: a Ray Data stage starts its actors (spaCy, MiniLM, the model) in new processes
@pytest.mark.parametrize("block_by", ["none", "entity"])
def test_ray_engine_gives_the_local_engines_findings_and_scores(ray_local, tiny_nli_model, nlp, tmp_path, block_by):
    from contradict.engines.ray_engine import ray_compare
    from contradict.extract import ClaimExtractor
    from contradict.pipeline import compare
    from contradict.scorer import NLIScorer

    docs = _corpus()
    options = {"threshold": 0.3, "block_by": block_by}  # the tiny model's probabilities hover near 1/3
    local = compare(docs, scorer=NLIScorer(tiny_nli_model), extractor=ClaimExtractor(nlp=nlp), **options)
    remote = ray_compare(docs, scorer=NLIScorer(tiny_nli_model), extractor=ClaimExtractor(), workers=2,
                         work_dir=tmp_path / "work", **options)
    assert local.findings and local.claims == remote.claims
    assert _findings(remote) == _findings(local)
    _same_scores(remote, local)
    shards = sorted((tmp_path / "work" / "findings").glob("part-*.jsonl"))
    lines = [json.loads(line) for p in shards for line in p.read_text().splitlines()]
    assert len(lines) == len(remote.findings)
    manifest = json.loads((tmp_path / "work" / "manifest.json").read_text())
    assert [d["id"] for d in manifest["documents"]] == [d.id for d in docs]
    assert manifest["documents_extracted_now"] == len(docs) and manifest["skipped"] == []


@pytest.mark.slow  # about 65 s: three runs
def test_a_killed_ray_run_resumes_from_its_shards_and_the_cache(ray_local, tiny_nli_model, tmp_path):
    from contradict.cache import ScoreCache
    from contradict.engines.ray_engine import ray_compare
    from contradict.extract import ClaimExtractor
    from contradict.scorer import NLIScorer

    docs = _corpus()
    work, cache_path = tmp_path / "work", tmp_path / "scores.sqlite3"

    def run():
        return ray_compare(docs, scorer=NLIScorer(tiny_nli_model, cache=ScoreCache(cache_path)),
                           extractor=ClaimExtractor(), workers=2, work_dir=work, threshold=0.3)

    first = run()
    scored = ScoreCache(cache_path).count()
    assert first.stats.cache_hits == 0 and scored > 0
    # as if killed midway: the last document's shard line cut short, a third of the scores never written
    shard = work / "claims" / "part-00000.jsonl"
    lines = shard.read_text().splitlines()
    shard.write_text("\n".join(lines[:-1] + [lines[-1][: len(lines[-1]) // 2]]) + "\n")
    with sqlite3.connect(cache_path) as conn:
        conn.execute("DELETE FROM scores WHERE key IN (SELECT key FROM scores ORDER BY key LIMIT ?)", (scored // 3,))
    second = run()
    manifest = json.loads((work / "manifest.json").read_text())
    assert manifest["documents_extracted_now"] == 1 and manifest["documents_from_shards"] == len(docs) - 1
    assert manifest["pairs_scored_now"] == scored // 3  # only the lost ones, none twice
    assert ScoreCache(cache_path).count() == scored
    assert _findings(second) == _findings(first) and _scores(second) == _scores(first)
    assert np.array_equal(_numbers(second), _numbers(first), equal_nan=True)  # read back from one cache: exact


@pytest.mark.slow  # about 40 s
def test_compare_engine_ray_flags_the_pairs_engine_local_flags(ray_local, tiny_nli_model, tmp_path):
    from contradict.cli.main import app

    def flagged(engine: str, *extra: str) -> list[tuple[str, str, tuple[str, ...]]]:
        out = tmp_path / f"{engine}.json"
        result = CliRunner().invoke(app, ["compare", str(SUMMIT), "--model", str(tiny_nli_model), "--threshold",
                                          "0.3", "--no-cache", "--engine", engine, "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        report = json.loads(out.read_text())
        assert report["run"]["engine"]["name"] == engine
        return sorted((f["claim_a"]["id"], f["claim_b"]["id"], tuple(f["flagged_by"])) for f in report["findings"])

    local = flagged("local")
    assert local and flagged("ray", "--workers", "2", "--work-dir", str(tmp_path / "work")) == local
    assert (tmp_path / "work" / "findings" / "part-00000.jsonl").is_file()
