"""The Ray engine: :func:`contradict.pipeline.compare`'s stages as Ray Data pipelines on a cluster.

    read (driver) -> extract (actor pool: one spaCy pipeline per actor, documents in batches)
    -> merge speakers across the run (driver: a dictionary pass over the claims)
    -> block (driver, :mod:`contradict.blocks`) -> pair each block (actor pool: one MiniLM embedder, and
    spaCy for the agents' acts, per actor) -> score (``map_batches`` on an actor pool: the NLI model loaded
    once per actor, one GPU an actor where the cluster has GPUs) -> decide (driver) -> report, and
    sharded JSONL findings in the work folder.

Same answers as the local engine: each stage computes what the local one does, on the same units
(a document's claims depend on that document alone, the cross-document merge runs on all of them, a
block is paired as the local engine pairs it, a pair's scores do not depend on its batch mates), so the
flagged pairs are the same; probabilities agree to float rounding (batches padded differently and
another thread count may move the last digits), and exactly when read from one score cache.

Resumable: with a work folder, each extracted document's claims are appended to
``WORK/claims/part-*.jsonl`` as they arrive (keyed by a hash of the document's id, outlet and text), and
scores go to the score cache batch by batch as they arrive; a rerun extracts only the documents not in
the shards and scores only the pairs not in the cache. ``WORK/manifest.json`` accounts for every input
record: processed (with its claim count, and whether this run or a shard extracted it) or skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..types import Claim, ClaimPair, Document, Report

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -e '.[ray]' (or pip install 'ray[data]>=2.40')"
FINDINGS_PER_SHARD = 1000


def import_ray() -> Any:
    """The ``ray`` module with Ray Data; ConfigError (exit 2) saying how to install it when missing."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(f"--engine ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


def document_key(doc: Document) -> str:
    """What a claims shard is keyed by: a hash of the document's id, outlet and text."""
    return hashlib.sha256(json.dumps([doc.id, doc.source, doc.text], ensure_ascii=False).encode()).hexdigest()[:32]


def claim_from_dict(d: dict[str, Any]) -> Claim:
    return Claim(**{**d, "span": tuple(d["span"])})


# -- Ray Data workers (callable classes: constructed once per actor) -------------------------------------


class _Extract:
    """Claims of each document of a batch, speakers resolved within the document (one extractor an actor)."""

    def __init__(self, book: Any, include_unattributed: bool, spacy_model: str):
        from ..extract import ClaimExtractor

        self.extractor = ClaimExtractor(book, include_unattributed=include_unattributed, model=spacy_model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        found = []
        for raw in batch["doc"]:
            doc = Document(**json.loads(raw))
            found.append(json.dumps([c.to_dict() for c in self.extractor.extract_documents([doc])],
                                    ensure_ascii=False))
        return {"index": list(batch["index"]), "claims": found}


class _Pair:
    """Candidate pairs of one block (:func:`contradict.pipeline.pair_block`), as local indices into its claims."""

    def __init__(self, by: str, top_k: int, min_similarity: float, agents: bool, book: Any, spacy_model: str,
                 embed_model: str | None):
        from ..embed import Embedder

        self.by, self.top_k, self.min_similarity, self.agents, self.book = by, top_k, min_similarity, agents, book
        self.embedder = Embedder(embed_model)
        self.nlp = None
        if agents:
            from ..extract import load_spacy

            self.nlp = load_spacy(spacy_model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        from ..agents import acts
        from ..pipeline import pair_block

        out = []
        for raw in batch["claims"]:
            claims = [claim_from_dict(d) for d in json.loads(raw)]
            embeddings = self.embedder.encode([c.text for c in claims])
            matters = None
            if self.agents:
                texts = sorted({c.text for c in claims})
                acts_of = {t: acts(d, self.book) for t, d in zip(texts, self.nlp.pipe(texts))}
                matters = [frozenset(a.act for a in acts_of[c.text]) for c in claims]
            pairs = pair_block(claims, embeddings, by=self.by, top_k=self.top_k, min_similarity=self.min_similarity,
                               matters=matters)
            where = {c.id: i for i, c in enumerate(claims)}
            out.append(json.dumps([[where[p.a.id], where[p.b.id], p.similarity, list(p.shared_entities)]
                                   for p in pairs], ensure_ascii=False))
        return {"block": list(batch["block"]), "pairs": out}


class _Score:
    """NLI probabilities of text pairs (one model an actor, no cache: the driver reads and writes the cache)."""

    def __init__(self, options: dict[str, Any]):
        from ..scorer import NLIScorer

        self.scorer = NLIScorer(**options)
        self.fingerprint = self.scorer.fingerprint

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        pairs = list(zip(map(str, batch["premise"]), map(str, batch["hypothesis"])))
        _, _, cut = self.scorer.encode(pairs)
        probs = self.scorer.score(pairs)
        return {"i": np.asarray(batch["i"]), "entailment": probs[:, 0], "neutral": probs[:, 1],
                "contradiction": probs[:, 2], "truncated": np.asarray(cut, dtype=bool),
                "fingerprint": [self.fingerprint] * len(pairs)}


# -- the driver's side ------------------------------------------------------------------------------------


class RayScorer:
    """An :class:`~contradict.scorer.NLIScorer` stand-in whose :meth:`score` runs on the Ray actor pool.

    ``local`` is the scorer of the driver: its metadata (the model's decision), fingerprint and score
    cache are used here. Pairs in the cache are read from it; the rest are scored on the cluster and
    written to the cache batch by batch as they come back, so a killed run keeps what it finished.
    """

    def __init__(self, local: Any, engine: RayEngine):
        self.local = local
        self.engine = engine
        self.truncated = 0
        self.cache_hits = 0
        self.pairs_scored = 0

    def __getattr__(self, name: str) -> Any:  # metadata, model_id, fingerprint, batch_invariant, cache, ...
        return getattr(self.local, name)

    def describe(self) -> dict[str, Any]:
        return self.local.describe()

    def score(self, pairs: Sequence[tuple[str, str]], *, batch_size: int | None = None,
              show_progress: bool = False) -> np.ndarray:
        from ..scorer import from_cache

        pairs = [(str(p), str(h)) for p, h in pairs]
        self.truncated = self.cache_hits = 0
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        cache, fingerprint = self.local.cache, self.local.fingerprint
        index, todo, out, truncated, missing = from_cache(pairs, cache, fingerprint)
        self.cache_hits = len(todo) - len(missing)
        for slots, probs, cut in self.engine.score_remote([todo[i] for i in missing], fingerprint):
            rows = np.asarray(missing)[slots]
            out[rows], truncated[rows] = probs, cut
            if cache is not None:
                cache.put(fingerprint, [todo[i] for i in rows], probs, cut)
            self.pairs_scored += len(rows)
        if np.isnan(out).any():
            raise RuntimeError("the Ray scoring stage returned fewer pairs than it was given")
        self.truncated = int(truncated.sum())
        return out[index]


class RayEngine:
    """Runs extraction, pairing and scoring on Ray (see the module notes).

    Parameters
    ----------
    address: an existing cluster's address (``ray.init(address=...)``, e.g. ``auto`` or ``ray://host:10001``);
        None starts a local Ray for the run, with ``workers`` CPUs.
    workers: actors per stage (on a cluster with GPUs, the scoring stage takes one GPU an actor, as many
        actors as GPUs up to ``workers``).
    work_dir: folder of the claims shards, the findings shards and the manifest; None keeps no shards
        (the score cache still makes a rerun skip scored pairs).
    object_store_mb: object store of a local Ray.
    """

    name = "ray"

    def __init__(self, *, address: str | None = None, workers: int = 2, work_dir: str | Path | None = None,
                 object_store_mb: int = 500, extract_batch: int = 8, score_batch: int = 256,
                 embed_model: str | None = None):
        if workers < 1:
            raise ConfigError("--workers must be at least 1")
        self.ray = import_ray()
        self.address = address
        self.workers = workers
        self.work_dir = Path(work_dir) if work_dir is not None else None
        self.extract_batch = extract_batch
        self.score_batch = score_batch
        self.embed_model = embed_model
        self.accounting: dict[str, Any] = {"extracted": 0, "from_shards": 0, "pairs_scored_remote": 0}
        self._started = False
        if not self.ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                      "logging_level": logging.WARNING}
            if address:
                self.ray.init(address=address, **kwargs)
            else:
                self.ray.init(num_cpus=workers, object_store_memory=object_store_mb * 2**20, **kwargs)
            self._started = True
        for name in ("ray", "ray.data"):  # "Dataset ... execution finished" and the like on every stage
            logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
        context = self.ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        self.gpus = int(self.ray.cluster_resources().get("GPU", 0))

    def close(self) -> None:
        """Disconnect from (and, for a local Ray started here, stop) Ray."""
        if self._started and self.ray.is_initialized():
            self.ray.shutdown()
        self._started = False

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "workers": self.workers, "cluster": "existing" if self.address else "local",
                "gpus": self.gpus}

    def _pool(self, size: int) -> Any:
        return self.ray.data.ActorPoolStrategy(size=max(1, min(self.workers, size)))

    def _dataset(self, rows: list[dict[str, Any]]) -> Any:
        return self.ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), self.workers * 4)))

    # -- extract ------------------------------------------------------------------------------------------
    def extract(self, extractor: Any, documents: Sequence[Document], show_progress: bool = False) -> list[Claim]:
        keys = [document_key(d) for d in documents]
        done = self._read_claim_shards()
        wanted = set(keys)
        done = {k: v for k, v in done.items() if k in wanted}
        first = {k: i for i, k in reversed(list(enumerate(keys)))}  # a document given twice is extracted once
        todo = sorted(first[k] for k in set(keys) - done.keys())
        self.accounting["from_shards"] = sum(k in done for k in keys)
        if todo:
            rows = [{"index": i, "doc": json.dumps(asdict(documents[i]), ensure_ascii=False)} for i in todo]
            ds = self._dataset(rows).map_batches(
                _Extract, batch_size=self.extract_batch, compute=self._pool(len(rows)),
                fn_constructor_kwargs={"book": extractor._book(), "spacy_model": extractor.model,
                                       "include_unattributed": extractor.include_unattributed})
            with self._shard_writer("claims") as write:
                for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                    for i, found in zip(batch["index"], batch["claims"]):
                        claims = json.loads(found)
                        done[keys[int(i)]] = claims
                        write({"doc": keys[int(i)], "id": documents[int(i)].id, "claims": claims})
                        self.accounting["extracted"] += 1
        self.accounting["claims_by_document"] = [len(done[k]) for k in keys]
        claims = [claim_from_dict(d) for k in keys for d in done[k]]
        return extractor.merge_run(claims)

    def _read_claim_shards(self) -> dict[str, list[dict[str, Any]]]:
        if self.work_dir is None:
            return {}
        found: dict[str, list[dict[str, Any]]] = {}
        for part in sorted((self.work_dir / "claims").glob("part-*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                    found[row["doc"]] = row["claims"]
                except (ValueError, KeyError, TypeError):  # a line cut short by a killed run: extracted again
                    continue
        return found

    def _shard_writer(self, kind: str) -> Any:
        engine = self

        class Writer:
            def __enter__(self):
                self.fh = None
                if engine.work_dir is not None:
                    folder = engine.work_dir / kind
                    folder.mkdir(parents=True, exist_ok=True)
                    n = len(list(folder.glob("part-*.jsonl")))
                    self.fh = (folder / f"part-{n:05d}.jsonl").open("a", encoding="utf-8")

                def write(row: dict[str, Any]) -> None:
                    if self.fh is not None:
                        self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                        self.fh.flush()

                return write

            def __exit__(self, *exc: object) -> None:
                if self.fh is not None:
                    self.fh.close()

        return Writer()

    # -- pair ---------------------------------------------------------------------------------------------
    def pair(self, used: Sequence[Claim], block_list: Sequence[Sequence[int]], *, by: str, top_k: int,
             min_similarity: float, agents: bool, embedder: Any, nlp: Any, book: Any, show_progress: bool = False,
             ) -> tuple[list[ClaimPair], dict[str, Any], dict[str, list[Any]]]:
        """Candidate pairs of each block, blocks in order (Ray reports its own progress; the driver's ``embedder``
        and ``nlp`` are not used:
        each actor loads the default MiniLM embedder, or ``embed_model``, and spaCy)."""
        blocks = [list(m) for m in block_list if len(m) >= 2]
        if not blocks:
            return [], {}, {}
        rows = [{"block": b, "claims": json.dumps([used[i].to_dict() for i in members], ensure_ascii=False)}
                for b, members in enumerate(blocks)]
        from ..extract import DEFAULT_MODEL

        ds = self._dataset(rows).map_batches(
            _Pair, batch_size=1, compute=self._pool(len(rows)),
            fn_constructor_kwargs={"by": by, "top_k": top_k, "min_similarity": min_similarity, "agents": agents,
                                   "book": book, "spacy_model": DEFAULT_MODEL, "embed_model": self.embed_model})
        found: dict[int, list[Any]] = {}
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for b, raw in zip(batch["block"], batch["pairs"]):
                found[int(b)] = json.loads(raw)
        pairs: list[ClaimPair] = []
        for b, members in enumerate(blocks):
            claims = [used[i] for i in members]
            pairs += [ClaimPair(claims[i], claims[j], similarity=sim, shared_entities=tuple(shared))
                      for i, j, sim, shared in found[b]]
        return pairs, {}, {}

    # -- score --------------------------------------------------------------------------------------------
    def scorer(self, scorer: Any) -> RayScorer:
        self._options = {
            "model": scorer.model_name, "revision": scorer.revision, "max_length": scorer.max_length,
            "batch_size": scorer.batch_size, "local_files_only": scorer.local_files_only,
            "num_threads": scorer.num_threads, "backend": scorer.backend, "quantize": scorer.quantize,
            "device": "cuda" if self.gpus and scorer.backend == "torch" else "cpu"}
        return RayScorer(scorer, self)

    def score_remote(self, pairs: list[tuple[str, str]], fingerprint: str,
                     ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(positions in ``pairs``, probabilities (n, 3), truncated) of each batch, as they come back."""
        if not pairs:
            return
        rows = [{"i": k, "premise": p, "hypothesis": h} for k, (p, h) in enumerate(pairs)]
        gpu = self._options["device"] == "cuda"
        size = min(self.workers, self.gpus) if gpu else self.workers
        ds = self._dataset(rows).map_batches(
            _Score, batch_size=self.score_batch, compute=self._pool(min(size, len(rows))),
            fn_constructor_kwargs={"options": self._options}, **({"num_gpus": 1} if gpu else {}))
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            if len(batch["i"]) and str(batch["fingerprint"][0]) != fingerprint:
                raise ConfigError("the Ray workers' model is not the driver's (another checkpoint, backend or "
                                  "max_length under the same name): install the same model on every node")
            probs = np.stack([batch["entailment"], batch["neutral"], batch["contradiction"]], axis=1)
            self.accounting["pairs_scored_remote"] += len(batch["i"])
            yield np.asarray(batch["i"], dtype=np.int64), probs.astype(np.float32), np.asarray(batch["truncated"])

    # -- write --------------------------------------------------------------------------------------------
    def write(self, report: Report) -> list[Path]:
        """The findings as ``WORK/findings/part-*.jsonl`` (rank order, :data:`FINDINGS_PER_SHARD` a shard) and
        ``WORK/manifest.json``; the shards of an earlier run of the folder are replaced. Returns the files."""
        if self.work_dir is None:
            return []
        from ..report import _jsonl_line, finding_to_dict, ranked_findings

        folder = self.work_dir / "findings"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.jsonl"):
            old.unlink()
        ranked = ranked_findings(report.findings)
        written = []
        for n, start in enumerate(range(0, max(1, len(ranked)), FINDINGS_PER_SHARD)):
            path = folder / f"part-{n:05d}.jsonl"
            path.write_text("".join(_jsonl_line(finding_to_dict(f, rank))
                                    for rank, f in enumerate(ranked[start:start + FINDINGS_PER_SHARD], start + 1)),
                            encoding="utf-8")
            written.append(path)
        s = report.stats
        counts = self.accounting.get("claims_by_document", [0] * len(report.documents))
        manifest = {
            "documents": [{"id": d.id, "source": d.source, "key": document_key(d), "claims": n}
                          for d, n in zip(report.documents, counts)],
            "skipped": [str(k) for k in s.documents_skipped],
            "documents_extracted_now": self.accounting["extracted"],
            "documents_from_shards": self.accounting["from_shards"],
            "pairs_candidates": s.pairs_candidates, "pairs_scored_now": self.accounting["pairs_scored_remote"],
            "cache_hits": s.cache_hits, "findings": s.findings,
            "findings_shards": [p.name for p in written], "engine": self.describe(),
        }
        path = self.work_dir / "manifest.json"
        path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return [*written, path]


def ray_compare(documents: Sequence[Document], *, address: str | None = None, workers: int = 2,
                work_dir: str | Path | None = None, object_store_mb: int = 500, **options: Any) -> Report:
    """:func:`contradict.pipeline.compare` on Ray (``options`` as compare's), with the shards written to
    ``work_dir``; a local Ray started here is stopped at the end."""
    from ..pipeline import compare

    with RayEngine(address=address, workers=workers, work_dir=work_dir, object_store_mb=object_store_mb) as engine:
        report = compare(documents, engine=engine, **options)
        engine.write(report)
    return report
