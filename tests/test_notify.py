"""`sync --notify`: one desktop alert per show for what a fan cares about, through a stand-in
notify-send on PATH that records its arguments; sources are real HTTP servers on 127.0.0.1.
The last tests check core's wording of changes no source sends yet (trailers, states)."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from conftest import Run
from hstracker.core.alerts import alert_for
from hstracker.core.facts import FIELDS
from hstracker.core.merge import Action, Change, Topic
from hstracker.core.model import Show
from hstracker.core.spoilers import Guard
from hstracker.errors import ExitCode
from hstracker.store import Store
from httpserver import Answer, Server
from living_sources import OPENLIBRARY_SEARCH, WIKIDATA_API, Wikidata


class Notifier:
    """A stand-in notify-send: an executable on PATH that appends its argv to a log."""

    def __init__(self, folder: Path, name: str = "notify-send") -> None:
        self.log = folder / f"{name}.log"
        script = folder / name
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, sys\n"
            f"with open({str(self.log)!r}, 'a') as log:\n"
            "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        )
        script.chmod(script.stat().st_mode | stat.S_IEXEC)

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH of one empty folder: no notifier unless a test puts one there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def notifier(bin_dir: Path) -> Notifier:
    return Notifier(bin_dir)


def season(number: int, premiere: str | None) -> dict[str, Any]:
    return {"number": number, "premiereDate": premiere, "webChannel": {"name": "Netflix"}}


def moonlight(
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    *seasons: dict[str, Any],
    episodes: tuple[dict[str, Any], ...] = (),
    show_id: int = 777,
) -> None:
    """TVmaze answering for one show in its own JSON shape, with these seasons."""
    monkeypatch.setenv("HSTRACKER_TVMAZE_URL", server.url + "/api/v1/")
    body = {
        "id": show_id,
        "name": "Moonlight Pages",
        "webChannel": {"id": 1, "name": "Netflix"},
        "_embedded": {"seasons": list(seasons), "episodes": list(episodes), "cast": []},
    }
    server.route(f"/api/v1/shows/{show_id}", Answer(body=json.dumps(body).encode()))


@pytest.fixture
def tracked(run: Run) -> Run:
    """A hand-made show linked to TVmaze: season 1 out, season 2 renewed with no date."""
    run("shows", "add", "Moonlight Pages", "--platform", "Netflix")
    run("shows", "link", "moonlight-pages", "--tvmaze", "777")
    for args in (("1", "--state", "released", "--release", "2025-05-01"),
                 ("2", "--state", "renewed")):  # fmt: skip
        run("add-installment", "season", *args, "--source", "Netflix", "--show", "moonlight-pages")
    return run


def sync(run: Run, *args: str) -> Any:
    return run("sync", "--show", "moonlight-pages", "--source", "tvmaze", "--notify", *args)


def test_a_newly_dated_installment_sends_one_alert(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    result = sync(tracked)
    line = "Moonlight Pages: Season 2 dated 14 Feb 2027 (TVmaze)"
    assert notifier.calls() == [["--app-name=hstracker", "--", "hstracker: Moonlight Pages", line]]
    assert result.stderr == ""  # the notifier took it: nothing on stderr
    assert "changes saved" in result.stdout


def test_a_sync_that_changes_nothing_alerts_nothing(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    sync(tracked)
    assert len(notifier.calls()) == 1
    again = sync(tracked)
    assert "already up to date" in again.stdout
    assert len(notifier.calls()) == 1 and again.stderr == ""


def test_a_channel_only_change_alerts_nothing(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"))
    result = sync(tracked, "--json")
    (shown,) = json.loads(result.stdout)["shows"]
    assert [c["what"] for c in shown["changes"]] == ["s1 channel"]  # it did change something
    assert shown["alerts"] == []
    assert notifier.calls() == [] and result.stderr == ""


def test_sync_json_carries_the_same_lines_as_the_alert(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02"),
              season(3, "2028-06-30"))  # fmt: skip
    (shown,) = json.loads(sync(tracked, "--json").stdout)["shows"]
    assert shown["alerts"] == [
        "Moonlight Pages: Season 2 expected Feb 2027 (TVmaze)",
        "Moonlight Pages: Season 3 announced (TVmaze)",
        "Moonlight Pages: Season 3 dated 30 Jun 2028 (TVmaze)",
    ]
    ((*_, body),) = notifier.calls()
    assert body.splitlines() == shown["alerts"]


def test_no_notifier_prints_the_summary_on_stderr_once_and_exits_0(
    tracked: Run, server: Server, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    result = sync(tracked)
    lines = result.stderr.splitlines()
    assert lines[0] == "Moonlight Pages: Season 2 dated 14 Feb 2027 (TVmaze)"
    assert len(lines) == 2 and "no desktop notifier found" in lines[1]
    assert os.listdir(bin_dir) == []


def test_a_failing_notifier_never_changes_the_exit_code(
    tracked: Run, server: Server, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = bin_dir / "notify-send"
    broken.write_text(f"#!{sys.executable}\nimport sys\nsys.exit('no session bus')\n")
    broken.chmod(0o755)
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    result = sync(tracked)  # exit 0, as the sync itself succeeded
    assert "Season 2 dated 14 Feb 2027" in result.stderr
    assert "notify-send exited 1: no session bus" in result.stderr


def test_osascript_gets_title_and_body_as_arguments_never_as_script(
    tracked: Run, server: Server, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    osascript = Notifier(bin_dir, "osascript")
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    sync(tracked)
    ((*script, title, body),) = osascript.calls()
    assert script[0::2] == ["-e", "-e", "-e"] and "argv" in script[3]
    assert (title, body) == (
        "hstracker: Moonlight Pages",
        "Moonlight Pages: Season 2 dated 14 Feb 2027 (TVmaze)",
    )


@pytest.mark.parametrize("watched", [["s3"], []])  # nothing recorded: the guard is on too
def test_a_revealing_change_is_announced_without_its_content(
    run: Run, wikidata: Wikidata, notifier: Notifier, watched: list[str]
) -> None:
    # the film stays a 2026 window (upcoming), and Wikidata lists cast the store lacks
    wikidata.entities["Q990014"]["claims"].pop("P577")
    run("cast", "remove", "Nick Nelson", "--season", "film")
    for ref in watched:
        run("watched", ref)  # the film is not seen either way
    result = run("sync", "--source", "wikidata", "--notify", "--json")
    (shown,) = json.loads(result.stdout)["shows"]
    assert any(c["what"] == "cast of film" for c in shown["changes"])
    assert "Heartstopper: 1 spoiler-guarded change" in shown["alerts"]
    ((*_, body),) = notifier.calls()
    assert "1 spoiler-guarded change" in body
    assert "Kit Connor" not in body and "Nick Nelson" not in body
    assert "Kit Connor" not in json.dumps(shown["alerts"])


def test_a_fan_who_has_seen_it_hears_who_joins(
    run: Run, wikidata: Wikidata, notifier: Notifier
) -> None:
    wikidata.entities["Q990014"]["claims"].pop("P577")
    run("cast", "remove", "Nick Nelson", "--season", "film")
    run("watched", "film")  # marked as seen (say, at a premiere): nothing to guard
    run("sync", "--source", "wikidata", "--notify")
    ((*_, body),) = notifier.calls()
    assert "Heartstopper: Nick Nelson (Kit Connor) joins Heartstopper Forever (Wikidata)" in body
    assert "spoiler-guarded" not in body


def test_dry_run_and_plain_sync_send_nothing(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    sync(tracked, "--dry-run")
    tracked("sync", "--show", "moonlight-pages", "--source", "tvmaze")
    assert notifier.calls() == []


def test_history_a_source_fills_in_is_no_alert_but_a_date_that_just_landed_is(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    # season 1's day becomes an exact instant (history); season 2 came out ten days ago
    airstamp = {"season": 1, "number": 1, "airstamp": "2025-05-01T07:00:00+00:00"}
    moonlight(server, monkeypatch, season(1, None), season(2, "2026-11-14"),
              season(3, "2021-01-01"), episodes=(airstamp,))  # fmt: skip
    (shown,) = json.loads(sync(tracked, "--json").stdout)["shows"]
    whats = {c["what"] for c in shown["changes"]}
    assert {"s1 release", "Season 3", "s3 release"} <= whats  # all three were merged
    assert shown["alerts"] == ["Moonlight Pages: Season 2 dated 14 Nov 2026 (TVmaze)"]
    assert len(notifier.calls()) == 1


def test_a_failing_source_keeps_its_exit_code_and_the_alert_still_goes(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    # Wikidata and Open Library answer garbage (no retries): both fail, TVmaze's facts are saved
    monkeypatch.setenv("HSTRACKER_WIKIDATA_URL", server.url + "/")
    monkeypatch.setenv("HSTRACKER_OPENLIBRARY_URL", server.url)
    server.route(WIKIDATA_API, Answer(body=b"not json at all"))
    server.route(OPENLIBRARY_SEARCH, Answer(body=b"not json at all"))
    result = tracked("sync", "--show", "moonlight-pages", "--notify", code=ExitCode.NETWORK)
    assert "2 sources failed" in result.stderr
    ((*_, body),) = notifier.calls()
    assert body == "Moonlight Pages: Season 2 dated 14 Feb 2027 (TVmaze)"


def test_sync_all_sends_one_notification_per_show_that_changed(
    tracked: Run, server: Server, notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracked("shows", "remove", "heartstopper", "--yes")
    tracked("shows", "add", "Starfall")
    tracked("shows", "link", "starfall", "--tvmaze", "778")
    tracked("shows", "add", "Unchanged")
    tracked("shows", "link", "unchanged", "--tvmaze", "779")
    moonlight(server, monkeypatch, season(1, "2025-05-01"), season(2, "2027-02-14"))
    moonlight(server, monkeypatch, season(1, "2027-06"), show_id=778)
    moonlight(server, monkeypatch, show_id=779)
    tracked("sync", "--all", "--source", "tvmaze", "--notify")
    assert sorted(call[2:] for call in notifier.calls()) == [
        ["hstracker: Moonlight Pages", "Moonlight Pages: Season 2 dated 14 Feb 2027 (TVmaze)"],
        ["hstracker: Starfall",
         "Starfall: Season 1 announced (TVmaze)\nStarfall: Season 1 expected Jun 2027 (TVmaze)"],
    ]  # fmt: skip


def _shipped(home: Path) -> Show:
    return Store(home).show("heartstopper")


def _change(about: str, subject: str, action: Action = "added") -> Change:
    """A change about a fact (by its name in core/facts) or another topic."""
    if about in FIELDS:
        what, field = f"{subject} {about}", FIELDS[about]
        return Change(action, "fact", what, None, "x", "Netflix", "", subject, field)
    topic = cast(Topic, about)
    return Change(action, topic, f"{subject} {about}", None, "x", "Netflix", "", subject)


NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_trailers_and_states_are_worded_and_a_trailer_is_guarded(home: Path) -> None:
    show = _shipped(home)
    trailer, state = _change("trailer", "film"), _change("state", "film", "updated")
    guard = Guard(active=True, seen=frozenset({"s1", "s2", "s3"}), read=frozenset())
    alert = alert_for(show, [trailer, state], guard, NOW)
    assert alert is not None and alert.lines == [
        "Heartstopper: Heartstopper Forever is now wrapped (Netflix)",
        "Heartstopper: 1 spoiler-guarded change",
    ]
    seen = Guard(active=True, seen=frozenset({"film"}), read=frozenset())
    alert = alert_for(show, [trailer], seen, NOW)
    assert alert is not None
    assert alert.lines == ["Heartstopper: Heartstopper Forever has a trailer (Netflix)"]


def test_conflicts_bookkeeping_and_history_are_no_alert(home: Path) -> None:
    show = _shipped(home)
    quiet = [
        _change("release", "film", "conflict"),  # the stored value was kept
        _change("channel", "film"), _change("episodes", "s3"), _change("id", "tvmaze"),
        _change("market", "6"), _change("total", ""),
        _change("release", "s2", "updated"),  # out since 2023: a source filling in history
        _change("published", "1"),  # volume 1, published in 2019
        _change("cast", "s3"),  # the cast of a released season
    ]  # fmt: skip
    assert alert_for(show, quiet, Guard.off(), NOW) is None
    volume = alert_for(
        show, [_change("published", "6")], Guard.off(), datetime(2026, 7, 9, tzinfo=UTC)
    )
    assert volume is not None
    assert volume.lines == ["Heartstopper: volume 6 published 2 Jul 2026 (Netflix)"]
