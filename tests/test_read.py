import io
import json

import pytest

from contradict.errors import InputError, InputErrors
from contradict.read import read_documents, read_pairs


def write(path, content: str | bytes):
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_plain_text_with_headers(tmp_path):
    f = write(tmp_path / "story.txt", "Source: Daily Planet\nTitle: Talks\n\nThe talks began on Monday.\n")
    docs, skipped = read_documents([f])
    assert skipped == []
    assert len(docs) == 1
    d = docs[0]
    assert (d.id, d.source, d.title) == ("story", "Daily Planet", "Talks")
    assert d.text == "The talks began on Monday.\n"


def test_plain_text_source_option_and_fallback(tmp_path):
    f = write(tmp_path / "a.txt", "No header here.")
    assert read_documents([f], source="Wire")[0][0].source == "Wire"
    assert read_documents([f])[0][0].source == "a"


def test_header_beats_source_option(tmp_path):
    f = write(tmp_path / "a.txt", "Source: Herald\nBody text.")
    assert read_documents([f], source="Wire")[0][0].source == "Herald"


def test_jsonl_and_optional_fields(tmp_path):
    rows = [{"id": "1", "source": "A", "text": "One.", "title": "T", "url": "http://x", "published": "2025-01-01"},
            {"id": "2", "source": "B", "text": "Two."}]
    f = write(tmp_path / "c.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    docs, _ = read_documents([f])
    assert [d.id for d in docs] == ["1", "2"]
    assert docs[0].url == "http://x" and docs[1].title is None
    assert docs[1].line == 2


def test_csv_and_tsv(tmp_path):
    f = write(tmp_path / "c.csv", 'id,source,text\n1,A,"Hello, ""world""\nsecond line"\n2,B,Bye\n')
    docs, _ = read_documents([f])
    assert docs[0].text == 'Hello, "world"\nsecond line'
    assert docs[1].line == 4  # the row's last physical line
    t = write(tmp_path / "c.tsv", "id\tsource\ttext\n9\tZ\tTabbed text\n")
    assert read_documents([t])[0][0].source == "Z"


def test_folder_recursive_and_stdin(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.txt", "Source: S\nText b.")
    write(tmp_path / "a.jsonl", json.dumps({"id": "a1", "source": "A", "text": "Text a."}) + "\n")
    docs, _ = read_documents([tmp_path])
    assert sorted(d.id for d in docs) == ["a1", "sub/b"]  # a file's id is its path below the folder
    stdin = io.BytesIO(json.dumps({"id": "s", "source": "Q", "text": "From stdin."}).encode())
    docs, _ = read_documents(["-"], stdin=stdin)
    assert docs[0].id == "s"
    docs, _ = read_documents(["-"], stdin=io.BytesIO(b"Just text."), source="Pipe")
    assert (docs[0].source, docs[0].text) == ("Pipe", "Just text.")


def test_stdin_is_named_the_same_by_every_reader():
    bad = b'\n{"id": 2, oops}\n'
    with pytest.raises(InputError) as docs_error:
        read_documents(["-"], stdin=io.BytesIO(bad))
    with pytest.raises(InputError) as pairs_error:
        read_pairs("-", stdin=io.BytesIO(bad))
    assert docs_error.value.path == pairs_error.value.path == "<stdin>"
    assert docs_error.value.line == pairs_error.value.line == 2


@pytest.mark.parametrize("name,content,line,field,words", [
    ("empty.txt", "", None, None, "empty file"),
    ("bad.jsonl", '{"id": "1", "source": "A", "text": "ok"}\n{"id": 2, oops}\n', 2, None, "invalid JSON"),
    ("notext.jsonl", '{"id": "1", "source": "A"}\n', 1, "text", "missing"),
    ("nosource.jsonl", '{"id": "1", "text": "t"}\n', 1, "source", "missing"),
    ("list.jsonl", '[1, 2]\n', 1, None, "JSON object"),
    ("blank.jsonl", '{"id": "1", "source": "A", "text": "   "}\n', 1, "text", "empty text"),
    ("dup.jsonl", '{"id": "1", "source": "A", "text": "x"}\n{"id": "1", "source": "A", "text": "y"}\n', 2, "id",
     "duplicate"),
    ("nocol.csv", "id,source,body\n1,A,x\n", 1, "text", "no 'text' column"),
])
def test_bad_input_names_file_line_field(tmp_path, name, content, line, field, words):
    f = write(tmp_path / name, content)
    with pytest.raises(InputError) as info:
        read_documents([f])
    e = info.value
    assert e.path == str(f) and e.line == line and e.field == field
    assert words in str(e) and str(f) in str(e)


def test_non_utf8_names_line(tmp_path):
    f = write(tmp_path / "latin.txt", b"Source: X\nfine line\ncaf\xe9 au lait\n")
    with pytest.raises(InputError) as info:
        read_documents([f])
    assert info.value.line == 3 and "UTF-8" in str(info.value)


def test_skip_bad_accounts_for_every_record(tmp_path):
    f = write(tmp_path / "mixed.jsonl", '{"id": "1", "source": "A", "text": "good"}\nnot json\n'
                                        '{"id": "3", "source": "A"}\n{"id": "4", "source": "B", "text": "good too"}\n')
    e = write(tmp_path / "empty.txt", "")
    docs, skipped = read_documents([f, e], skip_bad=True)
    assert [d.id for d in docs] == ["1", "4"]
    assert [(s.line, s.field) for s in skipped] == [(2, None), (3, "text"), (None, None)]
    assert len(docs) + len(skipped) == 5


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_documents([tmp_path / "nope.txt"])


def test_large_document(tmp_path):
    text = ("The minister said the plan would go ahead. " * 120_000)[:5_000_000]
    f = write(tmp_path / "big.txt", "Source: Big\n" + text)
    docs, _ = read_documents([f])
    assert len(docs[0].text) == len(text)


def test_unicode_and_bom(tmp_path):
    f = write(tmp_path / "u.txt", "\ufeffSource: Ле Монд\nПривет — “quoted” 東京.")
    d = read_documents([f])[0][0]
    assert d.source == "Ле Монд" and "東京" in d.text


def test_files_of_one_name_in_different_subfolders_get_different_ids(tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        write(tmp_path / sub / "report.txt", f"Source: {sub.upper()}\nThe minister said the bridge was closed.")
        write(tmp_path / sub / "wire.jsonl", json.dumps({"source": sub, "text": "Officials said so."}) + "\n")
    docs, _ = read_documents([tmp_path])
    assert sorted(d.id for d in docs) == ["x/report", "x/wire:1", "y/report", "y/wire:1"]
    assert {d.source for d in docs} == {"X", "Y", "x", "y"}
    assert read_documents([tmp_path / "x" / "report.txt"])[0][0].id == "report"  # a file given by itself


def test_hidden_files_and_folders_are_not_read(tmp_path):
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "objects" / "ab").write_bytes(b"\x78\x9c\xff binary")
    write(tmp_path / ".notes.txt", "Source: N\nHidden.")
    write(tmp_path / "a.txt", "Source: A\nVisible.")
    docs, skipped = read_documents([tmp_path], skip_bad=True)
    assert [d.id for d in docs] == ["a"] and skipped == []


def test_jsonl_records_end_at_newlines_only(tmp_path):
    # U+2028, U+0085 and form feeds are legal raw inside JSON strings; str.splitlines would cut there
    text = "Line\u2028separated\u0085and\x0cfed"
    f = tmp_path / "u.jsonl"
    f.write_text(json.dumps({"source": "A", "text": text}, ensure_ascii=False) + "\r\n"
                 + json.dumps({"source": "B", "text": "Second."}) + "\n", encoding="utf-8")
    docs, _ = read_documents([f])
    assert [d.text for d in docs] == [text, "Second."] and [d.line for d in docs] == [1, 2]
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(json.dumps({"premise": text, "hypothesis": "h"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert read_pairs(str(pairs)) == [{"premise": text, "hypothesis": "h"}]


def test_a_csv_cell_may_hold_a_long_article(tmp_path):
    article = "The minister said the bridge was closed. " * 5000  # about 200 KB, over csv's default limit
    f = tmp_path / "long.csv"
    f.write_text('source,text\nA,"' + article + '"\n', encoding="utf-8")
    docs, _ = read_documents([f])
    assert docs[0].text == article



@pytest.mark.parametrize("content,suffix,message", [
    ('{"source": ["A", "B"], "text": "T."}\n', "jsonl", "field 'source': expected a string, got list"),
    ('{"source": 0, "text": "T."}\n', "jsonl", "field 'source': expected a string, got int"),
    ('[{"source": "A", "text": "T."}]\n', "jsonl", "JSON Lines, one object per line: name it .json to read a "
                                                "JSON array"),
    ('[{"source": "A", "text": "T."}, 7]\n', "json", "expected a JSON object, got int"),
    ('[{"source": "A" "text": "T."}]\n', "json", "invalid JSON: Expecting ',' delimiter (column 17)"),
    ("text,text,source\na,b,S\n", "csv", "the header repeats column(s) ['text']"),
])
def test_more_bad_records_are_named(tmp_path, content, suffix, message):
    f = write(tmp_path / f"bad.{suffix}", content)
    with pytest.raises(InputError) as info:
        read_documents([f])
    assert str(info.value).startswith(f"{f}:1") and message in str(info.value)


def test_an_empty_pairs_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="empty file"):
        read_pairs(str(write(tmp_path / "p.jsonl", "\n")))


def test_a_pretty_printed_json_array_in_a_jsonl_file_gets_the_hint_too(tmp_path):
    f = write(tmp_path / "corpus.jsonl", json.dumps([{"source": "A", "text": "T."}], indent=2))
    with pytest.raises(InputError, match=r"corpus.jsonl:1: invalid JSON: .* name it .json to read a JSON array"):
        read_documents([f])


def test_a_json_file_is_an_array_of_documents_or_one_document_or_else_json_lines(tmp_path):
    array = write(tmp_path / "array.json", '[\n  {"source": "Herald", "text": "The bridge was closed."},\n\n'
                                           '  {"id": "w2", "source": "Wire", "text": "The bridge stayed open."}\n]\n')
    docs, skipped = read_documents([array])
    assert skipped == []
    assert [(d.id, d.source, d.line) for d in docs] == [("array:2", "Herald", 2), ("w2", "Wire", 4)]
    lines = write(tmp_path / "lines.json", '{"source": "Herald", "text": "Turnout was low."}\n'
                                           '{"source": "Wire", "text": "Turnout was high."}\n')
    assert [d.text for d in read_documents([lines])[0]] == ["Turnout was low.", "Turnout was high."]
    one = write(tmp_path / "one.json", '\n{\n  "source": "Herald",\n  "text": "A single article."\n}\n')
    assert [(d.id, d.text, d.line) for d in read_documents([one])[0]] == [("one:2", "A single article.", 2)]
    broken = write(tmp_path / "broken.json", '{"source": "Herald", "text": "Fine."}\n{"source": "Wire", "text": }\n')
    with pytest.raises(InputError, match=r"broken.json:2: invalid JSON"):  # not one value: JSON Lines
        read_documents([broken])
    empty = write(tmp_path / "empty.json", "\n[ ]")
    with pytest.raises(InputError, match=r"empty.json:2: an empty JSON array"):
        read_documents([empty])
    number = write(tmp_path / "number.json", "42\n")
    with pytest.raises(InputError, match=r"number.json:1: expected a JSON object, got int"):
        read_documents([number])


def test_a_json_array_on_stdin_is_read_as_documents():
    stdin = io.BytesIO(b'[{"source": "Herald", "text": "Piped in."}]')
    docs, _ = read_documents(["-"], stdin=stdin)
    assert [(d.id, d.text) for d in docs] == [("stdin:1", "Piped in.")]
    docs, _ = read_documents(["-"], stdin=io.BytesIO(b"[Updated] The talks began."), source="Pipe")
    assert docs[0].text == "[Updated] The talks began."  # a bracket before text is still plain text


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def test_a_picture_gets_one_reason_given_alone_or_found_in_a_folder(tmp_path):
    (tmp_path / "photos").mkdir()
    picture = write(tmp_path / "photos" / "chart.PNG", PNG)
    with pytest.raises(InputError) as alone:
        read_documents([picture])
    with pytest.raises(InputError) as in_folder:
        read_documents([tmp_path])
    assert alone.value.reason == in_folder.value.reason
    assert alone.value.path == in_folder.value.path == str(picture)
    assert alone.value.reason.startswith("unsupported file type .PNG (read: .txt, ")
    assert ".json, .csv, .tsv or none)" in alone.value.reason


def test_a_folder_with_bad_files_names_every_one(tmp_path):
    write(tmp_path / "good.txt", "Source: Herald\nThe minister said the bridge was closed.")
    write(tmp_path / "chart.png", PNG)
    write(tmp_path / "wire.jsonl", '{"source": "Wire", "text": "Fine."}\n{broken\n{"source": "Wire"}\n')
    write(tmp_path / "latin.txt", b"Source: X\ncaf\xe9\n")
    with pytest.raises(InputErrors) as info:
        read_documents([tmp_path, tmp_path / "missing.txt"])
    found = [(e.path, e.line, e.field) for e in info.value.errors]
    assert found == [(str(tmp_path / "chart.png"), None, None), (str(tmp_path / "latin.txt"), 2, None),
                     (str(tmp_path / "wire.jsonl"), 2, None), (str(tmp_path / "wire.jsonl"), 3, "text"),
                     (str(tmp_path / "missing.txt"), None, None)]
    message = str(info.value)
    assert message.startswith("5 problems in 4 inputs:\n")
    assert f"  {tmp_path / 'wire.jsonl'}:3: field 'text': missing required field" in message.splitlines()
    docs, skipped = read_documents([tmp_path], skip_bad=True)
    assert [d.id for d in docs] == ["good", "wire:1"]
    assert [(s.path, s.line) for s in skipped] == [(e.path, e.line) for e in info.value.errors[:4]]


def test_a_long_list_of_problems_in_one_file_is_cut_short_but_counted(tmp_path):
    f = write(tmp_path / "bad.jsonl", "oops\n" * 8)
    other = write(tmp_path / "other.csv", "id,body\n1,x\n")
    with pytest.raises(InputErrors) as info:
        read_documents([f, other])
    lines = str(info.value).splitlines()
    assert lines[0] == "9 problems in 2 inputs:" and len(info.value.errors) == 9
    assert lines[InputErrors.PER_FILE + 1] == f"  {f}: and 3 more problems"
    assert lines[-1].startswith(f"  {other}:1: field 'text': header has no 'text' column")
