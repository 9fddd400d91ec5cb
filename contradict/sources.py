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
#: Roles whose holder speaks for an organisation: "a spokeswoman for Meridian Shipping".
_ROLE = (
    r"(?:spokes(?:man|men|woman|women|person|persons|people)|representatives?|officials?|"
    r"(?:chief\s+)?executives?|chairman|chairwoman|chairperson)"
)
_ORG_NAME = r"[A-Z][\w&.\u2019'-]*(?:\s+(?:(?:of|for|and|the|&)\s+)*[A-Z][\w&.\u2019'-]*)*"
#: "<role> for/of/at/with (the) <Org>", the organisation capitalised or one lower-case noun ("the union").
_ROLE_FOR = re.compile(
    r"\b" + _ROLE + r"\s+(?:for|of|at|with|from)\s+(?:the\s+)?(?:(" + _ORG_NAME + r")|([a-z]+)\b(?!\s+[a-z]))"
)
#: "<Org>'s (chief) <role>" and "<Org> <role>".
_ORG_ROLE = re.compile(
    r"(?:^|(?<=\s))(?:(?:the|a|an)\s+)?(?:(" + _ORG_NAME + r")|([a-z]+))(?:['\u2019]s?)?\s+"
    r"(?:(?:chief|senior|top|main|deputy)\s+)?" + _ROLE + r"\b"
)
#: Anonymous sources: "officials", "a senior official", "two sources", "diplomats", "people familiar with ...".
_ANONYMOUS_HEAD = re.compile(
    r"^(?:[\w.\u2019'-]+\s+){0,4}?(officials?|sources?|diplomats?|insiders?)"
    r"(?:\s+(?:familiar\s+with|close\s+to|briefed\s+on|with\s+knowledge\s+of|in|at|from|who)\b.*)?$",
    re.IGNORECASE,
)
_ANONYMOUS_PEOPLE = re.compile(
    r"^(?:[\w.\u2019'-]+\s+){0,2}?(?:people|persons?|those|individuals?)\s+"
    r"(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of)\b",
    re.IGNORECASE,
)
_ANONYMOUS_KIND = {"official": "officials", "source": "sources", "diplomat": "diplomats", "insider": "sources"}
#: Words before a role that describe the holder, never an organisation ("a senior official").
_NOT_ORG = {
    "a", "an", "the", "senior", "top", "chief", "deputy", "two", "three", "four", "several", "some", "many",
    "other", "one", "government", "local", "foreign", "his", "her", "their", "its", "our", "spokesman",
}
#: A name ending in a nationality or regional adjective ("South Korean", "Western") is no organisation.
_DEMONYM = re.compile(r"(?:ern|ese|ish|ean|ian|can|ic|i)$")
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


def anonymous_kind(speaker: str) -> str | None:
    """The kind of anonymous source ("officials", "sources", "diplomats") that ``speaker`` is, if it is one.

    "officials", "a senior official", "two sources", "Western diplomats", "people familiar with
    the matter"; not a named person or body ("Jan Roe", "the ministry").
    """
    name = clean_speaker(speaker)
    if _ANONYMOUS_PEOPLE.match(name):
        return "sources"
    match = _ANONYMOUS_HEAD.match(name)
    if match is None:
        return None
    head = match.group(1).lower()
    return _ANONYMOUS_KIND[head[:-1] if head.endswith("s") else head]


#: Words that say how many or how senior anonymous sources are, and nothing of whom they speak for.
_BARE_MODIFIERS = {
    "a", "an", "the", "one", "two", "three", "four", "five", "six", "several", "some", "many", "few", "other",
    "senior", "junior", "top", "high-ranking", "unnamed", "anonymous", "government", "administration",
}


def _bare_anonymous(name: str) -> bool:
    """Whether an anonymous source's phrase is its kind and generic modifiers only ("a senior official")."""
    words = clean_speaker(name).lower().split()
    return bool(words) and all(w in _BARE_MODIFIERS for w in words[:-1])


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

    def organisation(self, text: str, names: Iterable[str] = ()) -> str | None:
        """The organisation a role in ``text`` speaks for: "a spokeswoman for Meridian Shipping",
        "the union's spokesman", "a Meridian Shipping official" -> the organisation as written.

        An organisation named by a lower-case noun ("the union") is the one name among ``names``
        (proper names of the document) whose last word is that noun ("Dockworkers' Union"); with
        none or several, there is none. A side cue ("a Russian official") is no organisation.
        """
        for pattern in (_ROLE_FOR, _ORG_ROLE):
            for match in pattern.finditer(text):
                org = match.group(1)
                if org is None:
                    noun = match.group(2)
                    if noun.lower() in _NOT_ORG:
                        continue
                    hits = {n for n in names if n[:1].isupper() and _fold(n.split()[-1]) == _fold(noun)}
                    if len(hits) != 1:
                        continue
                    org = next(iter(hits))
                org = re.sub(r"^(?:The|A|An)\s+", "", re.sub(r"['\u2019]s$", "", org.strip()))
                if not org or org.lower() in _NOT_ORG or org in self.sides or _DEMONYM.search(org):
                    continue
                return org
        return None

    def resolve_all(self, parts: list[str], name: str, descriptor: str | None = None) -> Resolution:
        """Resolve conjoined speakers ("Police and prosecutors"): the one source all parts resolve to
        when the book or a description gives it, else the whole phrase ``name``, its side the one
        side the parts were given, if any."""
        found = [self.resolve(p, descriptor) for p in parts]
        given = [_fold(r.source) != _fold(clean_speaker(p)) for r, p in zip(found, parts)]
        if all(given) and len({r.source for r in found}) == 1:
            return Resolution(found[0].source, found[0].side, name)
        sides = {r.side for r in found}
        if len(sides) == 1 and all(_fold(r.side) != _fold(r.source) for r in found):
            return Resolution(name, sides.pop(), name)
        return Resolution(name, name, name)

    def resolve(self, speaker: str, descriptor: str | None = None, names: Iterable[str] = ()) -> Resolution:
        """Map a speaker (and what the text says about them) to (source, side, canonical speaker).

        In order: a known person (full name, variant, or unambiguous surname:
        "Ushakov" -> "Yury Ushakov"); the speaker itself being a body ("the
        Kremlin"); an alias in the descriptor or speaker phrase ("White House
        press secretary", "a Pentagon spokesperson"); a side cue there
        ("Russian", "Chinese"): source is then the speaker, side the cue's;
        otherwise the speaker is their own source and side.

        Two shapes come before the side cue: an organisation the speaker's role names
        (:meth:`organisation`: "a spokesman for the Dockworkers' Union") is the source, its side
        the cue's or its own; an anonymous source (:func:`anonymous_kind`) that the phrase says
        no more of than its kind ("officials", "a senior official", "two sources") is the source
        "anonymous officials" / "anonymous sources"; one with a cue ("Russian officials") or a
        qualifier ("people familiar with the matter") keeps its phrase, side from any cue.
        ``names`` are the document's proper names, for "the union's spokesman".
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
        org = next((o for o in (self.organisation(p, names) for p in (descriptor, speaker) if p) if o), None)
        if org is not None:
            body = self.body(org)
            if body is not None:
                return Resolution(body.name, body.side, name)
            return Resolution(org, side or org, name)
        kind = anonymous_kind(name)
        if kind is not None and side is None and _bare_anonymous(name):
            source = f"anonymous {kind}"
            return Resolution(source, source, name)
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
