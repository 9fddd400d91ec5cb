"""A persistent cache of NLI scores, so that repeated and overlapping runs never score a pair twice (and of the
pairing's sentence embeddings, so that a repeated run loads no model at all).

One SQLite file (default ``<user cache dir>/contradict/scores.sqlite3``) holds rows keyed by the
SHA-256 of the scorer's fingerprint (model weight hash, backend, quantisation, max_length) and the
exact premise and hypothesis text. A row stores the three probabilities [entailment, neutral,
contradiction] and whether the pair was truncated. The ``vectors`` table holds sentence embeddings (float32
bytes) keyed the same way by the embedder's fingerprint and the text.

Safe to share between processes: the file is in WAL mode (readers never block the writer), every
connection waits up to ``timeout`` seconds for a lock, and writes are ``INSERT OR IGNORE`` (two runs
scoring the same pair both succeed; the first row stays). The scorer commits after every batch, so
an interrupted run keeps everything it scored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError

SCHEMA_VERSION = 1
CACHE_FILE = "scores.sqlite3"
_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's limit on bound parameters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scorers (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scores (
    key BLOB PRIMARY KEY,
    scorer TEXT NOT NULL,
    entailment REAL NOT NULL,
    neutral REAL NOT NULL,
    contradiction REAL NOT NULL,
    truncated INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vectors (
    key BLOB PRIMARY KEY,
    vector BLOB NOT NULL
) WITHOUT ROWID;
"""


def default_cache_path() -> Path:
    """``<user cache dir>/contradict/scores.sqlite3`` (platformdirs)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("contradict")) / CACHE_FILE


def scorer_fingerprint(fields: Mapping[str, Any]) -> str:
    """Canonical JSON of what determines a scorer's output; equal fingerprints give equal scores."""
    return json.dumps(dict(fields), sort_keys=True, separators=(",", ":"))


def pair_key(scorer_id: str, premise: str, hypothesis: str) -> bytes:
    """The row key: SHA-256 over the scorer id and the exact texts (JSON-encoded, so unambiguous)."""
    return hashlib.sha256(json.dumps([scorer_id, premise, hypothesis], ensure_ascii=False).encode()).digest()


class ScoreCache:
    """NLI probabilities by (scorer fingerprint, premise, hypothesis), in a SQLite file.

    The connection opens on first use; :meth:`close` (or ``with``) releases it. One instance is
    meant for one thread at a time; separate processes may share the file.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0):
        self.path = Path(path).expanduser() if path is not None else default_cache_path()
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._known: set[str] = set()

    # -- connection ------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: durable across crashes of the process
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                conn.close()
                raise ConfigError(f"score cache {self.path} has schema version {version}, this contradict "
                                  f"writes {SCHEMA_VERSION}: delete the file or pass another --cache-path")
            with conn:
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"cannot use {self.path} as a score cache: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"cannot create the score cache {self.path}: {exc}") from None
        self._conn = conn
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ScoreCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading and writing ---------------------------------------------------------------------------
    def get(self, fingerprint: str, pairs: Sequence[tuple[str, str]]) -> dict[int, tuple[np.ndarray, bool]]:
        """Cached rows for ``pairs``: ``{index: (probabilities (3,), truncated)}`` for the pairs found."""
        if not pairs:
            return {}
        scorer_id = _scorer_id(fingerprint)
        rows = self._select("scores", "entailment, neutral, contradiction, truncated",
                            [pair_key(scorer_id, p, h) for p, h in pairs])
        return {i: (np.array([e, n, c], dtype=np.float32), bool(cut)) for i, (e, n, c, cut) in rows.items()}

    def put(self, fingerprint: str, pairs: Sequence[tuple[str, str]], probs: np.ndarray,
            truncated: Sequence[bool] | np.ndarray) -> None:
        """Store rows for ``pairs`` and commit (existing rows are kept: ``INSERT OR IGNORE``)."""
        if not len(pairs):
            return
        scorer_id = _scorer_id(fingerprint)
        self._insert("scores", fingerprint, [
            (pair_key(scorer_id, p, h), scorer_id, float(r[0]), float(r[1]), float(r[2]), int(bool(t)))
            for (p, h), r, t in zip(pairs, np.asarray(probs, dtype=np.float64), truncated)])

    def get_vectors(self, fingerprint: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Cached sentence embeddings (float32) of ``texts`` by the embedder ``fingerprint``: ``{index: vector}``."""
        if not texts:
            return {}
        scorer_id = _scorer_id(fingerprint)
        rows = self._select("vectors", "vector", [pair_key(scorer_id, t, "") for t in texts])
        return {i: np.frombuffer(blob, dtype=np.float32) for i, (blob,) in rows.items()}

    def put_vectors(self, fingerprint: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store sentence embeddings of ``texts`` by the embedder ``fingerprint`` and commit."""
        if not len(texts):
            return
        scorer_id = _scorer_id(fingerprint)
        self._insert("vectors", fingerprint, [(pair_key(scorer_id, t, ""), np.asarray(v, dtype=np.float32).tobytes())
                                              for t, v in zip(texts, vectors)])

    def _select(self, table: str, columns: str, keys: Sequence[bytes]) -> dict[int, tuple[Any, ...]]:
        """``columns`` of ``table``'s rows for ``keys``: ``{index into keys: values}`` for the keys found."""
        conn = self._connect()
        where: dict[bytes, list[int]] = {}
        for i, k in enumerate(keys):
            where.setdefault(k, []).append(i)
        found: dict[int, tuple[Any, ...]] = {}
        unique = list(where)
        try:
            for start in range(0, len(unique), _CHUNK):
                chunk = unique[start:start + _CHUNK]
                rows = conn.execute(f"SELECT key, {columns} FROM {table} "
                                    f"WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
                for key, *values in rows:
                    for i in where[key]:
                        found[i] = tuple(values)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"cannot read the score cache {self.path}: {exc}") from None
        return found

    def _insert(self, table: str, fingerprint: str, rows: list[tuple[Any, ...]]) -> None:
        """``rows`` into ``table`` (``INSERT OR IGNORE``) and the fingerprint's scorer row, in one transaction."""
        conn = self._connect()
        scorer_id = _scorer_id(fingerprint)
        try:
            with conn:  # one transaction, committed on leaving the block
                if scorer_id not in self._known:
                    conn.execute("INSERT OR IGNORE INTO scorers (id, fingerprint) VALUES (?, ?)",
                                 (scorer_id, fingerprint))
                conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"cannot write to the score cache {self.path}: {exc}") from None
        self._known.add(scorer_id)

    def count(self, fingerprint: str | None = None) -> int:
        """Rows stored (for one scorer fingerprint, or all)."""
        conn = self._connect()
        if fingerprint is None:
            return int(conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0])
        return int(conn.execute("SELECT COUNT(*) FROM scores WHERE scorer = ?",
                                (_scorer_id(fingerprint),)).fetchone()[0])


def _scorer_id(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
