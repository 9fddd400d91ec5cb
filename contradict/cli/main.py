"""The `contradict` command. Results go to stdout (or --output); messages and progress to stderr.

Exit codes: 0 success; 1 contradictions found, only with --fail-on-contradiction; 2 bad input or usage.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from collections.abc import Sequence
from typing import Annotated, Any, Optional

import typer

from ..bands import BANDS, parse_band
from ..detect import CHECKS, parse_checks
from ..errors import ContradictError
from ..read import SUFFIXES_HELP, read_pairs
from .common import APP_SETTINGS, QUIET, Backend, ChecksOpt, command_line, err, fail, note
from .eval_cmd import app as eval_app

#: The stopwatch of the running command, where the entry point started one at the start of the process.
STOPWATCH: dict[str, Any] = {}

app = typer.Typer(
    name="contradict",
    help="Find where sources disagree: attributed claims from news, paired across sources, scored by NLI.",
    **APP_SETTINGS,
)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"


class By(str, Enum):
    side = "side"
    speaker = "speaker"
    outlet = "outlet"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class BlockBy(str, Enum):
    none = "none"
    entity = "entity"


class Directions(str, Enum):
    both = "both"
    auto = "auto"
    one = "one"


class _StderrHandler(logging.StreamHandler):
    """Log records to whatever ``sys.stderr`` is when they are written, so that a progress bar, which
    redirects stderr while it is drawn, prints them above itself instead of through it."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and skipped records on stderr, no "
                                                              "summary or progress.")] = False,
) -> None:
    """Global options."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    QUIET["on"] = quiet and not verbose
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("transformers", "datasets", "httpx", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(max(level, logging.ERROR))
    if not verbose:  # weight-loading bars and load reports are noise on a user's stderr
        quiet_transformers()


def quiet_transformers() -> None:
    """No weight-loading bars or load reports from transformers and huggingface_hub ("Writing model shards" when a
    checkpoint is saved): through their environment variables where they are not imported yet, so that a command
    that loads no model never imports them (importing transformers takes seconds)."""
    if "transformers" not in sys.modules and "huggingface_hub" not in sys.modules:
        os.environ["TRANSFORMERS_VERBOSITY"] = "error"
        os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        return
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    disable_progress_bars()


InputsArg = Annotated[list[str], typer.Argument(
    help=f"Files, folders (every file below them, hidden ones left out) or - for stdin (a JSON array or JSON Lines "
         f"if it opens with an object, else plain text). Files are read by suffix: {SUFFIXES_HELP}. Any other "
         f"suffix is an unsupported file type. Every bad file is named before the run stops.")]
SkipBadOpt = Annotated[bool, typer.Option(
    "--skip-bad", help="Skip bad files and records (each listed with its reason on stderr, and in the report's "
                       "stats where there is a report) and read the rest, instead of stopping.")]
ModelOpt = Annotated[Optional[str], typer.Option(
    "--model", "-m", help="NLI model: a registry name (see `contradict models`), a local checkpoint folder, or a "
                          "Hugging Face hub id. Default: the shipped contradict-nli-minilm.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", help="Pairs per forward pass.", min=1)]
MaxLenOpt = Annotated[int, typer.Option("--max-length", help="Tokens per pair; longer pairs are truncated and "
                                                              "counted in the stats.", min=16)]
ThreadsOpt = Annotated[Optional[int], typer.Option("--threads", help="CPU threads for inference (default: torch's "
                                                                      "choice; the physical cores for onnx).", min=1)]


BackendOpt = Annotated[Backend, typer.Option(
    "--backend", help="Inference engine: torch, or onnx (ONNX Runtime; the model is exported once, on first use, "
                      "into the user cache directory; needs onnxruntime, which the package's onnx extra installs).")]
QuantizeOpt = Annotated[bool, typer.Option(
    "--quantize/--no-quantize", help="With --backend onnx: int8 weights (about twice as fast as fp32). "
                                     "Ignored with torch.")]
CacheOpt = Annotated[bool, typer.Option(
    "--cache/--no-cache", help="Read and store scores in the score cache, so no pair is scored twice across runs.")]
DirectionsOpt = Annotated[Directions, typer.Option(
    "--directions", help="NLI directions to score: both (a->b and b->a); auto (b->a only where a->b alone does not "
                         "flag the pair: the same findings, but a skipped pair's probability is a lower bound); one "
                         "(a->b only: faster, misses contradictions the model sees only one way).")]
CachePathOpt = Annotated[Optional[Path], typer.Option(
    "--cache-path", envvar="CONTRADICT_CACHE_PATH",
    help="SQLite file of the score cache (default: scores.sqlite3 in the user cache directory).")]


def make_scorer(model: str | None, *, batch_size: int, max_length: int, threads: int | None,
                backend: Backend = Backend.torch, quantize: bool = True, cache: bool = True,
                cache_path: Path | None = None):
    """The NLIScorer the command-line options ask for."""
    from ..cache import ScoreCache
    from ..models import default_model
    from ..scorer import NLIScorer

    return NLIScorer(model or default_model(), batch_size=batch_size, max_length=max_length, num_threads=threads,
                     backend=backend.value, quantize=quantize and backend is Backend.onnx,
                     cache=ScoreCache(cache_path) if cache else None)


@app.command()
def compare(
    inputs: InputsArg,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report here instead of "
                                                                          "stdout.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.json,
    model: ModelOpt = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Outlet for plain-text files without a "
                                                                   "'Source:' line and records without 'source'.")] = None,
    by: Annotated[By, typer.Option("--by", help="What counts as a different source when pairing.")] = By.side,
    threshold: Annotated[Optional[float], typer.Option("--threshold", help="Flag pairs whose calibrated "
                         "contradiction probability is at least this (default: the model's own, fitted on dev "
                         "data).", min=0.0, max=1.0)] = None,
    sources_file: Annotated[Optional[Path], typer.Option("--sources", help="TOML file of sources (names, aliases, "
                            "speakers, side), merged over the built-in list.")] = None,
    include_unattributed: Annotated[bool, typer.Option("--include-unattributed/--attributed-only",
                                    help="Let unattributed sentences (the outlet's own voice) take part.")] = False,
    top_k: Annotated[int, typer.Option("--top-k", help="Nearest neighbours per claim to score.", min=1)] = 5,
    min_similarity: Annotated[float, typer.Option("--min-similarity", help="Similarity floor for candidate "
                                                  "pairs (cosine plus entity bonus).")] = 0.4,
    directions: DirectionsOpt = Directions.both,
    checks: ChecksOpt = ",".join(CHECKS),
    skip_bad: SkipBadOpt = False,
    fail_on_contradiction: Annotated[bool, typer.Option("--fail-on-contradiction", help="Exit 1 when anything "
                                                        "is flagged.")] = False,
    min_band: Annotated[Optional[str], typer.Option("--min-band", help="Report only findings of this confidence "
                        f"band or better ({', '.join(BANDS)}; see the report's legend); the stats count the rest.")]
    = None,
    batch_size: BatchOpt = 32,
    max_length: MaxLenOpt = 256,
    threads: ThreadsOpt = None,
    backend: BackendOpt = Backend.torch,
    quantize: QuantizeOpt = True,
    cache: CacheOpt = True,
    cache_path: CachePathOpt = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bars with counts on stderr "
                        "for each long stage (reading, extracting, pairing, scoring, deciding), where stderr is a "
                        "terminal (see --progress-always).")] = True,
    progress_forced: Annotated[bool, typer.Option("--progress-always", help="Progress bars even where stderr is not "
                               "a terminal (a log file).")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="Where the stages run: local (this process) or ray (a "
                      "Ray cluster: the same findings; needs the ray extra, pip install -e '.[ray]').")]
    = Engine.local,
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", help="With --engine ray: the address of an "
                           "existing Ray cluster (auto on one of its nodes, or ray://HOST:10001 through Ray "
                           "Client); without it a local Ray is started for the run.")] = None,
    workers: Annotated[int, typer.Option("--workers", help="With --engine ray: actors per stage (scoring takes one "
                       "GPU an actor where the cluster has GPUs).", min=1)] = 2,
    work_dir: Annotated[Optional[Path], typer.Option("--work-dir", help="With --engine ray: folder of the claims "
                        "shards (a rerun extracts only documents not in them), the findings shards "
                        "(findings/part-*.jsonl) and manifest.json (every input processed or skipped).")] = None,
    block_by: Annotated[BlockBy, typer.Option("--block-by", help="Blocking rule: claims pair only within a block. "
                        "none: one block (no pruning); entity: documents linked by names their claims share. The "
                        "same rule gives the same pairs on either engine.")] = BlockBy.none,
) -> None:
    """Compare documents and report claims from different sources that contradict each other.

    The time split in the report and on stderr covers the whole process, from the interpreter's start
    (``start``: it and the imports) to the report; the stderr line also has the writing of the report.
    """
    from ..pipeline import compare as run_compare
    from ..read import read_documents
    from ..report import heading_name, check_output, ranked_findings, write_report
    from ..timing import Stopwatch, format_split

    from ..progress import progress as bars

    watch = STOPWATCH.pop("watch", None) or Stopwatch()
    show = progress and not QUIET["on"] and (progress_forced or sys.stderr.isatty())
    bars.lines = progress_forced
    try:
        check_output(output)
        min_band = parse_band(min_band)
        checks = ",".join(parse_checks(checks)) or "none"
        with watch.stage("read"):
            documents, skipped = read_documents(inputs, source=source, skip_bad=skip_bad, show_progress=show)
        if not documents:
            raise fail(ValueError("no documents to compare" + (f" ({len(skipped)} skipped)" if skipped else "")))
        if engine is Engine.local and (ray_address is not None or work_dir is not None):
            raise fail(ValueError("--ray-address and --work-dir are options of --engine ray"))
        runner = None
        if engine is Engine.ray:
            from ..engines.ray_engine import import_ray

            import_ray()  # before any model is loaded: says how to install Ray where it is missing
        with watch.stage("load_sources"):
            extractor = _extractor(sources_file, include_unattributed)
        with watch.stage("load_scorer"):
            scorer = make_scorer(model, batch_size=batch_size, max_length=max_length, threads=threads,
                                 backend=backend, quantize=quantize, cache=cache, cache_path=cache_path)
        if engine is Engine.ray:
            from ..engines.ray_engine import RayEngine

            with watch.stage("start_ray"):
                runner = RayEngine(address=ray_address, workers=workers, work_dir=work_dir)
        try:
            report = run_compare(documents, scorer=scorer, extractor=extractor, by=by.value, threshold=threshold,
                                 include_unattributed=include_unattributed, top_k=top_k,
                                 min_similarity=min_similarity, directions=directions.value, checks=checks,
                                 skipped=skipped, min_band=min_band, block_by=block_by.value, engine=runner,
                                 show_progress=show, stopwatch=watch)
            shards = runner.write(report) if runner is not None else []
        finally:
            if runner is not None:
                runner.close()
        report.run = {"command": command_line(shareable=True), **report.run}
        with watch.stage("write"):
            write_report(report, fmt.value, output)
        if shards:
            note(f"findings shards and manifest written to {work_dir}")
    except ContradictError as exc:
        raise fail(exc) from None
    for record in skipped:
        err(f"skipped {record}")
    s = report.stats
    note(f"{s.documents_read} documents ({len(s.documents_skipped)} skipped), {s.claims} claims, "
        f"{s.pairs_candidates} candidate pairs of {s.pairs_considered} cross-source pairs scored "
        f"({s.pairs_scored} directions" + (f", {s.cache_hits} distinct ones from the cache" if s.cache_hits else "")
        + f"), {s.findings} contradictions at threshold {report.run.get('threshold', 0.0):.3f}"
        + (" (" + ", ".join(f"{n} {name}" for name, n in s.findings_by_band.items() if n) + "; "
           + ", ".join(f"{n} by {name}" for name, n in s.findings_by.items() if n) + ")" if s.findings else "")
        + (f", {s.findings_below_min_band} below --min-band {min_band} left out" if s.findings_below_min_band
           else "")
        + (f"; report written to {output}" if output else ""))
    for rank, f in enumerate(ranked_findings(report.findings)[:10], 1):
        a, b = f.score.pair.a, f.score.pair.b
        note(f"  {rank}. {f.band:<8} p {f.p_contradiction:.3f}  {heading_name(a, by.value)} vs. "
             f"{heading_name(b, by.value)}")
    note(f"time {format_split(watch.split())}")
    gc.freeze()  # the interpreter's exit then skips collecting the models' objects (about a second after spaCy)
    if fail_on_contradiction and report.findings:
        raise typer.Exit(1)


def _extractor(sources_file: Path | None, include_unattributed: bool):
    from ..extract import ClaimExtractor
    from ..sources import SourceBook

    book = SourceBook.default()
    if sources_file is not None:
        book = book.merge(SourceBook.from_file(sources_file))
    return ClaimExtractor(book, include_unattributed=include_unattributed)


@app.command()
def claims(
    inputs: InputsArg,
    table: Annotated[bool, typer.Option("--table", help="A readable table instead of JSONL.")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Outlet for inputs that do not name one.")] = None,
    sources_file: Annotated[Optional[Path], typer.Option("--sources", help="TOML sources file merged over the "
                                                                           "built-in list.")] = None,
    include_unattributed: Annotated[bool, typer.Option("--include-unattributed/--attributed-only",
                                    help="Also list unattributed sentences.")] = False,
    skip_bad: SkipBadOpt = False,
    dropped: Annotated[bool, typer.Option("--dropped", "-v", help="Also list the wire furniture left out before "
                                                            "extraction (datelines, bylines, headings): a "
                                                            "second table with --table, else lines on stderr.")]
    = False,
) -> None:
    """Print the attributed claims found in the inputs, to check extraction."""
    from ..read import read_documents

    try:
        documents, skipped = read_documents(inputs, source=source, skip_bad=skip_bad)
        extractor = _extractor(sources_file, include_unattributed)
        found = extractor.extract(documents)
    except ContradictError as exc:
        raise fail(exc) from None
    for s in skipped:
        err(f"skipped {s}")
    furniture = extractor.dropped_ if dropped else []
    if not table:
        for c in found:
            typer.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        for d in furniture:
            err(f"dropped {d.doc_id}:{d.span[0]}-{d.span[1]} ({d.reason}): {d.text.strip()}")
        return
    from rich.console import Console
    from rich.table import Table

    t = Table("doc", "speaker", "source", "side", "how", "claim", show_lines=False)
    for c in found:
        written = c.speaker_pronoun or c.speaker
        who = written or "-"
        if c.speaker_canonical and c.speaker_canonical != written:
            who += f" → {c.speaker_canonical}"  # "she → Dana Whitfield"
        t.add_row(c.doc_id, who, c.source, c.side,
                  c.attribution + (" (denied)" if c.negated and c.attribution != "denied" else ""), c.text)
    Console(width=160).print(t)
    if dropped and not furniture:
        Console(width=160).print("Nothing was left out before extraction (no datelines, bylines or headings).")
    elif dropped:
        d_table = Table("doc", "span", "dropped as", "text", title="Left out before extraction")
        for d in furniture:
            d_table.add_row(d.doc_id, f"{d.span[0]}-{d.span[1]}", d.reason, d.text.strip())
        Console(width=160).print(d_table)


@app.command()
def score(
    premise: Annotated[Optional[str], typer.Argument(help="Premise text.")] = None,
    hypothesis: Annotated[Optional[str], typer.Argument(help="Hypothesis text.")] = None,
    pairs_file: Annotated[Optional[str], typer.Option(
        "--pairs", help="JSONL file (or - for stdin) with 'premise' and 'hypothesis' on each line; prints one "
                        "JSON line of probabilities per pair, in input order (with the line's 'id' if it has one).")]
    = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the results here instead of "
                                                                          "stdout.")] = None,
    model: ModelOpt = None,
    max_length: MaxLenOpt = 256,
    batch_size: BatchOpt = 32,
    threads: ThreadsOpt = None,
    backend: BackendOpt = Backend.torch,
    quantize: QuantizeOpt = True,
    cache: CacheOpt = True,
    cache_path: CachePathOpt = None,
    directions: DirectionsOpt = Directions.both,
    detector: Annotated[bool, typer.Option(
        "--detector", help="Also print the detector's decision as `compare` makes it (the model's decision "
                           "and the --checks): flagged, flagged_by and each check's evidence.")]
    = False,
    checks: ChecksOpt = ",".join(CHECKS),
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")] = True,
) -> None:
    """Print entailment, neutral and contradiction probabilities for one pair, or for every pair in --pairs.

    Each JSON line has the premise->hypothesis (a->b) probabilities at its top level (with, where the model
    carries a fitted decision, as the shipped one does, that direction's calibrated contradiction probability
    and flag), the other direction under "b->a", the direction with more contradiction under "reduced" and
    the model's decision on it under "decision" (calibrated p, threshold, flagged): what `compare` flags.
    With --detector, each line also has the detector's decision under "detector". For one pair the
    directions and the decision are also spelled out on stderr.
    """
    from ..timing import Stopwatch
    from ..types import LABELS

    if pairs_file is None and (premise is None or hypothesis is None):
        raise fail(ValueError("give PREMISE and HYPOTHESIS, or --pairs FILE"))
    if pairs_file is not None and (premise is not None or hypothesis is not None):
        raise fail(ValueError("give either PREMISE and HYPOTHESIS or --pairs FILE, not both"))
    from ..report import check_output, write_output

    try:
        check_output(output)
        checks = ",".join(parse_checks(checks)) or "none"
        records = [{"premise": premise, "hypothesis": hypothesis}] if pairs_file is None else read_pairs(pairs_file)
        scorer = make_scorer(model, batch_size=batch_size, max_length=max_length, threads=threads,
                             backend=backend, quantize=quantize, cache=cache, cache_path=cache_path)
        from ..evaluate.detector_eval import detector_decisions, text_claim_pairs

        positions = [str(n) for n in range(1, len(records) + 1)]  # claim ids: input ids need not be unique
        pairs = text_claim_pairs(positions, [r["premise"] for r in records], [r["hypothesis"] for r in records])
        tally: dict[str, int] = {}
        watch = Stopwatch()  # the model loads on first use: as load_scorer, apart from the scoring
        with watch.stage("score"):
            # the model's decision alone without --detector: the checks (and spaCy) only with it
            decisions, applied = detector_decisions(pairs, scorer, checks=checks if detector else "none",
                                                    directions=directions.value, tally=tally,
                                                    show_progress=progress and sys.stderr.isatty())
        seconds = watch.seconds["score"]
    except ContradictError as exc:
        raise fail(exc) from None
    import numpy as np

    from ..evaluate.detector_eval import decision_row
    from ..pipeline import decider_for
    from ..types import CONTRADICTION, ENTAILMENT

    def labelled(row: Sequence[float] | None) -> dict[str, float] | None:
        return None if row is None else {name: round(float(p), 6) for name, p in zip(LABELS, row)}

    decider = decider_for(scorer, None)
    ab = np.array([d.score.probs_ab for d in decisions]).reshape(-1, 3)
    calibrated = decider.calibrate(ab[:, CONTRADICTION]) if decider.fitted and len(ab) else None
    flagged = decider.predict(ab[:, CONTRADICTION], ab[:, ENTAILMENT]) if calibrated is not None else None
    lines = []
    for i, (record, d) in enumerate(zip(records, decisions)):
        result = {"id": record["id"]} if "id" in record else {}
        result.update(labelled(d.score.probs_ab) or {})
        if calibrated is not None and flagged is not None:
            result.update(p_contradiction_calibrated=round(float(calibrated[i]), 6),
                          flagged=bool(flagged[i]))
        result["b->a"] = labelled(d.score.probs_ba)
        result["reduced"] = {"direction": d.score.direction, **(labelled(d.score.probs) or {})}
        result["decision"] = {"p_contradiction_calibrated": round(float(d.p_contradiction), 6),
                              "threshold": round(float(d.threshold), 6), "calibration": applied["calibration"],
                              "gate": applied["gate"], "flagged": bool(d.fired["model"])}
        if detector:
            result["detector"] = decision_row(d)
        lines.append(json.dumps(result, ensure_ascii=False))
    if pairs_file is None and decisions:
        for line in spelled_out(decisions[0], applied):
            note(line)
    try:
        write_output("\n".join(lines) + "\n" if lines else "", output)
    except ContradictError as exc:
        raise fail(exc) from None
    if pairs_file is not None:
        rate = f", {len(records) / seconds:.1f} pairs/s" if seconds > 0 and records else ""
        note(f"{len(records)} pairs ({directions.value} directions): {tally.get('cache_hits', 0)} distinct "
             f"pairs from the cache, {tally.get('truncated', 0)} truncated, {seconds:.1f} s{rate}"
             + (" (the detector's checks included)" if detector else "") + (f"; written to {output}" if output else ""))


def spelled_out(d: Any, applied: dict[str, Any]) -> list[str]:
    """One pair's directions, the row `compare` keeps and the model's decision on it, as lines for a reader."""
    from ..types import CONTRADICTION, ENTAILMENT, LABELS

    def row(probs: Sequence[float]) -> str:
        return ", ".join(f"{name} {p:.3f}" for name, p in zip(LABELS, probs))

    s = d.score
    lines = [f"a->b (premise -> hypothesis): {row(s.probs_ab)}"]
    lines.append(f"b->a (hypothesis -> premise): {row(s.probs_ba)}" if s.probs_ba is not None
                 else "b->a (hypothesis -> premise): not scored (--directions)")
    lines.append(f"reduced (the direction with more contradiction, as compare keeps it): {s.direction}")
    how = f"{applied['calibration']} calibration" + ("" if applied["saved"] else ", no decision saved with the model")
    verdict = "flagged" if d.fired["model"] else "not flagged"
    lines.append(f"decision ({how}): calibrated p(contradiction) {d.p_contradiction:.3f} "
                 f"{'>=' if d.p_contradiction >= d.threshold else '<'} threshold {d.threshold:.3f}")
    if applied["gate"] == "entailment":
        gate = s.probs[CONTRADICTION] >= s.probs[ENTAILMENT]
        lines.append(f"entailment gate: contradiction {s.probs[CONTRADICTION]:.3f} "
                     f"{'>=' if gate else '<'} entailment {s.probs[ENTAILMENT]:.3f} in the reduced row")
    lines.append(f"-> {verdict}" + (f"; with the checks: {', '.join(d.flagged_by) or 'not flagged'}"
                                    if d.ran else ""))
    return lines


@app.command()
def models() -> None:
    """List the models known by name, and which one is the default."""
    from ..models import default_model, registry

    default = default_model()
    entries = registry().get("models", {})
    width = max(map(len, entries), default=0)
    for name, entry in entries.items():
        where = entry.get("path") or entry.get("hub") or entry.get("package")
        mark = "*" if name == default else " "
        typer.echo(f"{mark} {name:{width}}  {where:{width + 8}}  {entry.get('description', '')}")


@app.command()
def train(
    recipe: Annotated[Path, typer.Argument(help="Recipe TOML (see models/recipes/).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Run folder: data, checkpoints, best model.")] =
    Path("runs/train"),
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", envvar="CONTRADICT_DATA_DIR",
        help="Folder of the shared NLI/stance data (default: ../shared/data).")] = None,
    export_to: Annotated[Optional[Path], typer.Option("--export", help="Write the best checkpoint here as an fp16 "
                                                      "model with its decision threshold.")] = None,
    resume: Annotated[bool, typer.Option("--resume/--restart", help="Continue from the run folder's last "
                                         "checkpoint.")] = True,
    max_steps: Annotated[Optional[int], typer.Option("--max-steps", help="Stop after this many steps (smoke "
                                                      "runs).", min=1)] = None,
    device: Annotated[str, typer.Option("--device", help="auto (a CUDA GPU where torch sees one, else the CPU), "
                                        "cpu, cuda or cuda:N.")] = "auto",
) -> None:
    """Fine-tune a base encoder into a 3-way NLI cross-encoder from a recipe."""
    from ..evaluate.tasks import check_data_dir
    from ..training import Recipe, check_export, export
    from ..training import train as run_train

    logging.getLogger("contradict").setLevel(logging.INFO)
    try:
        r = Recipe.from_file(recipe)
        data_dir = check_data_dir(data_dir)
        if export_to is not None:
            check_export(export_to, r)
        best = run_train(r, data_dir, output, resume=resume, max_steps=max_steps,
                         show_progress=sys.stderr.isatty(), device=device)
        note(f"best checkpoint: {best}")
        if export_to is not None:
            note(f"exported to {export(best, export_to, recipe=r, data_dir=data_dir)}")
    except ContradictError as exc:
        raise fail(exc) from None
    except KeyboardInterrupt:
        err(f"interrupted: the same command resumes from the last checkpoint in {output / 'checkpoint-last'}")
        raise typer.Exit(130) from None


app.add_typer(eval_app, name="eval", help="Evaluate NLI models on labelled tasks, and compare recorded runs.")
