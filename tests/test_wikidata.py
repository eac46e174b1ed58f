"""sources/wikidata.py against a Wikidata-shaped server on 127.0.0.1, including every fault."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from hstracker.core.dates import PartialDate
from hstracker.core.report import Credit, Publication, Release, Report
from hstracker.errors import InvalidInput, NetworkError, NotFound
from hstracker.sources import wikidata as source
from hstracker.sources.http import Client
from httpserver import Answer
from living_sources import BOOKS_QID, SHOW_QID, WIKIDATA_API, Wikidata

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
UK = "United Kingdom"


def fetch(qid: str = SHOW_QID) -> Report:
    with Client() as client:
        return source.fetch(client, qid, NOW)


def test_the_series_seasons_film_cast_and_volumes(wikidata: Wikidata) -> None:
    report = fetch()
    base = wikidata.server.url
    assert (report.source, report.confidence, report.fetched) == ("Wikidata", "reported", NOW)
    assert report.url == f"{base}/wiki/{SHOW_QID}"
    assert report.ids == {"wikidata": SHOW_QID, "wikidata_work": BOOKS_QID}

    seasons = [i for i in report.installments if i.kind == "season"]
    assert [s.number for s in seasons] == [1, 2, 3]
    assert [s.releases for s in seasons] == [
        (Release(PartialDate(2022, 4, 22)),),  # the deprecated 2022-01-01 is not read
        (Release(PartialDate(2023, 8, 3)),),
        (Release(PartialDate(2024, 10, 3)),),
    ]
    assert {s.episodes for s in seasons} == {8}
    assert {s.channel for s in seasons} == {"Netflix"}  # from the series: seasons lack P449
    assert {s.title for s in seasons} == {None}  # "Heartstopper season 2" says nothing new
    assert seasons[1].url == f"{base}/wiki/Q990012"

    (film,) = [i for i in report.installments if i.kind == "film"]
    assert (film.number, film.title) == (1, "Heartstopper Forever")  # ordinal 4, first film
    assert film.releases == (
        Release(PartialDate(2026)),
        Release(PartialDate(2026, 7, 17), UK),
    )
    assert film.episodes is None and film.channel is None
    assert film.cast == (
        Credit(actor="Kit Connor", character="Nick Nelson"),  # P453: the character item
        Credit(actor="Joe Locke", character="Charlie Spring"),  # P4633: the character's name
    )  # "Test Extra" has no character and is skipped

    assert [u.number for u in report.units] == [1, 2, 3, 4, 5, 6]
    assert report.total_units == 6
    one = report.units[0]
    assert one.title == "Heartstopper: Volume 1"
    assert one.url == f"{base}/wiki/Q990101"
    assert one.publications == (
        Publication(PartialDate(2019, 2, 7), UK, url=one.url),
        Publication(PartialDate(2020, 5, 5), "United States", url=one.url),
    )
    assert [u.publications[0].date for u in report.units[1:]] == [
        PartialDate(2019, 7, 11),
        PartialDate(2020, 2, 6),
        PartialDate(2021, 5, 13),
        PartialDate(2023, 12, 7),
        PartialDate(2099),
    ]


def test_a_whole_show_takes_few_batched_requests(wikidata: Wikidata) -> None:
    fetch()
    calls = wikidata.calls()
    assert len(calls) <= 12
    # the show; its parts with the book series; the volumes; every label at once
    assert [c["action"] for c in calls] == ["wbgetentities"] * 4
    assert all(len(c["ids"].split("|")) <= 50 for c in calls)
    assert calls[-1]["props"] == "labels"
    assert {"Q145", "Q907311", "Q990201", "Q990301"} <= set(calls[-1]["ids"].split("|"))
    assert all(c["languages"] == "en" and c["format"] == "json" for c in calls)


def test_parts_come_from_a_search_when_the_series_lists_none(wikidata: Wikidata) -> None:
    del wikidata.entities[SHOW_QID]["claims"]["P527"]
    del wikidata.entities[BOOKS_QID]["claims"]["P527"]
    report = fetch()
    assert [(i.kind, i.number) for i in report.installments] == [
        ("season", 1),
        ("season", 2),
        ("season", 3),
        ("film", 1),
    ]
    assert len(report.units) == 6
    searches = wikidata.calls("query")
    assert [s["srsearch"] for s in searches] == [
        f"haswbstatement:P179={SHOW_QID}",
        f"haswbstatement:P179={BOOKS_QID}",
    ]
    assert {s["list"] for s in searches} == {"search"}
    assert len(wikidata.calls()) <= 12


def test_parts_sort_by_ordinal_and_skip_spin_offs(wikidata: Wikidata) -> None:
    show = wikidata.entities[SHOW_QID]["claims"]
    show["P527"].reverse()
    spin_off = {**wikidata.entities["Q990011"], "id": "Q990020"}
    spin_off["claims"] = {**spin_off["claims"], "P31": wikidata.entities[SHOW_QID]["claims"]["P31"]}
    wikidata.entities["Q990020"] = spin_off
    show["P527"].append(_item_statement("P527", "Q990020"))
    report = fetch()
    assert [(i.kind, i.number, str(i.url).rsplit("/", 1)[-1]) for i in report.installments] == [
        ("season", 1, "Q990011"),
        ("season", 2, "Q990012"),
        ("season", 3, "Q990013"),
        ("film", 1, "Q990014"),
    ]


def test_dates_at_each_precision_and_out_of_range(wikidata: Wikidata) -> None:
    film = wikidata.entities["Q990014"]["claims"]
    template = film["P577"][0]
    stamps = [
        ("+2026-07-00T00:00:00Z", 10),
        ("+1066-10-14T00:00:00Z", 11),  # before MIN_YEAR: skipped
        ("+2026-00-00T00:00:00Z", 8),  # a decade: too coarse
        ("-2026-00-00T00:00:00Z", 9),  # BCE
        ("+2026-02-30T00:00:00Z", 11),  # no such day
        ("+2026-07-17T10:00:00Z", 13),  # finer than a day is still a day
    ]
    film["P577"] = [_with_time(template, stamp, precision) for stamp, precision in stamps]
    film["P577"][-1]["rank"] = "preferred"
    (installment,) = [i for i in fetch().installments if i.kind == "film"]
    assert installment.releases == (
        Release(PartialDate(2026, 7, 17)),  # preferred first
        Release(PartialDate(2026, 7)),
    )


def test_cleans_and_bounds_strings(wikidata: Wikidata) -> None:
    wikidata.entities["Q990201"]["labels"]["en"]["value"] = "Kit\x1b[31m  Connor\n" + "x" * 400
    (film,) = [i for i in fetch().installments if i.kind == "film"]
    actor = film.cast[0].actor
    assert actor.startswith("Kit[31m Connor x") and "\x1b" not in actor and len(actor) == 300


def test_find_picks_the_screen_version(wikidata: Wikidata) -> None:
    with Client() as client:
        assert source.find(client, "Heartstopper", "Alice Oseman") == SHOW_QID
    (call,) = wikidata.calls()
    assert call == {
        "action": "wbsearchentities",
        "search": "Heartstopper",
        "language": "en",
        "type": "item",
        "format": "json",
        "limit": "10",
        "maxlag": "5",  # Wikidata's etiquette for clients that are not a person at a page
    }


def test_find_without_a_screen_hit_is_none(wikidata: Wikidata) -> None:
    wikidata.server.route(
        WIKIDATA_API, Answer(body=b'{"searchinfo":{"search":"x"},"search":[],"success":1}')
    )
    with Client() as client:
        assert source.find(client, "Nothing") is None


def test_a_missing_item_is_not_found(wikidata: Wikidata) -> None:
    with pytest.raises(NotFound) as caught:
        fetch("Q424242")
    assert "Wikidata has no item Q424242" in caught.value.message
    assert caught.value.hint and "hstracker shows link SLUG --wikidata QID" in caught.value.hint


def test_no_such_entity_error_is_not_found(wikidata: Wikidata) -> None:
    wikidata.server.route(
        WIKIDATA_API,
        Answer(body=b'{"error":{"code":"no-such-entity","info":"Could not find Q1."},"success":0}'),
    )
    with pytest.raises(NotFound):
        fetch()


def test_a_404_is_not_found(wikidata: Wikidata) -> None:
    wikidata.server.route(WIKIDATA_API, Answer(404, b"Not Found"))
    with pytest.raises(NotFound) as caught:
        fetch()
    assert "--wikidata QID" in str(caught.value)


def test_a_bad_id_never_reaches_the_network(wikidata: Wikidata) -> None:
    with pytest.raises(InvalidInput):
        fetch("Q1&action=evil")
    assert wikidata.calls() == []


FAULTS = {
    "server error": (Answer(500, b"oops"), "answered HTTP 500"),
    "garbage": (Answer(body=b"<html>not json"), "malformed JSON"),
    "wrong shape": (Answer(body=b'{"entities": [1, 2]}'), "unexpected shape"),
    "no entities": (Answer(body=b'{"success": 1}'), "without entities"),
    "api error": (Answer(body=b'{"error": {"code": "maxlag"}}'), "error 'maxlag'"),
    "bad time": (
        Answer(
            body=b'{"entities": {"Q990001": {"id": "Q990001", "claims": {"P577": [{"mainsnak": '
            b'{"snaktype": "value", "datavalue": {"value": "2026", "type": "string"}}}]}}}}'
        ),
        "unexpected shape",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_are_network_errors(
    wikidata: Wikidata, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTRACKER_HTTP_RETRY_CAP", "0.05")  # a lasting maxlag: short waits
    answer, message = FAULTS[fault]
    wikidata.server.route(WIKIDATA_API, answer)
    with pytest.raises(NetworkError) as caught:
        fetch()
    assert message in caught.value.message
    assert "Wikidata" in caught.value.message or "HTTP" in caught.value.message
    assert "\n" not in caught.value.message


def test_a_fault_in_a_later_batch_fails_the_whole_fetch(wikidata: Wikidata) -> None:
    responder = wikidata.answer

    def labels_fail(query: str) -> Answer:
        return Answer(500, b"") if "props=labels&" in query else responder(query)

    wikidata.server.route(WIKIDATA_API, labels_fail)
    with pytest.raises(NetworkError, match="HTTP 500"):
        fetch()


def test_a_hanging_server_fails_at_the_deadline(
    wikidata: Wikidata, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HSTRACKER_HTTP_DEADLINE", "2")
    wikidata.server.route(WIKIDATA_API, Answer(hang=True))
    with pytest.raises(NetworkError) as caught:
        fetch()
    assert "deadline" in caught.value.message or "timed out" in caught.value.message


def _item_statement(pid: str, qid: str) -> dict[str, object]:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": pid,
            "datavalue": {
                "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                "type": "wikibase-entityid",
            },
            "datatype": "wikibase-item",
        },
        "type": "statement",
        "rank": "normal",
    }


def _with_time(template: dict[str, object], stamp: str, precision: int) -> dict[str, object]:
    statement = copy.deepcopy(template)
    value = statement["mainsnak"]["datavalue"]["value"]  # type: ignore[index]
    value["time"], value["precision"] = stamp, precision
    return statement


def test_a_huge_cast_is_bounded_and_batched(wikidata: Wikidata) -> None:
    film = wikidata.entities["Q990014"]["claims"]
    credit = film["P161"][1]  # Joe Locke, with a string character
    film["P161"] = []
    for n in range(700):
        qid = f"Q98{n:05d}"
        wikidata.entities[qid] = {"type": "item", "id": qid, "labels": {"en": {"value": f"A{n}"}}}
        statement = copy.deepcopy(credit)
        statement["mainsnak"]["datavalue"]["value"]["id"] = qid
        film["P161"].append(statement)
    (installment,) = [i for i in fetch().installments if i.kind == "film"]
    # at most 250 names are looked up, places first: the rest of the cast goes unnamed
    assert 200 < len(installment.cast) < 250
    calls = wikidata.calls()
    assert len(calls) <= 12
    assert all(len(c["ids"].split("|")) <= 50 for c in calls)
