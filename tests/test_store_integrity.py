"""Damaged, old, newer and unwritable stores: reported in one line, never overwritten."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.core.model import SCHEMA_VERSION
from hstracker.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures"
COMMANDS = [
    ("status",),
    ("cast",),
    ("news",),
    ("seasons",),
    ("add-news", "New item", "--date", "2026-02-01", "--source", "Me"),
]


def _seed(run: Run, n: int = 5) -> None:
    for i in range(n):
        run("add-news", f"Item {i}", "--date", f"2026-01-{i + 1:02d}", "--source", "Me")


def _good(home: Path) -> bytes:
    return (home / "shows" / "heartstopper.json").read_bytes()


def _news_part(home: Path) -> Path:
    """The part holding the items _seed adds (January 2026): the newest part."""
    head = json.loads(_good(home))
    return home / "shows" / "heartstopper.news" / str(head["parts"][-1]["file"])


def _wrong_date(data: bytes) -> bytes:
    doc = json.loads(data)
    doc["news"][3]["date"] = "2026-02-30"
    return json.dumps(doc).encode()


def _wrong_type(data: bytes) -> bytes:
    doc = json.loads(data)
    doc["news"][1]["tags"] = "not-a-list"
    return json.dumps(doc).encode()


DAMAGE: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (lambda d: d[: len(d) // 2], "truncated: it ends early at line 1 column"),
    "empty": (lambda _d: b"", "the file is empty"),
    "nul-filled": (lambda d: b"\0" * len(d), "invalid character b'\\x00' at line 1 column 1"),
    "doubled": (lambda d: d + d, "trailing characters at line 1 column"),
    "array": (lambda _d: b"[]", "Expected `object`, got `array` at `$`"),
}
# damage inside the news: it lives in a part, which only commands that show news read
NEWS_DAMAGE: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    **DAMAGE,
    "not-utf8": (lambda d: d.replace(b"Item 2", b"Item \xff\xfe2"), "not UTF-8 text: byte 0xff"),
    "bad-date": (_wrong_date, "at `$.news[3].date`"),
    "wrong-type": (_wrong_type, "Expected `array`, got `str` at `$.news[1].tags`"),
}
NEWS_COMMANDS = [args for args in COMMANDS if args[0] in ("status", "news", "add-news")]


# damage to the head fails every command; damage to a news part, every command that reads it
CASES = [("head", damage, args) for damage in DAMAGE for args in COMMANDS] + [
    ("part", damage, args) for damage in NEWS_DAMAGE for args in NEWS_COMMANDS
]


@pytest.mark.parametrize(
    ("target", "damage", "args"), CASES, ids=lambda v: v if isinstance(v, str) else v[0]
)
def test_damaged_show_file_fails_every_command_untouched(
    run: Run, home: Path, target: str, damage: str, args: tuple[str, ...]
) -> None:
    _seed(run)
    path = home / "shows" / "heartstopper.json" if target == "head" else _news_part(home)
    broken, where = NEWS_DAMAGE[damage]
    path.write_bytes(broken(path.read_bytes()))
    before = snapshot(home)
    data = path.read_bytes()
    result = run(*args, code=ExitCode.CORRUPT_STORE)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"hstracker: {path} is damaged: ")
    assert where in err
    assert "Traceback" not in result.stdout + result.stderr
    assert path.read_bytes() == data
    assert snapshot(home) == before


@pytest.mark.parametrize("args", [("cast",), ("seasons",), ("shows", "list"), ("upcoming",)])
def test_a_command_that_shows_no_news_never_reads_it(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    _seed(run)
    _news_part(home).write_bytes(b"{broken")
    run(*args)  # exit 0: the damaged part was never opened


def test_status_reads_only_the_newest_news(run: Run, home: Path) -> None:
    _seed(run)
    head = json.loads(_good(home))
    assert len(head["parts"]) > 2 and "news" not in head
    latest = run.json("news", "--limit", "3")
    since = run.json("news", "--since", "2026-01-03")
    oldest = home / "shows" / "heartstopper.news" / head["parts"][0]["file"]
    oldest.write_bytes(b"{broken")
    assert run.json("status")["news"] == latest["news"]
    assert run.json("news", "--limit", "3") == latest  # its total too, from the head
    assert run.json("news", "--since", "2026-01-03") == since
    result = run("news", "--limit", "1000", code=ExitCode.CORRUPT_STORE)
    assert f"{oldest} is damaged" in result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_damaged_personal_file_fails_every_command(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    path = home / "personal.json"
    path.parent.mkdir(parents=True)
    data = b'{"schema_version": 2, "default_show": 7}'
    path.write_bytes(data)
    result = run(*args, code=ExitCode.CORRUPT_STORE)
    assert f"{path} is damaged: Expected `str | null`, got `int` at `$.default_show`" in (
        result.stderr
    )
    assert path.read_bytes() == data


# migrations


def _install_v1(home: Path) -> Path:
    path = home / "shows" / "heartstopper.json"
    path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "heartstopper-v1.json", path)
    return path


def test_fixture_is_the_old_format() -> None:
    doc = json.loads((FIXTURES / "heartstopper-v1.json").read_bytes())
    assert doc["schema_version"] == 1
    assert any("role" in member for member in doc["cast"])


def test_old_store_is_read_migrated_in_memory_and_left_alone(run: Run, home: Path) -> None:
    _install_v1(home)
    before = snapshot(home)
    cast = run.json("cast", "--season", "1")
    assert "Nick's mum" in [m["note"] for m in cast["cast"]]
    assert snapshot(home) == before  # reading never writes


def test_old_store_is_migrated_on_next_write_with_original_kept(run: Run, home: Path) -> None:
    path = _install_v1(home)
    original = path.read_bytes()
    run("add-news", "After migration", "--date", "2026-02-01", "--source", "Me")
    doc = json.loads(path.read_bytes())
    assert doc["schema_version"] == SCHEMA_VERSION == 4
    assert "news" not in doc and doc["parts"]  # the news moved into parts
    assert all("role" not in m for m in doc["cast"])
    assert any(m.get("note") == "Nick's mum" for m in doc["cast"])
    assert (home / "shows" / "backups" / "heartstopper.json.v1").read_bytes() == original
    # a second write keeps that original as it was
    run("add-news", "Later", "--date", "2026-02-02", "--source", "Me")
    assert (home / "shows" / "backups" / "heartstopper.json.v1").read_bytes() == original
    headlines = [n["headline"] for n in run.json("news", "--limit", "1000")["news"]]
    assert {"Later", "After migration"} <= set(headlines)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_newer_store_is_refused_by_every_command(
    run: Run, home: Path, args: tuple[str, ...]
) -> None:
    path = _install_v1(home)
    doc = json.loads(path.read_bytes())
    doc["schema_version"] = SCHEMA_VERSION + 1
    doc["a_field_from_the_future"] = True
    data = json.dumps(doc).encode()
    path.write_bytes(data)
    result = run(*args, code=ExitCode.NEWER_STORE)
    assert "newer hstracker" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == data


def test_unknown_old_version_is_damage(run: Run, home: Path) -> None:
    path = _install_v1(home)
    data = path.read_bytes().replace(b'"schema_version": 1', b'"schema_version": 0', 1)
    path.write_bytes(data)
    result = run("status", code=ExitCode.CORRUPT_STORE)
    assert "unknown schema version 0 at `$.schema_version`" in result.stderr


# doctor


def test_doctor_on_a_healthy_store(run: Run, home: Path) -> None:
    _seed(run, 2)
    result = run("doctor")
    # the show and personal.json; backups: the mirror (.0) of each, and the show's one before
    assert "Checked 2 store files and 3 backups" in result.stdout
    assert "shows/heartstopper.json is up to date with the shipped data." in result.stdout
    assert "The store is healthy." in result.stdout
    report = run.json("doctor")
    assert report["healthy"] is True
    assert {f["kind"] for f in report["files"]} == {"store", "backup"}


def test_doctor_restores_the_mirror_and_loses_nothing(run: Run, home: Path) -> None:
    _seed(run, 4)
    path = home / "shows" / "heartstopper.json"
    good = path.read_bytes()
    path.write_bytes(b"\0\0\0")
    result = run("doctor", "--repair")
    assert "restored it from" in result.stdout and "heartstopper.json.0" in result.stdout
    assert path.read_bytes() == good
    headlines = {n["headline"] for n in run.json("news", "--limit", "1000")["news"]}
    assert {f"Item {i}" for i in range(4)} <= headlines


def test_doctor_restores_an_older_backup_only_when_told_and_re_adopts_the_news(
    run: Run, home: Path
) -> None:
    _seed(run, 4)  # four writes: the mirror and three rolling backups of the earlier versions
    path = home / "shows" / "heartstopper.json"
    backups = home / "shows" / "backups"
    for gen in (0, 1):  # the mirror and the newest backup are bad too
        (backups / f"heartstopper.json.{gen}").write_bytes(b"{broken")
    good = (backups / "heartstopper.json.2").read_bytes()
    path.write_bytes(b"\0\0\0")
    before = snapshot(home)

    result = run("doctor", "--json", code=ExitCode.CORRUPT_STORE)
    report = json.loads(result.stdout)
    assert report["healthy"] is False
    bad = {f["path"] for f in report["files"] if not f["ok"]}
    assert bad == {str(path), *(str(backups / f"heartstopper.json.{g}") for g in (0, 1))}
    assert "still have problems" in result.stderr
    assert snapshot(home) == before  # checking changes nothing

    # an older backup loses what changed since: named, and done only when the fan says so
    result = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE)
    assert "heartstopper.json.2" in result.stdout and "--accept-loss" in result.stdout
    assert path.read_bytes() == b"\0\0\0"

    result = run("doctor", "--repair", "--accept-loss")
    [aside] = path.parent.glob("heartstopper.json.broken-20261124T12*Z")  # the pinned clock runs
    assert f"kept the damaged file as {aside.name} and restored it from" in result.stdout
    assert "heartstopper.json.2" in result.stdout
    assert "re-adopted 2 news items written since" in result.stdout
    assert "The store is healthy." in result.stdout
    assert aside.read_bytes() == b"\0\0\0"  # the damaged file is kept
    assert json.loads(path.read_bytes())["title"] == json.loads(good)["title"]
    headlines = [n["headline"] for n in run.json("news", "--limit", "1000")["news"]]
    # the news written after that backup comes back from the parts that hold it
    assert {f"Item {i}" for i in range(4)} <= set(headlines)
    assert len(headlines) == len(set(headlines))
    assert run.json("doctor")["healthy"] is True


def test_doctor_repair_without_a_good_backup_leaves_the_file(run: Run, home: Path) -> None:
    path = home / "personal.json"
    home.mkdir()
    path.write_bytes(b"{}{}")
    result = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE)
    assert "found no good backup" in result.stdout
    assert path.read_bytes() == b"{}{}"


def test_doctor_leaves_a_newer_file_untouched(run: Run, home: Path) -> None:
    path = _install_v1(home)
    data = path.read_bytes().replace(b'"schema_version": 1', b'"schema_version": 9', 1)
    path.write_bytes(data)
    result = run("doctor", "--repair", code=ExitCode.CORRUPT_STORE)
    assert "left it untouched" in result.stdout
    assert path.read_bytes() == data


def test_doctor_repair_removes_leftover_temp_files(run: Run, home: Path) -> None:
    _seed(run, 1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    tmp = home / "shows" / f".hstracker-{int(dead.stdout)}-deadbeef.tmp"  # its writer is gone
    tmp.write_bytes(b'{"half": ')
    legacy = home / "shows" / ".heartstopper.json.0badf00d.tmp"  # an earlier version's, old
    legacy.write_bytes(b"{")
    os.utime(legacy, (1, 1))
    draft = home / "shows" / ".draft.tmp"  # not a name hstracker makes: never touched
    draft.write_bytes(b"mine")
    report = run("doctor").stdout
    assert report.count("a temp file left by an interrupted write") == 2
    assert ".draft.tmp" not in report
    assert tmp.exists()
    run("doctor", "--repair")
    assert not tmp.exists()
    assert not legacy.exists()
    assert draft.read_bytes() == b"mine"


# disk errors at the OS boundary


def _fail_on(monkeypatch: pytest.MonkeyPatch, name: str, code: int) -> list[Any]:
    calls: list[Any] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, name, failing)
    return calls


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EACCES])
@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
def test_disk_errors_leave_the_store_unchanged(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    _seed(run, 3)
    before = snapshot(home)
    calls = _fail_on(monkeypatch, call, code)
    result = run(*COMMANDS[-1], code=ExitCode.DISK)
    monkeypatch.undo()
    assert calls
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    # the first file written: the new news part (heartstopper.news/...), before the head
    assert f"could not write {home / 'shows' / 'heartstopper.'}" in err
    assert f": {os.strerror(code)}" in err
    assert "the store is unchanged" in err
    assert snapshot(home) == before  # no temp file, no rotated backup, same bytes
    assert not list(home.rglob("*.tmp"))


def test_write_refuses_to_replace_a_damaged_file_it_never_read(run: Run, home: Path) -> None:
    from hstracker.core.model import Personal
    from hstracker.errors import StoreCorrupt
    from hstracker.store import Store

    path = home / "personal.json"
    home.mkdir()
    path.write_bytes(b"{oops")
    with pytest.raises(StoreCorrupt), Store(home).transaction() as tx:
        tx.put_personal(Personal())
    assert path.read_bytes() == b"{oops"


def test_old_store_too_damaged_to_migrate(run: Run, home: Path) -> None:
    path = _install_v1(home)
    doc = json.loads(path.read_bytes())
    doc["cast"] = 5
    data = json.dumps(doc).encode()
    path.write_bytes(data)
    result = run("cast", code=ExitCode.CORRUPT_STORE)
    assert f"{path} could not be migrated from schema 1: TypeError" in result.stderr
    assert path.read_bytes() == data
