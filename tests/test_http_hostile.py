"""Hostile servers: slow headers, compression bombs, odd redirects, bad JSON and bad dates.

Each fault of a source ends the command at exit 8 with one `hstracker:` line (per feed for
`feeds pull`, plus its summary), never "unexpected error", and leaves the store as it was.
"""

from __future__ import annotations

import gzip
import json
import struct
import time
import tracemalloc
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.errors import NetworkError
from hstracker.sources.http import Client, Response, decode_json
from httpserver import TVMAZE_SHOW, Answer, Server, fixture_bytes

# generous on purpose: the point is "ends near the deadline", not a benchmark
MARGIN = 3.0
GIB = 1024  # MiB

# an empty stored deflate block (BFINAL=0, LEN=0, NLEN=0xffff): five bytes that unpack to nothing
EMPTY_BLOCK = b"\x00\x00\x00\xff\xff"
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def _zeros_deflate(mib: int) -> tuple[bytes, bytes]:
    """Raw deflate of mib MiB of zeros, built from one repeated flushed block (fast), + end."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    part = packer.compress(b"\0" * (1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return part * mib, packer.flush()


@cache
def deflate_bomb(mib: int = GIB) -> bytes:
    """About 1 MB of raw deflate that unpacks to mib MiB."""
    body, end = _zeros_deflate(mib)
    return body + end


@cache
def gzip_bomb(mib: int = GIB) -> bytes:
    """A valid gzip member of mib MiB of zeros, CRC and all."""
    body, end = _zeros_deflate(mib)
    crc, megabyte = 0, b"\0" * (1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(megabyte, crc)
    return GZIP_HEADER + body + end + struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)


@cache
def gzip_gzip_bomb() -> bytes:
    """A few KB that unpack, layer by layer, to a gigabyte."""
    return gzip.compress(gzip_bomb(), 9)


def test_the_bombs_are_what_they_claim() -> None:
    assert len(gzip_gzip_bomb()) < 4_000
    assert gzip.decompress(gzip_bomb(3)) == b"\0" * (3 << 20)
    assert zlib.decompress(deflate_bomb(3), -zlib.MAX_WBITS) == b"\0" * (3 << 20)


def one_line(result: Any) -> str:
    """The single error line of a command that failed as a network fault."""
    assert result.exit_code == 8, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hstracker: ")
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
    return str(lines[0])


# name: (answer, what the error line says, extra environment)
TRANSPORT: dict[str, tuple[Answer, str, dict[str, str]]] = {
    "headers dripped a byte at a time": (
        Answer(body=b"{}", drip=0.25),
        "within the 2 s deadline",
        {"HSTRACKER_HTTP_DEADLINE": "2"},
    ),
    "gzip of gzip bomb": (
        Answer(body=gzip_gzip_bomb(), headers={"Content-Encoding": "gzip, gzip"}),
        "unpacks to more than 5242880 bytes",
        {},
    ),
    "gzip bomb, no length": (
        Answer(body=gzip_bomb(), headers={"Content-Encoding": "gzip"}, length=False),
        "unpacks to more than 5242880 bytes",
        {},
    ),
    "deflate bomb": (
        Answer(body=deflate_bomb(), headers={"Content-Encoding": "deflate"}),
        "unpacks to more than 5242880 bytes",
        {},
    ),
    "endless empty deflate blocks": (
        Answer(
            body=b"\x78\x9c", forever=EMPTY_BLOCK * 1000, headers={"Content-Encoding": "deflate"}
        ),
        "sent more than 5242880 bytes",
        {},
    ),
    "endless empty gzip blocks, no size cap in reach": (
        Answer(body=GZIP_HEADER, forever=EMPTY_BLOCK * 1000, headers={"Content-Encoding": "gzip"}),
        "within the 2 s deadline",
        {"HSTRACKER_HTTP_DEADLINE": "2", "HSTRACKER_HTTP_MAX_BYTES": "1000000000000"},
    ),
    "compressed three times over": (
        Answer(
            body=gzip.compress(gzip.compress(gzip.compress(b"{}"))),
            headers={"Content-Encoding": "gzip, gzip, gzip"},
        ),
        "compressed 3 times over; the limit is 2",
        {},
    ),
    "corrupt gzip": (
        Answer(body=GZIP_HEADER + b"not deflate at all", headers={"Content-Encoding": "gzip"}),
        "corrupt gzip body",
        {},
    ),
    "redirect to file://": (
        Answer(redirect="file:///etc/passwd"),
        "redirected to a non-http(s) URL",
        {},
    ),
    "redirect to ftp://": (
        Answer(301, redirect="ftp://ftp.example/feed"),
        "redirected to a non-http(s) URL",
        {},
    ),
    "redirect to a broken URL": (Answer(redirect="http://[::1/x"), "Invalid URL in location", {}),
    "redirect loop": (Answer(307, redirect="?again"), "redirected more than 5 times", {}),
}


def _cases() -> list[Any]:
    """The table's names; those that sit out a deadline carry the slow label (still run)."""
    return [
        pytest.param(name, marks=pytest.mark.slow) if "HSTRACKER_HTTP_DEADLINE" in env else name
        for name, (_, _, env) in TRANSPORT.items()
    ]


@pytest.fixture
def linked(run: Run, home: Path) -> dict[str, bytes]:
    """A show linked to its TVmaze id (no search), and the store files as they were."""
    run("shows", "link", "heartstopper", "--tvmaze", "53440")
    return snapshot(home)


def _timed(run: Run, *args: str, **env: str) -> tuple[Any, float]:
    start = time.monotonic()
    result = run(*args, code=None, **env)
    return result, time.monotonic() - start


@pytest.mark.parametrize("case", _cases())
def test_sync_against_a_hostile_server(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes], case: str
) -> None:
    answer, message, env = TRANSPORT[case]
    tvmaze.route(TVMAZE_SHOW, answer)
    # TVmaze alone: the others, finding nothing, would record that they did
    result, took = _timed(run, "sync", "--source", "tvmaze", **env)
    assert message in one_line(result)
    assert took < float(env.get("HSTRACKER_HTTP_DEADLINE", "30")) + MARGIN
    assert snapshot(home) == linked


@pytest.mark.parametrize("case", _cases())
def test_feeds_pull_against_a_hostile_server(
    run: Run, server: Server, home: Path, case: str
) -> None:
    answer, message, env = TRANSPORT[case]
    url = server.route("/hostile.xml", answer)
    run("feeds", "add", url)
    before = snapshot(home)
    result, took = _timed(run, "feeds", "pull", **env)
    assert result.exit_code == 8, result.stderr
    lines = result.stderr.splitlines()
    # the only feed failed: its own line, which says nothing was pulled
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hstracker: feed ") and url in lines[0] and message in lines[0]
    assert lines[0].endswith(" Nothing was pulled.")
    assert "unexpected error" not in result.stderr
    assert took < float(env.get("HSTRACKER_HTTP_DEADLINE", "30")) + MARGIN
    assert snapshot(home) == before


def test_a_redirect_to_http_is_followed(run: Run, tvmaze: Server, linked: dict[str, bytes]) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(308, redirect="/moved/53440?embed=all"))
    tvmaze.route("/moved/53440", Answer(body=fixture_bytes("tvmaze/show-embedded.json")))
    assert "s2 release" in run("sync").stdout
    assert len(tvmaze.hits("/moved/53440")) == 1


def _show(**change: Any) -> dict[str, Any]:
    return {**json.loads(fixture_bytes("tvmaze/show-embedded.json")), **change}


JSON_FAULTS = {
    "invalid UTF-8": (b'{"id": 53440, "name": "Heart\xff\xfestopper"}', "not valid UTF-8"),
    "100k levels of [": (b"[" * 100_000, "unexpected shape"),  # refused at the first [
    "100k levels in a field hstracker skips": (
        b'{"id": 53440, "name": "x", "extra": ' + b"[" * 100_000,
        "nested too deeply",
    ),
    "invalid UTF-8, gzipped": (
        gzip.compress(b'{"id": 53440, "name": "\xc3\x28"}'),
        "not valid UTF-8",
    ),
}


@pytest.mark.parametrize("fault", list(JSON_FAULTS))
def test_bad_json_is_the_source_s_fault(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes], fault: str
) -> None:
    body, message = JSON_FAULTS[fault]
    headers = {"Content-Encoding": "gzip"} if "gzipped" in fault else {}
    tvmaze.route(TVMAZE_SHOW, Answer(body=body, headers=headers))
    line = one_line(run("sync", "--source", "tvmaze", code=None))
    assert line.startswith("hstracker: heartstopper: TVmaze: TVmaze answered ") and message in line
    assert snapshot(home) == linked


def _with_dates(airstamp: str, premiere: str, seasons: tuple[int, ...] = (1, 2, 3)) -> bytes:
    show = _show()
    embedded = show["_embedded"]
    for episode in embedded["episodes"]:
        if episode["season"] in seasons:
            episode["airstamp"] = airstamp
    for season in embedded["seasons"]:
        if season["number"] in seasons:
            season["premiereDate"] = premiere
    return json.dumps(show).encode()


OUT_OF_RANGE = {
    "year 1": ("0001-01-01T00:00:00+00:00", "0001-01-01"),
    "year 1899": ("1899-12-31T12:00:00+00:00", "1899-12-31"),
    "year 2101": ("2101-01-01T00:00:00+00:00", "2101-01-01"),
    "year 9999, past the end of time in UTC": ("9999-12-31T23:00:00-05:00", "9999-12-31"),
    "2100 by offset, 2101 in UTC": ("2100-12-31T23:00:00-05:00", "2101-01-01"),
}


@pytest.mark.parametrize("case", list(OUT_OF_RANGE))
def test_tvmaze_dates_out_of_range_only_are_refused(
    run: Run, tvmaze: Server, home: Path, linked: dict[str, bytes], case: str
) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(body=_with_dates(*OUT_OF_RANGE[case])))
    line = one_line(run("sync", "--source", "tvmaze", code=None))
    assert "TVmaze answered" in line and "outside the years 1900 to 2100" in line
    assert snapshot(home) == linked


@pytest.mark.parametrize("case", list(OUT_OF_RANGE))
def test_tvmaze_dates_out_of_range_are_skipped_and_the_rest_kept(
    run: Run, tvmaze: Server, case: str
) -> None:
    tvmaze.route(TVMAZE_SHOW, Answer(body=_with_dates(*OUT_OF_RANGE[case], seasons=(2,))))
    run("sync")
    seasons = {i["key"]: i for i in run.json("seasons")["installments"]}
    # s2 keeps the date the fan had; s1 was synced; the store still loads and validates
    assert seasons["s2"]["release"] == "2023-08-03"
    assert seasons["s1"]["facts"]["release"]["source"]["name"] == "TVmaze"
    assert "already up to date" in run("sync").stdout


def test_a_bad_airstamp_falls_back_to_the_premiere_day(run: Run, tvmaze: Server) -> None:
    tvmaze.route(
        TVMAZE_SHOW,
        Answer(body=_with_dates("9999-12-31T23:00:00-05:00", "2023-08-04", seasons=(2,))),
    )
    run("sync")
    s2 = next(i for i in run.json("seasons")["installments"] if i["key"] == "s2")
    # TVmaze's day disagrees with the fan's sources: recorded, the fan's value kept
    latest = s2["facts"]["release"]["history"][0]
    assert (latest["value"], latest["source"]["name"]) == ("2023-08-04", "TVmaze")


RSS_ITEM = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile Weekly</title>'
    "<item><title>Heartstopper news</title><guid>h1</guid><pubDate>{}</pubDate></item>"
    "</channel></rss>"
)


@pytest.mark.parametrize("stamp", ["0000-01-01T00:00:00Z", "Mon, 01 Jan 0000 00:00:00 GMT"])
def test_a_feed_item_dated_year_0000_counts_as_undated(
    run: Run, server: Server, stamp: str
) -> None:
    url = server.route("/zero.xml", Answer(body=RSS_ITEM.format(stamp).encode()))
    run("feeds", "add", url)
    out = run("feeds", "pull").stdout
    # no day a store can hold, and no feed date: never dated today, left for a later pull
    assert "1 matching items had no date hstracker can read" in out
    assert [n for n in run.json("news")["news"] if n["headline"] == "Heartstopper news"] == []


NON_ASCII = {
    "UTF-8 bytes": 'W/"caf\u00e9"'.encode().decode("latin-1"),
    "Latin-1 byte": 'W/"caf\u00e9"',
    "a control byte": 'W/"ca\x7ff"',
}


@pytest.mark.parametrize("kind", list(NON_ASCII))
def test_a_non_ascii_validator_is_dropped_and_never_sent(
    run: Run, server: Server, home: Path, kind: str
) -> None:
    bad = NON_ASCII[kind]
    feed = fixture_bytes("feeds/rss.xml")
    url = server.route(
        "/v.xml", Answer(body=feed, headers={"ETag": bad, "Last-Modified": f"Mon, {bad} 2026"})
    )
    other = server.route("/other.xml", Answer(body=feed, headers={"ETag": '"ok"'}))
    run("feeds", "add", url)
    run("feeds", "add", other)
    run("feeds", "pull")
    stored = json.loads((home / "shows" / "heartstopper.json").read_text())["feeds"]
    assert "etag" not in stored[0] and "last_modified" not in stored[0]
    assert stored[1]["etag"] == '"ok"'
    run("feeds", "pull")  # every later pull of every feed still works
    assert "if-none-match" not in server.hits("/v.xml")[1].headers
    assert server.hits("/other.xml")[1].headers["if-none-match"] == '"ok"'


def test_a_non_ascii_validator_already_stored_is_never_sent(
    run: Run, server: Server, home: Path
) -> None:
    url = server.route("/v.xml", Answer(body=fixture_bytes("feeds/rss.xml")))
    run("feeds", "add", url)
    path = home / "shows" / "heartstopper.json"
    data = json.loads(path.read_text())
    data["feeds"][0].update(etag='W/"caf\u00e9"', last_modified="Mon, 23 Nov 2026 10:00 \u00e9")
    path.write_text(json.dumps(data))
    run("feeds", "pull")
    (seen,) = server.hits("/v.xml")
    assert "if-none-match" not in seen.headers and "if-modified-since" not in seen.headers
    stored = json.loads(path.read_text())["feeds"][0]
    assert "etag" not in stored and "last_modified" not in stored


# -- the Client itself -------------------------------------------------------------------------


@pytest.mark.slow
def test_client_deadline_covers_dripped_headers(server: Server) -> None:
    url = server.route("/drip", Answer(body=b"{}", drip=0.2))
    start = time.monotonic()
    with Client(deadline=1.0) as client, pytest.raises(NetworkError, match="1 s deadline"):
        client.get(url)
    assert time.monotonic() - start < 1.0 + MARGIN


@pytest.mark.slow
def test_client_deadline_covers_the_whole_command(server: Server) -> None:
    """Three requests of 0.6 s each cannot fit into one 1 s deadline."""
    url = server.route("/drip", Answer(body=b"{}", drip=0.01))

    def five_requests() -> None:
        with Client(deadline=1.0) as client:
            for _ in range(5):
                client.get(url)

    start = time.monotonic()
    with pytest.raises(NetworkError, match="deadline"):
        five_requests()
    assert time.monotonic() - start < 1.0 + MARGIN


@pytest.mark.slow
def test_client_deadline_covers_an_endless_body_that_unpacks_to_nothing(server: Server) -> None:
    url = server.route(
        "/empty",
        Answer(body=b"", forever=EMPTY_BLOCK * 1000, headers={"Content-Encoding": "deflate"}),
    )
    start = time.monotonic()
    with (
        Client(deadline=1.0, max_bytes=10**12) as client,
        pytest.raises(NetworkError, match="deadline"),
    ):
        client.get(url)
    assert time.monotonic() - start < 1.0 + MARGIN


@pytest.mark.parametrize(
    ("body", "coding"),
    [(gzip_gzip_bomb(), "gzip, gzip"), (gzip_bomb(), "gzip"), (deflate_bomb(), "deflate")],
    ids=["gzip-gzip", "gzip", "deflate"],
)
def test_client_caps_the_unpacked_size_without_unpacking_it(
    server: Server, body: bytes, coding: str
) -> None:
    url = server.route("/bomb", Answer(body=body, headers={"Content-Encoding": coding}))
    tracemalloc.start()
    try:
        with (
            Client(max_bytes=2_000_000) as client,
            pytest.raises(NetworkError, match="unpacks to more than 2000000 bytes"),
        ):
            client.get(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the gigabyte behind it was never held


@pytest.mark.parametrize(
    ("body", "coding"),
    [
        (gzip.compress(b"x" * 1000), "gzip"),
        (gzip.compress(gzip.compress(b"x" * 1000)), "gzip, gzip"),
        (zlib.compress(b"x" * 1000), "deflate"),
        (zlib.compress(b"x" * 1000)[2:-4], "deflate"),  # raw deflate, as some servers send
        (gzip.compress(b"x" * 1000), "x-gzip"),
        (b"x" * 1000, "identity"),
        (b"x" * 1000, "utf-8"),  # a charset where the encoding goes: passed through, as httpx does
    ],
)
def test_client_unpacks_honest_bodies_up_to_the_cap_exactly(
    server: Server, body: bytes, coding: str
) -> None:
    url = server.route("/ok", Answer(body=body, headers={"Content-Encoding": coding}))
    with Client(max_bytes=1000) as client:
        assert client.get(url).body == b"x" * 1000
    with Client(max_bytes=999) as client, pytest.raises(NetworkError, match="999"):
        client.get(url)


def test_client_asks_only_for_encodings_it_caps(server: Server) -> None:
    url = server.route("/ok", Answer(body=b"{}"))
    with Client() as client:
        client.get(url, headers={"If-None-Match": 'W/"caf\u00e9"', "X-Fine": "yes"})
    (seen,) = server.hits("/ok")
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in seen.headers and seen.headers["x-fine"] == "yes"


def test_client_refuses_a_non_http_redirect_before_following_it(server: Server) -> None:
    url = server.route("/r", Answer(redirect="file:///etc/passwd"))
    with Client() as client, pytest.raises(NetworkError, match="non-http"):
        client.get(url)
    assert len(server.hits("/r")) == 1


def test_client_follows_five_redirects_and_no_more(server: Server) -> None:
    for hop in range(6):
        server.route(f"/hop{hop}", Answer(redirect=f"/hop{hop + 1}"))
    server.route("/hop6", Answer(body=b"done"))
    with Client() as client:
        assert client.get(server.url + "/hop1").body == b"done"
        with pytest.raises(NetworkError, match="more than 5"):
            client.get(server.url + "/hop0")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'["caf\xe9"]', "not valid UTF-8"),
        (b'["unfinished', "malformed JSON"),
    ],
)
def test_decode_json_turns_every_fault_into_one_network_error(body: bytes, message: str) -> None:
    response = Response(url="https://api.example/x", status=200, headers={}, body=body)
    with pytest.raises(
        NetworkError, match=f"^Example answered https://api.example/x with .*{message}"
    ):
        decode_json(response, list[Any], "Example")


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "soon", "1e300"])
def test_odd_deadlines_from_the_environment_still_bound_the_client(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HSTRACKER_HTTP_DEADLINE", value)
    with Client() as client:
        assert 0 < client.deadline <= 24 * 3600
