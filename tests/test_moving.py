"""`hstracker import --from`: TV Time, Trakt, Letterboxd, Goodreads and StoryGraph exports,
written here from the column and field names those services really use."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from httpserver import Server

SECRET = "tok_never_print_me_4242"

V2_HEADER = (
    "s_id,runtime,series_name,episode_number,user_id,gsi,created_at,key,season_number,s_no,"
    "ep_no,ep_id,episode_id,updated_at,ep_watch_count,is_followed,uuid,rewatch_count"
)


def v2_row(s_id: str, name: str, season: int, episode: int, at: str, kind: str = "watch") -> str:
    key = f"{kind}-episode-{s_id}-{season}-{episode}"
    return f"{s_id},1800,{name},{episode},1,,{at},{key},{season},,,,,{at},,,,"


def tvtime_files() -> dict[str, str | bytes]:
    episodes = [
        v2_row("393466", "Heartstopper", 1, 1, "2022-04-22 20:00:00"),
        v2_row("393466", "Heartstopper", 1, 2, "2022-04-22 20:30:00"),
        # a rewatch of s1e1: counted once, seen twice
        v2_row("393466", "Heartstopper", 1, 1, "2023-01-02 10:00:00", "rewatch"),
        v2_row("393466", "Heartstopper", 3, 9, "2024-10-05 20:00:00"),  # s3 has 8
        v2_row("393466", "Heartstopper", 4, 1, "2025-01-01 20:00:00"),  # no season 4 yet
        v2_row("393466", "Heartstopper", 0, 1, "2022-12-24 20:00:00"),  # a special
        v2_row("349310", "Bodyguard (2018)", 1, 6, "2023-11-04 15:30:38"),
        "349310,3660,Bodyguard (2018),x,1,,2023-11-04 15:30:38,watch-episode-bad,1,,,,,,,,,",
        "73800,,Desperate Housewives,,1,,2015-09-13 15:34:44,user-series-ccc,,,,,,,,true,ccc,",
    ]
    films = "\n".join(
        [
            "user_id,uuid,created_at,type,entity_type,movie_name,release_date,watch_date",
            "1,aaa,2019-09-08 17:24:29,watch,movie,Fury,2014-10-15 00:00:00,",
            "1,bbb,2023-09-04 21:53:54,towatch,movie,The Batman,2022-03-03 00:00:00,",
        ]
    )
    followed = "\n".join(
        [
            "user_id,active,tv_show_id,created_at,archived,tv_show_name",
            "1,1,393466,2022-04-20 10:00:00,0,Heartstopper",
            "1,1,70329,2020-08-14 20:13:54,0,My Wife and Kids",
        ]
    )
    return {
        "tv-time-personal-data/tracking-prod-records-v2.csv": V2_HEADER
        + "\n"
        + "\n".join(episodes),
        "tv-time-personal-data/tracking-prod-records.csv": films,
        "tv-time-personal-data/followed_tv_show.csv": followed,
        "tv-time-personal-data/access_token.csv": f"user_id,token\n1,{SECRET}\n",
        "tv-time-personal-data/auth-prod-login.csv": f"email,password\nme@example.com,{SECRET}\n",
    }


def write_zip(path: Path, files: Mapping[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return path


def media(title: str, year: int, **ids: int | str) -> dict[str, Any]:
    return {"title": title, "year": year, "ids": ids}


def trakt_files() -> dict[str, str | bytes]:
    hs = media("Heartstopper", 2022, trakt=175123, tvdb=393466, imdb="tt10638036", tmdb=128839)
    silo = media("Silo", 2023, trakt=180770, tvdb=403245, imdb="tt14688458", tmdb=125988)

    def play(n: int, show: dict[str, Any], season: int, number: int, at: str) -> dict[str, Any]:
        episode = {"season": season, "number": number, "title": f"E{number}"}
        return {"id": n, "watched_at": at, "action": "watch", "type": "episode",
                "episode": episode, "show": show}  # fmt: skip

    inception = media("Inception", 2010, trakt=16662, imdb="tt1375666", tmdb=27205)
    history = [
        play(1, hs, 2, 1, "2023-08-03T20:00:00.000Z"),
        play(2, hs, 2, 2, "2023-08-03T21:00:00.000Z"),
        play(3, hs, 2, 1, "2024-01-01T20:00:00.000Z"),  # a rewatch
        play(4, silo, 1, 1, "2023-05-05T20:00:00.000Z"),
        {"id": 5, "watched_at": "2024-02-02T20:00:00.000Z", "type": "movie", "movie": inception},
    ]
    forever = media("Heartstopper Forever", 2026, trakt=900001, imdb="tt33000000")
    dune = media("Dune: Prophecy", 2024, trakt=180000, tvdb=420000)
    watchlist = [
        {"rank": 1, "listed_at": "2026-07-01T10:00:00.000Z", "type": "movie", "movie": forever},
        {"rank": 2, "listed_at": "2026-07-01T10:00:00.000Z", "type": "show", "show": dune},
    ]
    return {
        "watched-history.json": json.dumps(history),
        "lists-watchlist.json": json.dumps(watchlist),
        "user-settings.json": json.dumps({"account": {"token": SECRET}}),
    }


def test_tvtime_zip_joins_heartstopper_marks_episodes_and_reports(
    run: Run, tvmaze: Server, tmp_path: Path, home: Path
) -> None:
    run("sync", "--source", "tvmaze")  # TVmaze's episode lists: s3 has eight
    export = write_zip(tmp_path / "tv-time-personal-data.zip", tvtime_files())
    result = run("import", "--from", "tvtime", str(export))
    out = result.stdout
    assert SECRET not in out + result.stderr
    assert "Imported from TV Time" in out
    report = run.json("import", "--from", "tvtime", str(export), "--dry-run", "--json")
    assert report["episodes_marked"] == 0  # all already there
    assert "heartstopper" in report["shows_joined"]

    slugs = [s["slug"] for s in run.json("shows", "list")["shows"]]
    assert slugs.count("heartstopper") == 1  # joined, never copied
    assert {"bodyguard", "my-wife-and-kids", "desperate-housewives", "fury", "the-batman"} <= set(
        slugs
    )
    personal = json.loads((home / "personal.json").read_bytes())
    hs = personal["progress"]["heartstopper"]["episodes"]["s1"]
    assert hs[0] == [1, "2022-04-22T20:00:00Z", 2]  # first watch kept, and seen twice
    assert hs[1] == [2, "2022-04-22T20:30:00Z", 1]
    body = (home / "personal.json").read_text() + "".join(
        p.read_text() for p in (home / "shows").glob("*.json")
    )
    assert SECRET not in body
    bodyguard = json.loads((home / "shows" / "bodyguard.json").read_bytes())
    assert bodyguard["title"] == "Bodyguard"
    assert bodyguard["ids"] == {"thetvdb": "349310"}
    assert personal["progress"]["fury"]["watched"] == ["film"]
    assert "the-batman" not in personal["progress"]  # only to watch

    first = json.loads(json.dumps(report))
    reasons = " | ".join(r["reason"] for r in first["not_placed"])
    assert "Heartstopper season 3 has no episode 9" in reasons
    assert "Heartstopper has no season 4" in reasons
    assert "Heartstopper s0e1 is a special in season 0" in reasons
    assert "no show name, season or episode number" in reasons
    assert "s3: 0 of 8" not in run("progress").stdout
    assert "s1: 2 of 8" in run("progress").stdout


def test_importing_the_same_export_twice_changes_nothing(
    run: Run, tmp_path: Path, home: Path
) -> None:
    export = write_zip(tmp_path / "export.zip", tvtime_files())
    run("import", "--from", "tvtime", str(export))
    before = snapshot(home)
    again = run("import", "--from", "tvtime", str(export)).stdout
    assert "Nothing changed" in again
    assert snapshot(home) == before


def test_dry_run_writes_nothing(run: Run, tmp_path: Path, home: Path) -> None:
    export = write_zip(tmp_path / "export.zip", tvtime_files())
    before = snapshot(home) if home.exists() else {}
    out = run("import", "--from", "tvtime", str(export), "--dry-run").stdout
    assert "Would import from TV Time" in out
    assert (snapshot(home) if home.exists() else {}) == before


def test_tvtime_folder_and_older_seen_episode_file(run: Run, tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "tvtime"
    folder.mkdir()
    (folder / "seen_episode.csv").write_text(
        "tv_show_name,episode_season_number,episode_number,created_at\n"
        "Heartstopper,2,3,2023-08-04 20:00:00\n"
        "Heartstopper,2,3,2023-09-04 20:00:00\n"
    )
    (folder / "access_token.csv").write_text(f"token\n{SECRET}\n")
    data = run.json("import", "--from", "tvtime", str(folder), "--json")
    assert data["shows_joined"] == ["heartstopper"]
    assert data["episodes_marked"] == 1
    assert data["files"] == ["seen_episode.csv"]


def test_trakt_zip_keeps_ids_and_marks_films_and_rewatches(
    run: Run, tmp_path: Path, home: Path
) -> None:
    export = write_zip(tmp_path / "trakt.zip", trakt_files())
    data = run.json("import", "--from", "trakt", str(export), "--json")
    assert "heartstopper" in data["shows_joined"]
    assert {"silo", "inception", "dune-prophecy"} <= set(data["shows_made"])
    assert data["episodes_marked"] == 3
    assert data["rewatched"] == 1
    assert data["films_marked"] == 1
    assert data["films_to_watch"] == 1  # Heartstopper Forever, the shipped film, joins
    silo = json.loads((home / "shows" / "silo.json").read_bytes())
    assert silo["ids"] == {"imdb": "tt14688458", "thetvdb": "403245", "tmdb": "125988",
                           "trakt": "180770"}  # fmt: skip
    personal = json.loads((home / "personal.json").read_bytes())["progress"]
    assert personal["heartstopper"]["episodes"]["s2"][0] == [1, "2023-08-03T20:00:00Z", 2]
    assert personal["inception"]["episodes"]["film"] == [[1, "2024-02-02T20:00:00Z", 1]]
    # a second Trakt import finds the made shows by their ids
    again = run.json("import", "--from", "trakt", str(export), "--json")
    assert again["shows_made"] == [] and again["episodes_marked"] == 0


def test_letterboxd_diary_counts_rewatches(run: Run, tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "letterboxd"
    folder.mkdir()
    (folder / "diary.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2024-05-01,Past Lives,2023,https://boxd.it/a1,4.5,,,2024-04-30\n"
        "2024-06-01,Past Lives,2023,https://boxd.it/a2,5,Yes,,2024-05-31\n"
    )
    (folder / "watched.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2024-05-01,Past Lives,2023,https://boxd.it/a0\n"
    )
    data = run.json("import", "--from", "letterboxd", str(folder / "diary.csv"), "--json")
    assert data["shows_made"] == ["past-lives"] and data["films_marked"] == 1
    personal = json.loads((home / "personal.json").read_bytes())["progress"]
    assert personal["past-lives"]["episodes"]["film"] == [[1, "2024-04-30T00:00:00Z", 2]]


GOODREADS = (
    "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Date Read,"
    "Date Added,Bookshelves,Exclusive Shelf,Read Count\n"
    '1,"Heartstopper: Volume Two (Heartstopper, #2)",Alice Oseman,"Oseman, Alice",,'
    '"=""1444951404""","=""9781444951400""",5,2021/03/01,2021/02/01,,read,1\n'
    '2,"Heartstopper: Volume Four (Heartstopper, #4)",Alice Oseman,"Oseman, Alice",,'
    '"=""""","=""""",0,,2021/02/01,to-read,to-read,0\n'
    '3,"Solitaire",Alice Oseman,"Oseman, Alice",,"=""0007559224""","=""9780007559220""",4,'
    "2020/01/01,2020/01/01,,read,1\n"
)


def test_goodreads_marks_volumes_and_lists_other_books(
    run: Run, tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "goodreads_library_export.csv"
    path.write_text(GOODREADS)
    data = run.json("import", "--from", "goodreads", str(path), "--json")
    assert data["volumes_read"] == ["heartstopper volume 2"]
    reasons = [r["reason"] for r in data["not_placed"]]
    assert any("'to-read' shelf" in r for r in reasons)
    assert any(r.startswith("Solitaire (Alice Oseman) is not a volume") for r in reasons)
    assert data["shows_made"] == []
    assert run.json("progress")["read"] == [2]


def test_goodreads_spreadsheet_quoted_isbns_are_read(tmp_path: Path) -> None:
    from hstracker.imports import read_export

    path = tmp_path / "goodreads_library_export.csv"
    path.write_text(GOODREADS)
    books = read_export("goodreads", path).books
    assert books[0].isbns == ("1444951404", "9781444951400")
    assert (books[0].title, books[0].series, books[0].number) == (
        "Heartstopper: Volume Two",
        "Heartstopper",
        2,
    )
    assert books[1].isbns == () and books[1].shelf == "to-read"


def test_storygraph_marks_read_volumes(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "storygraph.csv"
    path.write_text(
        "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,"
        "Dates Read,Read Count,Star Rating,Review,Tags\n"
        "Heartstopper Volume 3,Alice Oseman,,9781444952773,paperback,read,2022/01/01,"
        "2022/01/05,2022/01/05,1,5.0,,\n"
        "Heartstopper Volume 5,Alice Oseman,,9781444968347,paperback,to-read,2022/01/01,,,0,,,\n"
    )
    data = run.json("import", "--from", "storygraph", str(path), "--json")
    assert data["volumes_read"] == ["heartstopper volume 3"]
    assert len(data["not_placed"]) == 1


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("tvtime", "is not a TV Time export"),
        ("trakt", "is not a Trakt export"),
        ("letterboxd", "is not a Letterboxd export"),
    ],
)
def test_a_file_that_is_not_the_format_is_refused(
    run: Run, tmp_path: Path, home: Path, service: str, message: str
) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = run("import", "--from", service, str(path), code=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (home / "personal.json").exists()


def test_a_goodreads_file_without_its_columns_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "goodreads_library_export.csv"
    path.write_text("a,b\n1,2\n")
    result = run("import", "--from", "goodreads", str(path), code=2)
    assert "is not the expected export: it has no Author, Exclusive Shelf, Title column" in (
        result.stderr
    )


def test_a_damaged_zip_is_refused_with_one_line(run: Run, tmp_path: Path, home: Path) -> None:
    good = write_zip(tmp_path / "good.zip", tvtime_files()).read_bytes()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(good[: len(good) // 2])  # the directory at the end is gone
    result = run("import", "--from", "tvtime", str(bad), code=2)
    assert "damaged ZIP" in result.stderr
    assert not (home / "personal.json").exists()
    # a broken entry (its bytes flipped) is named, and nothing is stored
    flipped = bytearray(good)
    start = good.index(b"tracking-prod-records-v2.csv") + 40  # inside its packed bytes
    flipped[start : start + 30] = bytes(30)
    (tmp_path / "flipped.zip").write_bytes(bytes(flipped))
    result = run("import", "--from", "tvtime", str(tmp_path / "flipped.zip"), code=2)
    assert "damaged" in result.stderr or "cannot be read" in result.stderr
    assert not (home / "personal.json").exists()


def test_a_zip_bomb_stops_at_the_ratio_cap(run: Run, tmp_path: Path, home: Path) -> None:
    bomb = write_zip(
        tmp_path / "bomb.zip",
        {"tracking-prod-records-v2.csv": V2_HEADER + "\n" + " " * 20_000_000},
    )
    result = run("import", "--from", "tvtime", str(bomb), code=2)
    assert "unpacks to more than" in result.stderr
    assert not (home / "personal.json").exists()


def _zipcrypto(data: bytes, password: bytes, check: int) -> bytes:
    """PKWARE's traditional encryption, as an encrypted TV Time export uses it."""
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc(ch: int, value: int) -> int:
        return (value >> 8) ^ table[(value ^ ch) & 0xFF]

    def update(ch: int) -> None:
        keys[0] = crc(ch, keys[0])
        keys[1] = (keys[1] + (keys[0] & 0xFF)) * 134775813 + 1 & 0xFFFFFFFF
        keys[2] = crc(keys[1] >> 24, keys[2])

    for ch in password:
        update(ch)
    out = bytearray()
    for ch in bytes(11) + bytes([check]) + data:
        k = keys[2] | 2
        out.append(ch ^ ((k * (k ^ 1)) >> 8) & 0xFF)
        update(ch)
    return bytes(out)


def encrypted_zip(path: Path, name: str, body: bytes, password: bytes, method: int = 0) -> Path:
    """A one-entry ZIP, stored and encrypted (method 99 marks WinZip's AES instead)."""
    import struct
    import zlib

    crc = zlib.crc32(body)
    data = _zipcrypto(body, password, crc >> 24) if method == 0 else body
    raw = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 1, method, 0, 0, crc, len(data),
                        len(body), len(raw), 0) + raw  # fmt: skip
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 1, method, 0, 0, crc,
                          len(data), len(body), len(raw), 0, 0, 0, 0, 0, 0) + raw  # fmt: skip
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(data), 0)  # fmt: skip
    path.write_bytes(local + data + central + end)
    return path


def test_an_encrypted_export_needs_its_password(run: Run, tmp_path: Path, home: Path) -> None:
    body = (
        b"tv_show_name,episode_season_number,episode_number,created_at\n"
        b"Heartstopper,1,4,2022-05-01 20:00:00\n"
    )
    export = encrypted_zip(tmp_path / "tv-time.zip", "seen_episode.csv", body, b"s3cret")
    with zipfile.ZipFile(io.BytesIO(export.read_bytes())) as check:  # a real ZipCrypto file
        assert check.read("seen_episode.csv", pwd=b"s3cret") == body
    result = run("import", "--from", "tvtime", str(export), code=2)
    assert "is encrypted" in result.stderr and "--password-file" in result.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    result = run("import", "--from", "tvtime", str(export), "--password-file", str(wrong), code=2)
    assert "password" in result.stderr and "wrong" in result.stderr
    right = tmp_path / "right.txt"
    right.write_text("s3cret\n")
    data = run.json(
        "import", "--from", "tvtime", str(export), "--password-file", str(right), "--json"
    )
    assert data["episodes_marked"] == 1


def test_an_aes_encrypted_export_is_one_clear_line(run: Run, tmp_path: Path) -> None:
    export = encrypted_zip(tmp_path / "aes.zip", "seen_episode.csv", b"x", b"pw", method=99)
    result = run("import", "--from", "tvtime", str(export), code=2)
    assert "encrypted with AES, which Python's zipfile cannot read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_from_options_are_refused_without_from(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "x.json"), "--dry-run", code=2)
    assert "go with --from" in result.stderr
    result = run("import", "--from", "myspace", str(tmp_path), code=2)
    assert "is not one of: tvtime, trakt, letterboxd, goodreads, storygraph" in result.stderr


def test_sync_finds_an_imported_show_by_its_thetvdb_id(
    run: Run, tvmaze: Server, tmp_path: Path, home: Path
) -> None:
    from httpserver import TVMAZE_SEARCH, TVMAZE_SHOW, Answer

    tvmaze.route("/api/v1/lookup/shows", Answer(redirect=tvmaze.url + TVMAZE_SHOW, status=301))
    export = write_zip(tmp_path / "export.zip", tvtime_files())
    run("import", "--from", "tvtime", str(export))
    run("sync", "--show", "bodyguard", "--source", "tvmaze")
    (lookup,) = tvmaze.hits("/api/v1/lookup/shows")
    assert lookup.query == "thetvdb=349310"
    assert tvmaze.hits(TVMAZE_SEARCH) == []  # no search by title
    data = json.loads((home / "shows" / "bodyguard.json").read_bytes())
    assert data["ids"]["tvmaze"] == "53440" and data["ids"]["thetvdb"] == "349310"
    # a film TVmaze does not know is left to Wikidata, never searched for by its title
    tvmaze.route("/api/v1/lookup/shows", Answer(status=404))
    result = run("sync", "--show", "fury", "--source", "tvmaze", code=None)
    assert result.exit_code != 0
    assert tvmaze.hits(TVMAZE_SEARCH) == []


def test_sync_asks_wikidata_for_an_imported_films_imdb_id(
    run: Run, tvmaze: Server, tmp_path: Path
) -> None:
    from httpserver import Answer

    answer = b'{"query": {"search": []}}'
    tvmaze.route("/w/api.php", Answer(body=answer), Answer(body=answer))
    export = write_zip(tmp_path / "trakt.zip", trakt_files())
    run("import", "--from", "trakt", str(export))
    run("sync", "--show", "inception", "--source", "wikidata", code=None)
    first = tvmaze.hits("/w/api.php")[0]
    assert "haswbstatement%3AP345%3Dtt1375666" in first.query


def test_import_with_sync_fetches_facts_at_once(run: Run, tvmaze: Server, tmp_path: Path) -> None:
    from httpserver import TVMAZE_SHOW, Answer

    tvmaze.route("/api/v1/lookup/shows", Answer(redirect=tvmaze.url + TVMAZE_SHOW, status=301))
    folder = tmp_path / "tvtime"
    folder.mkdir()
    (folder / "tracking-prod-records-v2.csv").write_text(
        "\n".join([V2_HEADER, v2_row("349310", "Bodyguard (2018)", 1, 2, "2023-11-04 15:30:38")])
    )
    result = run("import", "--from", "tvtime", str(folder), "--sync", code=None)
    assert "Imported from TV Time" in result.stdout
    assert [h.query for h in tvmaze.hits("/api/v1/lookup/shows")] == ["thetvdb=349310"]
    assert "s1: 1 of 8" in run("progress", "--show", "bodyguard").stdout


def test_a_show_named_like_hstrackers_own_files_gets_a_free_slug(
    run: Run, tmp_path: Path, home: Path
) -> None:
    folder = tmp_path / "tvtime"
    folder.mkdir()
    (folder / "seen_episode.csv").write_text(
        "tv_show_name,episode_season_number,episode_number,created_at\n"
        "Backups,1,1,2023-08-04 20:00:00\n"
        "Personal,1,1,2023-08-04 20:00:00\n"
    )
    data = run.json("import", "--from", "tvtime", str(folder), "--json")
    assert sorted(data["shows_made"]) == ["backups-2", "personal-2"]
    assert (home / "shows" / "backups-2.json").exists()


def test_a_row_the_csv_reader_cannot_read_is_named_and_the_rest_imported(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "tvtime"
    folder.mkdir()
    huge = "x" * 200_000  # over the cell limit
    (folder / "tracking-prod-records-v2.csv").write_bytes(
        "\n".join(
            [
                V2_HEADER,
                v2_row("393466", "Heartstopper", 1, 1, "2022-04-22 20:00:00"),
                v2_row("393466", huge, 1, 2, "2022-04-22 20:30:00"),
                v2_row("393466", "Heartstopper", 1, 3, "2022-04-22 21:00:00"),
            ]
        ).encode()
        + b"\n393466,1800,Heart\xffstopper\x00,4,1,,2022-04-22 22:00:00,watch-episode-x,1"
        + b",,,,,,,,,\n"
    )
    data = run.json("import", "--from", "tvtime", str(folder), "--json")
    assert data["episodes_marked"] == 3  # e1, e3, and e4 whose name held a bad byte
    (broken,) = data["not_placed"]
    assert broken["row"] == "tracking-prod-records-v2.csv line 3"
    assert "field larger than field limit" in broken["reason"]


def test_an_encrypted_export_asks_for_its_password_on_a_terminal(
    tmp_path: Path, home: Path
) -> None:
    import os
    import pty
    import sys

    body = b"tv_show_name,episode_season_number,episode_number\nHeartstopper,1,5\n"
    export = encrypted_zip(tmp_path / "tv-time.zip", "seen_episode.csv", body, b"s3cret")
    argv = [sys.executable, "-m", "hstracker", "import", "--from", "tvtime", str(export), "--json"]
    pid, leader = pty.fork()
    if pid == 0:  # the child, on its own terminal
        os.execve(sys.executable, argv, dict(os.environ))  # noqa: S606 (argv, no shell)
    seen = b""
    while b": " not in seen:  # the space comes from getpass, once it has the terminal
        try:
            seen += os.read(leader, 1024)
        except OSError:  # the child ended without asking
            break
    assert b"Password for tv-time.zip: " in seen
    os.write(leader, b"s3cret\n")
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed its terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"s3cret" not in seen  # the typed password is never echoed
    document = seen[seen.index(b"{") :].replace(b"\r\n", b"\n")
    assert json.loads(document)["episodes_marked"] == 1
