"""SourceBook: the TOML format, its errors, merging and speaker resolution."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from contradict.errors import ConfigError
from contradict.sources import Resolution, SourceBook, clean_speaker


@pytest.fixture(scope="module")
def book() -> SourceBook:
    return SourceBook.default()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the built-in book ------------------------------------------------------------------------


def test_default_book_ships_as_package_data(book):
    assert resources.files("contradict").joinpath("data", "default_sources.toml").is_file()
    names = {e.name for e in book.entries}
    assert {"White House", "US State Department", "Pentagon", "Kremlin", "Russian Foreign Ministry",
            "Ukrainian presidency", "Chinese Foreign Ministry", "United Nations", "European Commission",
            "NATO", "Hamas", "UK government"} <= names
    assert len(book) == len(book.entries)


@pytest.mark.parametrize(
    ("speaker", "descriptor", "expected"),
    [
        # known people: full name, surname, spelling variant, honorific, accents
        ("Yury Ushakov", None, ("Kremlin", "Russia", "Yury Ushakov")),
        ("Ushakov", None, ("Kremlin", "Russia", "Yury Ushakov")),
        ("Yuri Ushakov", None, ("Kremlin", "Russia", "Yury Ushakov")),
        ("Mr. Peskov", None, ("Kremlin", "Russia", "Dmitry Peskov")),
        ("Stephane Dujarric", None, ("United Nations", "United Nations", "Stéphane Dujarric")),
        ("Lavrov's", None, ("Russian Foreign Ministry", "Russia", "Sergei Lavrov")),
        # family name first, and a multi-word surname
        ("Wang", None, ("Chinese Foreign Ministry", "China", "Wang Yi")),
        ("von der Leyen", None, ("European Commission", "European Union", "Ursula von der Leyen")),
        # cues in the description
        ("Anatoly Voronin", "Russian presidential aide", ("Kremlin", "Russia", "Anatoly Voronin")),
        ("Dana Whitfield", "White House press secretary", ("White House", "United States", "Dana Whitfield")),
        ("Dana Whitfield", "the White House press secretary", ("White House", "United States", "Dana Whitfield")),
        ("a Pentagon spokesperson", None, ("Pentagon", "United States", "Pentagon spokesperson")),
        # the speaker is a body
        ("the Kremlin", None, ("Kremlin", "Russia", "Kremlin")),
        ("The White House", None, ("White House", "United States", "White House")),
        # side cues only
        ("Anna Petrova", "a Russian diplomat", ("Anna Petrova", "Russia", "Anna Petrova")),
        ("a Ukrainian lawmaker", None, ("Ukrainian lawmaker", "Ukraine", "Ukrainian lawmaker")),
        ("US officials", None, ("US officials", "United States", "US officials")),
        # unknown: their own source and side
        ("John Smith", None, ("John Smith", "John Smith", "John Smith")),
        ("John Smith", "a local farmer", ("John Smith", "John Smith", "John Smith")),
    ],
)
def test_resolve(book, speaker, descriptor, expected):
    got = book.resolve(speaker, descriptor)
    assert isinstance(got, Resolution)
    assert tuple(got) == expected


def test_side_cues_are_case_sensitive(book):
    assert book.resolve("us", "told by us") == ("us", "us", "us")


def test_known_speaker_wins_over_descriptor(book):
    # Lavrov is the foreign ministry's even when described near the Kremlin
    assert book.resolve("Sergei Lavrov", "Kremlin envoy").source == "Russian Foreign Ministry"


def test_longest_alias_wins(book):
    assert book.resolve("Maria Petrova", "Russian Foreign Ministry spokeswoman").source == "Russian Foreign Ministry"


def test_surname_shared_by_two_known_people_is_not_guessed():
    book = SourceBook.from_toml(
        '[[source]]\nname = "A"\nside = "X"\nspeakers = ["Ann Lee"]\n'
        '[[source]]\nname = "B"\nside = "Y"\nspeakers = ["Bo Lee"]\n'
    )
    assert book.resolve("Lee") == ("Lee", "Lee", "Lee")
    assert book.resolve("Bo Lee").source == "B"


def test_empty_speaker_is_an_error(book):
    with pytest.raises(ValueError):
        book.resolve("  ")


def test_clean_speaker():
    assert clean_speaker("  the Kremlin's ") == "Kremlin"
    assert clean_speaker("\u201cA Pentagon spokesperson,") == "Pentagon spokesperson"


# -- reading files ----------------------------------------------------------------------------


def test_from_file(tmp_path):
    path = write(
        tmp_path,
        """
[[source]]
name = "Acme Corp"
side = "Industry"
aliases = ["Acme", "Acme spokesperson"]
speakers = ["Jane Roe", { name = "Li Wei", surname = "Li" }, { name = "Juri Tamm", variants = ["Yuri Tamm"] }]

[sides]
Acmean = "Industry"
""",
    )
    book = SourceBook.from_file(path)
    assert book.resolve("Roe") == ("Acme Corp", "Industry", "Jane Roe")
    assert book.resolve("Li") == ("Acme Corp", "Industry", "Li Wei")
    assert book.resolve("Yuri Tamm").speaker == "Juri Tamm"
    assert book.resolve("Bob", "an Acme spokesperson").source == "Acme Corp"
    assert book.resolve("Bob", "an Acmean engineer") == ("Bob", "Industry", "Bob")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("[[source]\nname = 'x'", ["invalid TOML", "line 1"]),
        ('[[source]]\nname = "A"\nside = "X"\n[[source]]\nname = "B"\n', ["source #2 ('B')", "missing required key 'side'"]),
        ('[[source]]\nside = "X"\n', ["source #1", "missing required key 'name'"]),
        ('[[source]]\nname = "A"\nside = ""\n', ["source #1 ('A')", "'side' must be a non-empty string"]),
        ('[[source]]\nname = "A"\nside = "X"\nalias = ["a"]\n', ["source #1 ('A')", "unknown key(s) 'alias'"]),
        ('[[source]]\nname = "A"\nside = "X"\naliases = "a"\n', ["'aliases' must be a list"]),
        ('[[source]]\nname = "A"\nside = "X"\nspeakers = [1]\n', ["source #1 ('A')", "speaker 1"]),
        ('[[source]]\nname = "A"\nside = "X"\nspeakers = [{ nam = "B" }]\n', ["unknown key(s) 'nam'"]),
        ('[[source]]\nname = "A"\nside = "X"\n[[source]]\nname = "A"\nside = "Y"\n', ["'A' is defined twice"]),
        ('[[source]]\nname = "A"\nside = "X"\naliases = ["Z"]\n[[source]]\nname = "B"\nside = "Y"\naliases = ["z"]\n',
         ["alias 'z'", "'A'", "'B'"]),
        ('[[source]]\nname = "A"\nside = "X"\nspeakers = ["Al Bo"]\n'
         '[[source]]\nname = "B"\nside = "Y"\nspeakers = ["Al Bo"]\n', ["speaker 'Al Bo'"]),
        ('[source]\nname = "A"\n', ["array of tables"]),
        ('[sources]\nname = "A"\n', ["unknown top-level key(s) 'sources'"]),
        ('[sides]\nRussian = 1\n', ["[sides] entry 'Russian'"]),
    ],
)
def test_bad_files_raise_config_error_naming_file_and_entry(tmp_path, text, fragments):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        SourceBook.from_file(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_missing_and_undecodable_files(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        SourceBook.from_file(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('name = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        SourceBook.from_file(bad)


def test_empty_file_is_an_empty_book(tmp_path):
    book = SourceBook.from_file(write(tmp_path, "# nothing yet\n"))
    assert len(book) == 0
    assert book.resolve("Peskov") == ("Peskov", "Peskov", "Peskov")


# -- merging ---------------------------------------------------------------------------------


def test_merge_extends_entries_moves_speakers_and_overrides_sides(book, tmp_path):
    user = SourceBook.from_file(
        write(
            tmp_path,
            """
[[source]]
name = "Kremlin"
side = "Russian Federation"
aliases = ["Kremlin"]
speakers = ["Dmitry Peskov", "Sergei Lavrov"]

[[source]]
name = "Baltic Shipping"
side = "Industry"
speakers = ["Olga Berg"]

[sides]
Russian = "Russian Federation"
""",
        )
    )
    merged = book.merge(user)
    assert merged.resolve("Peskov") == ("Kremlin", "Russian Federation", "Dmitry Peskov")
    assert merged.resolve("Ushakov") == ("Kremlin", "Russian Federation", "Yury Ushakov")  # extended, not replaced
    assert merged.resolve("the Kremlin spokesman").source == "Kremlin"
    assert merged.resolve("Lavrov").source == "Kremlin"  # moved out of the foreign ministry
    assert merged.resolve("Zakharova").source == "Russian Foreign Ministry"  # untouched
    assert merged.resolve("Berg").source == "Baltic Shipping"
    assert merged.resolve("Ivan Petrov", "a Russian diplomat").side == "Russian Federation"
    assert merged.resolve("Leavitt").source == "White House"
    # the originals are unchanged
    assert book.resolve("Lavrov").source == "Russian Foreign Ministry"
    assert book.resolve("Peskov").side == "Russia"
