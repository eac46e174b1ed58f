"""Newer shipped data reaching a fan's store: the package's data file is replaced under a store
the fan has changed, and every rule of the merge is checked through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hstracker
from conftest import NOW, snapshot
from hstracker.paths import shipped_dir

SHIPPED = json.loads((shipped_dir() / "heartstopper.json").read_bytes())
OTHER = "other-show"  # a second shipped show, which the fan removes
NEWS_ID = "nupgrade001"


def _source(name: str, day: str) -> dict[str, Any]:
    url = f"https://example.org/{day}"
    return {"name": name, "reported": day, "url": url, "confidence": "confirmed"}


def _installment(data: dict[str, Any], key: str) -> dict[str, Any]:
    kind, number = ("film", 1) if key == "film" else ("season", int(key[1:]))
    return next(i for i in data["installments"] if (i["kind"], i["number"]) == (kind, number))


def _corrected(fact: dict[str, Any], value: Any, source: dict[str, Any]) -> dict[str, Any]:
    """A shipped correction: the new value current, the old one first in its history."""
    old = {"value": fact["value"], "source": fact["source"]}
    return {"value": value, "source": source, "history": [old, *fact.get("history", [])]}


def newer_shipped() -> dict[str, Any]:
    """The shipped show as a later release of hstracker might ship it."""
    data: dict[str, Any] = json.loads(json.dumps(SHIPPED))
    s2, s3 = _installment(data, "s2"), _installment(data, "s3")
    s2["episodes"] = _corrected(s2["episodes"], 10, _source("Netflix", "2026-11-01"))
    s3["episodes"] = _corrected(s3["episodes"], 10, _source("Netflix", "2026-11-02"))
    channel = {"value": "Netflix Kids", "source": _source("Tudum", "2026-11-03")}
    _installment(data, "s1")["channel"] = channel
    data["installments"].append(
        {"kind": "special", "number": 1, "title": "A Heartstopper Christmas",
         "state": {"value": "announced", "source": _source("Netflix", "2026-11-04")}}
    )  # fmt: skip
    data["cast"].append(
        {"character": "Young Nick", "actor": "A. Newcomer", "installments": ["film"],
         "billing": "guest", "source": _source("Deadline", "2026-11-05")}
    )  # fmt: skip
    data["news"].append(
        {"id": NEWS_ID, "date": "2026-11-06", "headline": "A Christmas special is announced",
         "source": "Netflix", "url": "https://example.org/special", "confidence": "confirmed",
         "added": "2026-11-06T00:00:00Z"}
    )  # fmt: skip
    return data


def other_show(title: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(SHIPPED))
    data["slug"], data["title"] = OTHER, title
    return data


class Package:
    """A copy of the hstracker package laid out as the wheel installs it: data inside it."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root, self.home = root, home
        source = Path(hstracker.__file__).parent
        shutil.copytree(source, root / "hstracker", ignore=shutil.ignore_patterns("__pycache__"))
        self.data = root / "hstracker" / "data"
        # an installed (not editable) hstracker already holds its data: this test ships its own
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir()
        self.ship("heartstopper", SHIPPED)
        self.ship(OTHER, other_show("Other Show"))

    def ship(self, slug: str, data: dict[str, Any]) -> None:
        (self.data / f"{slug}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(self.root), "HSTRACKER_HOME": str(self.home),
               "HSTRACKER_NOW": NOW}  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "hstracker", *args], capture_output=True, text=True, env=env,
            timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr
        return done

    def json(self, *args: str) -> Any:
        found: dict[str, Any] = json.loads(self(*args, "--json").stdout)
        return found


def _stored(home: Path) -> dict[str, Any]:
    """The fan's copy as stored, news parts and all, as plain JSON."""
    from hstracker.store import Store
    from hstracker.store.codec import to_builtins

    # read as a transaction reads (seen given): exactly what is stored, no merge on the way
    found: dict[str, Any] = to_builtins(Store(home).read_show("heartstopper", seen={})[0])
    return found


def _fact(show: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    fact: dict[str, Any] = _installment(show, key)[name]
    return fact


def _history_values(fact: dict[str, Any]) -> list[Any]:
    return [claim["value"] for claim in fact.get("history", [])]


@pytest.fixture
def fan(tmp_path: Path, home: Path) -> Package:
    """A fan who corrected a fact, added news, and removed a shipped show, on the old package."""
    pkg = Package(tmp_path / "site", home)
    assert pkg("--version").stdout.startswith("hstracker ")
    pkg("set", "s3", "episodes", "9", "--source", "my own count")
    pkg("add-news", "My fan meetup", "--date", "2026-11-20", "--source", "me")
    pkg("shows", "remove", OTHER, "--yes")
    return pkg


def test_the_package_copy_reads_its_own_data(fan: Package) -> None:
    where = fan("--version")  # the copy, not the checkout, is what runs
    assert where.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", "import hstracker.paths as p; print(p.shipped_dir())"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(fan.root)},
    ).stdout.strip()  # fmt: skip
    assert probe == str(fan.data)


def test_an_upgrade_brings_new_shipped_facts_and_keeps_the_fans(fan: Package) -> None:
    assert not any(c["behind"] for c in fan.json("doctor")["shipped"])
    fan.ship("heartstopper", newer_shipped())
    fan.ship(OTHER, other_show("Other Show, corrected"))
    behind = fan.json("doctor")["shipped"]
    assert behind == [{"show": "heartstopper", "behind": True}]
    assert "behind the shipped data" in fan("doctor").stdout

    fan("status")  # a read: it shows the merged copy and, with the lock free, stores it
    show = _stored(fan.home)
    # new installments, cast, news and facts are added
    assert any(i["kind"] == "special" for i in show["installments"])
    assert any(m["character"] == "Young Nick" for m in show["cast"])
    assert NEWS_ID in [item["id"] for item in show["news"]]
    assert _fact(show, "s1", "channel")["value"] == "Netflix Kids"
    # a shipped correction of a shipped value becomes current; the old value joins the history
    s2 = _fact(show, "s2", "episodes")
    assert s2["value"] == 10 and _history_values(s2) == [8]
    # the fan's correction stays current; the shipped 10 joins its history
    s3 = _fact(show, "s3", "episodes")
    assert s3["value"] == 9 and s3["source"]["by_fan"] is True
    assert sorted(_history_values(s3)) == [8, 10]
    # the fan's own news stays
    assert "My fan meetup" in [item["headline"] for item in show["news"]]
    # the removed show stays removed
    assert OTHER not in [s["slug"] for s in fan.json("shows", "list")["shows"]]
    assert not (fan.home / "shows" / f"{OTHER}.json").exists()
    assert "unknown show" in fan("status", "--show", OTHER, code=3).stderr
    # it was recorded: doctor says current, and the JSON views show the new data
    assert fan.json("doctor")["shipped"] == [{"show": "heartstopper", "behind": False}]
    personal = json.loads((fan.home / "personal.json").read_bytes())
    assert set(personal["shipped"]) == {"heartstopper"}
    seasons = fan.json("seasons")
    assert "sp1" in json.dumps(seasons) or "special" in json.dumps(seasons)


def test_the_merge_happens_once(fan: Package) -> None:
    fan.ship("heartstopper", newer_shipped())
    fan("status")
    fan("cast", "remove", "Young Nick")  # the fan removes what the upgrade brought
    before = snapshot(fan.home)
    fan("status")
    fan("cast")
    assert not any(m["character"] == "Young Nick" for m in _stored(fan.home)["cast"])
    after = snapshot(fan.home)
    assert {k: v for k, v in after.items() if "personal" not in k} == {
        k: v for k, v in before.items() if "personal" not in k
    }


def test_a_read_with_the_lock_held_shows_the_merge_and_the_next_write_stores_it(
    fan: Package,
) -> None:
    from hstracker.store import Store

    fan.ship("heartstopper", newer_shipped())
    before = snapshot(fan.home)
    with Store(fan.home).lock():  # another writer holds the lock: the read must not wait
        seasons = fan.json("seasons")
        news = fan.json("news")
    assert "special" in json.dumps(seasons)
    assert NEWS_ID in [item["id"] for item in news["news"]]
    assert snapshot(fan.home) == before  # nothing was stored while the lock was held
    fan("add-news", "Another meetup", "--date", "2026-11-21", "--source", "me")
    show = _stored(fan.home)
    assert NEWS_ID in [item["id"] for item in show["news"]]
    assert _fact(show, "s3", "episodes")["value"] == 9
    assert fan.json("doctor")["shipped"] == [{"show": "heartstopper", "behind": False}]


def test_any_change_to_the_shipped_bytes_counts_not_only_a_version(fan: Package) -> None:
    fan("status")
    assert fan.json("doctor")["shipped"][0]["behind"] is False
    data = json.loads((fan.data / "heartstopper.json").read_bytes())
    _installment(data, "film")["plot"] = [
        *_installment(data, "film").get("plot", []),
        {"text": "A new plot note.", "source": _source("Attitude", "2026-11-07")},
    ]
    fan.ship("heartstopper", data)
    assert fan.json("doctor")["shipped"][0]["behind"] is True
    fan("status")
    plot = _installment(_stored(fan.home), "film")["plot"]
    assert "A new plot note." in json.dumps(plot)


def test_a_fan_without_a_copy_reads_the_new_shipped_data_directly(
    tmp_path: Path, home: Path
) -> None:
    pkg = Package(tmp_path / "site", home)
    pkg.ship("heartstopper", newer_shipped())
    assert "special" in json.dumps(pkg.json("seasons"))
    assert pkg.json("doctor")["shipped"] == []  # no copy, nothing to be behind
    assert not (home / "shows").exists()


def test_a_damaged_package_file_never_breaks_a_read(fan: Package) -> None:
    (fan.data / "heartstopper.json").write_text("{ not json", encoding="utf-8")
    shown = fan.json("seasons")  # the fan's copy is still read
    assert json.dumps(shown).count("episodes") >= 1
    assert _fact(_stored(fan.home), "s3", "episodes")["value"] == 9


def test_doctor_repair_stores_the_merge(fan: Package) -> None:
    fan.ship("heartstopper", newer_shipped())
    repaired = fan.json("doctor", "--repair")
    assert repaired["shipped"] == [{"show": "heartstopper", "behind": False}]
    assert NEWS_ID in [item["id"] for item in _stored(fan.home)["news"]]
    assert _fact(_stored(fan.home), "s3", "episodes")["value"] == 9


def test_the_record_is_written_after_the_copy_it_vouches_for(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a crash between the two files must leave the copy merged and the record old (the merge
    # runs again, adding nothing twice), never the record new and the copy unmerged
    from hstracker.store import Store, atomic

    real = atomic.write_atomic
    order: list[str] = []

    def recording(path: Path, data: bytes, **kwargs: Any) -> None:
        order.append(path.name)
        real(path, data, **kwargs)

    monkeypatch.setattr(atomic, "write_atomic", recording)
    store = Store(home)
    with store.transaction() as tx:  # personal first, then the show, in the same commit
        personal = tx.personal()
        personal.default_show = "heartstopper"
        tx.put_personal(personal)
        show = tx.show("heartstopper")
        show.title = "Heartstopper!"
        tx.put_show(show)
    # the show's news parts and duplicate index, then the head that lists them, then the
    # record, and last the summary `shows list` reads (derived from the heads)
    index = next(i for i, name in enumerate(order) if name.startswith("keys-"))
    assert index < order.index("heartstopper.json")
    heads = [name for name in order if not name[0].isdigit() and not name.startswith("keys-")]
    assert heads == ["heartstopper.json", "personal.json", "summary.json"]
    assert order[-3:] == heads and len(order) > 3
    assert set(json.loads((home / "personal.json").read_bytes())["shipped"]) == {"heartstopper"}
