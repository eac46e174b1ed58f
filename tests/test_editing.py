"""Editing facts by hand: set, add-installment, cast add and cast remove, all with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from hstracker.errors import ExitCode


def test_set_corrects_a_fact_and_keeps_the_earlier_value(run: Run) -> None:
    out = run("set", "film", "release", "2026-12-18", "--source", "Netflix",
              "--confidence", "confirmed", "--url", "https://example.com/date")  # fmt: skip
    assert "Set film release to 18 Dec 2026 (was 2026" in out.stdout
    fact = run.json("seasons")["installments"][-1]["facts"]["release"]
    assert fact["value"] == "2026-12-18"
    assert fact["source"] == {
        "name": "Netflix",
        "reported": "2026-11-24",
        "url": "https://example.com/date",
        "confidence": "confirmed",
        "news_id": None,
    }
    assert fact["history"][0]["value"] == "2026"
    assert fact["history"][0]["source"]["name"] == "Bleeding Cool"
    status = run.json("status")
    assert status["countdown"]["target"] == "2026-12-18T08:00:00Z"
    # a second correction keeps both earlier values, newest first
    run("set", "film", "release", "2027-01-08", "--source", "Tudum")
    fact = run.json("seasons")["installments"][-1]["facts"]["release"]
    assert [c["value"] for c in fact["history"][:2]] == ["2026-12-18", "2026"]


@pytest.mark.parametrize(
    ("field", "value", "expect"),
    [
        ("episodes", "8", 8),
        ("state", "Dated", "dated"),
        ("adapts", "6", [6]),
        ("trailer", "https://example.com/t", "https://example.com/t"),
        ("filming-place", "London", "London"),
    ],
)
def test_set_each_kind_of_field(run: Run, field: str, value: str, expect: object) -> None:
    run("set", "film", field, value, "--source", "Netflix")
    film = run.json("seasons")["installments"][-1]
    got = film["filming"]["place"] if field == "filming-place" else film[field]
    assert got == expect


def test_add_installment_then_set_and_cast_on_a_new_show(run: Run) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    yr = ("--show", "young-royals")
    out = run("add-installment", "season", "1", "--title", "Season One", "--state", "released",
              "--release", "2021-07-01", "--source", "Netflix", *yr)  # fmt: skip
    assert "Added Season One to Young Royals as s1." in out.stdout
    run("add-installment", "season", "2", "--source", "Netflix", "--confidence", "confirmed", *yr)
    rows = {i["key"]: i for i in run.json("seasons", *yr)["installments"]}
    assert list(rows) == ["s1", "s2"]
    assert rows["s1"]["release"] == "2021-07-01" and rows["s1"]["state"] == "released"
    assert rows["s1"]["facts"]["state"]["source"]["name"] == "Netflix"
    assert rows["s2"]["state"] == "announced" and rows["s2"]["precision"] == "tba"
    assert rows["s2"]["facts"]["state"]["source"]["confidence"] == "confirmed"
    run("set", "2", "release", "2022-11", "--source", "Netflix", *yr)
    assert run.json("seasons", *yr)["installments"][1]["release"] == "2022-11"
    run("cast", "add", "Wilhelm", "Edvin Ryding", "--season", "1", "--season", "2", *yr)
    run("cast", "add", "Sara", "Frida Argento", "--season", "s2", "--billing", "recurring",
        "--note", "Simon's sister", "--source", "Netflix", *yr)  # fmt: skip
    cast = run.json("cast", "--season", "2", *yr)["cast"]
    assert [(m["character"], m["status"], m["billing"]) for m in cast] == [
        ("Wilhelm", "returning", "main"),
        ("Sara", "new", "recurring"),
    ]
    assert cast[1]["note"] == "Simon's sister" and cast[1]["source"]["name"] == "Netflix"
    assert [m["character"] for m in run.json("cast", "--season", "2", "--new", *yr)["cast"]] == [
        "Sara"
    ]


def test_cast_add_to_more_installments_and_remove(run: Run) -> None:
    out = run("cast", "add", "Naomi", "Bel Priestley", "--season", "3").stdout
    assert "Updated Naomi (Bel Priestley) in s2, s3." in out
    s3 = {m["character"]: m for m in run.json("cast", "--season", "3")["cast"]}
    assert s3["Naomi"]["status"] == "returning"
    assert (
        "Removed Naomi (Bel Priestley) from 3."
        in run("cast", "remove", "naomi", "--season", "3").stdout
    )
    assert "Naomi" not in {m["character"] for m in run.json("cast", "--season", "3")["cast"]}
    assert "Naomi" in {m["character"] for m in run.json("cast", "--season", "2")["cast"]}
    run("cast", "remove", "Naomi")
    assert "Naomi" not in {m["character"] for m in run.json("cast", "--season", "2")["cast"]}


def test_bare_cast_still_lists_and_the_group_has_help(run: Run) -> None:
    assert run.json("cast")["installment"] == "film"  # the latest installment with a cast list
    assert "Naomi" in run("cast", "--season", "2", "--new").stdout
    helptext = run("cast", "--help").stdout
    assert "add" in helptext and "remove" in helptext and "--returning" in helptext


SET = ("set", "film", "release")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        ((*SET, "2026-12-18"), ExitCode.USAGE, "--source"),
        ((*SET, "2026-12-40", "--source", "N"), ExitCode.USAGE, "not a real date"),
        ((*SET, "soon", "--source", "N"), ExitCode.USAGE, "not a date"),
        ((*SET, "2026", "--source", " "), ExitCode.USAGE, "source is empty"),
        ((*SET, "2026", "--source", "N", "--confidence", "sure"), ExitCode.USAGE, "confidence"),
        ((*SET, "2026", "--source", "N", "--url", "javascript:x"), ExitCode.USAGE, "http"),
        (("set", "film", "colour", "red", "--source", "N"), ExitCode.USAGE, "unknown field"),
        (("set", "film9", "release", "2026", "--source", "N"), ExitCode.NOT_FOUND, "Known: s1"),
        (("set", "film", "episodes", "0", "--source", "N"), ExitCode.USAGE, "episodes"),
        (("set", "film", "state", "lost", "--source", "N"), ExitCode.USAGE, "state"),
        (("add-installment", "season", "2"), ExitCode.ERROR, "already has s2"),
        (("add-installment", "movie", "1"), ExitCode.USAGE, "kind"),
        (("add-installment", "season", "0"), ExitCode.USAGE, "number"),
        (("add-installment", "season", "4", "--state", "x"), ExitCode.USAGE, "state"),
        (("add-installment", "season", "4", "--release", "2027-02-30"), 2, "not a real date"),
        (("add-installment", "season", "4", "--title", " "), ExitCode.USAGE, "empty"),
        (("cast", "add", "Nick Nelson", "Kit Connor", "--season", "1"), 1, "already listed"),
        (("cast", "add", "X", "yr"), ExitCode.USAGE, "--season"),
        (("cast", "add", "X", "yr", "--season", "9"), ExitCode.NOT_FOUND, "no installment"),
        (("cast", "add", " ", "yr", "--season", "1"), ExitCode.USAGE, "character is empty"),
        (("cast", "add", "X", "yr", "--season", "1", "--billing", "star"), 2, "billing"),
        (("cast", "add", "X", "yr", "--season", "1", "--show", "nope"), 3, "Known shows"),
        (("cast", "remove", "Nobody"), ExitCode.NOT_FOUND, "no character"),
        (("cast", "remove", "Naomi", "--season", "1"), ExitCode.NOT_FOUND, "not listed in s1"),
        (("cast", "remove", "Naomi", "--show", "nope"), ExitCode.NOT_FOUND, "Known shows"),
    ],
)
def test_editing_errors_are_one_line_and_change_nothing(
    run: Run, home: Path, args: tuple[str, ...], code: int, needle: str
) -> None:
    run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me")
    before = snapshot(home)
    result = run(*args, code=code)
    err = result.stderr.strip()
    assert needle in err, err
    if code != ExitCode.USAGE or not needle.startswith("--"):
        assert err.startswith("hstracker: ") and len(err.splitlines()) == 1, err
    assert snapshot(home) == before


def test_control_characters_are_stripped_from_hand_edits(run: Run) -> None:
    run("cast", "add", "Eve\x1b[31mil", "Act\x07or", "--season", "3")
    names = {(m["character"], m["actor"]) for m in run.json("cast", "--season", "3")["cast"]}
    assert ("Eve[31mil", "Actor") in names


def test_cast_group_show_option_reaches_the_subcommands(run: Run) -> None:
    run("shows", "add", "Young Royals")
    run("add-installment", "season", "1", "--show", "young-royals")
    run("cast", "--show", "young-royals", "add", "Wilhelm", "Edvin Ryding", "--season", "1")
    assert run.json("cast", "--show", "young-royals")["cast"][0]["character"] == "Wilhelm"
    run("cast", "--show", "young-royals", "remove", "Wilhelm")
    # an empty answer, not an error (as `seasons` and `news` say theirs)
    assert "No cast is listed" in run("cast", "--show", "young-royals").stdout
