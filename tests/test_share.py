"""Run records safe to share: no folder of the machine that made them."""

from __future__ import annotations

from pathlib import Path

from contradict.runinfo import machine, shareable_arg, shareable_path


def test_shareable_path_keeps_relative_paths_and_names_outside_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shareable_path("examples/summit") == "examples/summit"
    assert shareable_path(tmp_path / "news" / "a.jsonl") == str(Path("news") / "a.jsonl")
    assert shareable_path("/home/ana/models/my-nli") == "my-nli"
    assert shareable_path(None) is None


def test_command_line_arguments_lose_their_local_folders():
    assert shareable_arg("/home/ana/in.jsonl") == "in.jsonl"
    assert shareable_arg("--output=/tmp/r/report.json") == "--output=report.json"
    assert shareable_arg("--threshold=0.5") == "--threshold=0.5"
    assert shareable_arg("examples/summit") == "examples/summit"


def test_the_machine_record_names_no_python_executable():
    described = machine()
    assert "python_executable" not in described
    assert not any(isinstance(v, str) and v.startswith("/") for v in described.values())


def test_the_command_line_is_shareable_only_when_asked(monkeypatch):
    from contradict.cli.common import command_line

    monkeypatch.setattr("sys.argv", ["contradict", "compare", "/home/ana/news", "-o", "/tmp/r.json"])
    assert command_line(shareable=True) == "contradict compare news -o r.json"
    assert command_line() == "contradict compare /home/ana/news -o /tmp/r.json"  # eval records repeat runs as made
