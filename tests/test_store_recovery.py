"""Issue 21's repros through the real CLI: nothing acknowledged is lost, whatever one file does."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from hstracker.errors import ExitCode
from hstracker.paths import shipped_dir

SHOW = Path("shows") / "heartstopper.json"
PARTS = Path("shows") / "heartstopper.news"
COPIES = Path("shows") / "backups" / "heartstopper.news"


def _head(home: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((home / SHOW).read_bytes())
    return found


def _news(run: Run) -> dict[str, dict[str, Any]]:
    """Every item the fan sees (spoilers too), by id."""
    return {n["id"]: n for n in run.json("news", "--spoilers", "--limit", "100000")["news"]}


def _id_of(run: Run, headline: str) -> str:
    [found] = [i for i, n in _news(run).items() if n["headline"] == headline]
    return found


def _files_holding(home: Path, text: bytes) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file() and text in p.read_bytes()]


def test_repro_1_a_damaged_head_loses_no_news(run: Run, home: Path) -> None:
    run("add-news", "Item one", "--date", "2026-11-20", "--source", "T1")
    run("add-news", "Item two", "--date", "2026-11-21", "--source", "T2")
    os.truncate(home / SHOW, 100)
    result = run("doctor", "--repair")
    assert "heartstopper.json.0" in result.stdout  # the mirror: what the last write wrote
    assert {"Item one", "Item two"} <= {n["headline"] for n in _news(run).values()}
    again = run("doctor", "--repair").stdout
    assert "temp:" not in again and "The store is healthy." in again
    assert _files_holding(home, b"Item two")


def test_repro_1_edits_and_removals_survive_a_damaged_head(run: Run, home: Path) -> None:
    for i in range(3):
        run("add-news", f"Item {i}", "--date", f"2026-11-2{i}", "--source", "T")
    run("edit-news", _id_of(run, "Item 0"), "--headline", "Item 0 edited")
    run("remove-news", _id_of(run, "Item 1"))
    os.truncate(home / SHOW, 100)
    run("doctor", "--repair")
    headlines = {n["headline"] for n in _news(run).values()}
    assert {"Item 0 edited", "Item 2"} <= headlines
    assert not {"Item 0", "Item 1"} & headlines  # no edit reverted, no removal undone


def test_repro_1_an_older_head_re_adopts_edits_and_keeps_removals(run: Run, home: Path) -> None:
    """With the mirror gone too, the older head comes back only when the fan says so, and
    the news the lineage of the parts gives comes with it: added, edited, removed."""
    for i in range(3):
        run("add-news", f"Item {i}", "--date", f"2026-11-2{i}", "--source", "T")
    run("edit-news", _id_of(run, "Item 0"), "--headline", "Item 0 edited")
    run("remove-news", _id_of(run, "Item 1"))
    os.truncate(home / SHOW, 100)
    (home / "shows" / "backups" / "heartstopper.json.0").unlink()
    named = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE).stdout
    assert "heartstopper.json.1" in named and "--accept-loss" in named
    assert (home / SHOW).stat().st_size == 100  # nothing done without consent
    run("doctor", "--repair", "--accept-loss")
    headlines = [n["headline"] for n in _news(run).values()]
    assert {"Item 0 edited", "Item 2"} <= set(headlines)
    assert not {"Item 0", "Item 1"} & set(headlines)
    assert len(headlines) == len(set(headlines))
    assert run.json("doctor")["healthy"] is True


def test_repro_1_an_import_then_a_damaged_head(run: Run, home: Path, tmp_path: Path) -> None:
    doc = json.loads((shipped_dir() / "heartstopper.json").read_bytes())
    shared = tmp_path / "shared.json"
    run("export", "--output", str(shared))
    doc = json.loads(shared.read_bytes())
    item = doc["show"]["news"][0]
    doc["show"]["news"] = [
        {**item, "id": f"imp{i}", "headline": f"Imported {i}", "url": None} for i in range(3000)
    ]
    shared.write_text(json.dumps(doc))
    run("import", str(shared))
    os.truncate(home / SHOW, 100)
    run("doctor", "--repair")
    assert {f"imp{i}" for i in range(3000)} <= set(_news(run))
    run("add-news", "After", "--date", "2026-11-22", "--source", "T")  # and no write deletes them
    assert {f"imp{i}" for i in range(3000)} <= set(_news(run))


def _v3_store(home: Path) -> None:
    doc = json.loads((shipped_dir() / "heartstopper.json").read_bytes())
    doc["schema_version"] = 3
    (home / SHOW).parent.mkdir(parents=True)
    (home / SHOW).write_bytes(json.dumps(doc).encode())


def test_repro_2_an_upgraded_store_is_never_rolled_back_to_the_original(
    run: Run, home: Path
) -> None:
    _v3_store(home)
    for i in range(10):
        run("add-news", f"Since {i}", "--date", f"2026-11-{i + 10}", "--source", "T")
    oldest = home / PARTS / _head(home)["parts"][0]["file"]  # every backup lists it
    data = oldest.read_bytes()
    oldest.write_bytes(data[:-1])  # a one-byte cut
    result = run("doctor", "--repair")
    assert "restored it from its copy" in result.stdout
    assert ".v3" not in result.stdout
    assert {f"Since {i}" for i in range(10)} <= {n["headline"] for n in _news(run).values()}
    assert oldest.read_bytes() == data


def test_repro_2_the_original_is_chosen_only_when_nothing_newer_verifies_and_never_silently(
    run: Run, home: Path
) -> None:
    _v3_store(home)
    run("add-news", "Since the upgrade", "--date", "2026-11-10", "--source", "T")
    backups = home / "shows" / "backups"
    for path in [home / SHOW, *backups.glob("heartstopper.json.[0-9]")]:
        path.write_bytes(b"{")
    named = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE).stdout
    assert "heartstopper.json.v3" in named and "--accept-loss" in named
    result = run("doctor", "--repair", "--accept-loss").stdout
    assert "heartstopper.json.v3" in result and "re-adopted 1 news item" in result
    assert "Since the upgrade" in {n["headline"] for n in _news(run).values()}


def test_repro_3_one_damaged_old_part_is_restored_from_its_copy(run: Run, home: Path) -> None:
    run("add-news", "Old", "--date", "2023-05-01", "--source", "T")
    run("add-news", "New", "--date", "2026-11-01", "--source", "T")
    [part] = [p for p in _head(home)["parts"] if p["key"] == "2023"]
    path = home / PARTS / part["file"]
    os.truncate(path, 100)
    run("news", code=ExitCode.CORRUPT_STORE)
    run("export", code=ExitCode.CORRUPT_STORE)
    run("doctor", "--repair")
    assert {"Old", "New"} <= {n["headline"] for n in _news(run).values()}
    run("export")


def test_repro_3_a_part_and_its_copy_damaged_is_named_and_dropped_only_when_told(
    run: Run, home: Path
) -> None:
    run("add-news", "Old", "--date", "2023-05-01", "--source", "T")
    run("add-news", "New", "--date", "2026-11-01", "--source", "T")
    [part] = [p for p in _head(home)["parts"] if p["key"] == "2023"]
    for folder in (PARTS, COPIES):
        os.truncate(home / folder / part["file"], 100)
    named = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE).stdout
    assert "cannot be read" in named and "--accept-loss" in named
    run("news", code=ExitCode.CORRUPT_STORE)  # the verdict is the reads' verdict
    result = run("doctor", "--repair", "--accept-loss").stdout
    assert "dropped it from the show" in result
    headlines = {n["headline"] for n in _news(run).values()}
    assert "New" in headlines and "Old" not in headlines
    assert list((home / PARTS).glob(f"{part['file']}.broken-*"))  # kept aside, not deleted
    assert run.json("doctor")["healthy"] is True


def _index(home: Path) -> Path:
    return home / PARTS / str(_head(home)["keys"])


@pytest.mark.parametrize("kind", ["folder", "fifo", "link"])
def test_repro_4_an_index_that_is_not_a_file_is_reported_and_fixed(
    run: Run, home: Path, kind: str
) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "T")
    index = _index(home)
    index.unlink()
    if kind == "folder":
        index.mkdir()
    elif kind == "fifo":
        os.mkfifo(index)
    else:
        index.symlink_to(home / "personal.json")
    report = json.loads(run("doctor", "--json", code=ExitCode.CORRUPT_STORE).stdout)
    assert any("not a regular file" in (f["problem"] or "") for f in report["files"])
    run("doctor", "--repair")
    assert run.json("doctor")["healthy"] is True
    run("add-news", "Two", "--date", "2026-11-02", "--source", "T")
    item = _id_of(run, "Two")
    run("edit-news", item, "--headline", "Two edited")
    run("remove-news", item)
    assert run.json("doctor")["healthy"] is True


def test_repro_5_a_part_listed_twice_is_refused_and_repaired(run: Run, home: Path) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "T")
    head = _head(home)
    head["parts"].append(head["parts"][-1])
    (home / SHOW).write_text(json.dumps(head))
    result = run("news", code=ExitCode.CORRUPT_STORE)
    assert "a second time" in result.stderr
    run("add-news", "Two", "--date", "2026-11-02", "--source", "T", code=ExitCode.CORRUPT_STORE)
    run("doctor", code=ExitCode.CORRUPT_STORE)
    run("doctor", "--repair")
    ids = list(_news(run))
    assert len(ids) == len(set(ids))
    run("add-news", "Two", "--date", "2026-11-02", "--source", "T")


def test_repro_5_ids_used_twice_are_reported_and_one_of_each_kept(run: Run, home: Path) -> None:
    run("add-news", "One", "--date", "2026-11-01", "--source", "T")
    run("add-news", "Two", "--date", "2026-11-02", "--source", "T")
    # a hand edit gives two items one id; the part's digest is dropped with it
    head = _head(home)
    path = home / PARTS / head["parts"][-1]["file"]
    body = json.loads(path.read_bytes())
    body["news"][-1]["id"] = body["news"][-2]["id"]
    path.write_text(json.dumps(body))
    del head["parts"][-1]["digest"]
    (home / SHOW).write_text(json.dumps(head))
    report = json.loads(run("doctor", "--json", code=ExitCode.CORRUPT_STORE).stdout)
    assert any("reuse an id" in (f["problem"] or "") for f in report["files"])
    run("doctor", "--repair")
    ids = [n["id"] for n in run.json("news", "--spoilers", "--limit", "1000")["news"]]
    assert len(ids) == len(set(ids))


def test_repro_6_the_free_id_search_is_linear_in_what_it_reads(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from hstracker.core.dates import PartialDate
    from hstracker.core.model import NewsItem
    from hstracker.core.news import news_id
    from hstracker.store import Store, dupkeys

    day = PartialDate.parse("2026-11-01")
    base = news_id(day, "Same story")
    added = datetime(2026, 11, 1, tzinfo=UTC)
    with Store(home).transaction() as tx:
        show = tx.show("heartstopper")
        show.news.extend(
            NewsItem(
                id=base if i == 1 else f"{base}-{i}",
                date=PartialDate.parse(f"2026-{i % 12 + 1:02d}-02"),
                headline=f"Other {i}",
                source="T",
                added=added,
            )
            for i in range(1, 3001)
        )
        tx.put_show(show)
    lookups = 0
    real = dupkeys.StoredKeys._read_where  # noqa: SLF001 - the lookups are what is counted

    def counted(self: dupkeys.StoredKeys, field: str, key: str) -> None:
        nonlocal lookups
        lookups += field == "ids"
        real(self, field, key)

    monkeypatch.setattr(dupkeys.StoredKeys, "_read_where", counted)
    run("add-news", "Same story", "--date", "2026-11-01", "--source", "T")
    assert f"{base}-3001" in _news(run)
    # one hash lookup per part read (12 months, and one to finish), not one per id tried
    assert lookups <= 14, lookups


def test_repro_7_export_then_import_keeps_edits_and_removals_of_shipped_items(
    run: Run, home: Path, tmp_path: Path
) -> None:
    shipped = _news(run)
    first, second = sorted(shipped)[:2]
    run("edit-news", first, "--headline", "Edited by the fan")
    run("remove-news", second)
    view = _news(run)
    shared = tmp_path / "mine.json"
    run("export", "--output", str(shared))
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(shared))
    again = {
        n["id"]: n
        for n in run.json("--data-dir", str(fresh), "news", "--spoilers", "--limit", "1000")["news"]
    }
    assert again == view
    assert again[first]["headline"] == "Edited by the fan" and second not in again


def test_repro_7_a_removed_shows_parts_survive_writes_to_a_show_reusing_its_slug(
    run: Run, home: Path
) -> None:
    run("shows", "add", "Old Show", "--platform", "X")
    run("add-news", "Old news", "--date", "2026-11-01", "--source", "T", "--show", "old-show")
    parts = {p.name: p.read_bytes() for p in (home / "shows" / "old-show.news").iterdir()}
    run("shows", "remove", "old-show", "--yes")
    run("shows", "add", "Old Show", "--platform", "Y")
    for i in range(4):
        day = f"2026-11-0{i + 2}"
        run("add-news", f"New {i}", "--date", day, "--source", "T", "--show", "old-show")
    [kept] = (home / "shows" / "backups" / "removed").glob("old-show-*")
    for name, data in parts.items():  # never deleted, nor taken for the new show's own
        assert (kept / "old-show.news" / name).read_bytes() == data
    assert json.loads((kept / "old-show.json.1").read_bytes())["title"] == "Old Show"
    headlines = [n["headline"] for n in run.json("news", "--show", "old-show")["news"]]
    assert "Old news" not in headlines
    assert run.json("doctor")["healthy"] is True
