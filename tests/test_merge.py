"""The merge rules, on the pure domain: provenance, precision, fan-entered facts, cast."""

from __future__ import annotations

from datetime import UTC, datetime

from hstracker.core.dates import PartialDate
from hstracker.core.merge import Change, merge_report
from hstracker.core.merge import merge_synced_fact as merge_fact
from hstracker.core.model import CastMember, Fact, Installment, Show, Source, SourceWork
from hstracker.core.report import Credit, Release, Report, ReportedInstallment
from hstracker.store.codec import encode

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TVMAZE = Source(name="TVmaze", url="https://api.tvmaze.com/shows/1", confidence="confirmed")
PRESS = Source(name="Press", reported=PartialDate.parse("2023-06"), confidence="confirmed")
RUMOUR = Source(name="Forum", confidence="rumour")
FAN = Source(name="Fan", confidence="reported", news_id="nabc")


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


def show(**extra: object) -> Show:
    return Show(
        schema_version=1,
        slug="demo",
        title="Demo",
        platform="Netflix",
        source_work=SourceWork(title="Demo", author="A"),
        **extra,  # type: ignore[arg-type]
    )


def test_a_less_precise_value_never_replaces_a_more_precise_one() -> None:
    changes: list[Change] = []
    stored = Fact(value=day("2023-08-03T00:00:00-07:00[America/Los_Angeles]"), source=PRESS)
    assert merge_fact(stored, day("2023-08-03"), TVMAZE, "release", changes) is stored
    assert changes == []


def test_a_more_precise_agreeing_value_refines_and_keeps_the_old_one() -> None:
    changes: list[Change] = []
    stored = Fact(value=day("2023-08"), source=PRESS)
    fact = merge_fact(stored, day("2023-08-03"), TVMAZE, "release", changes)
    assert fact.value == day("2023-08-03") and fact.source == TVMAZE
    assert [(c.value, c.source.name) for c in fact.history] == [(day("2023-08"), "Press")]
    assert [c.action for c in changes] == ["updated"]


def test_better_provenance_replaces_a_rumour() -> None:
    changes: list[Change] = []
    fact = merge_fact(Fact(value=10, source=RUMOUR), 8, TVMAZE, "episodes", changes)
    assert fact.value == 8 and fact.history[0].value == 10
    assert changes[0].action == "updated"


def test_equal_provenance_disagreeing_is_a_conflict_kept_once() -> None:
    changes: list[Change] = []
    stored = Fact(value=10, source=PRESS)
    fact = merge_fact(stored, 8, TVMAZE, "episodes", changes)
    assert fact.value == 10 and fact.source == PRESS
    assert (fact.history[0].value, fact.history[0].source.name) == (8, "TVmaze")
    assert changes[0].action == "conflict" and "Press" in changes[0].note
    again: list[Change] = []
    assert merge_fact(fact, 8, TVMAZE, "episodes", again) is fact and again == []


def test_a_fan_entered_fact_is_never_overwritten_even_by_a_refinement() -> None:
    changes: list[Change] = []
    stored = Fact(value=day("2023-08"), source=FAN)
    fact = merge_fact(stored, day("2023-08-03"), TVMAZE, "release", changes)
    assert fact.value == day("2023-08") and fact.source == FAN
    assert changes[0].action == "conflict"


def test_an_earlier_sync_is_updated_by_a_later_one() -> None:
    changes: list[Change] = []
    fact = merge_fact(Fact(value=8, source=TVMAZE), 9, TVMAZE, "episodes", changes)
    assert fact.value == 9 and changes[0].action == "updated"


def test_merge_adds_seasons_and_cast_and_matches_existing_members() -> None:
    data = show(
        installments=[
            Installment(kind="season", number=1, state=Fact(value="released", source=PRESS))
        ],
        cast=[CastMember(character="Elle", actor="Yasmin Finney", installments=["s1"])],
    )
    synced = Report(
        source="TVmaze",
        url="https://api.tvmaze.com/shows/7",
        fetched=NOW,
        confidence="confirmed",
        ids={"tvmaze": "7"},
        installments=[
            ReportedInstallment(
                kind="season",
                number=1,
                releases=(Release(day("2022-04-22")),),
                episodes=8,
                channel="Netflix",
                cast=(
                    Credit(actor="Yasmin Finney", character="Elle Argent"),
                    Credit(actor="Jenny Walser", character="\x07Tori\x00 Spring\x9b"),
                ),
            ),
            ReportedInstallment(kind="season", number=2, releases=(Release(day("2027-01-05")),)),
        ],
    )
    changes = merge_report(data, synced)
    assert data.ids == {"tvmaze": "7"}
    s2 = next(i for i in data.installments if i.number == 2)
    assert s2.state.value == "dated"  # its premiere is still ahead
    assert [m.character for m in data.cast] == ["Elle", "Tori Spring"]  # control chars gone
    assert data.cast[1].installments == ["s1"] and data.cast[1].source is not None
    assert {(c.action, c.what) for c in changes} >= {
        ("added", "TVmaze id"),
        ("added", "s1 release"),
        ("added", "Season 2"),
        ("added", "cast of s1"),
    }
    before = encode(data)
    assert merge_report(data, synced) == []
    assert encode(data) == before
