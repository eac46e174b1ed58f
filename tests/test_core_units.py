"""Unit tests of the pure core: the fact table's parsers, the import merge's rules, news keys,
folding, and the rules for removing and restoring a show."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hstracker.core import validate
from hstracker.core.dates import PartialDate
from hstracker.core.facts import FIELDS, TABLE, field_named, parse_assignment, set_fact
from hstracker.core.model import Claim, Fact, Installment, NewsItem, Personal, Source
from hstracker.core.news import NewsIndex
from hstracker.core.provenance import confidence
from hstracker.core.sharing import merge_shared_fact
from hstracker.core.shows import forget, restore
from hstracker.core.slugs import slugify
from hstracker.errors import InvalidInput


def src(name: str, reported: str | None) -> Source:
    return Source(name=name, reported=PartialDate.parse(reported) if reported else None)


def fact(value: Any, name: str, reported: str | None, *older: Claim[Any]) -> Fact[Any]:
    return Fact(value=value, source=src(name, reported), history=list(older))


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Release", "release"), ("filming_start", "filming-start"), (" DRAWS-ON ", "draws-on")],
)
def test_a_field_is_found_however_it_is_spelled(typed: str, name: str) -> None:
    assert field_named(typed).name == name


def test_an_unknown_field_names_every_field_in_its_hint() -> None:
    with pytest.raises(InvalidInput) as refused:
        field_named("premiere")
    assert all(field.name in (refused.value.hint or "") for field in TABLE)


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("adapts", "4-6", [4, 5, 6]),
        ("adapts", "5,4,5", [4, 5]),
        ("draws-on", "A; B; A", ["A", "B"]),
        ("state", " Filming ", "filming"),
        ("episodes", "8", 8),
    ],
)
def test_the_table_parses_each_field(name: str, raw: str, value: Any) -> None:
    assert field_named(name).parse(raw) == value


@pytest.mark.parametrize(
    ("name", "raw"),
    [("episodes", "0"), ("episodes", "501"), ("adapts", "x"), ("state", "lost"),
     ("trailer", "ftp://x"), ("release", "2026-13"), ("draws-on", " ; ")],
)  # fmt: skip
def test_the_table_refuses_bad_values_with_one_line(name: str, raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        field_named(name).parse(raw)
    assert "\n" not in refused.value.message


def test_an_assignment_is_checked_before_anything_is_stored() -> None:
    assigned = parse_assignment("Release=2027-02")
    assert assigned == (FIELDS["release"], PartialDate.parse("2027-02"), "2027-02")
    for bad in ("release", "release=", "nope=1", "episodes=many"):
        with pytest.raises(InvalidInput):
            parse_assignment(bad)


def test_set_fact_moves_the_old_value_into_history_newest_first() -> None:
    inst = Installment(kind="season", number=9, state=fact("announced", "Netflix", "2026-01-01"))
    episodes = FIELDS["episodes"]
    set_fact(inst, episodes, 8, src("A", "2026-01-01"))
    set_fact(inst, episodes, 9, src("B", "2026-02-01"))
    set_fact(inst, episodes, 10, src("C", "2026-03-01"))
    assert inst.episodes is not None
    assert inst.episodes.value == 10
    assert [c.value for c in inst.episodes.history] == [9, 8]


def test_setting_the_same_value_from_the_same_source_changes_nothing() -> None:
    inst = Installment(kind="season", number=9, state=fact("announced", "Netflix", "2026-01-01"))
    source = src("A", "2026-01-01")
    set_fact(inst, FIELDS["channel"], "Netflix", source)
    set_fact(inst, FIELDS["channel"], "Netflix", source)
    assert inst.channel is not None and inst.channel.history == []


def test_newer_rule_takes_their_later_claim_and_keeps_mine_in_history() -> None:
    mine = fact(8, "Mine", "2026-01-01")
    merged, added = merge_shared_fact(mine, fact(10, "Theirs", "2026-02-01"), "newer")
    assert merged is not None and (merged.value, added) == (10, 1)
    assert [c.value for c in merged.history] == [8]


def test_newer_rule_files_an_older_claim_in_history_by_its_date() -> None:
    mine = fact(10, "Mine", "2026-03-01", Claim(value=8, source=src("Old", "2025-01-01")))
    merged, _ = merge_shared_fact(mine, fact(9, "Theirs", "2026-02-01"), "newer")
    assert merged is not None and merged.value == 10
    assert [c.value for c in merged.history] == [9, 8]


def test_supersedes_rule_keeps_a_value_the_shipped_data_never_held() -> None:
    shipped = fact(8, "Netflix", "2024-01-01")
    fans = shipped.corrected(9, src("A fan", "2026-11-01"))
    newer = shipped.corrected(10, src("Netflix", "2025-01-01"))
    merged, _ = merge_shared_fact(fans, newer, "supersedes")
    assert merged is not None and merged.value == 9
    assert {c.value for c in merged.history} == {8, 10}


def test_supersedes_rule_takes_a_correction_of_what_it_shipped() -> None:
    shipped = fact(8, "Netflix", "2024-01-01")
    newer = shipped.corrected(10, src("Netflix", "2025-01-01"))
    merged, added = merge_shared_fact(shipped, newer, "supersedes")
    assert merged is not None and (merged.value, added) == (10, 1)
    assert [c.value for c in merged.history] == [8]


def test_merging_the_same_fact_twice_adds_nothing() -> None:
    once, _ = merge_shared_fact(None, fact(8, "A", "2026-01-01"))
    twice, added = merge_shared_fact(once, fact(8, "A", "2026-01-01"))
    assert (twice, added) == (once, 0)


def item(headline: str, day: str, url: str | None = None, item_id: str = "x") -> NewsItem:
    return NewsItem(
        id=item_id,
        date=PartialDate.parse(day),
        headline=headline,
        source="S",
        url=url,
        added=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_news_duplicates_are_found_by_url_or_by_folded_headline_and_day() -> None:
    index = NewsIndex([item("Season 3 dated", "2024-05-13", "https://e.com/a/", "a")])
    assert index.duplicate_of(item("Other", "2020-01-01", "https://e.com/a", "b"))
    assert index.duplicate_of(item("  season 3   DATED ", "2024-05-13", item_id="c"))
    assert index.duplicate_of(item("Season 3 dated", "2024-05-14", item_id="d")) is None
    assert index.duplicate_of(item("Season 3 dated", "2024-05-13", item_id="a")) is None


def test_a_new_id_never_repeats_one_in_use() -> None:
    index = NewsIndex([])
    day = PartialDate.parse("2026-01-01")
    first = index.unique_id(day, "Same")
    index.ids.add(first)
    assert index.unique_id(day, "Same") == f"{first}-2"


def test_fold_is_the_one_comparison_of_names() -> None:
    assert validate.fold("  Nick\tNELSON\x07 \x1b") == validate.fold("nick nelson")


def test_removing_a_shipped_show_remembers_it_and_restoring_forgets_that() -> None:
    personal = Personal(default_show="heartstopper")
    forget(personal, "heartstopper", shipped=True)
    assert personal.removed_shows == ["heartstopper"] and personal.default_show is None
    assert restore(personal, "heartstopper") is True
    assert personal.removed_shows == [] and restore(personal, "heartstopper") is False


def test_removing_a_show_of_the_fans_own_leaves_no_mark() -> None:
    personal = Personal()
    forget(personal, "young-royals", shipped=False)
    assert personal.removed_shows == []


@pytest.mark.parametrize("typed", ["Confirmed", "RUMOUR", " reported "])
def test_confidence_is_case_insensitive(typed: str) -> None:
    assert confidence(typed) == typed.strip().lower()


@pytest.mark.parametrize(
    ("title", "slug", "hashed"),
    [
        ("Red, White & Royal Blue", "red-white-royal-blue", False),
        ("Amélie", "amelie", False),
        ("Shōgun", "shogun", False),
        ("Straße", "strasse", False),
        ("Ærø", "aero", False),
        ("Łódź", "lodz", False),
        ("ÞÓRR", "thorr", False),
        ("Ｆｕｌｌ", "full", False),
        ("1899", "1899", False),
        ("x" * 47 + " y", "x" * 47, False),  # cut to 48, never ending in '-'
    ],
)
def test_slugify_spells_titles_in_ascii(title: str, slug: str, hashed: bool) -> None:
    assert slugify(title) == (slug, hashed)


@pytest.mark.parametrize("title", ["進撃の巨人", "Война и мир", "Ψυχή", "🎬", "進撃の巨人 2", ""])
def test_slugify_hashes_titles_with_no_latin_letters(title: str) -> None:
    slug, hashed = slugify(title)
    assert hashed and slug.startswith("show-") and len(slug) == 13
    assert validate.is_slug(slug)
    assert slugify(title) == (slug, True)  # stable
    assert slugify(title + "!")[0] != slug  # another title, another slug
