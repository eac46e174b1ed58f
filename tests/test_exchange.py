"""Export and import: a self-describing document, strict validation, idempotent merging."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.errors import ExitCode

READS = (("cast", "--season", "1"), ("cast", "--season", "2"), ("cast",), ("seasons",),
         ("news", "--limit", "1000"))  # fmt: skip


def outputs(run: Run, *extra: str) -> list[Any]:
    return [run.json(*args, *extra) for args in READS]


def curate(run: Run) -> None:
    """A show with hand-made facts, cast and news, as a fan would share it."""
    run("shows", "add", "Young Royals", "--platform", "Netflix", "--volumes", "2")
    yr = ("--show", "young-royals")
    run("add-installment", "season", "1", "--state", "released", "--release", "2021-07-01",
        "--source", "Netflix", *yr)  # fmt: skip
    run("add-installment", "season", "2", "--source", "Netflix", *yr)
    run("set", "2", "release", "2022", "--source", "Rumour mill", "--confidence", "rumour", *yr)
    run("set", "2", "release", "2022-11-01", "--source", "Netflix", *yr)
    run("cast", "add", "Wilhelm", "Edvin Ryding", "--season", "1", "--season", "2", *yr)
    run("cast", "add", "Sara", "Frida Argento", "--season", "2", "--billing", "recurring", *yr)
    run("add-news", "Season 2 dated", "--date", "2022-09-01", "--source", "Netflix",
        "--season", "2", "--tag", "date", "--url", "https://example.com/yr2", *yr)  # fmt: skip


def export_to(run: Run, path: Path, *args: str) -> dict[str, Any]:
    assert "Exported" in run("export", *args, "--output", str(path)).stdout
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def test_export_is_self_describing_without_personal_state(run: Run, tmp_path: Path) -> None:
    run("shows", "use", "heartstopper")  # personal state that must not travel
    doc = json.loads(run("export").stdout)
    assert doc["format"] == "hstracker-show" and doc["version"] == 1
    assert doc["exported"].startswith("2026-11-24T12:0")  # the pinned clock runs on
    assert doc["generator"].startswith("hstracker ")
    assert set(doc) == {"format", "version", "exported", "generator", "show"}
    show = doc["show"]
    assert show["slug"] == "heartstopper" and show["cast"] and show["news"]
    release = show["installments"][1]["release"]
    assert release["value"] == "2023-08-03" and release["history"][0]["value"] == "2023"
    assert "default_show" not in json.dumps(doc) and "removed_shows" not in json.dumps(doc)
    assert {**export_to(run, tmp_path / "hs.json"), "exported": None} == {**doc, "exported": None}


def test_round_trip_into_a_fresh_home_gives_identical_outputs(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    curate(run)
    run("set", "film", "release", "2026-12-18", "--source", "Netflix")
    run("cast", "add", "Narrator", "Someone", "--season", "film")
    run("add-news", "Forever dated", "--date", "2026-11-20", "--source", "Netflix")
    before_yr = outputs(run, "--show", "young-royals")
    before_hs = outputs(run)
    export_to(run, tmp_path / "yr.json", "--show", "young-royals")
    export_to(run, tmp_path / "hs.json")
    monkeypatch.setenv("HSTRACKER_HOME", str(tmp_path / "fresh"))
    assert "Created young-royals" in run("import", str(tmp_path / "yr.json")).stdout
    out = run("import", str(tmp_path / "hs.json")).stdout  # merges into the shipped copy
    assert "Merged into heartstopper" in out and "1 news item." in out
    assert outputs(run, "--show", "young-royals") == before_yr
    assert outputs(run) == before_hs


def test_importing_twice_changes_nothing_the_second_time(
    run: Run, home: Path, tmp_path: Path
) -> None:
    curate(run)
    export_to(run, tmp_path / "yr.json", "--show", "young-royals")
    run("import", str(tmp_path / "yr.json"), "--as", "yr-copy")
    before = snapshot(home)
    out = run("import", str(tmp_path / "yr.json"), "--as", "yr-copy").stdout
    assert "Nothing changed" in out
    assert snapshot(home) == before
    copy = [{**o, "show": None} for o in outputs(run, "--show", "yr-copy")]
    assert copy == [{**o, "show": None} for o in outputs(run, "--show", "young-royals")]


def test_import_merges_new_facts_cast_and_news_without_duplicates(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    curate(run)
    export_to(run, tmp_path / "base.json", "--show", "young-royals")
    # the sharer learns more: a correction, a new installment, a new cast member, news
    yr = ("--show", "young-royals")
    run("set", "2", "release", "2022-11-01T00:00:00-07:00[America/Los_Angeles]",
        "--source", "Tudum", *yr)  # fmt: skip
    run("add-installment", "season", "3", "--source", "Netflix", *yr)
    run("cast", "add", "Simon", "Omar Rudberg", "--season", "1", *yr)
    run("cast", "add", "Sara", "Frida Argento", "--season", "1", *yr)
    run("add-news", "Season 3 announced", "--date", "2022-12-01", "--source", "Netflix", *yr)
    export_to(run, tmp_path / "more.json", *yr)
    sharer = outputs(run, *yr)
    monkeypatch.setenv("HSTRACKER_HOME", str(tmp_path / "friend"))
    run("import", str(tmp_path / "base.json"))
    out = run("import", str(tmp_path / "more.json")).stdout
    assert "Merged into young-royals: added 1 installment (s3), 1 fact, " in out
    assert "2 cast changes, 1 news item." in out
    assert outputs(run, *yr) == sharer
    release = run.json("seasons", *yr)["installments"][1]["facts"]["release"]
    assert [c["value"] for c in release["history"]] == ["2022-11-01", "2022"]


def test_an_older_claim_goes_into_history_not_over_the_current_value(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = json.loads(run("export").stdout)
    film = doc["show"]["installments"][-1]
    film["release"] = {"value": "2026-06", "source": {"name": "Old blog", "reported": "2024-01"}}
    (tmp_path / "old.json").write_text(json.dumps(doc))
    out = run("import", str(tmp_path / "old.json")).stdout
    assert "0 installments, 1 fact, 0 cast changes" in out
    fact = run.json("seasons")["installments"][-1]["facts"]["release"]
    assert fact["value"] == "2026"
    assert fact["history"][-1] == {
        "value": "2026-06",
        "source": {"name": "Old blog", "reported": "2024-01", "url": None,
                   "confidence": "reported", "news_id": None},
    }  # fmt: skip


def test_import_brings_back_a_removed_show_and_cleans_control_characters(
    run: Run, home: Path, tmp_path: Path
) -> None:
    doc = json.loads(run("export").stdout)
    doc["show"]["news"][0]["headline"] = "Evil \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\ \x9b2J"
    (tmp_path / "hs.json").write_text(json.dumps(doc))
    run("shows", "remove", "heartstopper", "--yes")
    assert "Created heartstopper" in run("import", str(tmp_path / "hs.json")).stdout
    assert json.loads((home / "personal.json").read_bytes()).get("removed_shows", []) == []
    headlines = [n["headline"] for n in run.json("news", "--limit", "1000")["news"]]
    assert "Evil ]8;;https://x\\link]8;;\\ 2J" in headlines
    assert not any("\x1b" in h or "\x9b" in h for h in headlines)


def _doc(run: Run) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(run("export").stdout)
    return doc


def _with(path: list[Any], value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


HOSTILE = [
    ("not json", None, b"{nope", "is not JSON"),
    ("empty", None, b"", "is not JSON"),
    ("a list", None, b"[1, 2]", "not an hstracker show export"),
    ("other format", _with(["format"], "something-else"), None, "not an hstracker show export"),
    ("newer version", _with(["version"], 99), None, "reads up to 1"),
    ("bad version", _with(["version"], "1"), None, "reads up to 1"),
    ("newer schema", _with(["show", "schema_version"], 9), None, "schema 9"),
    ("wrong type", _with(["show", "installments", 0, "kind"], "movie"), None,
     "$.show.installments[0].kind"),
    ("bad date", _with(["show", "news", 0, "date"], "2023-02-30"), None, "$.show.news[0].date"),
    ("unknown field", _with(["show", "owner"], "me"), None, "owner"),
    ("bad slug", _with(["show", "slug"], "../../etc/passwd"), None, "slug"),
    ("huge text", _with(["show", "title"], "x" * 20_000), None, "$.show.title"),
    ("long line", _with(["show", "title"], "x" * 400), None, "limit is 300"),
    ("blank title", _with(["show", "title"], " \x1b "), None, "title is empty"),
    ("js url", _with(["show", "news", 0, "url"], "javascript:alert(1)"), None, "http(s)"),
    ("bad tag", _with(["show", "news", 0, "tags"], ["Not A Slug"]), None, "slug"),
    ("same key twice", lambda d: d["show"]["installments"].append(d["show"]["installments"][0]),
     None, "same installment twice"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "change", "raw", "needle"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_broken_or_hostile_file_is_refused_and_changes_nothing(
    run: Run, home: Path, tmp_path: Path, label: str, change: Any, raw: bytes | None, needle: str
) -> None:
    run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me")
    if raw is None:
        doc = _doc(run)
        change(doc)
        raw = json.dumps(doc).encode()
    path = tmp_path / "in.json"
    path.write_bytes(raw)
    before = snapshot(home)
    err = run("import", str(path), code=ExitCode.USAGE).stderr.strip()
    assert err.startswith("hstracker: ") and len(err.splitlines()) == 1, err
    assert needle in err, err
    assert "\x1b" not in err
    assert snapshot(home) == before


def test_import_file_size_cap_and_missing_file(run: Run, home: Path, tmp_path: Path) -> None:
    from hstracker.store.documents import MAX_BYTES

    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_BYTES + 10))
    before = snapshot(home)
    assert "the limit is" in run("import", str(big), code=ExitCode.USAGE).stderr
    assert "cannot read" in run("import", str(tmp_path / "none.json"), code=2).stderr
    export_to(run, tmp_path / "hs.json")
    assert "not valid" in run("import", str(tmp_path / "hs.json"), "--as", "Bad!", code=2).stderr
    assert snapshot(home) == before


def test_import_as_another_slug(run: Run, tmp_path: Path) -> None:
    export_to(run, tmp_path / "hs.json")
    assert "Created hs-copy" in run("import", str(tmp_path / "hs.json"), "--as", "hs-copy").stdout
    slugs = [s["slug"] for s in run.json("shows", "list")["shows"]]
    assert slugs == ["heartstopper", "hs-copy"]
    assert run.json("seasons", "--show", "hs-copy")["show"] == "hs-copy"


def test_import_dash_reads_a_real_pipe(home: Path, tmp_path: Path) -> None:
    """`hstracker export | hstracker import - --as copy`: two processes joined by a pipe."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HSTRACKER_HOME": str(home)}
    cmd = [sys.executable, "-m", "hstracker"]
    export = subprocess.Popen([*cmd, "export"], stdout=subprocess.PIPE, env=env)
    done = subprocess.run(
        [*cmd, "import", "-", "--as", "hs-pipe"], stdin=export.stdout, capture_output=True,
        text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert export.wait(timeout=60) == 0
    assert done.returncode == 0, done.stderr
    assert "Created hs-pipe" in done.stdout
    # a pipe that brings nothing is one line, and nothing is stored
    empty = subprocess.run(
        [*cmd, "import", "-"], input="", capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )  # fmt: skip
    assert empty.returncode == ExitCode.USAGE
    assert empty.stderr.startswith("hstracker: standard input is not JSON")
    assert len(empty.stderr.splitlines()) == 1
