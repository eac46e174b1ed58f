"""`hstracker feeds` against real RSS 2.0 and Atom feeds served from 127.0.0.1, hostile ones too."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from httpserver import Answer, Server, fixture_bytes

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>Heartstopper &lol9;</title><link>https://bomb.example/1</link><guid>b1</guid></item>
</channel></rss>
"""

SECRET = "TOP-SECRET-hstracker-canary-7731"


def external_entity(path: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>Leak</title>
<item><title>Heartstopper &xxe;</title><link>https://leak.example/1</link>
<description>&xxe;</description><guid>x1</guid></item>
</channel></rss>
""".encode()


BROKEN = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Heartstopper news</title><link>https://broken.example/1</link></item>
<item><title>Heartstopper cut off"""


@pytest.fixture
def feeds(server: Server) -> Server:
    server.route("/rss.xml", Answer(body=fixture_bytes("feeds/rss.xml")))
    server.route("/atom.xml", Answer(body=fixture_bytes("feeds/atom.xml")))
    return server


def news_by_headline(run: Run) -> dict[str, dict]:  # type: ignore[type-arg]
    # --spoilers: the guard hides feed items that name an installment; these tests are about
    # what a pull stores
    return {n["headline"]: n for n in run.json("news", "--limit", "500", "--spoilers")["news"]}


def test_pull_adds_matching_items_from_rss_and_atom(run: Run, feeds: Server) -> None:
    run("feeds", "add", feeds.url + "/rss.xml")
    run("feeds", "add", feeds.url + "/atom.xml")
    out = run("feeds", "pull").stdout
    assert "3 new news items" in out
    news = news_by_headline(run)
    item = news["Heartstopper Forever gets a release date"]
    assert item["date"] == "2026-11-23"
    assert item["source"] == "Screen News Daily"
    assert item["url"] == "https://news.example/heartstopper-forever-date"
    assert item["confidence"] == "reported"
    assert item["body"] == "Netflix confirms the film's date."  # markup stripped
    # the title matched in the summary, case-insensitively
    assert news["Alice Oseman interview"]["date"] == "2026-11-21"
    atom = news["Kit Connor talks Heartstopper Forever"]
    assert (atom["source"], atom["date"]) == ("Queer Screen Weekly", "2026-11-20")
    assert "A cooking show returns" not in news and "Another show entirely" not in news
    assert feeds.hits("/rss.xml")[0].headers["user-agent"].startswith("hstracker/")


def test_pulling_twice_adds_nothing_and_writes_nothing(run: Run, feeds: Server, home: Path) -> None:
    run("feeds", "add", feeds.url + "/rss.xml")
    run("feeds", "pull")
    count = len(news_by_headline(run))
    files = snapshot(home)
    assert "No new news items" in run("feeds", "pull").stdout
    assert len(news_by_headline(run)) == count
    assert snapshot(home) == files


def test_an_item_already_stored_by_link_is_not_added_again(run: Run, feeds: Server) -> None:
    run(
        "add-news", "Forever date confirmed", "--date", "2026-11-23", "--source", "Netflix",
        "--url", "https://news.example/heartstopper-forever-date",
    )  # fmt: skip
    run("feeds", "add", feeds.url + "/rss.xml")
    run("feeds", "pull")
    assert "Heartstopper Forever gets a release date" not in news_by_headline(run)


def test_conditional_request_and_304(run: Run, server: Server, home: Path) -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT"}
    server.route(
        "/rss.xml",
        Answer(body=fixture_bytes("feeds/rss.xml"), headers=validators),
        Answer(304),
    )
    run("feeds", "add", server.url + "/rss.xml")
    run("feeds", "pull")
    files = snapshot(home)
    assert "No new news items" in run("feeds", "pull").stdout
    first, second = server.hits("/rss.xml")
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == '"v1"'
    assert second.headers["if-modified-since"] == "Mon, 23 Nov 2026 10:00:00 GMT"
    assert snapshot(home) == files


def test_match_words_replace_the_title(run: Run, feeds: Server) -> None:
    run("feeds", "add", feeds.url + "/rss.xml", "--match", "oseman, nobody")
    run("feeds", "pull")
    news = news_by_headline(run)
    assert "Alice Oseman interview" in news
    assert "Heartstopper Forever gets a release date" not in news


def _pull_with_one_bad_feed(run: Run, feeds: Server, bad: Answer) -> tuple[str, str]:
    run("feeds", "add", feeds.url + "/bad.xml")
    run("feeds", "add", feeds.url + "/rss.xml")
    feeds.route("/bad.xml", bad)
    result = run("feeds", "pull", code=8)
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 2, result.stderr  # one line for the feed, one summary line
    assert lines[0].startswith(f"hstracker: feed {feeds.url}/bad.xml ")
    assert lines[1] == "hstracker: 1 of 2 feeds failed; the rest were pulled."
    # the good feed was still pulled
    assert "Heartstopper Forever gets a release date" in news_by_headline(run)
    return lines[0], result.stdout


def test_entity_expansion_is_refused(run: Run, feeds: Server, home: Path) -> None:
    line, out = _pull_with_one_bad_feed(run, feeds, Answer(body=LAUGHS))
    assert "declares XML entities" in line
    assert b"lollol" not in b"".join(snapshot(home).values())
    assert "lollol" not in out


def test_external_entity_never_reads_a_local_file(
    run: Run, feeds: Server, home: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    line, out = _pull_with_one_bad_feed(run, feeds, Answer(body=external_entity(secret)))
    assert "declares XML entities" in line
    assert SECRET.encode() not in b"".join(snapshot(home).values())
    assert SECRET not in out and SECRET not in run("news", "--limit", "500", "--spoilers").stdout


def test_the_parser_itself_never_resolves_external_entities(tmp_path: Path) -> None:
    """Even without the screen, feedparser (expat with external entities off) leaks nothing."""
    import io

    import feedparser  # type: ignore[import-untyped]

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    parsed = feedparser.parse(io.BytesIO(external_entity(secret)))
    assert SECRET not in repr(parsed)


def test_utf16_entity_declarations_are_refused_too() -> None:
    from hstracker.errors import NetworkError
    from hstracker.sources.feeds import parse

    with pytest.raises(NetworkError, match="declares XML entities"):
        parse(LAUGHS.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"), "u")


def test_broken_xml_is_one_line(run: Run, feeds: Server) -> None:
    line, _ = _pull_with_one_bad_feed(run, feeds, Answer(body=BROKEN))
    assert "malformed XML" in line and "at line" in line
    assert "Heartstopper news" not in news_by_headline(run)


def test_not_a_feed_is_one_line(run: Run, feeds: Server) -> None:
    line, _ = _pull_with_one_bad_feed(run, feeds, Answer(body=b"<html><p>hi</p></html>"))
    assert "is not an RSS or Atom feed" in line


def test_a_server_error_is_one_line(run: Run, feeds: Server) -> None:
    line, _ = _pull_with_one_bad_feed(run, feeds, Answer(500, b"oops"))
    assert "answered HTTP 500" in line


def test_an_unreachable_feed_is_one_line(run: Run, feeds: Server) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run("feeds", "add", f"http://127.0.0.1:{port}/gone.xml")
    run("feeds", "add", feeds.url + "/rss.xml")
    result = run("feeds", "pull", code=8)
    assert "could not connect" in result.stderr
    assert "Heartstopper Forever gets a release date" in news_by_headline(run)


def test_an_oversized_feed_is_one_line(run: Run, feeds: Server) -> None:
    huge = fixture_bytes("feeds/rss.xml").replace(b"</channel>", b" " * 200_000 + b"</channel>")
    run("feeds", "add", feeds.url + "/big.xml")
    feeds.route("/big.xml", Answer(body=huge, length=False))
    result = run("feeds", "pull", code=8, HSTRACKER_HTTP_MAX_BYTES="100000")
    assert "limit" in result.stderr


def test_when_every_feed_fails_the_store_is_untouched(run: Run, feeds: Server, home: Path) -> None:
    run("feeds", "add", feeds.url + "/bad.xml")
    feeds.route("/bad.xml", Answer(body=BROKEN))
    files = snapshot(home)
    run("feeds", "pull", code=8)
    assert snapshot(home) == files


def test_add_list_remove(run: Run, feeds: Server) -> None:
    url = feeds.url + "/rss.xml"
    assert "now follows" in run("feeds", "add", url, "--show", "heartstopper").stdout
    assert "already follows" in run("feeds", "add", url, code=1).stderr
    assert "not an http(s) URL" in run("feeds", "add", "file:///etc/passwd", code=2).stderr
    assert "rss.xml" in run("feeds", "list").stdout
    run("feeds", "remove", url)
    assert "No feeds yet" in run("feeds", "list").stdout
    assert "does not follow" in run("feeds", "remove", url, code=3).stderr
    assert "No feeds to pull" in run("feeds", "pull").stdout


NAMING = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Fan Wire</title>
<item><title>Heartstopper SEASON 2 finale explained</title><link>https://w.example/1</link>
<guid>w1</guid><pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate></item>
<item><title>Heartstopper: from S1 to s3, every kiss</title><link>https://w.example/2</link>
<guid>w2</guid><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Heartstopper star on life after the show</title><link>https://w.example/3</link>
<description>Looking back on series 3.</description>
<guid>w3</guid><pubDate>Mon, 23 Nov 2026 07:00:00 GMT</pubDate></item>
<item><title>Heartstopper seasons 20 years on</title><link>https://w.example/4</link>
<description>Seasons 2 and forevermore; this2 is not s2x.</description>
<guid>w4</guid><pubDate>Mon, 23 Nov 2026 06:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_a_pulled_item_is_tied_to_the_installment_it_names(run: Run, feeds: Server) -> None:
    feeds.route("/wire.xml", Answer(body=NAMING))
    for path in ("/rss.xml", "/atom.xml", "/wire.xml"):
        run("feeds", "add", feeds.url + path)
    run("feeds", "pull")
    tied = {h: n["installment"] for h, n in news_by_headline(run).items()}
    assert tied["Heartstopper Forever gets a release date"] == "film"  # the title, any case
    assert tied["Kit Connor talks Heartstopper Forever"] == "film"
    assert tied["Heartstopper SEASON 2 finale explained"] == "s2"
    assert tied["Heartstopper: from S1 to s3, every kiss"] == "s3"  # the latest it names
    assert tied["Heartstopper star on life after the show"] == "s3"  # "series 3", in the summary
    assert tied["Heartstopper seasons 20 years on"] is None  # whole words only
    assert tied["Alice Oseman interview"] is None


def test_a_tied_feed_item_is_hidden_until_watched(run: Run, feeds: Server) -> None:
    feeds.route("/wire.xml", Answer(body=NAMING))
    run("feeds", "add", feeds.url + "/wire.xml")
    run("feeds", "pull")
    # tagged only `feed`: unknown means hidden, for a fan who has recorded nothing
    shown = [n["headline"] for n in run.json("news")["news"]]
    assert "Heartstopper SEASON 2 finale explained" not in shown
    assert "Heartstopper seasons 20 years on" in shown  # tied to nothing: shown
    run("watched", "s2")
    shown = [n["headline"] for n in run.json("news")["news"]]
    assert "Heartstopper SEASON 2 finale explained" in shown
    assert "Heartstopper: from S1 to s3, every kiss" not in shown


def test_a_messy_real_world_feed_is_read_as_feedparser_reads_it(run: Run, server: Server) -> None:
    """Whitespace before the declaration, HTML entities, a Portuguese date, relative links
    with and without xml:base, and an item whose date cannot be read."""
    server.route("/feeds/series.rss", Answer(body=fixture_bytes("feeds/messy.rss")))
    run("feeds", "add", server.url + "/feeds/series.rss")
    out = run("feeds", "pull").stdout
    assert "3 new news items" in out
    news = news_by_headline(run)
    first = news["Heartstopper ganha data"]  # &nbsp; read as a space
    assert first["date"] == "2018-09-24"  # "Seg, 24 Set 2018": never today (2026-11-24)
    assert first["url"] == f"{server.url}/series/2018/09/24/heartstopper-data.htm"
    assert first["source"] == "Notícias de Séries"
    assert first["body"] == "Nick & Charlie voltam."
    cast = news["Heartstopper: elenco confirmado"]
    assert cast["url"] == "https://mirror.example/arquivo/elenco.htm"  # the item's xml:base
    assert cast["date"] == "2018-09-22"  # "Sáb": an accented day name
    # "em breve" is no date: the item keeps the feed's own (its build date) and says so
    late = news["Heartstopper sem data legível"]
    assert late["date"] == "2018-09-25"
    assert "feed-date" in late["tags"] and "feed-date" not in first["tags"]


def test_an_item_with_no_date_anywhere_is_never_dated_today(run: Run, server: Server) -> None:
    server.route("/undated.atom", Answer(body=fixture_bytes("feeds/undated.atom")))
    run("feeds", "add", server.url + "/undated.atom")
    out = run("feeds", "pull").stdout
    assert "1 matching items had no date hstracker can read" in out
    assert "Heartstopper fan edit 1" not in news_by_headline(run)
    # the feed's Last-Modified is its own date: the next pull dates the item by it
    dated = fixture_bytes("feeds/undated.atom")
    server.route(
        "/undated.atom",
        Answer(body=dated, headers={"Last-Modified": "Tue, 03 Mar 2026 10:00:00 GMT"}),
    )
    run("feeds", "pull")
    item = news_by_headline(run)["Heartstopper fan edit 1"]
    assert (item["date"], item["tags"]) == ("2026-03-03", ["feed", "feed-date"])
    assert item["url"] == f"{server.url}/releases/tag/heartstopper-1"  # against the feed's URL


def test_a_wrong_declared_encoding_is_read(run: Run, server: Server) -> None:
    body = fixture_bytes("feeds/rss.xml").replace(
        b"Screen News Daily", "Séries Já".encode("latin-1")
    )
    server.route("/latin.xml", Answer(body=body))  # declares UTF-8, sends Latin-1
    run("feeds", "add", server.url + "/latin.xml")
    run("feeds", "pull")
    item = news_by_headline(run)["Heartstopper Forever gets a release date"]
    assert item["source"] == "Séries Já"


RFC822 = {
    ("Seg, 24 Set 2018 19:42:40 -0300", "pt"): "2018-09-24",
    ("Qua, 03 Out 2018 10:00:00 -0300", "pt"): "2018-10-03",
    ("Mié, 05 Dic 2018 08:00:00 +0100", "es"): "2018-12-05",
    ("mer., 07 févr. 2018 12:00:00 +0100", "fr"): "2018-02-07",
    ("Mo, 05 Mär 2018 09:00:00 +0100", "de"): "2018-03-05",
    ("Di, 02 Okt 2018 10:00:00 MESZ", "de"): "2018-10-02",
    ("gio, 14 giu 2018 18:00:00 +0200", "it"): "2018-06-14",
    ("Lug 14 2018", "it"): None,  # not RFC 822's order
    ("wo, 03 mrt 2021 14:00:00 +0100", "nl"): "2021-03-03",
    ("do, 06 mei 2021 14:00:00 +0200", None): "2021-05-06",  # language unknown: all are read
    ("03 Apr 02 1500 GMT", "en"): "2002-04-03",  # a two-digit year, a time without a colon
    ("Mon, 23 Nov 2026 23:30:00 -0300", "en"): "2026-11-24",  # as UTC, like feedparser
    ("Seg, 31 Fev 2018 10:00:00 -0300", "pt"): None,  # no such day
    ("Mon, 01 Smarch 2018 10:00:00 GMT", "en"): None,
    ("01 Jan 1066 10:00:00 GMT", "en"): None,  # outside the years a store holds
}


@pytest.mark.parametrize(("text", "language"), list(RFC822))
def test_rfc822_dates_in_six_languages(text: str, language: str | None) -> None:
    from hstracker.core.rfc822 import read_date

    found = read_date(text, language)
    wanted = RFC822[(text, language)]
    assert (found.date().isoformat() if found else None) == wanted


def test_no_month_word_means_two_months() -> None:
    from hstracker.core.rfc822 import MONTHS

    meanings: dict[str, set[int]] = {}
    for table in MONTHS.values():
        for word, month in table.items():
            meanings.setdefault(word, set()).add(month)
    assert {word: m for word, m in meanings.items() if len(m) > 1} == {}
    assert set(MONTHS) >= {"en", "pt", "es", "fr", "de", "it", "nl"}
