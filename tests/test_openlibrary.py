"""sources/openlibrary.py against an Open Library-shaped server on 127.0.0.1, and its parsers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
from hstracker.core.report import Publication, Report
from hstracker.errors import InvalidInput, NetworkError, NotFound
from hstracker.sources import openlibrary as source
from hstracker.sources.http import Client
from httpserver import Answer, Server
from living_sources import OPENLIBRARY_SEARCH, WORKS

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
HODDER = "Hodder Children's Books"


def fetch(work_ids: list[str] | None = None) -> Report:
    with Client() as client:
        return source.fetch(client, "Heartstopper", "Alice Oseman", NOW, work_ids)


def test_volumes_with_their_first_publication_per_market(openlibrary: Server) -> None:
    report = fetch()
    base = openlibrary.url
    assert (report.source, report.confidence, report.fetched) == ("Open Library", "reported", NOW)
    assert report.url == f"{base}/search.json?title=Heartstopper&author=Alice+Oseman&limit=20"
    assert report.ids == {}  # six works were found: none of them pins the series
    assert report.total_units is None  # Open Library does not know how many there will be
    assert report.installments == []

    assert [(u.number, u.title) for u in report.units] == [
        (1, "Heartstopper Volume 1"),
        (2, "Heartstopper: Volume Two"),
        (3, "Heartstopper #3"),
        (4, "Heartstopper Volume Four"),
        (5, "Heartstopper Vol. 5"),
        (6, "Heartstopper Volume 6"),
    ]
    one = report.units[0]
    assert one.url == f"{base}/works/OL9900001W"
    # the French edition of 2019-01-15 is not the first publication; the US one is the
    # earliest of three US-or-unknown candidates (the year-only "2020" says less than a day)
    assert one.publications == (
        Publication(PartialDate(2019, 2, 7), "UK", HODDER, f"{base}/books/OL9901002M"),
        Publication(PartialDate(2020, 3), None, "Test Imprint", f"{base}/books/OL9901005M"),
        Publication(PartialDate(2020, 5, 5), "US", "Graphix", f"{base}/books/OL9901004M"),
    )
    assert [p.date for p in report.units[1].publications] == [
        PartialDate(2019, 7, 11),
        PartialDate(2020, 5, 5),
    ]
    assert [u.publications[0].date for u in report.units[2:]] == [
        PartialDate(2020, 2, 6),
        PartialDate(2021, 5, 13),
        PartialDate(2023, 12, 7),
        PartialDate(2026, 7, 2),
    ]
    assert {u.publications[0].market for u in report.units} == {"UK"}


def test_requests_one_search_and_one_page_of_editions_per_volume(openlibrary: Server) -> None:
    fetch()
    (search,) = openlibrary.hits(OPENLIBRARY_SEARCH)
    assert search.query == "title=Heartstopper&author=Alice+Oseman&limit=20"
    for work in WORKS:
        (editions,) = openlibrary.hits(f"{work}/editions.json")
        assert editions.query == "limit=50"
    assert len(openlibrary.requests) == 7


def test_find_returns_the_volumes_work_keys_in_order(openlibrary: Server) -> None:
    with Client() as client:
        # "The Heartstopper Yearbook" has no number; the second work for volume 1 loses
        assert source.find(client, "Heartstopper", "Alice Oseman") == WORKS


def test_linked_works_need_no_search(openlibrary: Server) -> None:
    report = fetch(["OL9900002W", WORKS[0]])
    assert openlibrary.hits(OPENLIBRARY_SEARCH) == []
    # the numbers come from the editions' titles, and the units are in volume order
    assert [(u.number, u.title) for u in report.units] == [
        (1, "Heartstopper Volume One"),
        (2, "Heartstopper Volume Two"),
    ]
    assert report.ids == {"openlibrary": "OL9900002W"}


def test_a_bad_work_id_never_reaches_the_network(openlibrary: Server) -> None:
    with pytest.raises(InvalidInput):
        fetch(["OL1W/../../x"])
    assert openlibrary.requests == []


DATES = {
    "2019": PartialDate(2019),
    "c2019": PartialDate(2019),
    "[2019?]": PartialDate(2019),
    "2019-05": PartialDate(2019, 5),
    "2019-05-02": PartialDate(2019, 5, 2),
    "March 2020": PartialDate(2020, 3),
    "Mar. 2020": PartialDate(2020, 3),
    "Sept 2020": PartialDate(2020, 9),
    "Jul 02, 2026": PartialDate(2026, 7, 2),
    "July 2, 2026": PartialDate(2026, 7, 2),
    "2 July 2026": PartialDate(2026, 7, 2),
    "2nd July 2026": PartialDate(2026, 7, 2),
    " 02  jul 2026. ": PartialDate(2026, 7, 2),
    "Feb 30, 2020": None,
    "2019-13-01": None,
    "Smarch 2020": None,
    "1066": None,
    "2200": None,
    "sometime soon": None,
    "": None,
    "20190502": None,
}


@pytest.mark.parametrize("text", list(DATES))
def test_publish_date_at_its_real_precision(text: str) -> None:
    assert source.parse_publish_date(text) == DATES[text]


@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_every_written_form_of_a_day_reads_back(day: date) -> None:
    expected = PartialDate(day.year, day.month, day.day)
    month, short = day.strftime("%B"), day.strftime("%b")
    for text in (
        f"{short} {day.day:02d}, {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        day.isoformat(),
    ):
        assert source.parse_publish_date(text) == expected, text
    assert source.parse_publish_date(f"{month} {day.year}") == PartialDate(day.year, day.month)
    assert source.parse_publish_date(str(day.year)) == PartialDate(day.year)


@given(st.text(max_size=60))
def test_any_text_is_a_real_date_in_range_or_none(text: str) -> None:
    parsed = source.parse_publish_date(text)
    if parsed is not None:
        assert MIN_YEAR <= parsed.year <= MAX_YEAR
        assert PartialDate.parse(parsed.isoformat()) == parsed


VOLUMES = {
    "Heartstopper Volume 4": 4,
    "Heartstopper: Volume Two": 2,
    "Heartstopper #4": 4,
    "Heartstopper Vol. 5": 5,
    "Heartstopper, Book Twenty": 20,
    "Heartstopper Volume 0": None,
    "The Heartstopper Yearbook": None,
    "Volume Twentyone": None,
}


@pytest.mark.parametrize("title", list(VOLUMES))
def test_volume_number_from_a_title(title: str) -> None:
    assert source.volume_number(title) == VOLUMES[title]


FAULTS = {
    "server error": (Answer(500, b"oops"), "answered HTTP 500"),
    "garbage": (Answer(body=b"<html>"), "malformed JSON"),
    "wrong shape": (Answer(body=b'{"docs": {"key": "/works/OL1W"}}'), "unexpected shape"),
    "no docs": (Answer(body=b'{"numFound": 0}'), "unexpected shape"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_search_faults_are_network_errors(openlibrary: Server, fault: str) -> None:
    answer, message = FAULTS[fault]
    openlibrary.route(OPENLIBRARY_SEARCH, answer)
    with pytest.raises(NetworkError) as caught:
        fetch()
    assert message in caught.value.message and "\n" not in caught.value.message


@pytest.mark.parametrize("fault", list(FAULTS))
def test_editions_faults_are_network_errors(openlibrary: Server, fault: str) -> None:
    answer, message = FAULTS[fault]
    if fault != "server error":
        answer = Answer(body=answer.body.replace(b"docs", b"entries"))
    openlibrary.route(f"{WORKS[2]}/editions.json", answer)
    with pytest.raises(NetworkError) as caught:
        fetch()
    assert message in caught.value.message
    assert f"{WORKS[2]}/editions.json" in caught.value.message


def test_a_missing_work_is_not_found(openlibrary: Server) -> None:
    openlibrary.route(f"{WORKS[0]}/editions.json", Answer(404, b'{"error": "notfound"}'))
    with pytest.raises(NotFound) as caught:
        fetch()
    assert "Open Library has no work OL9900001W" in caught.value.message


def test_a_search_without_volumes_is_not_found(openlibrary: Server) -> None:
    openlibrary.route(OPENLIBRARY_SEARCH, Answer(body=b'{"numFound": 0, "start": 0, "docs": []}'))
    with Client() as client:
        assert source.find(client, "Heartstopper", "Alice Oseman") == []
    with pytest.raises(NotFound, match="no numbered volumes"):
        fetch()


def test_cleans_and_bounds_strings(openlibrary: Server) -> None:
    body = (
        b'{"entries": [{"key": "/books/OL1M\\u001b]8;;x", "title": "t", "publish_date": "2019",'
        b'"publishers": ["\\u001b[2J' + b"Hodder " * 100 + b'"]}]}'
    )
    openlibrary.route(f"{WORKS[0]}/editions.json", Answer(body=body))
    (publication,) = fetch().units[0].publications
    assert publication.market == "UK" and publication.url is None
    assert publication.publisher is not None and len(publication.publisher) == 300
    assert "\x1b" not in publication.publisher


def test_a_hanging_server_fails_at_the_deadline(
    openlibrary: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTRACKER_HTTP_DEADLINE", "2")
    openlibrary.route(f"{WORKS[1]}/editions.json", Answer(hang=True))
    with pytest.raises(NetworkError) as caught:
        fetch()
    assert "deadline" in caught.value.message or "timed out" in caught.value.message


def test_a_linked_work_is_read_by_its_id_alone(run: Run, openlibrary: Server) -> None:
    run("shows", "add", "Some Adaptation", "--slug", "ol", "--source-title", "Heartstopper")
    run("shows", "link", "ol", "--openlibrary", "OL9900002W")
    data = run.json("sync", "--show", "ol", "--source", "openlibrary")
    # one editions request for the linked work, and no search by title
    assert [r.path for r in openlibrary.requests] == ["/works/OL9900002W/editions.json"]
    (show,) = data["shows"]
    assert show["ids"] == {"Open Library": {"id": "OL9900002W", "by": "link"}}
    assert run.json("progress", "--show", "ol")["adaptation"]["published"] == [2]
    # the link stays the id later syncs read (--full: a week has not passed)
    again = run.json("sync", "--show", "ol", "--source", "openlibrary", "--dry-run", "--full")
    assert again["shows"][0]["ids"] == {"Open Library": {"id": "OL9900002W", "by": "link"}}
    assert len(openlibrary.hits(OPENLIBRARY_SEARCH)) == 0


def test_a_search_pins_nothing(run: Run, openlibrary: Server) -> None:
    run("shows", "add", "Some Adaptation", "--slug", "ol", "--source-title", "Heartstopper",
        "--source-author", "Alice Oseman")  # fmt: skip
    data = run.json("sync", "--show", "ol", "--source", "openlibrary")
    assert data["shows"][0]["ids"] == {"Open Library": {"id": None, "by": "search"}}
    assert run.json("progress", "--show", "ol")["adaptation"]["published"] == [1, 2, 3, 4, 5, 6]
    run("sync", "--show", "ol", "--source", "openlibrary", "--full")
    assert len(openlibrary.hits(OPENLIBRARY_SEARCH)) == 2  # every volume, found again


def test_a_single_book_is_its_own_first_volume(openlibrary: Server) -> None:
    # the shape of a real search for a standalone novel: two works, no volume numbers
    docs = [
        {"key": "/works/OL9900001W", "title": "Paper Lanterns", "author_name": ["Ana Author"]},
        {"key": "/works/OL9900002W", "title": "paper lanterns", "author_name": ["Ana Author"]},
        {"key": "/works/OL9900003W", "title": "Paper Lanterns: A Study", "author_name": ["X"]},
    ]
    openlibrary.route(
        OPENLIBRARY_SEARCH, Answer(body=json.dumps({"numFound": 3, "docs": docs}).encode())
    )
    with Client() as client:
        report = source.fetch(client, "Paper Lanterns", "Ana Author", NOW)
    assert [(u.number, u.title, u.url) for u in report.units] == [
        (1, "Paper Lanterns", f"{openlibrary.url}/works/OL9900001W")
    ]
    assert [r.path for r in openlibrary.requests] == [
        OPENLIBRARY_SEARCH,
        "/works/OL9900001W/editions.json",
    ]
