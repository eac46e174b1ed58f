"""Issue 17's error map: each fault, run through the real CLI, ends in its documented exit code
and exactly one `hstracker:` line on stderr (no "unexpected error", no traceback, no escape
sequence), and every file under the test's folder (the store and all else) is byte-for-byte
as it was. One row per fault; the class of the issue it belongs to is in its id.

Rows run in-process (CliRunner) unless they need a process of their own: bytes that are not
UTF-8 on the command line, a closed or full stdout, or a TZ the process starts with.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.errors import ExitCode
from httpserver import TVMAZE_SHOW, Answer, Server, fixture_bytes
from living_sources import OPENLIBRARY_SEARCH, WIKIDATA_API, WORKS

SHOW = Path("shows") / "heartstopper.json"
ADD = ("add-news", "Fault", "--date", "2026-01-02", "--source", "T")
ESC = "\x1b[31m\x1b]0;owned\x07"


@dataclass
class Scene:
    """What a row's setup may touch: the store, a folder beside it, and the local server."""

    home: Path
    outside: Path
    run: Run
    request: pytest.FixtureRequest
    env: dict[str, str] = field(default_factory=dict)

    def server(self, source: str) -> Server:
        """The local server with every source answering well until the row says otherwise."""
        for name in ("tvmaze", "wikidata", "openlibrary"):
            self.request.getfixturevalue(name)
        server: Server = self.request.getfixturevalue("server")
        if source == "tvmaze":
            self.run("shows", "link", "heartstopper", "--tvmaze", "53440")
        return server


Setup = Callable[[Scene], Any]


@dataclass(frozen=True)
class Fault:
    """One row: set the scene, run args, expect code and a line that contains says."""

    args: tuple[str, ...]
    code: ExitCode
    says: str
    setup: Setup | None = None
    process: bool = False  # run as a child process
    stdout: str = "pipe"  # or "closed", "full" (process only)


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _show_doc(home: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((home / SHOW).read_bytes())
    return doc


def _export(scene: Scene, change: Callable[[dict[str, Any]], object]) -> None:
    """An export of the store's show, changed by change, at outside/show.json."""
    target = scene.outside / "show.json"
    scene.run("export", "--output", str(target))
    doc = json.loads(target.read_bytes())
    change(doc["show"])
    target.write_text(json.dumps(doc), encoding="utf-8")


def _write(relative: str | Path, data: bytes) -> Setup:
    def setup(scene: Scene) -> None:
        (scene.home / relative).write_bytes(data)

    return setup


def _import_of(change: Callable[[dict[str, Any]], object]) -> Setup:
    return lambda scene: _export(scene, change)


def _set(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda doc: doc.__setitem__(key, value)


def _first_inst(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda doc: doc["installments"][0].__setitem__(key, value)


def _adapts_to(last: int) -> Callable[[dict[str, Any]], object]:
    return lambda doc: doc["installments"][0]["adapts"].__setitem__("value", [1, last])


def _first_news(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda doc: doc["news"][0].__setitem__(key, value)


def _env(**values: str) -> Setup:
    return lambda scene: scene.env.update(values)


def _link(relative: str, kind: str) -> Setup:
    """relative made into a symbolic link: to a folder outside, dangling, or to itself."""

    def setup(scene: Scene) -> None:
        path = scene.home / relative
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        path.unlink(missing_ok=True)
        if kind == "outside":
            (scene.outside / "elsewhere").mkdir()
            path.symlink_to(scene.outside / "elsewhere")
        elif kind == "dangling":
            path.symlink_to(scene.outside / "nothing-here")
        else:
            path.symlink_to(path)

    return setup


def _folder_for(relative: str) -> Setup:
    def setup(scene: Scene) -> None:
        path = scene.home / relative
        path.unlink()
        path.mkdir()

    return setup


def _file_for_shows(scene: Scene) -> None:
    for child in (scene.home / "shows").rglob("*"):
        if child.is_file():
            child.unlink()
    for child in sorted((scene.home / "shows").rglob("*"), reverse=True):
        child.rmdir()
    (scene.home / "shows").rmdir()
    (scene.home / "shows").write_bytes(b"a file where a folder belongs")


def _home_is_a_file(scene: Scene) -> None:
    home = scene.outside / "home-file"
    home.write_bytes(b"mine")
    scene.env["HSTRACKER_HOME"] = str(home)


def _unreadable(relative: str) -> Setup:
    """The file refuses to be opened, as it does for another user (tests may run as root)."""

    def setup(scene: Scene) -> None:
        denied = str(scene.home / relative)
        real_open = os.open
        monkeypatch: pytest.MonkeyPatch = scene.request.getfixturevalue("monkeypatch")

        def opener(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if os.fspath(path) == denied:
                raise PermissionError(13, "Permission denied", denied)
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", opener)

    return setup


def _deep_backup(scene: Scene) -> None:
    (scene.home / SHOW).write_bytes(b"{")
    (scene.home / "shows" / "backups" / "heartstopper.json.1").write_bytes(DEEP_VALUE)


def _escaped_home(scene: Scene) -> None:
    home = scene.outside / f"home{ESC}"
    scene.run(
        "add-news", "Seed", "--date", "2026-01-01", "--source", "Me", HSTRACKER_HOME=str(home)
    )
    (home / SHOW).write_bytes(b"{")
    scene.env["HSTRACKER_HOME"] = str(home)


def _undecodable_home(scene: Scene) -> None:
    home = scene.outside / "home-\udcff"  # the bytes of a folder name that is not UTF-8
    scene.run(*ADD, HSTRACKER_HOME=str(home))
    (home / SHOW).write_bytes(b"{")
    scene.env["HSTRACKER_HOME"] = str(home)


def _fifo(name: str) -> Setup:
    return lambda scene: os.mkfifo(scene.outside / name)


def _dangling(name: str) -> Setup:
    return lambda scene: (scene.outside / name).symlink_to(scene.outside / "nowhere")


def _kinds(folder: Path) -> dict[str, int]:
    """What each path below folder is (file, folder, link, FIFO), links not followed."""
    return {str(p.relative_to(folder)): stat.S_IFMT(p.lstat().st_mode) for p in folder.rglob("*")}


def _escaped_import(scene: Scene) -> None:
    _export(scene, _set("release_zone", "Mars/Olympus"))
    (scene.outside / "show.json").rename(scene.outside / f"show{ESC}.json")


def _hostile(source: str, answer: Answer) -> Setup:
    """source (tvmaze, wikidata, openlibrary or a feed) answers every request with answer."""

    def setup(scene: Scene) -> None:
        server = scene.server(source)
        if source == "tvmaze":
            server.route(TVMAZE_SHOW, answer)
        elif source == "wikidata":
            server.route(WIKIDATA_API, answer)
        elif source == "openlibrary":
            server.route(OPENLIBRARY_SEARCH, answer)
            for work in WORKS:
                server.route(f"{work}/editions.json", answer)
        else:
            scene.run("feeds", "add", server.route("/feed.xml", answer))

    return setup


def _gzip_bomb() -> bytes:
    # 64 MiB of zeros, twice gzipped: a few KB on the wire, far over the 5 MiB decoded cap
    return gzip.compress(gzip.compress(b"\0" * (64 << 20), 9), 9)


DEEP_VALUE = b"[" * 100_000 + b"]" * 100_000
READ_HUGE = b'{"schema_version":3,"progress":{"heartstopper":{"read":[100000000]}}}'
DEEP = Answer(body=b'{"id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
# bytes that are not UTF-8 inside a string each source reads
NOT_UTF8 = {
    "tvmaze": Answer(body=b'{"id": 53440, "name": "Heart\xff\xfestopper"}'),
    "wikidata": Answer(body=b'{"search": [{"id": "Q99\xff0001"}], "success": 1}'),
    "openlibrary": Answer(body=b'{"numFound": 1, "docs": [{"key": "/works/OL\xffW"}]}'),
}
TO_FILE = Answer(redirect="file:///etc/passwd")
BOMB = Answer(body=_gzip_bomb(), headers={"Content-Encoding": "gzip, gzip"})

SYNC = {
    "tvmaze": ("sync", "--source", "tvmaze"),
    "wikidata": ("sync", "--source", "wikidata"),
    "openlibrary": ("sync", "--source", "openlibrary"),
}
SOURCE_NAME = {"tvmaze": "TVmaze", "wikidata": "Wikidata", "openlibrary": "Open Library"}


def _source_rows() -> dict[str, Fault]:
    rows: dict[str, Fault] = {}
    for source, args in SYNC.items():
        name = SOURCE_NAME[source]
        rows[f"3 deep JSON from {name}"] = Fault(
            args, ExitCode.NETWORK, name, _hostile(source, DEEP)
        )
        rows[f"3 gzip of gzip bomb from {name}"] = Fault(
            args, ExitCode.NETWORK, "unpacks to more than", _hostile(source, BOMB)
        )
        rows[f"4 invalid UTF-8 from {name}"] = Fault(
            args, ExitCode.NETWORK, "not valid UTF-8", _hostile(source, NOT_UTF8[source])
        )
        rows[f"4 {name} redirects to file://"] = Fault(
            args, ExitCode.NETWORK, "non-http(s) URL", _hostile(source, TO_FILE)
        )
    return rows


def _tvmaze_dated(airstamp: str, premiere: str) -> Setup:
    """TVmaze answers with every episode and season dated as given."""
    show = json.loads(fixture_bytes("tvmaze/show-embedded.json"))
    for episode in show["_embedded"]["episodes"]:
        episode["airstamp"] = airstamp
    for season in show["_embedded"]["seasons"]:
        season["premiereDate"] = premiere
    return _hostile("tvmaze", Answer(body=json.dumps(show).encode()))


FAULTS: dict[str, Fault] = {
    # 1. silent damage
    "1 a blank show reference": Fault(
        ("shows", "remove", " \x1b ", "--yes"), ExitCode.USAGE, "show"
    ),
    "1 a blank --show": Fault(("status", "--show", "  "), ExitCode.USAGE, "show"),
    "1 a clock past the stored years, then a write": Fault(
        ADD,
        ExitCode.USAGE,
        "HSTRACKER_NOW",
        _env(HSTRACKER_NOW="2150-06-01T00:00:00+00:00"),
    ),
    "1 an airstamp in year 9999": Fault(
        SYNC["tvmaze"],
        ExitCode.NETWORK,
        "outside the years 1900 to 2100",
        _tvmaze_dated("9999-12-31T23:00:00-05:00", "9999-12-31"),
    ),
    "1 a show named like a store file": Fault(
        ("shows", "add", "Personal"), ExitCode.USAGE, "reserved"
    ),
    # 2. writes outside the store
    "2 a backups folder linked out of the store": Fault(
        ADD, ExitCode.DISK, "symbolic link", _link("shows/backups", "outside")
    ),
    "2 a dangling .lock link": Fault(
        ADD, ExitCode.DISK, "symbolic link", _link(".lock", "dangling")
    ),
    "2 export --output onto a FIFO": Fault(
        ("export", "--output", "{outside}/fifo"),
        ExitCode.USAGE,
        "not a regular file",
        _fifo("fifo"),
    ),
    "2 calendar --output onto a dangling link": Fault(
        ("calendar", "--output", "{outside}/link.ics"),
        ExitCode.USAGE,
        "symbolic link",
        _dangling("link.ics"),
    ),
    # 3. bounded work
    "3 import of a FIFO nobody writes to": Fault(
        ("import", "{outside}/fifo"), ExitCode.USAGE, "not a regular file", _fifo("fifo")
    ),
    "3 deep JSON in a show file": Fault(
        ("status",),
        ExitCode.CORRUPT_STORE,
        "nested too deeply",
        _write(SHOW, b'{"schema_version":3,"slug":"heartstopper","title":' + DEEP_VALUE + b"}"),
    ),
    "3 deep JSON in personal.json": Fault(
        ("status",),
        ExitCode.CORRUPT_STORE,
        "nested too deeply",
        _write("personal.json", b'{"schema_version":3,"progress":' + _nested(100_000) + b"}"),
    ),
    "3 deep JSON in the only backup of a damaged file": Fault(
        ("doctor",), ExitCode.CORRUPT_STORE, "still have problems", _deep_backup
    ),
    "3 deep JSON in an import file": Fault(
        ("import", "{outside}/deep.json"),
        ExitCode.USAGE,
        "nests too deeply",
        lambda scene: (scene.outside / "deep.json").write_bytes(b"[" * 100_000),
    ),
    "3 a read volume of 100000000 in personal.json": Fault(
        ("progress",),
        ExitCode.CORRUPT_STORE,
        "<= 9999",
        _write(
            "personal.json",
            b'{"schema_version":3,"progress":{"heartstopper":{"read":[100000000]}}}',
        ),
    ),
    "3 an imported show adapting volumes 1 to 30000000": Fault(
        ("import", "{outside}/show.json"),
        ExitCode.USAGE,
        "<= 9999",
        _import_of(
            lambda doc: doc["installments"][0]["adapts"].__setitem__("value", [1, 30_000_000])
        ),
    ),
    **{k: v for k, v in _source_rows().items() if k.startswith("3")},
    # 4. one documented error for every fault
    "4 non-UTF-8 bytes in a headline": Fault(
        ("add-news", "\udcff\udcfe", "--date", "2026-01-02", "--source", "T"),
        ExitCode.USAGE,
        "not UTF-8",
        process=True,
    ),
    "4 non-UTF-8 bytes in a feed URL": Fault(
        ("feeds", "add", "http://\udcff.example/"), ExitCode.USAGE, "not UTF-8", process=True
    ),
    **{k: v for k, v in _source_rows().items() if k.startswith("4")},
    "4 an airstamp in year 1": Fault(
        SYNC["tvmaze"],
        ExitCode.NETWORK,
        "outside the years 1900 to 2100",
        _tvmaze_dated("0001-01-01T00:00:00+00:00", "0001-01-01"),
    ),
    "4 a feed redirects to file://": Fault(
        ("feeds", "pull"), ExitCode.NETWORK, "non-http(s) URL", _hostile("feed", TO_FILE)
    ),
    "4 a source URL that is not a URL": Fault(
        SYNC["tvmaze"],
        ExitCode.NETWORK,
        "is not a URL that can be requested",
        _env(HSTRACKER_TVMAZE_URL="http://[::1/"),
    ),
    "4 a data dir whose name is not UTF-8": Fault(
        ("status",), ExitCode.CORRUPT_STORE, "home-\\udcff", _undecodable_home, process=True
    ),
    "4 an unreadable show file": Fault(
        ("status",), ExitCode.DISK, "Permission denied", _unreadable(str(SHOW))
    ),
    "4 an unreadable personal.json": Fault(
        ADD, ExitCode.DISK, "Permission denied", _unreadable("personal.json")
    ),
    "4 a show file that is a directory": Fault(
        ("status",), ExitCode.DISK, "is a folder", _folder_for(str(SHOW))
    ),
    "4 a show file that is a symlink loop": Fault(
        ADD, ExitCode.DISK, "symbolic link", _link(str(SHOW), "loop")
    ),
    "4 a file where the shows folder belongs": Fault(
        ("status",), ExitCode.DISK, "should be a folder", _file_for_shows
    ),
    "4 a home that is a file": Fault(ADD, ExitCode.DISK, "should be a folder", _home_is_a_file),
    "4 HSTRACKER_NOW at the start of time": Fault(
        ("countdown",),
        ExitCode.USAGE,
        "out of range",
        _env(HSTRACKER_NOW="0001-01-01T00:00:00+14:00"),
    ),
    "4 HSTRACKER_NOW at the end of time": Fault(
        ADD, ExitCode.USAGE, "out of range", _env(HSTRACKER_NOW="9999-12-31T23:59:59-14:00")
    ),
    "4 export to a closed stdout": Fault(
        ("export",), ExitCode.DISK, "standard output is closed", process=True, stdout="closed"
    ),
    "4 status to a full stdout": Fault(
        ("status",), ExitCode.DISK, "No space left", process=True, stdout="full"
    ),
    "4 --version to a full stdout": Fault(
        ("--version",), ExitCode.DISK, "No space left", process=True, stdout="full"
    ),
    "4 news --json to a full stdout": Fault(
        ("news", "--json"), ExitCode.DISK, "No space left", process=True, stdout="full"
    ),
    "4 an import with an unknown release zone": Fault(
        ("import", "{outside}/show.json"),
        ExitCode.USAGE,
        "unknown time zone",
        _import_of(_set("release_zone", "Mars/Olympus")),
    ),
    "4 an import with a news time without a zone": Fault(
        ("import", "{outside}/show.json"),
        ExitCode.USAGE,
        "without a zone",
        _import_of(_first_news("added", "2026-01-01T00:00:00")),
    ),
    # 5. terminal safety
    "5 an import's error names a path with escapes": Fault(
        ("import", f"{{outside}}/show{ESC}.json"),
        ExitCode.USAGE,
        "unknown time zone",
        _escaped_import,
    ),
    "5 a damaged store in a data dir with escapes": Fault(
        ("status",), ExitCode.CORRUPT_STORE, "is damaged", _escaped_home
    ),
    "5 an imported installment title over the limit": Fault(
        ("import", "{outside}/show.json"),
        ExitCode.USAGE,
        "the title of s1",
        _import_of(_first_inst("title", "x" * 301)),
    ),
    "5 an imported volume title over the limit": Fault(
        ("import", "{outside}/show.json"),
        ExitCode.USAGE,
        "the title of volume",
        _import_of(lambda doc: doc["source_work"]["units"][0].__setitem__("title", "y" * 301)),
    ),
}


def _in_process(run: Run, args: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = run(*args, code=None, **env)
    return result.exit_code, result.stderr


def _child(args: list[str], env: dict[str, str], stdout: str) -> tuple[int, str]:
    command = [os.fsencode(sys.executable), b"-m", b"hstracker"]
    command += [a.encode(errors="surrogateescape") for a in args]
    full_env = {**os.environ, **env}
    if stdout == "closed":
        # the shell closes descriptor 1 and then becomes hstracker
        shell = [b"sh", b"-c", b'exec "$0" "$@" >&-', *command]
        done = subprocess.run(shell, env=full_env, stderr=subprocess.PIPE, timeout=60, check=False)
    else:
        with open(os.devnull if stdout == "pipe" else "/dev/full", "wb") as out:
            done = subprocess.run(
                command, env=full_env, stdout=out, stderr=subprocess.PIPE, timeout=60, check=False
            )
    return done.returncode, done.stderr.decode(errors="replace")


@pytest.mark.parametrize("name", list(FAULTS))
def test_each_fault_has_its_exit_code_and_one_line(
    run: Run, home: Path, tmp_path: Path, request: pytest.FixtureRequest, name: str
) -> None:
    fault = FAULTS[name]
    run("add-news", "Seed 1", "--date", "2026-01-01", "--source", "Me")
    run("add-news", "Seed 2", "--date", "2026-01-01", "--source", "Me")  # and a backup
    outside = tmp_path / "outside"
    outside.mkdir()
    scene = Scene(home, outside, run, request)
    if fault.setup is not None:
        fault.setup(scene)
    args = [a.replace("{outside}", str(outside)) for a in fault.args]
    before, kinds = snapshot(tmp_path), _kinds(tmp_path)
    if fault.process:
        code, err = _child(args, scene.env, fault.stdout)
    else:
        code, err = _in_process(run, args, scene.env)
    lines = err.splitlines()
    if args[:2] == ["feeds", "pull"]:
        # the only feed failed: one line that names it and says nothing was pulled
        assert lines[0].endswith(" Nothing was pulled."), err
    assert code == fault.code, f"exit {code}, wanted {fault.code}: {err}"
    assert len(lines) == 1, err
    assert lines[0].startswith("hstracker: "), err
    assert fault.says in lines[0], err
    assert "unexpected error" not in err and "Traceback" not in err
    assert "\x1b" not in err and "\x07" not in err
    assert snapshot(tmp_path) == before, "a file changed"
    assert _kinds(tmp_path) == kinds, "a path was replaced, or made"
