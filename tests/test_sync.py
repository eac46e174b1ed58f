"""`hstracker sync` against a real TVmaze-shaped server on 127.0.0.1, including every fault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from httpserver import (
    TVMAZE_SEARCH,
    TVMAZE_SHOW,
    TVMAZE_UPDATES,
    Answer,
    Server,
    fixture_bytes,
)


def installment(run: Run, key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        i for i in run.json("seasons")["installments"] if i["key"] == key
    ]
    assert found, key
    return found[0]


def test_sync_merges_seasons_and_cast_with_provenance(run: Run, tvmaze: Server) -> None:
    result = run("sync")
    out = result.stdout
    assert "TVmaze id" in out and "53440" in out
    assert "s2 release" in out and "s1 release" in out
    assert "Julio Spring (Joseph Balderrama)" in out
    assert "CC BY-SA" in out
    assert result.stderr == ""  # no progress display when stderr is not a terminal

    (search,) = tvmaze.hits(TVMAZE_SEARCH)
    assert search.query == "q=Heartstopper"
    assert search.headers["user-agent"].startswith("hstracker/0.1.0 (+https://")
    (fetch,) = tvmaze.hits(TVMAZE_SHOW)
    assert fetch.query == "embed%5B%5D=seasons&embed%5B%5D=episodes&embed%5B%5D=cast"

    s2 = installment(run, "s2")
    # the day NME reported is refined to TVmaze's exact airstamp, and kept in the history
    assert s2["release"] == "2023-08-03T00:00:00-07:00[America/Los_Angeles]"
    release = s2["facts"]["release"]
    assert release["source"]["name"] == "TVmaze"
    assert release["source"]["confidence"] == "confirmed"
    assert release["source"]["url"] == tvmaze.url + TVMAZE_SHOW
    assert release["source"]["reported"] == "2026-11-24"
    assert release["history"][0]["value"] == "2023-08-03"
    assert release["history"][0]["source"]["name"] == "Radio Times"
    assert s2["channel"] == "Netflix"
    assert s2["facts"]["channel"]["source"]["name"] == "TVmaze"
    # s3 already had the exact instant: nothing to change, its source stays
    assert installment(run, "s3")["facts"]["release"]["source"]["name"] == "Dexerto"

    cast = {m["character"]: m for m in run.json("cast", "--season", "3")["cast"]}
    assert cast["Julio Spring"]["actor"] == "Joseph Balderrama"
    assert cast["Julio Spring"]["source"]["name"] == "TVmaze"
    # Elle and Tao were matched by actor and character, not added again
    actors = [m["actor"] for m in run.json("cast", "--season", "2")["cast"]]
    assert actors.count("Yasmin Finney") == 1 and actors.count("William Gao") == 1

    for command in ("status", "seasons", "cast"):
        assert "TVmaze" in run(command).stdout and "CC BY-SA" in run(command).stdout


def test_attribution_is_absent_before_any_sync(run: Run) -> None:
    assert "TVmaze" not in run("status").stdout
    assert "TVmaze" not in run("seasons").stdout


def test_second_sync_with_nothing_new_writes_nothing(run: Run, tvmaze: Server, home: Path) -> None:
    run("sync")
    path = home / "shows" / "heartstopper.json"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    files = snapshot(home)
    out = run("sync").stdout
    assert "already up to date; nothing was written" in out
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert snapshot(home) == files
    # the stored id is used, and TVmaze's list of changes says the show is as it was read:
    # no second search and no second read
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 1 and len(tvmaze.hits(TVMAZE_SHOW)) == 1
    (updates,) = tvmaze.hits(TVMAZE_UPDATES)
    assert updates.query == "since=day"
    # --full reads it again, and still writes nothing new
    run("sync", "--full")
    assert len(tvmaze.hits(TVMAZE_SHOW)) == 2


def test_dry_run_reports_and_writes_nothing(run: Run, tvmaze: Server, home: Path) -> None:
    out = run("sync", "--dry-run").stdout
    assert "would change" in out and "Dry run: nothing was written." in out
    assert "s2 release" in out
    assert snapshot(home) == {}


def test_a_fan_entered_fact_is_kept_and_the_conflict_reported(run: Run, tvmaze: Server) -> None:
    run(
        "add-news", "Season 3 has ten episodes", "--date", "2024-09-01", "--source", "Fan",
        "--season", "3", "--set", "episodes=10",
    )  # fmt: skip
    out = run("sync").stdout
    assert "conflict" in out and "s3 episodes" in out
    episodes = installment(run, "s3")["facts"]["episodes"]
    assert episodes["value"] == 10 and episodes["source"]["name"] == "Fan"
    latest = episodes["history"][0]
    assert (latest["value"], latest["source"]["name"]) == (8, "TVmaze")
    assert "already up to date" in run("sync").stdout  # the conflict is not recorded twice


def test_shows_link_sets_the_id_and_skips_the_search(run: Run, tvmaze: Server) -> None:
    assert (
        "linked to TVmaze 53440" in run("shows", "link", "heartstopper", "--tvmaze", "53440").stdout
    )
    run("sync")
    assert tvmaze.hits(TVMAZE_SEARCH) == []
    run("shows", "link", "nope", "--tvmaze", "1", code=3)
    run("shows", "link", "heartstopper", "--tvmaze", "0", code=2)


def test_429_then_200_honours_retry_after(run: Run, tvmaze: Server) -> None:
    tvmaze.route(
        TVMAZE_SEARCH,
        Answer(429, b"slow down", {"Retry-After": "1"}),
        Answer(body=fixture_bytes("tvmaze/singlesearch.json")),
    )
    assert "TVmaze id" in run("sync").stdout
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 2


def test_retry_after_is_capped(run: Run, tvmaze: Server) -> None:
    tvmaze.route(
        TVMAZE_SEARCH,
        Answer(429, b"", {"Retry-After": "3600"}),
        Answer(body=fixture_bytes("tvmaze/singlesearch.json")),
    )
    run("sync", HSTRACKER_HTTP_RETRY_CAP="0.2")
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 2


@pytest.fixture
def linked(run: Run, home: Path) -> dict[str, bytes]:
    """A store with the fan's own copy of the show, to prove a failure leaves it as it was."""
    run("shows", "link", "heartstopper", "--tvmaze", "53440")
    return snapshot(home)


FAULTS = {
    "server error": ([Answer(500, b"oops")], "answered HTTP 500"),
    "unavailable three times": ([Answer(503, b"")], "answered HTTP 503"),
    "malformed JSON": ([Answer(body=b'{"id": 53440, "name": ')], "malformed JSON"),
    "wrong shape": ([Answer(body=b'{"id": "53440", "name": "x"}')], "unexpected shape"),
    "no embeds": ([Answer(body=b'{"id": 53440, "name": "x"}')], "without the embedded"),
    "bad date": (
        [Answer(body=b'{"id":1,"name":"x","_embedded":{"seasons":[{"number":1,'
                b'"premiereDate":"2023-13-45"}]}}')],
        "bad date",
    ),
    "oversized": ([Answer(body=b" " * 300_000 + b"{}")], "the limit is"),
    "oversized, streamed": ([Answer(body=b" " * 300_000 + b"{}", length=False)], "limit was"),
    "not found by id": ([Answer(404, b"{}")], "no show with id 53440"),
}  # fmt: skip


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_fail_in_one_line_and_leave_the_store(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes], fault: str
) -> None:
    answers, message = FAULTS[fault]
    tvmaze.route(TVMAZE_SHOW, *answers)
    seasons = run.json("seasons")
    # TVmaze alone: the others, finding nothing, would record that they did (test_sync_scale)
    result = run("sync", "--source", "tvmaze", code=None, HSTRACKER_HTTP_MAX_BYTES="100000")
    assert result.exit_code == (3 if "404" in repr(answers) else 8), result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    if fault == "not found by id":  # the facts stay; that TVmaze knew no such show is kept
        assert run.json("seasons") == seasons
    else:
        assert snapshot(home) == linked
    if fault == "unavailable three times":
        assert len(tvmaze.hits(TVMAZE_SHOW)) == 3


def test_show_not_found(run: Run, tvmaze: Server, home: Path) -> None:
    tvmaze.route(TVMAZE_SEARCH, Answer(404, b'{"name":"Not Found","status":404}'))
    result = run("sync", "--source", "tvmaze", code=3)
    assert "TVmaze has no show matching 'Heartstopper'" in result.stderr
    assert "shows link" in result.stderr
    # the facts are as shipped; only the search that found nothing is remembered, for a week
    assert run.json("seasons") == run.json("seasons", HSTRACKER_HOME=str(home / "elsewhere"))
    again = run("sync", "--source", "tvmaze", code=3)
    assert "TVmaze: found nothing on 2026-11-24; asked again from 2026-12-01" in again.stderr
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 1
    run("sync", "--source", "tvmaze", "--full", code=3)
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 2


def test_a_server_that_never_answers_fails_at_the_deadline(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes]
) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(hang=True))
    result = run("sync", "--source", "tvmaze", code=8, HSTRACKER_HTTP_DEADLINE="1")
    assert "within the 1 s deadline" in result.stderr or "timed out" in result.stderr
    assert snapshot(home) == linked


def test_nothing_listening(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HSTRACKER_TVMAZE_URL", f"http://127.0.0.1:{port}")
    result = run("sync", code=8)
    assert "could not connect" in result.stderr
    assert snapshot(home) == {}


def test_fixture_is_tvmaze_shaped() -> None:
    data = json.loads(fixture_bytes("tvmaze/show-embedded.json"))
    assert set(data["_embedded"]) == {"seasons", "episodes", "cast"}


def test_a_retry_after_past_the_deadline_fails_at_once(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes]
) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(429, b"", {"Retry-After": "20"}))
    result = run("sync", "--source", "tvmaze", code=8, HSTRACKER_HTTP_DEADLINE="2")
    assert "answered HTTP 429; waiting 20 s would pass the 2 s deadline" in result.stderr
    assert len(tvmaze.hits(TVMAZE_SHOW)) == 1
    assert snapshot(home) == linked


def test_retry_after_as_an_http_date(run: Run, tvmaze: Server) -> None:
    tvmaze.route(
        TVMAZE_SEARCH,
        Answer(503, b"", {"Retry-After": "Tue, 24 Nov 2020 12:00:00 GMT"}),  # already past
        Answer(body=fixture_bytes("tvmaze/singlesearch.json")),
    )
    run("sync")
    assert len(tvmaze.hits(TVMAZE_SEARCH)) == 2
