"""The duplicate index: add-news reads only the part it writes, yet refuses every duplicate."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.core.dates import PartialDate
from hstracker.core.model import NewsItem
from hstracker.errors import ExitCode
from hstracker.store import Store

SHOW = Path("shows") / "heartstopper.json"
PARTS = Path("shows") / "heartstopper.news"
BUSY = 1500  # items in 2025: more than layout.SPLIT, so 2025 is one part per month


def _head(home: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((home / SHOW).read_bytes())
    return found


def _url(i: int) -> str:
    return f"https://example.org/story/{i}"


def _store(home: Path, busy: int = BUSY) -> None:
    """Years of news (2015-2024), each item with a URL, and a busy 2025 cut into months."""
    added = datetime(2026, 1, 1, tzinfo=UTC)
    days = [f"{2015 + i % 10}-{i % 12 + 1:02d}-{i % 28 + 1:02d}" for i in range(200)]
    days += [f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}" for i in range(busy)]
    with Store(home).transaction() as tx:
        show = tx.show("heartstopper")
        show.news.extend(
            NewsItem(
                id=f"bulk{i}",
                date=PartialDate.parse(day),
                headline=f"Bulk item {i}",
                source="Bulk",
                url=_url(i),
                added=added,
            )
            for i, day in enumerate(days)
        )
        tx.put_show(show)


def _add(run: Run, headline: str, date: str, *extra: str, code: int = 0) -> Any:
    return run("add-news", headline, "--date", date, "--source", "Me", *extra, code=code)


def _parts(home: Path) -> dict[str, str]:
    return {part["key"]: part["file"] for part in _head(home)["parts"]}


def test_add_news_reads_only_the_part_it_writes(run: Run, home: Path) -> None:
    _store(home)
    parts = _parts(home)
    assert "2025-03" in parts and "2025" not in parts  # the busy year is cut into months
    kept = {key: (home / PARTS / name).read_bytes() for key, name in parts.items()}
    for key, name in parts.items():
        if key != "2025-03":  # every other part unreadable: reading one would fail
            (home / PARTS / name).write_bytes(b"{broken")
    _add(run, "A March story", "2025-03-10", "--url", "https://example.org/new")
    after = _parts(home)
    assert {k for k in after if after[k] != parts.get(k)} == {"2025-03"}
    for key, data in kept.items():
        if key != "2025-03":
            (home / PARTS / parts[key]).write_bytes(data)
    assert run.json("doctor")["healthy"] is True
    # and a new year, with no part yet, reads no part at all
    for name in after.values():
        (home / PARTS / name).write_bytes(b"{broken")
    # a clock in the new year: news is never dated after today
    later = "2027-01-06T12:00:00+00:00"
    run("add-news", "Next year", "--date", "2027-01-05", "--source", "Me", HSTRACKER_NOW=later)
    assert set(_parts(home)) == {*after, "2027"}


@pytest.mark.parametrize(
    ("headline", "date", "url"),
    [
        ("Fresh headline", "2026-11-20", _url(7)),  # the URL of a 2022 item
        ("Fresh headline", "2026-11-20", _url(7) + "/"),  # a trailing slash is the same URL
        ("Fresh headline", "2026-11-20", _url(1250)),  # in one month of the busy year
        ("  bulk ITEM   7 ", "2022-08-08", None),  # the same headline, case and spaces aside
    ],
)
def test_duplicates_are_refused_through_the_index(
    run: Run, home: Path, headline: str, date: str, url: str | None
) -> None:
    _store(home)
    before = snapshot(home)
    result = _add(run, headline, date, *(["--url", url] if url else []), code=ExitCode.ERROR)
    number = 1250 if url and "1250" in url else 7
    assert f"this news is already stored as bulk{number} " in result.stderr
    assert snapshot(home) == before


def test_what_the_rule_tells_apart_is_added(run: Run, home: Path) -> None:
    _store(home)
    _add(run, "Other", "2026-11-20", "--url", _url(7).upper())  # URLs compare exactly
    _add(run, "Bulk item 7", "2022-08-09")  # the same headline on another day
    # an edited headline keeps its id: a new item with the old headline gets the next one
    _add(run, "Story", "2026-11-21")
    first = run.json("news", "--limit", "1")["news"][0]["id"]
    run("edit-news", first, "--headline", "Story, edited")
    _add(run, "Story", "2026-11-21")
    assert run.json("news", "--limit", "1")["news"][0]["id"] == f"{first}-2"
    assert run.json("doctor")["healthy"] is True


def test_a_write_that_keeps_the_parts_keeps_the_index(run: Run, home: Path) -> None:
    _store(home)
    keys = _head(home)["keys"]
    run("set", "film", "episodes", "1", "--source", "Me")
    assert _head(home)["keys"] == keys
    _add(run, "New", "2026-11-20")
    assert _head(home)["keys"] != keys
    assert (home / PARTS / keys).exists()  # a backup of the head lists it, as its parts
    for day in range(21, 24):  # three more writes rotate that backup away
        _add(run, "New", f"2026-11-{day}")
    assert not (home / PARTS / keys).exists()


def _rewrite_index(home: Path, change: Any) -> None:
    """Change the index's JSON by change(doc); name it by its digest and list it in the head,
    as a hand edit that knows the format would."""
    from hstracker.store.dupkeys import name_of

    head = _head(home)
    old = home / PARTS / head["keys"]
    doc = json.loads(old.read_bytes())
    change(doc)
    data = json.dumps(doc, separators=(",", ":")).encode()
    head["keys"] = name_of(data)
    (home / PARTS / head["keys"]).write_bytes(data)
    (home / SHOW).write_text(json.dumps(head))


def _forget_url(doc: Any) -> None:
    """Drop every URL key of the part holding bulk7 (2022), keeping the lengths valid."""
    for entry in doc["parts"].values():
        entry["urls"] = "0" * len(entry["urls"])


def test_an_index_that_disagrees_with_its_parts_is_found_and_rebuilt(run: Run, home: Path) -> None:
    _store(home)
    _rewrite_index(home, _forget_url)
    report = json.loads(run("doctor", "--json", code=ExitCode.CORRUPT_STORE).stdout)
    problems = [f["problem"] for f in report["files"] if f["problem"]]
    assert any("duplicate index disagrees with its news part" in p for p in problems)
    repaired = run("doctor", "--repair")
    assert "rebuilt it from the news parts" in repaired.stdout
    assert run.json("doctor")["healthy"] is True
    result = _add(run, "Fresh", "2026-11-20", "--url", _url(7), code=ExitCode.ERROR)
    assert "already stored as bulk7" in result.stderr


@pytest.mark.parametrize("damage", ["edited", "cut", "missing", "other parts"])
def test_a_damaged_index_is_never_trusted(run: Run, home: Path, damage: str) -> None:
    _store(home)
    index = home / PARTS / _head(home)["keys"]
    if damage == "edited":  # its bytes no longer match the digest in its name
        doc = json.loads(index.read_bytes())
        _forget_url(doc)
        index.write_text(json.dumps(doc, separators=(",", ":")))
    elif damage == "cut":
        index.write_bytes(index.read_bytes()[:-100])
    elif damage == "missing":
        index.unlink()
    else:  # named right, but for other parts than the head lists

        def drop(doc: Any) -> None:
            doc["parts"].pop(min(doc["parts"]))

        _rewrite_index(home, drop)
    before = snapshot(home)
    # the slow path, reading every part, still refuses the duplicate and writes nothing
    result = _add(run, "Fresh", "2026-11-20", "--url", _url(7), code=ExitCode.ERROR)
    assert "already stored as bulk7" in result.stderr
    assert snapshot(home) == before
    assert run("doctor", code=ExitCode.CORRUPT_STORE).stdout
    run("doctor", "--repair")
    assert run.json("doctor")["healthy"] is True
    _add(run, "Fresh", "2026-11-20")  # and the next write lists a good index
    assert Store(home).check_keys(home / SHOW) is None


def test_a_hash_match_alone_never_refuses(run: Run, home: Path) -> None:
    from hstracker.store.dupkeys import WIDTH, url_key

    _store(home)
    url = "https://example.org/never-stored"

    def plant(doc: Any) -> None:  # as a collision would: another item's key, the same hash
        for entry in doc["parts"].values():
            entry["urls"] = url_key(url) + entry["urls"][WIDTH:]

    _rewrite_index(home, plant)
    _add(run, "Fresh", "2026-11-20", "--url", url)  # every matching part read, none holds it
    assert run.json("news", "--limit", "1")["news"][0]["url"] == url


def test_edit_and_remove_read_only_the_parts_that_may_hold_the_item(run: Run, home: Path) -> None:
    _store(home)
    parts = _parts(home)
    kept = {key: (home / PARTS / name).read_bytes() for key, name in parts.items()}
    for key, name in parts.items():
        if key != "2022":  # bulk7 is dated 2022-08-08
            (home / PARTS / name).write_bytes(b"{broken")
    run("edit-news", "bulk7", "--headline", "Bulk item 7, edited")
    run("remove-news", "bulk17")  # 2022 as well
    run("remove-news", "bulk17", code=ExitCode.NOT_FOUND)
    after = _parts(home)
    assert {k for k in after if after[k] != parts[k]} == {"2022"}
    for key, data in kept.items():
        if key != "2022":
            (home / PARTS / parts[key]).write_bytes(data)
    assert run.json("doctor")["healthy"] is True
    news = run.json("news", "--since", "2022-08-08", "--limit", "100000", "--spoilers")["news"]
    ids = {n["id"]: n["headline"] for n in news}
    assert ids["bulk7"] == "Bulk item 7, edited" and "bulk17" not in ids


def test_an_edit_into_a_duplicate_in_another_part_is_refused(run: Run, home: Path) -> None:
    _store(home)
    before = snapshot(home)
    result = run("edit-news", "bulk7", "--url", _url(1250) + "/", code=ExitCode.ERROR)
    assert "already stored as bulk1250 " in result.stderr
    assert snapshot(home) == before


def test_a_removal_that_leaves_a_year_quiet_joins_its_months(run: Run, home: Path) -> None:
    from hstracker.store.layout import SPLIT

    shipped = Store(home / "none").show("heartstopper").news
    _store(home, busy=SPLIT + 1 - sum(item.date.year == 2025 for item in shipped))
    assert sum(p["count"] for p in _head(home)["parts"] if p["key"][:4] == "2025") == SPLIT + 1
    run("remove-news", "bulk300")  # one of 2025's
    after = _parts(home)
    assert "2025" in after and not any(k.startswith("2025-") for k in after)
    assert run.json("doctor")["healthy"] is True
    total = run.json("news", "--limit", "100000", "--spoilers")["total"]
    assert total == 200 + SPLIT + sum(item.date.year != 2025 for item in shipped)
