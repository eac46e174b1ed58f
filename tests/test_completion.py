"""Typos and shell completion, through the real completion protocol Typer's scripts speak."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, snapshot


def bash(run: Run, line: str) -> list[str]:
    """What bash completion offers for the last word of line (empty after a trailing space)."""
    words = line.split(" ")
    result = run(
        _HSTRACKER_COMPLETE="complete_bash",
        COMP_WORDS=line,
        COMP_CWORD=str(len(words) - 1),
    )
    assert result.stderr == ""
    return [word for word in result.stdout.splitlines() if word]


def zsh(run: Run, line: str) -> str:
    """zsh's answer: Typer's `_arguments` spec, each value with its help."""
    result = run(_HSTRACKER_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=line)
    assert result.stderr == ""
    return str(result.stdout)


@pytest.mark.parametrize(
    ("typed", "wrong", "meant"),
    [
        (("stauts",), "stauts", "status"),
        (("feed", "list"), "feed", "feeds"),
        (("upcomming", "--json"), "upcomming", "upcoming"),
        (("shows", "lst"), "lst", "list"),
        (("cast", "ad", "X", "Y"), "ad", "add"),
    ],
)
def test_a_typo_names_the_command_meant(
    run: Run, home: Path, typed: tuple[str, ...], wrong: str, meant: str
) -> None:
    result = run(*typed, code=2)
    assert f"No such command '{wrong}'. Did you mean '{meant}'?" in result.stderr
    assert result.stdout == "" and snapshot(home) == {}


def test_a_word_like_no_command_gets_no_guess(run: Run) -> None:
    result = run("xyzzy", code=2)
    assert "No such command 'xyzzy'." in result.stderr and "Did you mean" not in result.stderr


def test_commands_and_show_slugs(run: Run) -> None:
    assert bash(run, "hstracker sta") == ["status"]
    assert "feeds" in bash(run, "hstracker ")
    assert bash(run, "hstracker status --show ") == ["heartstopper"]
    run("shows", "add", "Moonlight Pages", "--slug", "moon")
    assert bash(run, "hstracker news --show ") == ["heartstopper", "moon"]
    assert bash(run, "hstracker seasons --show m") == ["moon"]
    assert bash(run, "hstracker shows use ") == ["heartstopper", "moon"]
    assert bash(run, "hstracker shows remove h") == ["heartstopper"]
    assert '"moon":"Moonlight Pages"' in zsh(run, "hstracker status --show ")


def test_installment_refs_for_the_show_on_the_line(run: Run) -> None:
    refs = ["s1", "s2", "s3", "film"]  # in story order
    assert bash(run, "hstracker cast --season ") == refs
    assert bash(run, "hstracker news --season s") == ["s1", "s2", "s3"]
    assert bash(run, "hstracker watched ") == refs
    assert bash(run, "hstracker countdown f") == ["film"]
    assert bash(run, "hstracker set ") == refs
    assert bash(run, "hstracker cast add Tao Will --season s1 --season ") == refs
    assert bash(run, "hstracker cast remove Tao --season s") == ["s1", "s2", "s3"]
    run("shows", "add", "Moonlight Pages", "--slug", "moon")
    run("add-installment", "special", "1", "--title", "Winter Special", "--show", "moon",
        "--source", "Netflix")  # fmt: skip
    assert bash(run, "hstracker watched --show moon ") == ["special"]
    assert '"special":"Winter Special"' in zsh(run, "hstracker add-news X --show moon --season ")
    assert '"film":"Heartstopper Forever"' in zsh(run, "hstracker countdown ")


def test_confidences(run: Run) -> None:
    assert bash(run, "hstracker set s2 episodes 8 --confidence ") == [
        "confirmed",
        "reported",
        "rumour",
    ]
    assert bash(run, "hstracker add-news X --confidence r") == ["reported", "rumour"]


def test_news_ids_and_feed_urls(run: Run) -> None:
    run("add-news", "Season 4 [/x] rumours", "--date", "2026-11-20", "--source", "Gossip")
    ids = [item["id"] for item in run.json("news", "--limit", "500", "--spoilers")["news"]]
    offered = bash(run, "hstracker edit-news ")
    assert offered == ids  # newest first, as `news` lists them
    assert bash(run, "hstracker remove-news ") == ids
    assert bash(run, f"hstracker remove-news {ids[0][:4]}") == [
        i for i in ids if i.startswith(ids[0][:4])
    ]
    # a headline's brackets are shown as they are, not read as markup
    assert "Season 4 [/x] rumours" in zsh(run, "hstracker edit-news ")
    # every id is offered, but a guarded headline is not shown beside it
    offered_help = zsh(run, "hstracker edit-news ")
    assert "hidden by the spoiler guard" in offered_help
    assert "Season 2 adds Naomi" not in offered_help  # casting news of an unseen season
    assert bash(run, "hstracker feeds remove ") == []
    run("feeds", "add", "https://news.example/rss.xml")
    run("feeds", "add", "https://other.example/atom.xml")
    assert bash(run, "hstracker feeds remove ") == [
        "https://news.example/rss.xml",
        "https://other.example/atom.xml",
    ]
    assert bash(run, "hstracker feeds remove https://o") == ["https://other.example/atom.xml"]


def test_the_data_dir_on_the_line_is_the_store_read(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other"
    run("--data-dir", str(other), "shows", "add", "Elsewhere")
    assert bash(run, f"hstracker --data-dir {other} cast --show ") == ["elsewhere", "heartstopper"]
    assert bash(run, "hstracker cast --show ") == ["heartstopper"]


def test_completion_writes_nothing_and_takes_no_lock(run: Run, home: Path) -> None:
    run("set", "s3", "episodes", "9", "--source", "me")  # the fan's own copy
    personal = home / "personal.json"
    mine = json.loads(personal.read_bytes())
    mine["shipped"]["heartstopper"] = "an-older-digest"  # newer shipped data is waiting
    personal.write_text(json.dumps(mine), encoding="utf-8")
    (home / ".lock").unlink(missing_ok=True)
    before = snapshot(home)
    for line in ("hstracker cast --season ", "hstracker edit-news ", "hstracker --show ",
                 "hstracker status --show ", "hstracker feeds remove "):  # fmt: skip
        bash(run, line)
    assert snapshot(home) == before
    assert not (home / ".lock").exists()
    run("status")  # a real read does store the merge: the test above could have failed
    assert snapshot(home) != before


@pytest.mark.parametrize("damaged", ["shows/heartstopper.json", "personal.json"])
def test_a_damaged_store_means_no_suggestions_and_no_noise(
    run: Run, home: Path, damaged: str
) -> None:
    run("set", "s3", "episodes", "9", "--source", "me")
    (home / damaged).write_bytes(b'{"schema_version": 1, "slug": ')
    for line in ("hstracker cast --season ", "hstracker edit-news ", "hstracker watched ",
                 "hstracker feeds remove "):  # fmt: skip
        assert bash(run, line) == []
    assert bash(run, "hstracker stat") == ["status"]  # commands still complete
    # a damaged show file still has a name; a damaged personal.json hides which shows remain
    slugs = bash(run, "hstracker status --show ")
    assert slugs == ([] if damaged == "personal.json" else ["heartstopper"])
    # the real command says what is wrong; completion stayed quiet about it
    assert "damaged" in run("seasons", code=None).stderr


def test_the_installed_protocol_in_a_fresh_process_loads_no_network_or_write_code(
    cli_subprocess: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    env = {"_HSTRACKER_COMPLETE": "complete_bash", "COMP_WORDS": "hstracker sync --show ",
           "COMP_CWORD": "3", "PYTHONPROFILEIMPORTTIME": "1"}  # fmt: skip
    done = cli_subprocess(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["heartstopper"]
    lines = done.stderr.splitlines()
    assert all(line.startswith("import time:") for line in lines), done.stderr  # nothing else
    imported = {line.rsplit("|", 1)[-1].strip() for line in lines}
    assert "hstracker.cli.complete" in imported  # the probe sees what the completion loaded
    unwanted = {"httpx", "hstracker.store.lock", "hstracker.store.atomic", "hstracker.sources"}
    assert not imported & unwanted
