"""The store layout: a show's head and its news parts, migrated into, checked and repaired."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.core.model import SCHEMA_VERSION
from hstracker.errors import ExitCode
from hstracker.paths import shipped_dir

SHOW = Path("shows") / "heartstopper.json"
PARTS = Path("shows") / "heartstopper.news"


def _head(home: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((home / SHOW).read_bytes())
    return found


def _install(home: Path, version: int) -> bytes:
    """The shipped show (news inline, as every version before 4 kept it) stamped version."""
    doc = json.loads((shipped_dir() / "heartstopper.json").read_bytes())
    doc["schema_version"] = version
    data = json.dumps(doc).encode()
    (home / SHOW).parent.mkdir(parents=True)
    (home / SHOW).write_bytes(data)
    return data


@pytest.mark.parametrize("version", [2, 3])
def test_an_older_store_moves_its_news_into_parts_keeping_the_original(
    run: Run, home: Path, version: int
) -> None:
    original = _install(home, version)
    before = run.json("news", "--limit", "1000")
    assert snapshot(home) == {str(SHOW): original}  # reading never migrates
    run("add-news", "After the move", "--date", "2026-11-02", "--source", "Me")
    head = _head(home)
    assert head["schema_version"] == SCHEMA_VERSION == 4
    assert "news" not in head and head["parts"]
    assert (home / "shows" / "backups" / f"heartstopper.json.v{version}").read_bytes() == original
    after = run.json("news", "--limit", "1000")
    assert after["total"] == before["total"] + 1
    assert after["news"][1:] == before["news"]  # every item kept, in the same order
    listed = {part["file"] for part in head["parts"]}
    assert head["keys"].startswith("keys-")  # the migration built its duplicate index
    assert {p.name for p in (home / PARTS).iterdir()} == listed | {head["keys"]}
    every = run.json("news", "--limit", "1000", "--spoilers")["total"]  # hidden ones too
    assert sum(part["count"] for part in head["parts"]) == every
    assert run("doctor").exit_code == 0


def test_a_write_that_leaves_the_news_alone_writes_no_part(run: Run, home: Path) -> None:
    run("add-news", "First", "--date", "2026-11-02", "--source", "Me")
    parts = {p.name: p.read_bytes() for p in (home / PARTS).iterdir()}
    run("set", "film", "episodes", "1", "--source", "Me")
    assert {p.name: p.read_bytes() for p in (home / PARTS).iterdir()} == parts
    assert (
        _head(home)["parts"]
        == json.loads((home / "shows/backups/heartstopper.json.1").read_bytes())["parts"]
    )


def test_an_edit_rewrites_only_the_part_it_touches(run: Run, home: Path) -> None:
    run("add-news", "Old news", "--date", "2022-06-01", "--source", "Me")
    item = run.json("news", "--since", "2022-06-01", "--limit", "1000")["news"][-1]
    assert item["headline"] == "Old news"
    before = {p["key"]: p["file"] for p in _head(home)["parts"]}
    run("edit-news", item["id"], "--headline", "Old news, edited")
    after = {p["key"]: p["file"] for p in _head(home)["parts"]}
    assert {k for k in after if after[k] != before[k]} == {"2022"}
    headlines = [n["headline"] for n in run.json("news", "--since", "2022-06-01")["news"]]
    assert "Old news, edited" in headlines


def test_a_busy_year_is_cut_into_months(run: Run, home: Path) -> None:
    from datetime import UTC, datetime

    from hstracker.core.dates import PartialDate
    from hstracker.core.model import NewsItem
    from hstracker.store.layout import SPLIT, split

    added = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        NewsItem(id=f"n{i}", date=PartialDate(2025, i % 12 + 1, 1), headline=f"h{i}",
                 source="s", added=added)
        for i in range(SPLIT + 1)
    ]  # fmt: skip
    items.sort(key=lambda n: n.date.sort_key())
    items.insert(0, NewsItem(id="y", date=PartialDate(2025), headline="y", source="s", added=added))
    parts = split(items)
    assert [str(key) for key, _ in parts] == [
        "2025-00",
        *(f"2025-{m:02d}" for m in range(1, 13)),
    ]
    assert [n for _, chunk in parts for n in chunk] == items  # joined, the list as it was
    [(key, chunk)] = split(items[:SPLIT])
    assert (str(key), chunk) == ("2025", items[:SPLIT])


def test_a_missing_part_is_damage_and_repair_restores_its_copy(run: Run, home: Path) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "Me")
    run("add-news", "Two", "--date", "2026-11-02", "--source", "Me")
    newest = home / PARTS / _head(home)["parts"][-1]["file"]
    newest.unlink()
    result = run("status", code=ExitCode.CORRUPT_STORE)
    assert f"{home / SHOW} is damaged: a news part it lists is missing" in result.stderr
    report = json.loads(run("doctor", "--json", code=ExitCode.CORRUPT_STORE).stdout)
    assert any("is missing" in (f["problem"] or "") for f in report["files"])
    assert "restored it from its copy" in run("doctor", "--repair").stdout
    headlines = [n["headline"] for n in run.json("news")["news"]]
    assert "One" in headlines and "Two" in headlines  # nothing rolled back
    assert run.json("doctor")["healthy"] is True


def test_a_part_whose_items_the_show_holds_is_removed(run: Run, home: Path) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "Me")
    stray = home / PARTS / "2026-0123456789abcdef.json"
    stray.write_bytes(b'{"schema_version":4,"news":[]}')
    mine = home / PARTS / "notes.json"  # not a name hstracker makes: never touched
    mine.write_bytes(b"mine")
    report = run("doctor").stdout
    assert "stale: " in report and "the show holds all its items" in report
    assert "temp" not in report
    run("doctor", "--repair")
    assert not stray.exists() and mine.read_bytes() == b"mine"


@pytest.mark.parametrize(
    "name", ["../../personal.json", "2026-0123456789abcdef.json/..", "2025-0123456789abcdef.json"]
)
def test_a_head_naming_a_part_outside_its_folder_is_damage(run: Run, home: Path, name: str) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "Me")
    head = _head(home)
    head["parts"][-1]["file"] = name  # the last one is 2026: a 2025 name is the wrong part
    (home / SHOW).write_text(json.dumps(head))
    result = run("news", code=ExitCode.CORRUPT_STORE)
    assert "is not the name of a news part" in result.stderr


def test_a_part_holding_other_than_its_head_counts_is_damage(run: Run, home: Path) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "Me")
    part = home / PARTS / _head(home)["parts"][-1]["file"]
    doc = json.loads(part.read_bytes())
    doc["news"].pop()
    part.write_text(json.dumps(doc))
    result = run("status", code=ExitCode.CORRUPT_STORE)
    assert f"{part} is damaged: it holds" in result.stderr


def test_news_reads_the_newest_parts_and_counts_the_rest_from_the_head(
    run: Run, home: Path
) -> None:
    for year in range(2016, 2022):
        run("add-news", f"News of {year}", "--date", f"{year}-05-01", "--source", "Me")
    whole = run.json("news", "--limit", "1000", "--spoilers")
    shown = run.json("news", "--limit", "1000")  # through the spoiler guard, on by default
    status = {k: v for k, v in run.json("status").items() if k != "now"}
    assert shown["hidden"] and shown["total"] + shown["hidden"] == whole["total"]
    for part in _head(home)["parts"][:3]:  # 2016-2018: older than the newest twenty
        (home / PARTS / part["file"]).write_bytes(b"{broken")
    limited = run.json("news", "--limit", "5", "--spoilers")
    assert limited["total"] == whole["total"] and limited["news"] == whole["news"][:5]
    # with the guard on, what it hides is counted from the head's tallies, unread
    guarded = run.json("news", "--limit", "5")
    assert (guarded["total"], guarded["hidden"]) == (shown["total"], shown["hidden"])
    assert guarded["news"] == shown["news"][:5]
    assert {k: v for k, v in run.json("status").items() if k != "now"} == status
    assert run.json("news", "--season", "film")["news"]  # no 2016-2018 item is about the film
    run("news", "--since", "2016-01-01", code=ExitCode.CORRUPT_STORE)


# the summary `shows list` reads


def _titles(run: Run) -> dict[str, str]:
    return {s["slug"]: s["title"] for s in run.json("shows", "list")["shows"]}


def test_shows_list_reads_the_summary_while_it_agrees_with_each_head(run: Run, home: Path) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    summary = json.loads((home / "summary.json").read_bytes())
    assert summary["shows"]["young-royals"]["show"]["title"] == "Young Royals"
    # a summary entry is trusted while the digest of its head matches: proven by a title
    # only the summary holds
    summary["shows"]["young-royals"]["show"]["title"] = "From the summary"
    (home / "summary.json").write_text(json.dumps(summary))
    assert _titles(run)["young-royals"] == "From the summary"
    # a head changed behind the summary's back (a crash between the two, a hand edit): the
    # read sees the digest differ, reads the head, and rebuilds the summary
    head = json.loads((home / "shows" / "young-royals.json").read_bytes())
    head["title"] = "Edited by hand"
    (home / "shows" / "young-royals.json").write_text(json.dumps(head))
    assert _titles(run)["young-royals"] == "Edited by hand"
    rebuilt = json.loads((home / "summary.json").read_bytes())
    assert rebuilt["shows"]["young-royals"]["show"]["title"] == "Edited by hand"


@pytest.mark.parametrize("damage", [b"", b"{broken", b'{"schema_version": 99, "shows": {}}'])
def test_a_damaged_summary_is_ignored_and_rebuilt(run: Run, home: Path, damage: bytes) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    run("add-news", "News", "--date", "2026-11-01", "--source", "Me")
    expected = run.json("shows", "list")
    (home / "summary.json").write_bytes(damage)
    assert run.json("shows", "list") == expected
    assert set(json.loads((home / "summary.json").read_bytes())["shows"]) == {"young-royals"}
    assert run.json("doctor")["healthy"] is True


def test_the_summary_follows_every_write_and_removal(run: Run, home: Path) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    run("add-installment", "season", "1", "--release", "2027-03-01", "--show", "young-royals")
    (row,) = [s for s in run.json("shows", "list")["shows"] if s["slug"] == "young-royals"]
    assert row["next"]["release"] == "2027-03-01"
    entry = json.loads((home / "summary.json").read_bytes())["shows"]["young-royals"]
    assert entry["show"]["installments"][0]["release"]["value"] == "2027-03-01"
    run("shows", "remove", "young-royals", "--yes")
    assert "young-royals" not in json.loads((home / "summary.json").read_bytes()).get("shows", {})
    assert "young-royals" not in _titles(run)


def test_a_show_may_hold_more_news_than_one_file_could(home: Path) -> None:
    # the cap on one file's items (MAX_NEWS) bounds a part, not a show: a shipped show grown
    # past it in one write is stored, not mistaken for the unchanged shipped copy or refused
    from datetime import UTC, datetime

    from hstracker.core.dates import PartialDate
    from hstracker.core.model import MAX_NEWS, NewsItem
    from hstracker.store import Store

    added = datetime(2026, 1, 1, tzinfo=UTC)
    store = Store(home)
    with store.transaction() as tx:
        show = tx.show("heartstopper")
        show.news.extend(
            NewsItem(id=f"b{i}", date=PartialDate(2000 + i % 60, i % 12 + 1, 1),
                     headline=f"h{i}", source="s", added=added)
            for i in range(MAX_NEWS + 1)
        )  # fmt: skip
        before = len(show.news)
        tx.put_show(show)
    assert len(store.show("heartstopper").news) == before > MAX_NEWS
