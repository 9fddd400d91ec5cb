"""Reading documents: plain text, JSON Lines, JSON, CSV/TSV, folders and stdin (:data:`FORMATS`).

Every input record ends up either as a :class:`Document` or as a :class:`Skipped`
entry with its reason, so a report can account for all of its input. Bad input
raises :class:`InputError` (file, line, field) unless ``skip_bad`` is set.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputError, InputErrors
from .types import Document, Skipped

#: Every file suffix read (matched in lower case; "" is a file without one) and the format it is read as.
#: Files given by name and files found in folders go by this one table; any other suffix is an
#: unsupported file type, and the message saying so, like the inputs' --help, is written from it.
FORMATS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", "": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
}
#: How each format is read, in words, for --help.
FORMAT_WORDS = {
    "text": "plain text, one document a file",
    "jsonl": "JSON Lines, one document a line",
    "json": "a JSON array of documents or a single document, or else JSON Lines",
    "csv": "comma-separated, a header row, then one document a row",
    "tsv": "tab-separated, likewise",
}
CSV_DELIMITERS = {"csv": ",", "tsv": "\t"}
#: The suffixes read, as error messages name them.
SUFFIX_LIST = ", ".join(suffix for suffix in FORMATS if suffix) + " or none"
#: The suffixes read and how, for the inputs' --help.
SUFFIXES_HELP = "; ".join(
    ", ".join(suffix or "no suffix" for suffix, fmt in FORMATS.items() if fmt == name) + f": {words}"
    for name, words in FORMAT_WORDS.items())
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
        #: What stops the run, raised once every input has been read.
        self.problems: list[InputError] = []

    def bad(self, error: InputError) -> None:
        if not self.skip_bad:
            self.problems.append(error)
            return
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
    Returns the documents and the records skipped (only non-empty with ``skip_bad``). Without ``skip_bad``
    every input is still read, so that the :class:`InputErrors` raised names every bad file at once (a
    single problem is raised as itself); a path that does not exist is an error even with ``skip_bad``.
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
        if not path.exists():  # a step too, so that problems are listed in input order
            steps.append(lambda item=item: out.problems.append(InputError(item, "no such file or folder")))
        elif path.is_dir():
            for f in _folder_files(path):
                steps.append(lambda f=f, path=path: _read_file(
                    f, source, out, name=f.relative_to(path).with_suffix("").as_posix()))
        else:
            steps.append(lambda path=path: _read_file(path, source, out, name=path.stem))
    with progress(show_progress, len(steps), "reading files") as advance:
        for step in steps:
            step()
            advance(1)
            advance.update(description=f"reading files ({len(out.documents)} documents)")
    if len(out.problems) == 1:
        raise out.problems[0]
    if out.problems:
        raise InputErrors(out.problems)
    return out.documents, out.skipped


def _folder_files(folder: Path) -> list[Path]:
    """The files under ``folder``, sorted, leaving out hidden files and hidden folders (``.git``)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _read_file(path: Path, source: str | None, out: _Collector, *, name: str) -> None:
    """Read one file; ``name`` (its path below the folder read, or its stem) names its documents by default.

    The suffix decides first, the same for a file given by name and one found in a folder, so that a picture
    is an unsupported file type either way, not text that is not UTF-8."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        out.bad(InputError(str(path), f"unsupported file type {path.suffix} (read: {SUFFIX_LIST})"))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.bad(InputError(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    _read_bytes(str(path), data, fmt, source, out, name=name)


def _decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         line=line) from None
    return text


def _read_bytes(path: str, data: bytes, fmt: str | None, source: str | None, out: _Collector, *,
                name: str) -> None:
    """Read one file's bytes in ``fmt`` (a value of :data:`FORMATS`; None for stdin, whose format is told
    from its start)."""
    try:
        text = _decode(path, data)
    except InputError as err:
        out.bad(err)
        return
    if not text.strip():
        out.bad(InputError(path, "empty file"))
        return
    if fmt is None:  # stdin: read as a .json file if it opens with an object, else plain text
        fmt = "json" if _OPENS_WITH_OBJECT.match(text) else "text"
    if fmt == "jsonl":
        records: Iterator[tuple[int, dict[str, Any] | InputError]] = _jsonl_records(path, text, hint=_ARRAY_HINT)
    elif fmt == "json":
        records = _json_records(path, text)
    elif fmt in CSV_DELIMITERS:
        records = _csv_records(path, text, CSV_DELIMITERS[fmt])
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


_OPENS_WITH_OBJECT = re.compile(r"\s*(\[\s*)?\{")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_ARRAY_HINT = "; a .jsonl file is JSON Lines, one object per line: name it .json to read a JSON array"


def _jsonl_records(path: str, text: str, *, hint: str = "; this reads JSON Lines, one object per line, not a "
                   "JSON array") -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """JSON Lines; ``hint`` is added to the error when the first line opens a JSON array."""
    # JSON Lines ends a record at "\n" only: str.splitlines would also split at U+2028, U+0085 and
    # other characters that JSON strings may hold raw
    for n, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        said = hint if n == 1 and raw.lstrip().startswith("[") else ""
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield n, InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno}){said}", line=n)
            continue
        yield n, _json_object(path, n, value, said)


def _json_object(path: str, line: int, value: Any, hint: str = "") -> dict[str, Any] | InputError:
    """``value`` if it is an object (a record), else the error naming its line."""
    if isinstance(value, dict):
        return value
    return InputError(path, f"expected a JSON object, got {type(value).__name__}{hint}", line=line)


def _json_records(path: str, text: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """A .json file: one JSON value if it is one, an array of records (each on the line it opens on) or a
    single record; else JSON Lines, unless it opens with ``[`` (then the error is the array's)."""
    start = _JSON_SPACE.match(text).end()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.startswith("[", start):
            yield exc.lineno, InputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
        else:
            yield from _jsonl_records(path, text)
        return
    line = text.count("\n", 0, start) + 1
    if not isinstance(value, list):
        yield line, _json_object(path, line, value)
        return
    if not value:
        yield line, InputError(path, "an empty JSON array, no documents", line=line)
        return
    decoder = json.JSONDecoder()
    pos = counted = _JSON_SPACE.match(text, start + 1).end()
    line += text.count("\n", start, pos)
    while True:  # the text is valid JSON: values separated by commas, up to the closing bracket
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = decoder.raw_decode(text, pos)
        yield line, _json_object(path, line, value)
        pos = _JSON_SPACE.match(text, pos).end()
        if text[pos] == "]":
            return
        pos = _JSON_SPACE.match(text, pos + 1).end()


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
