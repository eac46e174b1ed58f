"""Property tests: any text round-trips through the CLI, and add/edit/remove keep the store valid.

The rule for text: control characters (C0 but tab and newline, DEL, C1) are removed. A one-line
field (headline, source) then has every run of white space folded to one space and is stripped;
a body keeps its lines and is only stripped at both ends, and a blank body is no body.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from conftest import Run
from hstracker.errors import ExitCode
from hstracker.store import Store

DAY = "2026-11-20"  # after every shipped item, so ours is listed first
ANY_CHAR = st.characters(codec="utf-8")  # lone surrogates cannot be UTF-8


def _without_controls(value: str) -> str:
    return "".join(
        c for c in value if not ((ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F)
    )


def expected_line(value: str) -> str:
    return " ".join(_without_controls(value).split())


def expected_body(value: str) -> str | None:
    return _without_controls(value).strip() or None


def _data_dir() -> str:
    return tempfile.mkdtemp(prefix="hs-prop-")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headline=st.text(ANY_CHAR, min_size=1, max_size=150).filter(expected_line),
    body=st.text(ANY_CHAR, max_size=400),
)
def test_any_headline_and_body_round_trip(headline: str, body: str) -> None:
    run = Run()
    home = _data_dir()
    try:
        run("--data-dir", home, "add-news", "--date", DAY, "--source", "Fan",
            f"--body={body}", "--", headline)  # fmt: skip
        item = json.loads(run("--data-dir", home, "news", "--json").stdout)["news"][0]
    finally:
        shutil.rmtree(home)
    assert item["headline"] == expected_line(headline)
    assert item["body"] == expected_body(body)


HEADLINES = st.text(st.sampled_from("abcAB \t\x1b\x9b-é"), min_size=1, max_size=6).filter(
    expected_line
)
DAYS = st.sampled_from(["2026-11-01", "2026-11-02"])
ADDED = re.compile(r"(?:Added|Changed) news (\S+)\.")


class NewsMachine(RuleBasedStateMachine):
    """add-news, edit-news and remove-news against a model of what the fan's items should be."""

    def __init__(self) -> None:
        super().__init__()
        self.home = Path(_data_dir())
        self.run = Run()
        self.mine: dict[str, tuple[str, str]] = {}  # id -> (day, headline)
        self.shipped: set[str] | None = None

    def cli(self, *args: str, code: int | None = None) -> str:
        result = self.run("--data-dir", str(self.home), *args, code=code)
        assert result.exit_code in (0, ExitCode.ERROR, ExitCode.NOT_FOUND), result.stderr
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1
        return str(result.stdout) if result.exit_code == 0 else ""

    def _taken(self, day: str, headline: str, but: str | None = None) -> bool:
        folded = expected_line(headline).casefold()
        return any(
            d == day and h.casefold() == folded for i, (d, h) in self.mine.items() if i != but
        )

    @rule(headline=HEADLINES, day=DAYS)
    def add(self, headline: str, day: str) -> None:
        out = self.cli("add-news", "--date", day, "--source", "Fan", "--", headline)
        if self._taken(day, headline):
            assert not out  # refused as a duplicate, nothing stored
            return
        m = ADDED.search(out)
        assert m, out
        assert m[1] not in self.mine
        self.mine[m[1]] = (day, expected_line(headline))

    @rule(data=st.data(), headline=HEADLINES)
    def edit(self, data: st.DataObject, headline: str) -> None:
        if not self.mine:
            return
        item_id = data.draw(st.sampled_from(sorted(self.mine)))
        day = self.mine[item_id][0]
        out = self.cli("edit-news", item_id, "--headline", headline)
        if self._taken(day, headline, but=item_id):
            assert not out
            return
        assert f"Changed news {item_id}." in out  # the id survives the edit
        self.mine[item_id] = (day, expected_line(headline))

    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        if not self.mine:
            self.cli("remove-news", "n0000000000", code=ExitCode.NOT_FOUND)
            return
        item_id = data.draw(st.sampled_from(sorted(self.mine)))
        assert f"Removed news {item_id}" in self.cli("remove-news", item_id)
        del self.mine[item_id]

    @invariant()
    def store_is_valid_with_unique_ids(self) -> None:
        path = self.home / "shows" / "heartstopper.json"
        if not path.exists():
            return
        show = Store(self.home).show("heartstopper")  # raises if invalid
        ids = [item.id for item in show.news]
        assert len(ids) == len(set(ids))
        if self.shipped is None:
            self.shipped = set(ids) - set(self.mine)
        stored = {i.id: (str(i.date), i.headline) for i in show.news if i.id not in self.shipped}
        assert stored == self.mine

    def teardown(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)


NewsMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
test_news_add_edit_remove = NewsMachine.TestCase


@given(st.dates(), st.sampled_from(["", " ", "\t"]))
def test_any_full_date_parses_to_its_own_day_or_is_refused(day: date, pad: str) -> None:
    # full dates take a fast path; it must agree with the rule (years 1900 to 2100) everywhere
    from hstracker.core.dates import MAX_YEAR, MIN_YEAR, PartialDate
    from hstracker.errors import InvalidInput

    text = f"{pad}{day.isoformat()}{pad}"
    if MIN_YEAR <= day.year <= MAX_YEAR:
        assert PartialDate.parse(text) == PartialDate(day.year, day.month, day.day)
    else:
        with pytest.raises(InvalidInput) as refused:
            PartialDate.parse(text)
        assert "out of range" in refused.value.message


SHIPPED = Path(__file__).resolve().parents[1] / "data" / "heartstopper.json"
DIGITS = st.integers(min_value=0, max_value=9999)
DATE_TEXT = st.one_of(
    DIGITS.map(lambda y: f"{y:04d}"),
    st.tuples(DIGITS, st.integers(0, 13)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
    st.tuples(DIGITS, st.integers(0, 13), st.integers(0, 32)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(["2023-08-03T17:00:00-07:00", "2023-08-03T17:00[Europe/London]"]),
    st.text(st.sampled_from("0123456789-T:+ []"), max_size=20),
    st.text(ANY_CHAR, max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(DATE_TEXT, st.sampled_from(["", " ", "\t"]))
def test_a_stored_date_reads_as_the_date_rules_say(text: str, pad: str) -> None:
    # the store decodes a date once per distinct string and answers repeats from a cache in C:
    # a first sight and a repeat, in one file and across reads, must both follow the rules
    from hstracker.core.dates import PartialDate
    from hstracker.core.model import SCHEMA_VERSION, Show
    from hstracker.errors import InvalidInput, StoreCorrupt
    from hstracker.store import parse_store_file

    raw = json.loads(SHIPPED.read_bytes())
    raw["schema_version"] = SCHEMA_VERSION  # decoded as it is, not through a migration
    raw["news"][0]["date"] = raw["news"][1]["date"] = f"{pad}{text}{pad}"
    data = json.dumps(raw).encode()
    rule: str | None = None
    try:
        expected = PartialDate.parse(f"{pad}{text}{pad}")
    except InvalidInput as exc:
        rule = exc.message
    if rule is not None:
        for _ in range(2):
            with pytest.raises(StoreCorrupt) as corrupt:
                parse_store_file("heartstopper.json", data, Show)
            assert rule in corrupt.value.message
            assert "$.news[0].date" in corrupt.value.message
        return
    for _ in range(2):
        show = parse_store_file("heartstopper.json", data, Show)
        assert show.news[0].date == show.news[1].date == expected
        assert show.news[0].date.isoformat() == expected.isoformat()
