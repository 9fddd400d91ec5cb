"""Who speaks for whom: map speakers and bodies to a canonical source and a side.

A *source* is the body a speaker speaks for ("Kremlin", "White House"); a
*side* is the wider party ("Russia", "United States") that the pipeline groups
by, so that two Kremlin aides are never paired against each other.

The mapping lives in a TOML file the user can edit::

    [[source]]
    name = "Kremlin"                     # canonical source (required)
    side = "Russia"                      # wider party (required)
    aliases = ["Kremlin", "Russian presidential aide"]  # words naming or describing it
    speakers = [
        "Dmitry Peskov",                                 # known person -> this source
        { name = "Yury Ushakov", variants = ["Yuri Ushakov"] },
        { name = "Wang Yi", surname = "Wang" },          # family name first
    ]

    [sides]                              # words in a description that give a side
    Russian = "Russia"
    "U.S." = "United States"

Aliases match case-insensitively on word boundaries; side cues match
case-sensitively ("US" must not match "us"). A small default book ships with
the package (``contradict/data/default_sources.toml``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from contradict.errors import ConfigError

_DEFAULT_RESOURCE = ("data", "default_sources.toml")
_SOURCE_KEYS = {"name", "side", "aliases", "speakers"}
_SPEAKER_KEYS = {"name", "surname", "variants"}
_TOP_KEYS = {"source", "sides"}

#: Words stripped from the front of a speaker before matching names.
_LEADING_WORDS = re.compile(
    r"^(?:(?:the|a|an|mr|mrs|ms|dr|president|prime\s+minister|minister|secretary|"
    r"chancellor|ambassador|general|gen|senator|sen|governor|gov|rep)\.?\s+)+",
    re.IGNORECASE,
)
#: Punctuation at either end of a name, dropped by :func:`name_key`.
_OUTER_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def _fold(text: str) -> str:
    """Matching key: accents removed, case folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("\u2019", "'").split())


def clean_speaker(text: str) -> str:
    """A speaker as written, tidied: outer punctuation, possessive and leading article removed."""
    text = " ".join(text.split()).strip(" ,;:-\"'\u201c\u201d\u2018\u2019()")
    text = re.sub(r"['\u2019]s$", "", text)
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)


def name_key(name: str) -> str:
    """The key under which spellings of one name are the same name.

    "Police", "police", " the Police." and "Police's" share a key: the name tidied
    by :func:`clean_speaker` and :func:`_fold` (case, accents, whitespace), less any
    punctuation left at either end.
    """
    return _OUTER_PUNCTUATION.sub("", _fold(clean_speaker(name)))


def _phrase_pattern(phrase: str) -> str:
    """Regex for ``phrase`` on word boundaries, any run of whitespace between words."""
    words = [re.escape(w) for w in phrase.split()]
    return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"


@dataclass(frozen=True)
class Speaker:
    """A known person. ``surname`` is how later mentions shorten the name (default: its last word)."""

    name: str
    surname: str | None = None
    variants: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    def surnames(self) -> tuple[str, ...]:
        if self.surname:
            return (self.surname,)
        return tuple(dict.fromkeys(form.split()[-1] for form in self.forms()))


@dataclass(frozen=True)
class SourceEntry:
    """One canonical source, the side it belongs to, and the names that point to it."""

    name: str
    side: str
    aliases: tuple[str, ...] = ()
    speakers: tuple[Speaker, ...] = ()


class Resolution(NamedTuple):
    """What :meth:`SourceBook.resolve` found: source, side and canonical speaker name."""

    source: str
    side: str
    speaker: str


class SourceBook:
    """Source entries plus side cues, with the lookups :meth:`resolve` needs.

    Build it with :meth:`default`, :meth:`from_file`, :meth:`from_toml` or
    :meth:`from_dict`, and lay a user's book over the default with :meth:`merge`.
    Raises :class:`ConfigError` when two sources share a name, an alias or a speaker.
    """

    def __init__(
        self, entries: Iterable[SourceEntry] = (), sides: Mapping[str, str] | None = None, origin: str = "<sources>"
    ) -> None:
        self.entries: tuple[SourceEntry, ...] = tuple(entries)
        self.sides: dict[str, str] = dict(sides or {})
        self.origin = origin
        self._full: dict[str, tuple[SourceEntry, str]] = {}  # folded full name -> (entry, canonical name)
        self._surname: dict[str, set[tuple[str, str]]] = {}  # folded surname -> {(source, canonical name)}
        self._aliases: dict[str, SourceEntry] = {}  # folded alias or source name -> entry
        self._by_name: dict[str, SourceEntry] = {}
        for entry in self.entries:
            if any(_fold(entry.name) == _fold(name) for name in self._by_name):
                raise ConfigError(f"{origin}: source '{entry.name}' is defined twice")
            self._by_name[entry.name] = entry
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                other = self._aliases.setdefault(_fold(alias), entry)
                if other is not entry:
                    raise ConfigError(
                        f"{origin}: alias '{alias}' is given for both source '{other.name}' and source '{entry.name}'"
                    )
            for person in entry.speakers:
                for form in person.forms():
                    known = self._full.setdefault(_fold(form), (entry, person.name))
                    if known[0] is not entry:
                        raise ConfigError(
                            f"{origin}: speaker '{form}' is listed under both source "
                            f"'{known[0].name}' and source '{entry.name}'"
                        )
                for surname in person.surnames():
                    self._surname.setdefault(_fold(surname), set()).add((entry.name, person.name))
        self._alias_re = _alternation(_aliases_in_order(self.entries), re.IGNORECASE)
        self._side_re = _alternation(sorted(self.sides, key=len, reverse=True), 0)

    def __len__(self) -> int:
        return len(self.entries)

    # -- construction -------------------------------------------------------------

    @classmethod
    def default(cls) -> SourceBook:
        """The small built-in book of common government and international bodies."""
        resource = resources.files("contradict").joinpath(*_DEFAULT_RESOURCE)
        text = resource.read_text(encoding="utf-8")
        return cls.from_toml(text, origin=f"<built-in {'/'.join(_DEFAULT_RESOURCE)}>")

    @classmethod
    def from_file(cls, path: str | Path) -> SourceBook:
        """Read a sources TOML file; any problem raises :class:`ConfigError` naming file and entry."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read sources file: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: sources file is not UTF-8 text: {exc}") from exc
        return cls.from_toml(text, origin=str(path))

    @classmethod
    def from_toml(cls, text: str, *, origin: str = "<string>") -> SourceBook:
        """Parse sources from TOML text; ``origin`` names it in error messages."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{origin}: invalid TOML: {exc}") from exc
        return cls.from_dict(data, origin=origin)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "<dict>") -> SourceBook:
        """Build from the parsed TOML structure (``{"source": [...], "sides": {...}}``)."""
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise ConfigError(
                f"{origin}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                "expected [[source]] tables and an optional [sides] table"
            )
        raw_sources = data.get("source", [])
        if not isinstance(raw_sources, list):
            raise ConfigError(f"{origin}: 'source' must be an array of tables ([[source]])")
        entries = [_parse_entry(raw, i, origin) for i, raw in enumerate(raw_sources, start=1)]
        raw_sides = data.get("sides", {})
        if not isinstance(raw_sides, dict):
            raise ConfigError(f"{origin}: [sides] must be a table of cue = \"side\"")
        for cue, side in raw_sides.items():
            if not isinstance(side, str) or not side.strip() or not cue.strip():
                raise ConfigError(f"{origin}: [sides] entry {cue!r} must map a word to a side name")
        return cls(tuple(entries), {k.strip(): v.strip() for k, v in raw_sides.items()}, origin)

    def merge(self, other: SourceBook) -> SourceBook:
        """A new book with ``other`` laid over this one.

        An entry of ``other`` with the name of an entry here extends it: its
        side wins and its aliases and speakers are added. A speaker or alias
        that ``other`` assigns to a source is taken away from any other source
        here (so a user file can move a person). Side cues of ``other`` win.
        """
        theirs = {_fold(e.name): e for e in other.entries}
        taken_people = {_fold(f) for e in other.entries for p in e.speakers for f in p.forms()}
        taken_aliases = {_fold(a) for e in other.entries for a in (e.name, *e.aliases)}
        entries = []
        for entry in self.entries:
            aliases = tuple(a for a in entry.aliases if _fold(a) not in taken_aliases)
            people = tuple(p for p in entry.speakers if not any(_fold(f) in taken_people for f in p.forms()))
            over = theirs.pop(_fold(entry.name), None)
            if over is not None:
                entries.append(SourceEntry(entry.name, over.side, (*aliases, *over.aliases), (*people, *over.speakers)))
            else:
                entries.append(SourceEntry(entry.name, entry.side, aliases, people))
        entries.extend(theirs.values())
        return SourceBook(tuple(entries), {**self.sides, **other.sides}, f"{self.origin} + {other.origin}")

    # -- lookup -------------------------------------------------------------------

    def known_speaker(self, name: str) -> tuple[SourceEntry, str] | None:
        """The entry and full name of a known person, by full name, variant or unambiguous surname."""
        key = _fold(_LEADING_WORDS.sub("", clean_speaker(name)))
        if not key:
            return None
        if key in self._full:
            return self._full[key]
        hits = self._surname.get(key, set())
        if len(hits) == 1:
            source_name, person = next(iter(hits))
            return self._by_name[source_name], person
        return None

    def body(self, name: str) -> SourceEntry | None:
        """The source that ``name`` names outright ("the Kremlin", "State Department"), if any."""
        return self._aliases.get(_fold(clean_speaker(name)))

    def find_alias(self, text: str) -> SourceEntry | None:
        """The source whose longest alias occurs in ``text`` (first one on a tie)."""
        best: re.Match[str] | None = None
        for match in self._alias_re.finditer(text) if self._alias_re else ():
            if best is None or len(match.group()) > len(best.group()):
                best = match
        return None if best is None else self._aliases[_fold(best.group())]

    def find_side(self, text: str) -> str | None:
        """The side of the first side cue in ``text`` ("Russian" -> "Russia")."""
        match = self._side_re.search(text) if self._side_re else None
        return None if match is None else self.sides[match.group()]

    def resolve(self, speaker: str, descriptor: str | None = None) -> Resolution:
        """Map a speaker (and what the text says about them) to (source, side, canonical speaker).

        In order: a known person (full name, variant, or unambiguous surname:
        "Ushakov" -> "Yury Ushakov"); the speaker itself being a body ("the
        Kremlin"); an alias in the descriptor or speaker phrase ("White House
        press secretary", "a Pentagon spokesperson"); a side cue there
        ("Russian", "Chinese"): source is then the speaker, side the cue's;
        otherwise the speaker is their own source and side.
        """
        name = clean_speaker(speaker)
        if not name:
            raise ValueError("speaker must not be empty")
        known = self.known_speaker(name)
        if known is not None:
            entry, person = known
            return Resolution(entry.name, entry.side, person)
        body = self.body(name)
        if body is not None:
            return Resolution(body.name, body.side, body.name)
        context = " ".join(part for part in (descriptor, speaker) if part)
        entry = self.find_alias(context)
        if entry is not None:
            return Resolution(entry.name, entry.side, name)
        side = self.find_side(context)
        if side is not None:
            return Resolution(name, side, name)
        return Resolution(name, name, name)


def _aliases_in_order(entries: Iterable[SourceEntry]) -> list[str]:
    """Every alias and entry name, longest first, so a regex alternation prefers the longest."""
    phrases = {a for e in entries for a in (e.name, *e.aliases) if a.strip()}
    return sorted(phrases, key=len, reverse=True)


def _alternation(phrases: list[str], flags: int) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(_phrase_pattern(p) for p in phrases), flags)


def _string_list(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{what}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _parse_speaker(raw: Any) -> Speaker:
    if isinstance(raw, str) and raw.strip():
        return Speaker(raw.strip())
    if not isinstance(raw, dict):
        raise ValueError(f"speaker {raw!r} must be a name or a table {{name = ..., surname = ..., variants = [...]}}")
    unknown = sorted(set(raw) - _SPEAKER_KEYS)
    if unknown:
        raise ValueError(f"speaker {raw!r} has unknown key(s) {', '.join(map(repr, unknown))}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"speaker {raw!r} needs a non-empty 'name'")
    surname = raw.get("surname")
    if surname is not None and (not isinstance(surname, str) or not surname.strip()):
        raise ValueError(f"speaker '{name}': 'surname' must be a non-empty string")
    variants = _string_list(raw.get("variants", []), "variants")
    return Speaker(name.strip(), surname.strip() if surname else None, variants)


def _parse_entry(raw: Any, number: int, origin: str) -> SourceEntry:
    label = f"source #{number}"
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        label += f" ('{raw['name']}')"
    try:
        if not isinstance(raw, dict):
            raise ValueError("must be a table")
        unknown = sorted(set(raw) - _SOURCE_KEYS)
        if unknown:
            raise ValueError(
                f"unknown key(s) {', '.join(map(repr, unknown))}; expected {', '.join(sorted(_SOURCE_KEYS))}"
            )
        for key in ("name", "side"):
            if key not in raw:
                raise ValueError(f"missing required key '{key}'")
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise ValueError(f"'{key}' must be a non-empty string")
        aliases = _string_list(raw.get("aliases", []), "aliases")
        speakers = raw.get("speakers", [])
        if not isinstance(speakers, list):
            raise ValueError("'speakers' must be a list")
        people = tuple(_parse_speaker(s) for s in speakers)
    except ValueError as exc:
        raise ConfigError(f"{origin}: {label}: {exc}") from exc
    return SourceEntry(raw["name"].strip(), raw["side"].strip(), aliases, people)
