"""Issue 17: a hostile store folder. Silent damage, writes and deletes outside the store, paths
that fail, hostile JSON, unclean paths, and readers racing writers. Every bad case ends in one
line on stderr starting with `hstracker:`, a named exit code, and the store unchanged."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, snapshot
from hstracker.core.dates import PartialDate
from hstracker.core.model import Personal, Show, ShowProgress, SourceUnit
from hstracker.errors import ExitCode, InvalidInput, StoreCorrupt, StoreTooNew
from hstracker.store import Store, parse_store_file
from hstracker.store.codec import encode

Cli = Callable[..., subprocess.CompletedProcess[str]]
ADD = ("add-news", "Hostile", "--date", "2026-01-02", "--source", "T")
SHOW = Path("shows") / "heartstopper.json"


def refused(result: Any, code: int, *needles: str) -> str:
    """One line on stderr, starting with hstracker:, the code named, no unexpected error."""
    err: str = result.stderr
    assert result.exit_code == code, f"exit {result.exit_code}, wanted {code}: {err}"
    assert code in set(ExitCode)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hstracker: "), err
    assert "unexpected error" not in err and "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


def refused_proc(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    class Shim:
        exit_code = result.returncode
        stderr = result.stderr

    return refused(Shim(), code, *needles)


@pytest.fixture
def seeded(run: Run, home: Path) -> Path:
    """A store with the fan's own show file and one rolling backup of it."""
    run("add-news", "Seed 1", "--date", "2026-01-01", "--source", "Me")
    run("add-news", "Seed 2", "--date", "2026-01-01", "--source", "Me")
    return home


# 1. silent damage: blank show references


BLANKS = ["", "  ", "\t", "\x1b", "\x07\x1b\x9b", " \x00 "]


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize(
    "args",
    [
        ("shows", "remove", "{}", "--yes"),
        ("shows", "use", "{}"),
        ("shows", "link", "{}", "--tvmaze", "5"),
        (*ADD, "--show", "{}"),
        ("set", "s3", "episodes", "9", "--source", "x", "--show", "{}"),
        ("status", "--show", "{}"),
        ("news", "--show", "{}"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_blank_show_reference_never_means_the_default(
    run: Run, seeded: Path, args: tuple[str, ...], blank: str
) -> None:
    before = snapshot(seeded)
    result = run(*(blank if a == "{}" else a for a in args), code=None)
    refused(result, ExitCode.USAGE, "is blank", "--show")
    assert snapshot(seeded) == before
    assert "heartstopper" in [s["slug"] for s in run.json("shows", "list")["shows"]]


# 1. silent damage: what is written must read back


@pytest.mark.parametrize(
    "now",
    [
        "2150-06-01T00:00:00+00:00",
        "1800-01-01T00:00:00+00:00",
        "2100-12-31T23:00:00-02:00",  # 2101 in UTC
        "0001-01-01T00:00:00+14:00",  # before datetime's first instant
        "9999-12-31T23:59:59-14:00",  # after its last
        "1900-01-01T00:00:00+01:00",  # 1899 in UTC
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        ("set", "s3", "episodes", "9", "--source", "x"),
        ADD,
        ("status",),
        ("countdown",),
        ("upcoming",),
    ],
)
def test_a_clock_outside_the_stored_years_is_refused(
    run: Run, seeded: Path, now: str, args: tuple[str, ...]
) -> None:
    before = snapshot(seeded)
    refused(run(*args, code=None, HSTRACKER_NOW=now), ExitCode.USAGE, "HSTRACKER_NOW")
    assert snapshot(seeded) == before
    run("status")  # the store still reads


def test_a_strange_tz_is_harmless(seeded: Path, cli_subprocess: Cli) -> None:
    for i, tz in enumerate(("UTC+99", "XYZ-99:99", ":/nonexistent", "\x1b")):
        add = ("add-news", f"TZ {i}", "--date", "2026-01-02", "--source", "T")
        for args in (("status",), ("countdown",), ("calendar", "--ics"), add):
            result = cli_subprocess(*args, env={"TZ": tz})
            assert result.returncode in (0, ExitCode.USAGE), result.stderr
            assert "unexpected error" not in result.stderr
            assert "Traceback" not in result.stderr


def _change_refused(home: Path, change: Callable[[Show, Personal], None]) -> str:
    store = Store(home)
    before = snapshot(home)

    def write() -> None:
        with store.transaction() as tx:
            show, personal = tx.show("heartstopper"), tx.personal()
            change(show, personal)
            tx.put_personal(personal)
            tx.put_show(show)

    with pytest.raises(InvalidInput) as caught:
        write()
    assert snapshot(home) == before
    assert "would not read back" in caught.value.message
    assert "nothing was written" in caught.value.message
    store.show("heartstopper")  # still reads, news and all
    return caught.value.message


def _date_2150(show: Show, personal: Personal) -> None:
    show.news[0].date = PartialDate(2150, 6, 1)


def _huge_volume(show: Show, personal: Personal) -> None:
    show.source_work.units.append(SourceUnit(number=30_000_000))


def _huge_read(show: Show, personal: Personal) -> None:
    personal.progress["heartstopper"] = ShowProgress(read=[100_000_000])


def _too_many_tags(show: Show, personal: Personal) -> None:
    show.news[0].tags = [f"t{i}" for i in range(500)]


@pytest.mark.parametrize("change", [_date_2150, _huge_volume, _huge_read, _too_many_tags])
def test_a_change_that_would_not_read_back_is_never_written(
    seeded: Path, change: Callable[[Show, Personal], None]
) -> None:
    _change_refused(seeded, change)


def test_a_refused_write_on_the_command_line_is_one_line(
    run: Run, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from hstracker.cli.context import AppContext

    # a clock that got past its own check: the write is the last line of defence
    monkeypatch.setattr(AppContext, "now", lambda _self: datetime(2150, 6, 1, tzinfo=UTC))
    before = snapshot(seeded)
    result = run("set", "s3", "episodes", "9", "--source", "x", code=None)
    refused(result, ExitCode.USAGE, "would not read back", "2150", "nothing was written")
    assert snapshot(seeded) == before


@pytest.mark.parametrize("confidence", ["reported", "confirmed", "rumour"])
def test_an_edit_that_changes_nothing_rewrites_nothing(
    run: Run, home: Path, confidence: str
) -> None:
    # a typed confidence that equals the default must be stored as a read gives it back;
    # otherwise a later edit that changes nothing rewrites the file and rotates a backup
    run(*ADD, "--confidence", confidence)
    run("watched", "s1")
    before = snapshot(home)
    store = Store(home)
    with store.edit_show("heartstopper"):
        pass
    with store.edit_personal():
        pass
    assert snapshot(home) == before


# 1. silent damage: doctor --repair keeps a main file at every moment


def _damaged_with_backup(run: Run, home: Path) -> tuple[Path, bytes]:
    run("add-news", "One", "--date", "2026-01-01", "--source", "Me")
    run("add-news", "Two", "--date", "2026-01-01", "--source", "Me")
    path = home / SHOW
    good = path.read_bytes()  # the mirror (backups/heartstopper.json.0) holds these bytes
    path.write_bytes(b"\0damaged")
    return path, good


@pytest.mark.parametrize("crash_at", ["aside", "restore"])
def test_a_repair_that_dies_midway_leaves_the_damaged_file_reported(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    from hstracker.store import doctor

    path, good = _damaged_with_backup(run, home)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # as good as a kill: nothing after it runs

    with monkeypatch.context() as patched:  # undo() would drop the test's HSTRACKER_HOME too
        patched.setattr(doctor, "keep_aside" if crash_at == "aside" else "write_atomic", crash)
        refused(run("doctor", "--repair", code=None), ExitCode.INTERRUPTED)
    assert path.read_bytes() == b"\0damaged"  # never missing, never shipped data in its place
    refused(run("doctor", code=None), ExitCode.CORRUPT_STORE, "still have problems")
    refused(run("status", code=None), ExitCode.CORRUPT_STORE, "is damaged")
    run("doctor", "--repair")
    assert path.read_bytes() == good
    kept = sorted(p.read_bytes() for p in path.parent.glob("heartstopper.json.broken-*"))
    assert kept and set(kept) == {b"\0damaged"}


# 1. silent damage: slugs that collide with the store's own names


@pytest.mark.parametrize(
    "args",
    [
        ("shows", "add", "Personal"),
        ("shows", "add", "PERSONAL"),
        ("shows", "add", "A show", "--slug", "personal"),
        ("shows", "add", "Backups"),
        ("shows", "add", "A show", "--slug", "backups"),
    ],
)
def test_slugs_of_the_stores_own_files_are_reserved(
    run: Run, seeded: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(seeded)
    refused(run(*args, code=None), ExitCode.USAGE, "reserved", "--slug")
    assert snapshot(seeded) == before


def test_import_under_a_reserved_slug_is_refused(run: Run, seeded: Path, tmp_path: Path) -> None:
    exported = tmp_path / "hs.json"
    run("export", "--output", str(exported))
    before = snapshot(seeded)
    refused(run("import", str(exported), "--as", "personal", code=None), ExitCode.USAGE, "--as")
    assert snapshot(seeded) == before


def test_a_show_file_named_like_personal_is_still_a_show(run: Run, seeded: Path) -> None:
    # made by an older hstracker before the slug was reserved: doctor must not call it damaged
    show = Store(seeded).show("heartstopper")  # news inline: a head a v3 hstracker wrote
    show.slug = "personal"
    own = seeded / "shows" / "personal.json"
    own.write_bytes(encode(show))
    backups = seeded / "shows" / "backups"
    (backups / "personal.json.1").write_bytes(own.read_bytes())
    report = run.json("doctor")
    assert report["healthy"] is True, report
    run("doctor", "--repair")
    assert own.exists()


# 2. nothing written or deleted outside the store


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_temp_files_not_made_by_hstracker_are_never_deleted(run: Run, tmp_path: Path) -> None:
    home = tmp_path / "fan-home"  # as with --data-dir ~: the fan's own files live here too
    home.mkdir()
    (home / "shows").mkdir()
    theirs = {
        home / ".draft.tmp": b"my draft",
        home / ".bashrc.tmp": b"x",
        home / "shows" / ".notes.tmp": b"y",
        home / ".hstracker-notes.tmp": b"z",  # close, but not a name hstracker makes
        home / f".hstracker-{os.getpid()}-deadbeef.tmp": b"a live writer's",
    }
    for path, data in theirs.items():
        path.write_bytes(data)
    dead = home / "shows" / f".hstracker-{_dead_pid()}-0123abcd.tmp"
    dead.write_bytes(b"{half")
    run("--data-dir", str(home), *ADD)
    run("--data-dir", str(home), "doctor", "--repair")
    for path, data in theirs.items():
        assert path.read_bytes() == data, path
    assert not dead.exists()


def test_an_old_temp_file_of_ours_is_removed_even_if_its_pid_lives(run: Run, home: Path) -> None:
    run(*ADD)
    old = home / "shows" / f".hstracker-{os.getppid()}-0123abcd.tmp"
    old.write_bytes(b"{")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    run("add-news", "Another", "--date", "2026-01-03", "--source", "T")
    assert not old.exists()


LINKS = {
    # name: (the link inside the store, what it points at, relative to an outside folder)
    "shows-backups": ("shows/backups", "dir"),
    "home-backups": ("backups", "dir"),
    "shows": ("shows", "dir"),
    "show-file": ("shows/heartstopper.json", "file"),
    "personal-file": ("personal.json", "file"),
    "lock-dangling": (".lock", "missing"),
    "lock-file": (".lock", "file"),
    "show-dangling": ("shows/heartstopper.json", "missing"),
    "loop": ("shows/heartstopper.json", "loop"),
}
WRITES = [ADD, ("shows", "use", "heartstopper"), ("shows", "remove", "heartstopper", "--yes")]


def _plant_link(home: Path, outside: Path, name: str) -> tuple[Path, Path]:
    where, kind = LINKS[name]
    link = home / where
    target = outside / "target"
    if kind == "dir":
        if link.exists():
            target.mkdir()
            for child in link.iterdir():  # the same contents, but outside the store
                if child.is_file():
                    (target / child.name).write_bytes(child.read_bytes())
        else:
            target.mkdir()
        target.joinpath(f".hstracker-{_dead_pid()}-0123abcd.tmp").write_bytes(b"outside")
        if link.exists():
            for child in link.iterdir():
                if child.is_file():
                    child.unlink()
                else:
                    import shutil

                    shutil.rmtree(child)
            link.rmdir()
    elif kind == "file":
        target.write_bytes(link.read_bytes() if link.exists() else b"{}")
        link.unlink(missing_ok=True)
    elif kind == "loop":
        link.unlink(missing_ok=True)
        os.symlink(link, link)
        return link, target
    else:
        link.unlink(missing_ok=True)
    os.symlink(target, link)
    return link, target


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("name", LINKS)
def test_a_link_in_the_store_is_never_followed(
    run: Run, seeded: Path, tmp_path: Path, name: str, args: tuple[str, ...]
) -> None:
    run("shows", "use", "heartstopper")  # personal.json exists too
    outside = tmp_path / "outside"
    outside.mkdir()
    link, _ = _plant_link(seeded, outside, name)
    before, before_outside = snapshot(seeded), snapshot(outside)
    result = run(*args, code=None)
    if result.exit_code != 0:
        # a write that needs the linked path is refused, naming it
        refused(result, ExitCode.DISK, "symbolic link")
        assert str(link) in result.stderr
        assert snapshot(seeded) == before
    assert snapshot(outside) == before_outside  # nothing outside written or deleted
    assert os.path.islink(link)
    # reading and doctor: refused or reported, never followed, never repaired
    for check in (("status",), ("doctor",), ("doctor", "--repair")):
        result = run(*check, code=None)
        if result.exit_code:
            refused(result, result.exit_code)
            assert result.exit_code in (ExitCode.DISK, ExitCode.CORRUPT_STORE)
        assert "unexpected error" not in result.stderr
    assert snapshot(outside) == before_outside
    assert os.path.islink(link)


# 3. store paths that fail


def _directory_for_show(home: Path) -> None:
    (home / SHOW).unlink()
    (home / SHOW).mkdir()
    (home / SHOW / "inside").write_bytes(b"x")


def _shows_is_a_file(home: Path) -> None:
    import shutil

    shutil.rmtree(home / "shows")
    (home / "shows").write_bytes(b"not a folder")


def _personal_is_a_folder(home: Path) -> None:
    (home / "personal.json").unlink(missing_ok=True)
    (home / "personal.json").mkdir()


def _fifo_for_show(home: Path) -> None:
    (home / SHOW).unlink()
    os.mkfifo(home / SHOW)


def _loop(home: Path) -> None:
    (home / SHOW).unlink()
    os.symlink(home / SHOW, home / SHOW)


FAILING = {
    "show-is-a-folder": (_directory_for_show, "should be a file but is a folder"),
    "shows-is-a-file": (_shows_is_a_file, "should be a folder but is not"),
    "personal-is-a-folder": (_personal_is_a_folder, "should be a file but is a folder"),
    "show-is-a-fifo": (_fifo_for_show, "should be a file but is not a regular file"),
    "show-link-loop": (_loop, "is a symbolic link"),
}


@pytest.mark.parametrize(
    "args", [("status",), ("shows", "list"), ("news",), ADD, ("doctor",)], ids=lambda a: a[0]
)
@pytest.mark.parametrize("name", FAILING)
def test_a_store_path_that_fails_is_one_line(
    run: Run, seeded: Path, name: str, args: tuple[str, ...]
) -> None:
    damage, needle = FAILING[name]
    damage(seeded)
    before = snapshot(seeded) if name != "show-is-a-fifo" else None
    result = run(*args, code=None)
    if args[0] == "doctor":
        refused(result, ExitCode.CORRUPT_STORE, "still have problems")
        assert needle in result.stdout
    else:
        refused(result, ExitCode.DISK, needle)
    if before is not None:
        assert snapshot(seeded) == before


def test_doctor_repair_leaves_a_failing_path_alone(run: Run, seeded: Path) -> None:
    _directory_for_show(seeded)
    result = run("doctor", "--repair", code=None)
    refused(result, ExitCode.CORRUPT_STORE)
    assert "left it untouched" in result.stdout
    assert (seeded / SHOW / "inside").read_bytes() == b"x"


@pytest.mark.parametrize("args", [("status",), ("shows", "list"), ADD, ("doctor",)])
def test_a_home_that_is_a_file(run: Run, tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "home-file"
    home.write_bytes(b"mine")
    result = run(*args, code=None, HSTRACKER_HOME=str(home))
    refused(result, ExitCode.DISK, f"{home} should be a folder but is not")
    assert home.read_bytes() == b"mine"


@pytest.mark.parametrize("target", ["shows/heartstopper.json", "personal.json"])
@pytest.mark.parametrize("args", [("status",), ADD, ("doctor",)], ids=lambda a: a[0])
def test_an_unreadable_store_file_is_one_line(
    run: Run, seeded: Path, monkeypatch: pytest.MonkeyPatch, target: str, args: tuple[str, ...]
) -> None:
    run("shows", "use", "heartstopper")
    before = snapshot(seeded)
    denied = seeded / target
    real_open = os.open

    def open_(path: Any, flags: int, *a: Any, **k: Any) -> int:
        if Path(path) == denied:  # tests run as root, so permissions alone cannot deny
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *a, **k)

    with monkeypatch.context() as patched:
        patched.setattr(os, "open", open_)
        result = run(*args, code=None)
    if args[0] == "doctor":
        refused(result, ExitCode.CORRUPT_STORE)
        assert f"{denied} cannot be read: Permission denied" in result.stdout
    else:
        refused(result, ExitCode.DISK, f"{denied} cannot be read: Permission denied")
    assert snapshot(seeded) == before


# 4. hostile JSON: nesting, numbers, sizes


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _show_doc(home: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((home / SHOW).read_bytes())
    return doc


def _deep_show(home: Path) -> tuple[Path, bytes]:
    return home / SHOW, b'{"schema_version":2,"slug":' + _nested(100_000) + b"}"


def _deep_v1_show(home: Path) -> tuple[Path, bytes]:
    return home / SHOW, b'{"schema_version":1,"cast":' + _nested(100_000) + b"}"


def _deep_unknown_field(home: Path) -> tuple[Path, bytes]:
    return home / SHOW, b'{"x":' + _nested(100_000) + b',"schema_version":2}'


def _deep_personal(home: Path) -> tuple[Path, bytes]:
    return home / "personal.json", b'{"schema_version":2,"progress":' + _nested(100_000) + b"}"


def _deep_top(home: Path) -> tuple[Path, bytes]:
    return home / SHOW, _nested(100_000)


def _huge_read_file(home: Path) -> tuple[Path, bytes]:
    doc = {"schema_version": 2, "progress": {"heartstopper": {"read": [100_000_000]}}}
    return home / "personal.json", json.dumps(doc).encode()


def _long_read(home: Path) -> tuple[Path, bytes]:
    doc = {"schema_version": 2, "progress": {"heartstopper": {"read": [1] * 20_000}}}
    return home / "personal.json", json.dumps(doc).encode()


def _huge_adapts(home: Path) -> tuple[Path, bytes]:
    doc = _show_doc(home)
    doc["installments"][0]["adapts"]["value"] = [1, 30_000_000]
    return home / SHOW, json.dumps(doc).encode()


def _huge_volume_file(home: Path) -> tuple[Path, bytes]:
    doc = _show_doc(home)
    doc["source_work"]["units"][0]["number"] = 10**8
    return home / SHOW, json.dumps(doc).encode()


def _huge_episodes(home: Path) -> tuple[Path, bytes]:
    doc = _show_doc(home)
    doc["installments"][0]["episodes"]["value"] = 2**62
    return home / SHOW, json.dumps(doc).encode()


def _bignum(home: Path) -> tuple[Path, bytes]:
    doc = _show_doc(home)
    text = json.dumps(doc).replace('"number": 1', '"number": ' + "9" * 5000, 1)
    return home / SHOW, text.encode()


def _negative(home: Path) -> tuple[Path, bytes]:
    doc = _show_doc(home)
    doc["installments"][0]["number"] = -1
    return home / SHOW, json.dumps(doc).encode()


def _date_as(value: object) -> Callable[[Path], tuple[Path, bytes]]:
    # the store's date cache refuses an unhashable value itself; the words must stay the hook's
    def make(home: Path) -> tuple[Path, bytes]:
        doc = _show_doc(home)
        doc["source_work"]["units"][4]["published"]["value"] = value
        return home / SHOW, json.dumps(doc).encode()

    return make


HOSTILE = {
    "deep-show": (_deep_show, "nested too deeply"),
    "deep-v1-show": (_deep_v1_show, "nested too deeply"),
    "deep-unknown-field": (_deep_unknown_field, "nested too deeply"),
    "deep-personal": (_deep_personal, "nested too deeply"),
    "deep-top": (_deep_top, "Expected `object`, got `array` at `$`"),
    "huge-read": (_huge_read_file, "<= 9999"),
    "long-read": (_long_read, "length <= 10000"),
    "huge-adapts": (_huge_adapts, "<= 9999"),
    "huge-volume": (_huge_volume_file, "<= 9999"),
    "huge-episodes": (_huge_episodes, "<= 9999"),
    "5000-digit-number": (_bignum, "Integer value out of range at `$.source_work.units[0]"),
    "negative-number": (_negative, ">= 0"),
    "date-object": (_date_as({"y": 1}), "Expected `PartialDate`, got `dict` at `$.source_work"),
    "date-array": (_date_as([2023]), "Expected `PartialDate`, got `list` at `$.source_work"),
}


@pytest.mark.parametrize("args", [("status",), ("progress",), ADD], ids=lambda a: a[0])
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_json_in_a_store_file_is_damage_named_quickly(
    run: Run, seeded: Path, name: str, args: tuple[str, ...]
) -> None:
    make, needle = HOSTILE[name]
    path, data = make(seeded)
    path.write_bytes(data)
    before = snapshot(seeded)
    result = run(*args, code=None)
    refused(result, ExitCode.CORRUPT_STORE, f"{path} is damaged", needle)
    assert snapshot(seeded) == before


@pytest.mark.parametrize("name", ["deep-show", "deep-v1-show", "huge-adapts"])
def test_hostile_json_in_a_backup_is_reported_by_doctor(run: Run, seeded: Path, name: str) -> None:
    make, needle = HOSTILE[name]
    _, data = make(seeded)
    backup = seeded / "shows" / "backups" / "heartstopper.json.1"
    backup.write_bytes(data)
    backup.with_suffix(".0").write_bytes(data)  # the mirror too
    (seeded / SHOW).write_bytes(b"{")
    result = run("doctor", "--repair", code=None)
    refused(result, ExitCode.CORRUPT_STORE)
    assert f"{backup} is damaged" in result.stdout
    assert needle in result.stdout
    assert (seeded / SHOW).read_bytes() == b"{"  # no good backup: left as it was


def test_a_store_file_over_the_size_limit_is_damage(
    run: Run, seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hstracker.store import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    result = run("status", code=None)
    refused(result, ExitCode.CORRUPT_STORE, f"{seeded / SHOW} is over 1000 bytes")


# 4. property: any JSON a hand could write is a clean load or StoreCorrupt


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
FIELDS = ["schema_version", "slug", "title", "platform", "source_work", "installments", "cast",
          "news", "tvmaze_id", "feeds", "progress", "default_show", "removed_shows"]  # fmt: skip


def _loads_or_corrupt(data: bytes) -> None:
    with contextlib.suppress(StoreCorrupt, StoreTooNew):
        parse_store_file("f.json", data, Show)
    with contextlib.suppress(StoreCorrupt, StoreTooNew):
        parse_store_file("f.json", data, Personal)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), json_values, max_size=6),
    version=st.sampled_from([1, 2, 3, -1, 2**64, "2", None]),
    depth=st.sampled_from([0, 1, 50, 5_000, 200_000]),
)
def test_any_json_document_loads_or_is_store_corrupt(
    doc: dict[str, Any], version: Any, depth: int
) -> None:
    doc["schema_version"] = version
    data = json.dumps(doc).encode()
    if depth:
        data = data[:-1] + b',"deep":' + _nested(depth) + b"}"
    _loads_or_corrupt(data)


SEED_SHOW = (Path(__file__).parents[1] / "data" / "heartstopper.json").read_bytes()


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found.extend(_paths(value, (*prefix, i)))
    return found


ALL_PATHS = _paths(json.loads(SEED_SHOW))[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(ALL_PATHS), value=json_values, deep=st.booleans())
def test_any_value_anywhere_in_a_real_show_loads_or_is_store_corrupt(
    where: tuple[Any, ...], value: Any, deep: bool
) -> None:
    doc = json.loads(SEED_SHOW)
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = "__HOLE__"
    data = json.dumps(doc).encode()
    filler = _nested(150_000) if deep else json.dumps(value).encode()
    _loads_or_corrupt(data.replace(b'"__HOLE__"', filler, 1))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_load_or_are_store_corrupt(data: bytes) -> None:
    _loads_or_corrupt(data)


# 5. paths echoed to the terminal are cleaned


def test_a_data_dir_with_control_characters_is_printed_clean(run: Run, tmp_path: Path) -> None:
    home = tmp_path / "evil\x1b[31m\x07home\x9b2J"
    run("--data-dir", str(home), *ADD)
    (home / SHOW).write_bytes(b"{")
    outputs = [
        run("--data-dir", str(home), "doctor", code=None),
        run("--data-dir", str(home), "status", code=None),
        run("--data-dir", str(home), "doctor", "--repair", code=None),
    ]
    for result in outputs:
        text = result.stdout + result.stderr
        assert "evil[31mhome2J" in text, text
        assert not any(c in text for c in "\x1b\x07\x9b"), repr(text)


def test_every_path_a_command_echoes_is_printed_clean(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out\x1b]0;owned\x07\x1b[31m"
    home = tmp_path / "home\x1b[2J"
    run("--data-dir", str(home), *ADD)
    run("--data-dir", str(home), "shows", "add", "Other")
    outputs = [
        run("--data-dir", str(home), "export", "--output", str(folder / "show.json")),
        run("--data-dir", str(home), "calendar", "--output", str(folder / "cal.ics")),
        run("--data-dir", str(home), "import", str(folder / "missing.json"), code=None),
        run("--data-dir", str(home), "shows", "remove", "other", "--yes"),
    ]
    for result in outputs:
        text = result.stdout + result.stderr
        assert "out]0;owned[31m" in text or "home[2J" in text, text
        assert not any(c in text for c in "\x1b\x07\x9b"), repr(text)
    assert (folder / "show.json").exists() and (folder / "cal.ics").exists()


# 6. readers during writes


def test_a_show_removed_between_listing_and_reading_is_skipped(run: Run, home: Path) -> None:
    run("shows", "add", "Gone Soon", "--platform", "X")
    store = Store(home)
    slugs = store.slugs()
    assert "gone-soon" in slugs
    # another process removed it just now (`shows remove` drops the mirror first)
    (home / "shows" / "backups" / "gone-soon.json.0").unlink()
    store.show_path("gone-soon").unlink()
    assert [s.slug for s in store.shows(slugs)] == [s for s in slugs if s != "gone-soon"]


def test_shows_list_skips_a_show_that_vanishes(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("shows", "add", "Gone Soon", "--platform", "X")
    listed = Store.slugs

    def slugs_then_remove(self: Store, personal: Personal | None = None) -> list[str]:
        found = listed(self, personal)
        (home / "shows" / "backups" / "gone-soon.json.0").unlink(missing_ok=True)
        self.show_path("gone-soon").unlink(missing_ok=True)
        return found

    monkeypatch.setattr(Store, "slugs", slugs_then_remove)
    shows = run.json("shows", "list")["shows"]
    assert "gone-soon" not in [s["slug"] for s in shows]


READERS = [
    ("shows", "list", "--json"),
    ("shows", "list"),
    ("upcoming",),
    ("upcoming", "--json"),
    ("calendar", "--all"),
]


def _race(home: Path, cli_subprocess: Cli, rounds: int) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", RACE_WRITER, str(home), str(rounds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    codes = []
    try:
        while writer.poll() is None:
            for reader in READERS:  # every command that reads many shows
                result = cli_subprocess(*reader)
                codes.append((result.returncode, f"{reader}: {result.stderr}"))
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    assert codes
    assert all(code == 0 for code, _ in codes), [c for c in codes if c[0]]


RACE_WRITER = """
import sys
from pathlib import Path
from hstracker.core.shows import ShowDraft, new_show
from hstracker.core.model import Source
from hstracker.store import Store
store = Store(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    show = new_show(ShowDraft(f"Racer {i % 3}"), Source(name="t"))
    with store.transaction() as tx:
        tx.put_show(show)
    with store.transaction() as tx:
        tx.remove_show(tx.show(show.slug))
"""


def test_readers_never_fail_while_shows_come_and_go(home: Path, cli_subprocess: Cli) -> None:
    _race(home, cli_subprocess, 150)


@pytest.mark.slow
def test_readers_never_fail_while_shows_come_and_go_long(home: Path, cli_subprocess: Cli) -> None:
    _race(home, cli_subprocess, 1000)


def test_a_killed_removal_leaves_no_temp_file_in_the_removed_folder(run: Run, home: Path) -> None:
    run(*ADD)
    run("shows", "remove", "heartstopper", "--yes")
    dead = home / "removed" / f".hstracker-{_dead_pid()}-0123abcd.tmp"  # a killed `shows remove`
    dead.write_bytes(b"{half")
    run("shows", "restore", "heartstopper")
    run("add-news", "After", "--date", "2026-01-03", "--source", "T")
    assert not dead.exists()
