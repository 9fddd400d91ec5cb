"""Reading documents: plain text, JSONL, CSV/TSV, folders and stdin.

Every input record ends up either as a :class:`Document` or as a :class:`Skipped`
entry with its reason, so a report can account for all of its input. Bad input
raises :class:`InputError` (file, line, field) unless ``skip_bad`` is set.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .types import Document, Skipped

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv": ",", ".tsv": "\t"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
#: Largest CSV cell read (the csv module stops at 128 KiB by default; a long article is one cell).
CSV_FIELD_LIMIT = 2**31 - 1
HEADER_FIELDS = {"source": "source", "outlet": "source", "title": "title", "url": "url",
                 "published": "published", "date": "published", "id": "id"}
OPTIONAL_FIELDS = ("title", "url", "published")
STDIN = "-"
#: How errors and records name standard input.
STDIN_NAME = "<stdin>"


class _Collector:
    """Gathers documents and skipped records, raising or skipping on bad input."""

    def __init__(self, skip_bad: bool):
        self.skip_bad = skip_bad
        self.documents: list[Document] = []
        self.skipped: list[Skipped] = []
        self._ids: dict[str, str] = {}

    def bad(self, error: InputError) -> None:
        if not self.skip_bad:
            raise error
        self.skipped.append(Skipped(error.path, error.line, error.field, error.reason))

    def add(self, doc: Document) -> None:
        where = doc.path if doc.line is None else f"{doc.path}:{doc.line}"
        if doc.id in self._ids:
            self.bad(InputError(doc.path or STDIN_NAME, f"duplicate document id {doc.id!r} (first seen at "
                                f"{self._ids[doc.id]})", line=doc.line, field="id"))
            return
        if not doc.text.strip():
            self.bad(InputError(doc.path or STDIN_NAME, "empty text", line=doc.line, field="text"))
            return
        self._ids[doc.id] = where or doc.id
        self.documents.append(doc)


def read_documents(
    inputs: Iterable[str | Path],
    *,
    source: str | None = None,
    skip_bad: bool = False,
    stdin: IO[bytes] | None = None,
    show_progress: bool = False,
) -> tuple[list[Document], list[Skipped]]:
    """Read every input (file, folder or ``-``) into documents.

    ``source`` is the outlet for plain-text files without a ``Source:`` header
    and for JSONL/CSV records without a ``source`` field.
    Returns the documents and the records skipped (only non-empty with ``skip_bad``).
    ``show_progress`` draws a bar of files read, with the documents read so far.
    """
    from .progress import progress

    out = _Collector(skip_bad)
    steps: list[Callable[[], None]] = []  # one a file (or stdin), in input order
    for item in inputs:
        item = str(item)
        if item == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            steps.append(lambda stream=stream: _read_bytes(STDIN_NAME, stream.read(), None, source, out, name="stdin"))
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(item, "no such file or folder")
        if path.is_dir():
            for f in _folder_files(path):
                if f.suffix.lower() in JSONL_SUFFIXES | set(CSV_SUFFIXES) | TEXT_SUFFIXES:
                    steps.append(lambda f=f, path=path: _read_file(
                        f, source, out, name=f.relative_to(path).with_suffix("").as_posix()))
                else:
                    steps.append(lambda f=f: out.bad(InputError(str(f), f"unsupported file type '{f.suffix}'")))
        else:
            steps.append(lambda path=path: _read_file(path, source, out, name=path.stem))
    with progress(show_progress, len(steps), "reading files") as advance:
        for step in steps:
            step()
            advance(1)
            advance.update(description=f"reading files ({len(out.documents)} documents)")
    return out.documents, out.skipped


def _folder_files(folder: Path) -> list[Path]:
    """The files under ``folder``, sorted, leaving out hidden files and hidden folders (``.git``)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _read_file(path: Path, source: str | None, out: _Collector, *, name: str) -> None:
    """Read one file; ``name`` (its path below the folder read, or its stem) names its documents by default."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.bad(InputError(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    _read_bytes(str(path), data, path.suffix.lower(), source, out, name=name)


def _decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         line=line) from None
    return text


def _read_bytes(path: str, data: bytes, suffix: str | None, source: str | None, out: _Collector, *,
                name: str) -> None:
    try:
        text = _decode(path, data)
    except InputError as err:
        out.bad(err)
        return
    if not text.strip():
        out.bad(InputError(path, "empty file"))
        return
    if suffix is None:  # stdin: sniff the format
        first = text.lstrip()[:1]
        suffix = ".jsonl" if first == "{" else ".txt"
    if suffix in JSONL_SUFFIXES:
        records: Iterator[tuple[int, dict[str, Any] | InputError]] = _jsonl_records(path, text)
    elif suffix in CSV_SUFFIXES:
        records = _csv_records(path, text, CSV_SUFFIXES[suffix])
    else:
        out.add(_text_document(path, text, source, name))
        return
    for line, record in records:
        if isinstance(record, InputError):
            out.bad(record)
            continue
        try:
            out.add(_record_document(path, line, record, source, name))
        except InputError as err:
            out.bad(err)


def _jsonl_records(path: str, text: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    # JSON Lines ends a record at "\n" only: str.splitlines would also split at U+2028, U+0085 and
    # other characters that JSON strings may hold raw
    for n, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        hint = "; this reads JSON Lines, one object per line, not a JSON array" \
            if n == 1 and raw.lstrip().startswith("[") else ""
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield n, InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno}){hint}", line=n)
            continue
        if not isinstance(value, dict):
            yield n, InputError(path, f"expected a JSON object, got {type(value).__name__}{hint}", line=n)
            continue
        yield n, value


def _csv_records(path: str, text: str, delimiter: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))  # a whole article can be one cell
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    fieldnames = reader.fieldnames
    repeated = sorted({name for name in fieldnames or [] if fieldnames.count(name) > 1})
    if repeated:
        yield 1, InputError(path, f"the header repeats column(s) {repeated}", line=1)
        return
    if not fieldnames or "text" not in fieldnames:
        yield 1, InputError(path, f"header has no 'text' column (columns: {fieldnames})", line=1,
                            field="text")
        return
    for row in reader:
        if None in row:  # more cells than header columns
            yield reader.line_num, InputError(path, "row has more cells than the header", line=reader.line_num)
            continue
        yield reader.line_num, row


def _record_document(path: str, line: int, record: dict[str, Any], source: str | None, name: str) -> Document:
    text = record.get("text")
    if text is None:
        raise InputError(path, "missing required field", line=line, field="text")
    if not isinstance(text, str):
        raise InputError(path, f"expected a string, got {type(text).__name__}", line=line, field="text")
    outlet = record.get("source")
    if outlet not in (None, "") and not isinstance(outlet, str):
        raise InputError(path, f"expected a string, got {type(outlet).__name__}", line=line, field="source")
    outlet = outlet or source
    if not outlet:
        raise InputError(path, "missing required field (or pass --source)", line=line, field="source")
    doc_id = record.get("id")
    doc_id = f"{name}:{line}" if doc_id in (None, "") else str(doc_id)
    extra = {k: (None if record.get(k) in (None, "") else str(record[k])) for k in OPTIONAL_FIELDS}
    return Document(id=doc_id, source=str(outlet), text=text, path=path, line=line, **extra)


def _text_document(path: str, text: str, source: str | None, name: str) -> Document:
    """A plain-text document; leading ``Key: value`` lines (Source, Title, URL, Published) are headers."""
    headers: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    consumed = 0
    for raw in lines:
        key, sep, value = raw.partition(":")
        field = HEADER_FIELDS.get(key.strip().lower())
        if not sep or field is None or not value.strip():
            break
        headers[field] = value.strip()
        consumed += len(raw)
    body = text[consumed:]
    if headers and body.startswith(("\n", "\r\n")):
        body = body.lstrip("\r\n")
    return Document(
        id=headers.get("id", name),
        source=headers.get("source") or source or Path(name).name,
        text=body,
        title=headers.get("title"),
        url=headers.get("url"),
        published=headers.get("published"),
        path=path,
        line=None,
    )


def read_pairs(path: str, *, stdin: IO[bytes] | None = None) -> list[dict[str, str]]:
    """Records with string ``premise`` and ``hypothesis`` (and ``id`` if given) from a JSONL file or ``-``."""
    name = STDIN_NAME if path == STDIN else str(path)
    try:
        data = (stdin if stdin is not None else sys.stdin.buffer).read() if path == STDIN else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    text = _decode(name, data)
    if not text.strip():
        raise InputError(name, "empty file")
    records = []
    for line, value in _jsonl_records(name, text):
        if isinstance(value, InputError):
            raise value
        for field in ("premise", "hypothesis"):
            if not isinstance(value.get(field), str):
                problem = "missing required field" if value.get(field) is None else \
                    f"expected a string, got {type(value[field]).__name__}"
                raise InputError(name, problem, line=line, field=field)
        record = {"premise": value["premise"], "hypothesis": value["hypothesis"]}
        if value.get("id") is not None:
            record["id"] = value["id"]
        records.append(record)
    return records
