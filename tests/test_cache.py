"""The SQLite score cache: keys, persistence, concurrency, interrupted runs, and its use by the scorer."""

import json
import multiprocessing
import sqlite3

import numpy as np
import pytest
from typer.testing import CliRunner

from contradict.cache import ScoreCache, default_cache_path, scorer_fingerprint
from contradict.errors import ConfigError
from contradict.scorer import NLIScorer

FP = scorer_fingerprint({"model_hash": "sha256:x", "backend": "torch", "quantize": None, "max_length": 256})
PAIRS = [("a man is sleeping", "a man is running"), ("the dog", "the cat"), ("Ünïcode ☃", "")]


def rows(n, value=0.2):
    return np.tile(np.array([value, 0.8 - value, 0.2], dtype=np.float32), (n, 1))


def test_round_trip_and_misses(tmp_path):
    with ScoreCache(tmp_path / "c.sqlite3") as cache:
        assert cache.get(FP, PAIRS) == {}
        cache.put(FP, PAIRS[:2], rows(2), [False, True])
        found = cache.get(FP, [PAIRS[1], PAIRS[2], PAIRS[0], PAIRS[1]])
        assert sorted(found) == [0, 2, 3]  # the third pair was never stored; duplicates both answered
        np.testing.assert_array_equal(found[2][0], rows(1)[0])
        assert found[0][1] is True and found[2][1] is False
        assert cache.count() == 2 == cache.count(FP)


def test_keys_are_exact_text_and_scorer(tmp_path):
    other = scorer_fingerprint({"model_hash": "sha256:x", "backend": "onnx", "quantize": "int8", "max_length": 256})
    with ScoreCache(tmp_path / "c.sqlite3") as cache:
        cache.put(FP, [("a b", "c")], rows(1), [False])
        assert cache.get(other, [("a b", "c")]) == {}
        assert cache.get(FP, [("a b ", "c"), ("a", "b c"), ("A b", "c")]) == {}
        assert list(cache.get(FP, [("a b", "c")])) == [0]


def test_first_row_wins_and_survives_reopening(tmp_path):
    path = tmp_path / "c.sqlite3"
    with ScoreCache(path) as cache:
        cache.put(FP, PAIRS[:1], rows(1, 0.1), [False])
        cache.put(FP, PAIRS[:1], rows(1, 0.5), [False])  # INSERT OR IGNORE: no error, no change
    with ScoreCache(path) as cache:
        assert cache.get(FP, PAIRS[:1])[0][0][0] == pytest.approx(0.1)
        assert cache.count() == 1


def test_wal_mode_and_schema(tmp_path):
    path = tmp_path / "c.sqlite3"
    with ScoreCache(path) as cache:
        cache.put(FP, PAIRS[:1], rows(1), [False])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT fingerprint FROM scorers").fetchall() == [(FP,)]
    conn.close()


def test_not_a_database_is_a_config_error(tmp_path):
    bad = tmp_path / "c.sqlite3"
    bad.write_text("this is not SQLite " * 100)
    with pytest.raises(ConfigError, match="score cache"):
        ScoreCache(bad).get(FP, PAIRS)


def test_default_path_is_in_the_user_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "contradict" / "scores.sqlite3"
    assert ScoreCache().path == default_cache_path()


def _writer(path, worker):
    with ScoreCache(path, timeout=30) as cache:
        for batch in range(20):
            pairs = [(f"premise {i}", f"hypothesis {worker}-{batch}") for i in range(50)]
            pairs += [(f"shared {batch}", f"shared {i}") for i in range(10)]  # every worker writes these
            cache.put(FP, pairs, rows(len(pairs)), [False] * len(pairs))
            assert len(cache.get(FP, pairs)) == len(pairs)


def test_concurrent_writers(tmp_path):
    path = tmp_path / "c.sqlite3"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(path, w)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    with ScoreCache(path) as cache:
        assert cache.count() == 3 * 20 * 50 + 20 * 10


# -- the scorer with a cache -----------------------------------------------------------------------------

@pytest.fixture
def cached_scorer(tiny_nli_model, tmp_path):
    def make(max_length=24):
        return NLIScorer(tiny_nli_model, max_length=max_length, batch_size=2, cache=tmp_path / "scores.sqlite3")

    return make


def test_scorer_reads_back_what_it_scored(cached_scorer):
    long = (" ".join(["the man is playing outside"] * 20), "a man")
    pairs = PAIRS + [long, PAIRS[0]]
    first = cached_scorer()
    expected = first.score(pairs)
    assert first.cache_hits == 0 and first.truncated == 1
    second = cached_scorer()
    got = second.score(pairs + [("a new", "pair")])
    assert second.cache_hits == 4  # distinct pairs found; the new one is scored
    assert second.truncated == 1  # truncation is remembered with the row
    assert second.pairs_scored == 1
    np.testing.assert_allclose(got[:-1], expected, atol=1e-7)
    assert cached_scorer(max_length=32).score(pairs).shape == (5, 3)  # another max_length: another key


def test_interrupted_run_keeps_finished_batches(cached_scorer, monkeypatch):
    pairs = [(f"a man {i}", "a woman") for i in range(6)]
    scorer = cached_scorer()
    forward = scorer._forward
    calls = []

    def fail_on_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return forward(*args)

    monkeypatch.setattr(scorer, "_forward", fail_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        scorer.score(pairs)
    again = cached_scorer()
    again.score(pairs)
    assert again.cache_hits == 2 and again.pairs_scored == 4


def test_compare_reports_cache_hits(cached_scorer, fake_embedder, line_extractor):
    from contradict.pipeline import compare
    from contradict.types import Document

    docs = [Document(id="d1", source="Wire", text="Ann | Red | the bridge is closed\nBo | Red | the park is open\n"),
            Document(id="d2", source="Post", text="Cy | Blue | the bridge is open\n")]
    run = dict(extractor=line_extractor, embedder=fake_embedder, min_similarity=0.0)
    first = compare(docs, scorer=cached_scorer(), **run)
    assert first.stats.cache_hits == 0 and first.stats.pairs_scored == 4
    second = compare(docs, scorer=cached_scorer(), **run)
    assert second.stats.cache_hits == 4
    assert [s.probs for s in second.scores] == [s.probs for s in first.scores]  # float32 stored exactly


def test_compare_counts_cache_hits_of_both_scoring_calls_with_auto_directions(cached_scorer, fake_embedder,
                                                                             line_extractor):
    from contradict.pipeline import compare
    from contradict.types import Document

    docs = [Document(id="d1", source="Wire", text="Ann | Red | the bridge is closed\nBo | Red | the park is open\n"),
            Document(id="d2", source="Post", text="Cy | Blue | the bridge is open\n")]
    run = dict(extractor=line_extractor, embedder=fake_embedder, min_similarity=0.0, directions="auto",
               threshold=1.0)  # nothing is flagged, so auto scores b->a in a second call
    first = compare(docs, scorer=cached_scorer(), **run)
    assert first.stats.cache_hits == 0 and first.stats.pairs_scored == 4
    second = compare(docs, scorer=cached_scorer(), **run)
    assert second.stats.cache_hits == 4  # two from the a->b call, two from the b->a call


def test_score_command_uses_the_cache(tiny_nli_model, tmp_path):
    from contradict.cli.main import app

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": 7, "premise": "a man", "hypothesis": "a woman"}) + "\n\n"
                     + json.dumps({"premise": "the dog", "hypothesis": "the cat", "label": "x"}) + "\n")
    out = tmp_path / "out.jsonl"
    args = ["score", "--pairs", pairs, "--model", tiny_nli_model, "--cache-path", tmp_path / "c.sqlite3",
            "--output", out]
    runner = CliRunner()
    first = runner.invoke(app, list(map(str, args)))
    assert first.exit_code == 0, first.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    fields = ["entailment", "neutral", "contradiction", "b->a", "reduced", "decision"]
    assert [list(x) for x in lines] == [["id", *fields], fields]
    assert lines[0]["id"] == 7 and "0 distinct pairs from the cache" in first.stderr
    second = runner.invoke(app, list(map(str, args)))
    assert "4 distinct pairs from the cache" in second.stderr  # each pair both ways
    assert [json.loads(x) for x in out.read_text().splitlines()] == lines


@pytest.mark.parametrize("line, message", [
    ("{broken", "pairs.jsonl:2: invalid JSON"),
    ('["a", "b"]', "pairs.jsonl:2: expected a JSON object"),
    ('{"premise": "a"}', "pairs.jsonl:2: field 'hypothesis': missing required field"),
    ('{"premise": 3, "hypothesis": "b"}', "pairs.jsonl:2: field 'premise': expected a string, got int"),
])
def test_score_command_names_bad_lines(tmp_path, line, message):
    from contradict.cli.main import app

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"premise": "a", "hypothesis": "b"}\n' + line + "\n")
    result = CliRunner().invoke(app, ["score", "--pairs", str(pairs), "--model", "unused", "--no-cache"])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_score_command_needs_one_kind_of_input():
    from contradict.cli.main import app

    assert CliRunner().invoke(app, ["score"]).exit_code == 2
    assert CliRunner().invoke(app, ["score", "a", "b", "--pairs", "x.jsonl"]).exit_code == 2
