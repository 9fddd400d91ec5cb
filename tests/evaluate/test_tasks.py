import csv
import gzip
import json
from pathlib import Path

import pytest

from contradict.errors import ConfigError, InputError
from contradict.evaluate import tasks as tasks_mod
from contradict.evaluate.tasks import list_tasks, load_task, load_task_data
from contradict.runinfo import sha256_file
from contradict.splits import SPLITS, hash_part

ROWS = [
    {"id": "r1", "premise": "A man sleeps.", "hypothesis": "A man is awake.", "label": "contradiction"},
    {"id": "r2", "premise": "A dog runs.", "hypothesis": "An animal moves.", "label": "entailment"},
    {"id": "r3", "premise": "Two girls sing.", "hypothesis": "The girls are sisters.", "label": "neutral"},
]
REPO_TASKS = Path(__file__).resolve().parents[2] / "eval" / "tasks"


def write_jsonl(path: Path, rows: list[dict], compress: bool = False) -> Path:
    text = "".join(json.dumps(r) + "\n" for r in rows)
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict], delimiter: str = ",", compress: bool = False) -> Path:
    opener = gzip.open if compress else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def write_task(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "writer"), [
    ("d.jsonl", lambda p: write_jsonl(p, ROWS)),
    ("d.jsonl.gz", lambda p: write_jsonl(p, ROWS, compress=True)),
    ("d.csv", lambda p: write_csv(p, ROWS)),
    ("d.csv.gz", lambda p: write_csv(p, ROWS, compress=True)),
    ("d.tsv", lambda p: write_csv(p, ROWS, delimiter="\t")),
])
def test_a_data_file_is_a_task(tmp_path, name, writer):
    path = writer(tmp_path / name)
    data = load_task_data(str(path))
    assert data.task.name == "d"
    assert data.scheme.name == "nli"
    assert data.ids == ["r1", "r2", "r3"]
    assert data.premises[0] == "A man sleeps."
    assert data.gold == ["contradiction", "entailment", "neutral"]
    assert data.files[0]["sha256"] == sha256_file(path)
    assert len(data.sha256) == 64


def test_binary_labels_are_recognised(tmp_path):
    rows = [{"premise": "p", "hypothesis": "h", "label": "not_entailment"},
            {"premise": "p", "hypothesis": "h2", "label": "entailment"}]
    data = load_task_data(str(write_jsonl(tmp_path / "rte.jsonl", rows)))
    assert data.scheme.name == "binary"
    assert data.ids == ["rte-0", "rte-1"]  # no id column: ids are made up


def test_task_file_with_data_dir_fields_label_map_and_skips(tmp_path):
    rows = [{"s1": "A", "s2": "B", "gold": 0}, {"s1": "C", "s2": "D", "gold": 2},
            {"s1": "E", "s2": "F", "gold": -1}]
    write_jsonl(tmp_path / "hub_like.jsonl", rows)
    task = write_task(tmp_path / "t.toml", """
version = 3
data = "${data_dir}/hub_like.jsonl"
fields = { premise = "s1", hypothesis = "s2", label = "gold" }
label_map = { "0" = "entailment", "1" = "neutral", "2" = "contradiction" }
skip_labels = ["-1"]
""")
    data = load_task_data(task, data_dir=tmp_path)
    assert data.task.name == "t"
    assert data.task.version == "3"
    assert data.premises == ["A", "C"]
    assert data.gold == ["entailment", "contradiction"]


def test_data_dir_comes_from_the_environment(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "x.jsonl", ROWS)
    write_task(tmp_path / "t.toml", 'data = "x.jsonl"\n')
    monkeypatch.setenv("CONTRADICT_DATA_DIR", str(tmp_path))
    assert len(load_task_data(tmp_path / "t.toml")) == 3


def test_named_task_from_a_tasks_dir(tmp_path):
    write_jsonl(tmp_path / "x.jsonl", ROWS)
    write_task(tmp_path / "mine.toml", 'data = "${task_dir}/x.jsonl"\n')
    assert list_tasks(tmp_path) == ["mine"]
    assert len(load_task_data("mine", tasks_dir=tmp_path)) == 3


def fnc_files(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "bodies.jsonl", [
        {"body_id": "7", "text": "Police said the bridge collapsed at noon. Nobody was hurt. The weather was fine."},
        {"body_id": "8", "text": "A new bakery opened downtown."},
    ])
    write_jsonl(tmp_path / "stances.jsonl", [
        {"id": "s1", "hypothesis": "Bridge collapsed", "body_id": 7, "stance": "agree", "split": "test"},
        {"id": "s2", "hypothesis": "Bridge still standing", "body_id": 7, "stance": "disagree", "split": "test"},
        {"id": "s3", "hypothesis": "Bridge collapsed", "body_id": 8, "stance": "unrelated", "split": "test"},
        {"id": "s4", "hypothesis": "Bridge collapsed", "body_id": 8, "stance": "unrelated", "split": "train"},
    ])


def test_fnc_bodies_join_filter_and_evidence(tmp_path):
    fnc_files(tmp_path)
    task = write_task(tmp_path / "fnc.toml", """
scheme = "fnc"
data = "stances.jsonl"
bodies = "bodies.jsonl"
fields = { label = "stance" }
filter = { split = "test" }
evidence_words = 7
""")
    data = load_task_data(task, data_dir=tmp_path)
    assert data.ids == ["s1", "s2", "s3"]
    assert data.gold == ["agree", "disagree", "unrelated"]
    assert data.premises[0] == "Police said the bridge collapsed at noon."
    assert data.premises[2] == "A new bakery opened downtown."
    assert data.relatedness.tolist() == pytest.approx([1.0, 1 / 3, 0.0])  # bridge of bridge, still, standing
    assert [f["path"] for f in data.files] == [str(tmp_path / "stances.jsonl"), str(tmp_path / "bodies.jsonl")]


def test_hash_split_parts_are_disjoint_and_agree_with_hash_part(tmp_path):
    rows = [{"id": str(i), "premise": f"premise {i // 2}", "hypothesis": "h", "label": "neutral"}
            for i in range(60)]
    write_jsonl(tmp_path / "s.jsonl", rows)
    parts = {}
    for part in SPLITS["snli_dev"]:
        write_task(tmp_path / f"{part}.toml",
                   f'data = "s.jsonl"\nhash_split = {{ key = "premise", part = "{part}", fractions = "snli_dev" }}\n')
        parts[part] = set(load_task_data(tmp_path / f"{part}.toml", data_dir=tmp_path).ids)
    assert set.union(*parts.values()) == {r["id"] for r in rows}
    assert sum(len(p) for p in parts.values()) == len(rows)
    for r in rows:
        assert r["id"] in parts[hash_part(r["premise"], SPLITS["snli_dev"])]


def test_inline_fractions(tmp_path):
    write_jsonl(tmp_path / "s.jsonl", ROWS)
    write_task(tmp_path / "t.toml",
               'data = "s.jsonl"\nhash_split = { key = "id", part = "all", fractions = { all = 1.0 } }\n')
    assert len(load_task_data(tmp_path / "t.toml", data_dir=tmp_path)) == 3


def test_hub_dataset_goes_through_load_dataset(tmp_path, monkeypatch):
    import datasets

    calls = []

    def fake_load_dataset(path, name=None, split=None, revision=None):
        calls.append((path, name, split, revision))
        return datasets.Dataset.from_dict({"sentence1": ["p"], "sentence2": ["h"], "label": [1]})

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    write_task(tmp_path / "rte.toml", """
scheme = "binary"
hub = { id = "nyu-mll/glue", config = "rte", split = "validation" }
fields = { premise = "sentence1", hypothesis = "sentence2" }
label_map = { "0" = "entailment", "1" = "not_entailment" }
""")
    data = load_task_data(tmp_path / "rte.toml")
    assert calls == [("nyu-mll/glue", "rte", "validation", None)]
    assert data.gold == ["not_entailment"]
    assert data.files[0]["hub"] == "nyu-mll/glue"


def test_sample_is_seeded_and_keeps_order(tmp_path):
    rows = [{"id": str(i), "premise": "p", "hypothesis": str(i), "label": "neutral"} for i in range(20)]
    data = load_task_data(str(write_jsonl(tmp_path / "many.jsonl", rows)))
    a, b = data.sample(5, seed=1), data.sample(5, seed=1)
    assert a.ids == b.ids and len(a) == 5
    assert [int(i) for i in a.ids] == sorted(int(i) for i in a.ids)
    assert data.sample(100, seed=1) is data


# -- errors --------------------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found") as exc:
        load_task_data(str(tmp_path / "absent.jsonl"))
    assert exc.value.path.endswith("absent.jsonl")


def test_missing_data_file_named_by_a_task(tmp_path):
    write_task(tmp_path / "t.toml", 'data = "nope.jsonl"\n')
    with pytest.raises(InputError, match="file not found"):
        load_task_data(tmp_path / "t.toml", data_dir=tmp_path)


def test_unknown_label_names_file_line_and_field(tmp_path):
    rows = ROWS[:2] + [{"id": "r9", "premise": "p", "hypothesis": "h", "label": "maybe"}]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n" + json.dumps(rows[2]) + "\n")
    write_task(tmp_path / "t.toml", 'data = "bad.jsonl"\n')
    with pytest.raises(InputError, match="unknown label 'maybe'") as exc:
        load_task_data(tmp_path / "t.toml", data_dir=tmp_path)
    assert (exc.value.path, exc.value.line, exc.value.field) == (str(path), 4, "label")


def test_field_map_that_does_not_match(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", ROWS)
    write_task(tmp_path / "t.toml", 'data = "d.jsonl"\nfields = { premise = "sentence1" }\n')
    with pytest.raises(InputError, match="column 'sentence1'") as exc:
        load_task_data(tmp_path / "t.toml", data_dir=tmp_path)
    assert exc.value.field == "sentence1"


def test_malformed_json_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n{not json\n")
    with pytest.raises(InputError, match="not valid JSON") as exc:
        load_task_data(str(path))
    assert exc.value.line == 2


def test_missing_value_and_unknown_body(tmp_path):
    rows = [dict(ROWS[0]), {"id": "x", "premise": None, "hypothesis": "h", "label": "neutral"}]
    write_jsonl(tmp_path / "d.jsonl", rows)
    with pytest.raises(InputError, match="missing premise") as exc:
        load_task_data(str(tmp_path / "d.jsonl"))
    assert (exc.value.line, exc.value.field) == (2, "premise")

    fnc_files(tmp_path)
    write_jsonl(tmp_path / "stances.jsonl", [{"id": "s", "hypothesis": "h", "body_id": 99, "stance": "agree"}])
    write_task(tmp_path / "f.toml", 'scheme = "fnc"\ndata = "stances.jsonl"\nbodies = "bodies.jsonl"\n'
                                    'fields = { label = "stance" }\n')
    with pytest.raises(InputError, match="no body with id '99'") as exc:
        load_task_data(tmp_path / "f.toml", data_dir=tmp_path)
    assert (exc.value.line, exc.value.field) == (1, "body_id")


@pytest.mark.parametrize(("text", "match"), [
    ('data = "x.jsonl"\ncolour = "red"\n', "unknown key"),
    ('data = "x.jsonl"\nscheme = "sentiment"\n', "scheme"),
    ('scheme = "nli"\n', "exactly one of"),
    ('data = "x.jsonl"\nlabel_map = { "0" = "yes" }\n', "label_map"),
    ('data = "x.jsonl"\nhash_split = { key = "premise", part = "test", fractions = "nope" }\n', "fractions"),
    ('data = "x.jsonl"\nhash_split = { key = "premise", part = "x", fractions = "snli_dev" }\n', "part"),
    ('data = "x.jsonl"\nhash_split = { key = "p", part = "a", fractions = { a = 0.5 } }\n', "sum to 1"),
    ('data = [unclosed\n', "not valid TOML"),
])
def test_bad_task_files(tmp_path, text, match):
    write_task(tmp_path / "t.toml", text)
    with pytest.raises(ConfigError, match=match) as exc:
        load_task(tmp_path / "t.toml", data_dir=tmp_path)
    assert "t.toml" in str(exc.value)


def test_unknown_task_name_lists_known_tasks(tmp_path):
    write_task(tmp_path / "alpha.toml", 'data = "x.jsonl"\n')
    with pytest.raises(ConfigError, match="known tasks: alpha"):
        load_task("beta", tasks_dir=tmp_path)


# -- the shipped tasks -----------------------------------------------------------------------------------

def test_every_shipped_task_parses(tmp_path):
    names = list_tasks(REPO_TASKS)
    assert {"snli_test", "snli_dev_part", "mnli_heldout", "xnli_en_dev", "cad_snli_dev", "anli_r1", "anli_r2",
            "fever_symmetric", "rte_binary_dev", "sick_trial", "fnc1_holdout", "fnc1_train90", "arc_fnc_train",
            "emergent", "news_pairs"} <= set(names)
    for name in names:
        task = load_task(name, tasks_dir=REPO_TASKS, data_dir=tmp_path)
        assert task.name == name
        assert all(p.startswith(str(tmp_path)) for p in task.data if task.kind == "pairs")
    assert load_task("fnc1_holdout", tasks_dir=REPO_TASKS).filter == {"ukp_split": ("holdout10",)}


SHARED = tasks_mod.resolve_data_dir()


@pytest.mark.skipif(not (SHARED / "nli" / "snli_dev.jsonl").is_file(), reason="shared data not present")
def test_snli_parts_cover_snli_dev():
    sizes = {name: len(load_task_data(name, tasks_dir=REPO_TASKS)) for name in ("snli_test", "snli_dev_part")}
    assert 0.17 < sizes["snli_test"] / 9842 < 0.23
    assert 0.08 < sizes["snli_dev_part"] / 9842 < 0.12


@pytest.mark.skipif(not (SHARED / "news" / "claim_pairs_dev.jsonl").is_file(), reason="shared data not present")
def test_the_real_news_and_lingnli_tasks_load():
    news = load_task_data("news_claims_dev", tasks_dir=REPO_TASKS)
    assert len(news) == 200 and news.task.group_by == "category"
    assert set(news.groups) == {"number", "negation", "implicit", "blame", "evaluation", "hard_neutral",
                                "hard_entailment"}
    # LingNLI val without the rows whose premise is in MultiNLI dev (the default model trains on part of it)
    lingnli = load_task_data("lingnli_val", tasks_dir=REPO_TASKS)
    assert lingnli.dropped["filter"] == 3633 and len(lingnli) == 7352 - 3633
    assert load_task("news_docs_dev", tasks_dir=REPO_TASKS).kind == "pipeline"


def test_an_empty_group_is_named_with_its_line(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", [{"premise": "p", "hypothesis": "h", "label": "entailment", "category": "a"},
                                       {"premise": "q", "hypothesis": "h", "label": "entailment", "category": " "}])
    task = write_task(tmp_path / "t.toml", 'data = "${task_dir}/d.jsonl"\ngroup_by = "category"\n')
    with pytest.raises(InputError, match="d.jsonl:2: field 'category': expected a group name"):
        load_task_data(task)


@pytest.mark.parametrize("rows,line,field,match", [
    ([{"id": "a", "premise": "p", "hypothesis": "h", "label": "entailment"},
      {"id": "a", "premise": "q", "hypothesis": "h", "label": "neutral"}], 2, "id", "duplicate id 'a'"),
    ([{"premise": "p", "hypothesis": ["a", "b"], "label": "entailment"}], 1, "hypothesis", "expected text, got list"),
    ([{"premise": "  ", "hypothesis": "h", "label": "entailment"}], 1, "premise", "empty text"),
])
def test_bad_examples_are_named(tmp_path, rows, line, field, match):
    f = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(InputError, match=f"bad.jsonl:{line}: field '{field}': {match}"):
        load_task_data(f)


def test_a_latin1_file_is_an_input_error(tmp_path):
    f = tmp_path / "latin.jsonl"
    f.write_bytes('{"premise": "caf\xe9", "hypothesis": "h", "label": "entailment"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match="latin.jsonl:1: not valid UTF-8"):
        load_task_data(f)


def test_a_task_that_keeps_no_examples_is_refused(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", [{"premise": "p", "hypothesis": "h", "label": "entailment", "genre": "x"}])
    task = write_task(tmp_path / "t.toml", 'data = "${task_dir}/d.jsonl"\nfilter = { genre = "y" }\n')
    with pytest.raises(ConfigError, match="no examples left"):
        load_task_data(task)


@pytest.mark.parametrize("text,match", [
    ('filter = "genre"', "'filter' must be a table"),
    ('filter = { id = { a = 1 } }', "'filter' for column 'id'"),
    ('hash_split = { key = "id", part = "a", fractions = { a = "half", b = 0.5 } }', "must be numbers"),
    ('hash_split = { key = "id", part = "a", fractions = { a = -0.5, b = 1.5 } }', "must be numbers of at least 0"),
    ('hash_split = { key = "id", part = "a", fractions = "snli", seed = 3 }', "unknown key"),
    ('name = "sub/evil"', "without slashes"),
    ('name = ""', "without slashes"),
    ('evidence_words = true', "positive integer"),
    ('relatedness_threshold = true', "number in"),
    ('version = { a = 1 }', "'version' must be a string"),
    ('group_by = ["category"]', "'group_by' must be a string"),
    ('skip_labels = "10"', "list of labels"),
])
def test_more_bad_task_files(tmp_path, text, match):
    write_jsonl(tmp_path / "d.jsonl", [{"id": "1", "premise": "p", "hypothesis": "h", "label": "entailment"}])
    task = write_task(tmp_path / "t.toml", f'data = "${{task_dir}}/d.jsonl"\n{text}\n')
    with pytest.raises(ConfigError, match=match):
        load_task_data(task)


def test_csv_errors_name_the_line_a_row_starts_on(tmp_path):
    rows = [{"premise": "one\nspread over\nthree lines", "hypothesis": "h", "label": "entailment"},
            {"premise": "p", "hypothesis": "h", "label": "maybe"}]
    f = write_csv(tmp_path / "m.csv", rows)
    with pytest.raises(InputError, match="m.csv:5: field 'label'"):
        load_task_data(f)


def test_rows_left_out_are_counted_by_reason(tmp_path):
    rows = [{"id": str(i), "premise": f"p{i}", "hypothesis": "h", "label": lab, "genre": genre}
            for i, (lab, genre) in enumerate([("entailment", "news"), ("-", "news"), ("neutral", "fiction"),
                                              ("contradiction", "news")])]
    write_jsonl(tmp_path / "d.jsonl", rows)
    task = write_task(tmp_path / "t.toml", 'data = "${task_dir}/d.jsonl"\nskip_labels = ["-"]\n'
                                           'filter = { genre = "news" }\n')
    data = load_task_data(task)
    assert data.rows == 2
    assert data.dropped == {"filter": 1, "hash_split": 0, "skip_labels": 1}
    assert data.describe()["dropped"] == data.dropped


def test_a_task_left_empty_says_what_dropped_its_rows(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", [{"premise": "p", "hypothesis": "h", "label": "-"}])
    task = write_task(tmp_path / "t.toml", 'data = "${task_dir}/d.jsonl"\nskip_labels = ["-"]\n')
    with pytest.raises(ConfigError, match="skip_labels 1"):
        load_task_data(task)


def test_numbered_labels_get_a_label_map_hint(tmp_path):
    f = write_jsonl(tmp_path / "hf.jsonl", [{"premise": "p", "hypothesis": "h", "label": 0},
                                            {"premise": "p", "hypothesis": "h2", "label": 2}])
    with pytest.raises(InputError, match=r'numbered labels need a task file with label_map.*"0" = "entailment"') as exc:
        load_task_data(str(f))
    assert (exc.value.line, exc.value.field) == (1, "label")


@pytest.mark.parametrize(("text", "line", "match"), [
    ("premise,hypothesis,label\np,h,entailment\np,h,neutral,extra\n", 3, "4 cells where the header has 3"),
    ("", 1, "empty file"),
])
def test_broken_csv_names_the_line(tmp_path, text, line, match):
    f = tmp_path / "b.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match) as exc:
        load_task_data(str(f))
    assert exc.value.line == line
