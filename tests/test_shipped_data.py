"""The shipped Heartstopper data: every cast member and fact is cited, and every link is https."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from hstracker.core.facts import named_facts
from hstracker.core.model import CONFIDENCES, Claim, Fact, Installment, Show, Source, SourceUnit
from hstracker.core.news import news_id
from hstracker.core.sharing import merge_show
from hstracker.store import Store


@pytest.fixture
def show(home: Path) -> Show:
    return Store(home).show("heartstopper")


def every_source(show: Show) -> list[tuple[str, Source]]:
    """Each source in the show, labelled with what it backs, so a failure names the entry."""
    found: list[tuple[str, Source]] = []
    for member in show.cast:
        assert member.source is not None, f"cast member {member.character!r} has no source"
        found.append((f"cast {member.character}", member.source))
    for name, fact in named_facts(show):
        found.extend((f"{name} {fact.value!r}", source) for source in fact.sources())
    for inst in show.installments:
        found.extend((f"{inst.key} plot note", note.source) for note in inst.plot)
    return found


def test_every_cast_member_and_fact_names_a_dated_source(show: Show) -> None:
    sources = every_source(show)
    assert len(sources) > len(show.cast)
    for label, source in sources:
        assert source.name.strip(), f"{label}: source has no name"
        assert source.reported is not None, f"{label}: source {source.name!r} has no date"


def test_every_url_is_https(show: Show) -> None:
    urls = [(label, s.url) for label, s in every_source(show) if s.url is not None]
    urls += [(f"news {n.headline}", n.url) for n in show.news if n.url is not None]
    assert urls
    for label, url in urls:
        assert url.startswith("https://"), f"{label}: {url} is not https"


def test_cast_installments_name_real_installments(show: Show) -> None:
    keys = {inst.key for inst in show.installments}
    for member in show.cast:
        assert member.installments, f"{member.character} appears nowhere"
        assert set(member.installments) <= keys, f"{member.character}: {member.installments}"


def test_season_3_newcomers_and_the_film_cast(run: Run) -> None:
    new = {m["character"] for m in run.json("cast", "--season", "3", "--new")["cast"]}
    assert new == {"Michael Holden", "Diane", "Geoff", "Jack Maddox"}
    returning = {m["character"] for m in run.json("cast", "--season", "3", "--returning")["cast"]}
    assert {"Charlie Spring", "Nick Nelson", "Tori Spring", "Imogen Heaney"} <= returning
    assert not returning & {"Sarah Nelson", "Ben Hope"}  # both reported absent from season 3
    film = {m["character"] for m in run.json("cast", "--season", "film")["cast"]}
    assert film == {"Charlie Spring", "Nick Nelson"}


# Issue 12: the facts corrected from the research, each with the history it replaced.

RAW = json.loads((Path(__file__).parent.parent / "data" / "heartstopper.json").read_text())


def unit(show: Show, number: int) -> SourceUnit:
    return next(u for u in show.source_work.units if u.number == number)


def installment(show: Show, key: str) -> Installment:
    return next(i for i in show.installments if i.key == key)


def test_volume_5_came_out_in_december_and_keeps_the_planned_november_date(show: Show) -> None:
    published = unit(show, 5).published
    assert published is not None
    assert str(published.value) == "2023-12-07"
    assert published.source.url and published.source.reported
    planned = published.history[-1]
    assert str(planned.value) == "2023-11-09"
    assert planned.source.name == "PinkNews"
    assert str(planned.source.reported) == "2023-04-05"  # the day it was announced, not published
    assert "2023-11-09" not in {str(s.reported) for s in published.sources()}
    news = {str(n.date): n.headline for n in show.news if "books" in n.tags}
    assert "2023-11-09" not in news
    assert news["2023-12-07"] == "Volume 5 is published in the UK"


def test_volumes_5_and_6_have_their_uk_and_us_dates(show: Show) -> None:
    expected = {5: ("2023-12-07", "2023-12-19"), 6: ("2026-07-02", "2026-07-07")}
    for number, (uk, us) in expected.items():
        markets = unit(show, number).markets
        assert set(markets) == {"UK", "US"}
        assert str(markets["UK"].value) == uk
        assert str(markets["US"].value) == us
        published = unit(show, number).published
        assert published is not None and str(published.value) == uk  # the first anywhere
        for fact in markets.values():
            assert all(s.url for s in fact.sources()), f"volume {number}: a market has no URL"
    # the US date first given for volume 5 stays in its history
    assert [str(c.value) for c in unit(show, 5).markets["US"].history][-1] == "2023-12-12"
    v6 = unit(show, 6)
    assert v6.published is not None
    assert (v6.published.source.name, str(v6.published.source.reported)) == (
        "Attitude",
        "2025-09-24",
    )
    assert (v6.markets["US"].source.name, str(v6.markets["US"].source.reported)) == (
        "Bleeding Cool",
        "2026-03-11",
    )


def test_six_volumes_in_total_with_the_article_s_seven_in_history(show: Show) -> None:
    total = show.source_work.total
    assert total is not None
    assert total.value == 6
    assert (total.source.name, str(total.source.reported)) == ("PinkNews", "2023-04-05")
    assert total.source.url
    assert [(c.value, c.source.name) for c in total.history] == [(7, "the article (late 2022)")]


def test_the_film_is_expected_in_2026_and_has_wrapped(show: Show) -> None:
    film = installment(show, "film")
    assert film.release is not None
    assert str(film.release.value) == "2026"  # no source gives a day
    assert {str(c.value) for c in film.release.history} == {"2026"}
    assert film.release.source.reported is not None
    assert str(film.release.source.reported) >= max(
        str(c.source.reported) for c in film.release.history
    )  # the newest claim is the current one
    assert film.state.value == "wrapped"
    assert [c.value for c in film.state.history] == ["filming", "announced"]
    assert film.filming.start is not None and str(film.filming.start.value) == "2025-06-09"
    wrap = film.filming.wrap
    assert wrap is not None
    assert (str(wrap.value), str(wrap.source.reported)) == ("2025-07-27", "2025-07-28")
    assert film.adapts is not None and film.adapts.value == [6]
    assert not [n for n in show.news if n.installment == "film" and "release" in n.tags]


def test_the_film_draws_on_nick_and_charlie(show: Show) -> None:
    film = installment(show, "film")
    assert film.draws_on is not None
    assert film.draws_on.value == ["Nick and Charlie"]
    assert str(film.draws_on.source.reported) == "2025-04-22"
    assert film.draws_on.source.url


def test_season_3_date_and_time_of_day_have_their_own_sources(show: Show) -> None:
    release = installment(show, "s3").release
    assert release is not None
    assert str(release.value) == "2024-10-03T00:00:00-07:00[America/Los_Angeles]"
    assert release.source.name == "Dexerto"
    assert [str(c.value) for c in release.history] == ["2024-10-03", "2024-10"]
    day = release.history[0].source
    assert (day.name, str(day.reported)) == ("Attitude", "2024-05-13")
    assert str(release.history[1].source.reported) == "2024-03-20"
    assert len({s.url for s in release.sources()}) == 3
    s3 = installment(show, "s3")
    assert s3.episodes is not None and s3.episodes.value == 8
    assert s3.episodes.source.name == "TheWrap"
    assert s3.adapts is not None and s3.adapts.source.confidence == "reported"  # only expected


def test_season_2_filming_dates_are_netflix_announcements(show: Show) -> None:
    s2 = installment(show, "s2")
    for fact in (s2.filming.start, s2.filming.wrap):
        assert fact is not None
        assert fact.source.name.startswith("Netflix announcement")
    assert s2.release is not None
    assert (str(s2.release.value), str(s2.release.source.reported)) == ("2023-08-03", "2023-04-24")


def test_cast_corrections(show: Show) -> None:
    cast = {m.character: m for m in show.cast}
    assert cast["Sahar Zahid"].installments == ["s2", "s3"]
    assert cast["James McEwan"].installments == ["s2"]  # not confirmed for season 3
    holden = cast["Michael Holden"].source
    assert holden is not None and str(holden.reported) == "2023-11-27"
    colman = cast["Sarah Nelson"].source
    assert colman is not None and colman.url is not None and "/2024/03/28/" not in colman.url
    for who in ("Charlie Spring", "Nick Nelson"):
        source = cast[who].source
        assert source is not None and source.url is not None
        assert "film-announced" in source.url


def test_plot_notes_say_no_more_than_the_article(show: Show) -> None:
    notes = [n.text for i in show.installments for n in i.plot]
    assert not [t for t in notes if "admit their feelings" in t]
    isaac = next(n for n in installment(show, "s2").plot if "Isaac would get more room" in n.text)
    assert isaac.source.confidence == "reported"


def test_every_cast_entry_and_news_item_states_a_confidence_in_the_file() -> None:
    for member in RAW["cast"]:
        assert member["source"]["confidence"] in CONFIDENCES, member["character"]
    for item in RAW["news"]:
        assert item["confidence"] in CONFIDENCES, item["headline"]


def raw_sources(node: object, path: str = "$") -> list[tuple[str, dict[str, object]]]:
    """Every "source" object in the raw JSON, with where it sits."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, dict):
                found.append((path, value))
            found.extend(raw_sources(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(raw_sources(value, f"{path}[{index}]"))
    return found


def test_every_source_states_its_confidence_in_the_file() -> None:
    sources = raw_sources(RAW)
    assert len(sources) > len(RAW["cast"])
    for where, source in sources:
        assert source.get("confidence") in CONFIDENCES, f"{where}: no explicit confidence"


def test_news_ids_follow_date_and_headline(show: Show) -> None:
    for item in show.news:
        assert item.id == news_id(item.date, item.headline), item.headline


# Issue 26: the doubtful facts settled, the missing dates filled, each with what its sources say.


def sourced(fact: Fact[Any]) -> list[tuple[str, str, str]]:
    """A fact's current value, then its history: (value, source, date reported), newest first."""
    claims = [Claim(value=fact.value, source=fact.source), *fact.history]
    return [(str(c.value), c.source.name, str(c.source.reported)) for c in claims]


def test_season_2_filming_start_keeps_each_source_at_its_own_precision(show: Show) -> None:
    start = installment(show, "s2").filming.start
    assert start is not None
    # 22 Sept 2022 is the day Netflix said filming was under way, not a start date
    netflix = "Netflix announcement (22 Sept 2022) that filming was under way, via GCN"
    assert sourced(start) == [
        ("2022-09", netflix, "2022-09-23"),
        # the day shipped before: superseded, kept so that copies made from it take this in
        ("2022-09-22", "Netflix announcement that filming had begun, via GCN", "2022-09-23"),
        ("2022-09-13", "The Tab (a planned start)", "2022-08-17"),
        ("2022-09", "What's on Netflix (production listings)", "2022-06-30"),
    ]
    assert start.source.confidence == "confirmed"
    assert [c.source.confidence for c in start.history[1:]] == ["reported", "reported"]
    assert all(s.url and s.url.startswith("https://") for s in start.sources())
    cameras = next(n for n in show.news if n.id == "n8ba4fb7650")
    assert str(cameras.date) == "2022-09-22" and cameras.body and "announced" in cameras.body


def test_a_copy_made_from_the_day_shipped_before_takes_the_correction_in(show: Show) -> None:
    newer, fans = copy.deepcopy(show), copy.deepcopy(show)
    before = installment(newer, "s2").filming.start
    assert before is not None
    superseded = before.history[0]
    installment(fans, "s2").filming.start = Fact(value=superseded.value, source=superseded.source)
    merged, _ = merge_show(fans, newer, rule="supersedes")  # how an upgrade merges shipped data
    start = installment(merged, "s2").filming.start
    assert start is not None and str(start.value) == "2022-09"
    assert str(start.history[0].value) == "2022-09-22"


def test_seasons_1_and_3_have_their_filming_dates(show: Show) -> None:
    s1, s3 = installment(show, "s1").filming, installment(show, "s3").filming
    assert s1.start is not None and s1.wrap is not None
    assert sourced(s1.start) == [("2021-04", "Radio Times", "2021-04-30")]
    assert sourced(s1.wrap) == [("2021-06", "Bookstr", "2022-02")]
    assert s3.start is not None and s3.wrap is not None
    netflix_uk = (
        "Netflix UK announcement (2 Oct 2023) that production had begun, via What's on Netflix"
    )
    assert sourced(s3.start) == [
        ("2023-10", "UPI", "2024-03-20"),
        ("2023-10", netflix_uk, "2023-10-02"),
    ]
    assert sourced(s3.wrap) == [("2023-12-15", "Daily Mail", "2023-12-15")]
    for fact in (s1.start, s1.wrap, s3.start, s3.wrap):
        assert all(s.url and s.url.startswith("https://") for s in fact.sources())
    # the filming the article reported stays as it was
    s2 = installment(show, "s2").filming
    assert s2.place is not None and s2.place.source.name == "the article (late 2022)"


def test_volumes_1_to_4_have_their_first_publication_per_market(show: Show) -> None:
    expected = {
        1: {"UK": "2019", "US": "2020"},
        2: {"UK": "2019", "US": "2020"},
        3: {"UK": "2020-02-06"},  # no source found for the US edition
        4: {"UK": "2021-05", "US": "2022-01"},
    }
    for number, markets in expected.items():
        found = unit(show, number)
        assert {m: str(f.value) for m, f in found.markets.items()} == markets, number
        assert found.published is not None
        assert str(found.published.value) == markets["UK"]  # the first anywhere
        for fact in (found.published, *found.markets.values()):
            assert all(s.url and s.reported for s in fact.sources()), number
    assert unit(show, 1).markets["US"].source.name == "Publishers Weekly"
    assert unit(show, 1).markets["UK"].source.name == "The Beat"


def test_volume_4_keeps_both_us_dates_with_their_sources(show: Show) -> None:
    us = unit(show, 4).markets["US"]
    assert sourced(us) == [
        ("2022-01", "ICv2", "2023-04"),
        ("2021-12-07", "Bookstr", "2022-02"),
        ("2022-01-04", "simplygraceless.blogspot.com, a review blog", "2022-01-04"),
    ]
    assert {s.confidence for s in us.sources()} == {"reported"}  # disputed: none confirmed


def test_the_volume_6_us_date_is_cited_to_the_outlet_that_states_it(show: Show) -> None:
    us = unit(show, 6).markets["US"]
    assert us.source.url is not None and "bleedingcool.com" in us.source.url
    blog = next(n for n in show.news if n.url and "devontrevarrowflaherty" in n.url)
    assert blog.body is not None and "Bleeding Cool (2026-03-11)" in blog.body


def test_the_season_2_cast_stays_out_of_season_3_without_a_cast_list(show: Show) -> None:
    cast = {m.character: m for m in show.cast}
    for who in ("Harry Greene", "Coach Singh", "Naomi", "James McEwan"):
        assert "s3" not in cast[who].installments, who  # no official or established list found
    james = cast["James McEwan"]
    assert james.note is not None and "unnamed student in Season 1" in james.note
    assert james.source is not None and str(james.source.reported) == "2022-09-23"
    harry = cast["Harry Greene"].source
    assert harry is not None and harry.url is not None and "gamerevolution" in harry.url
    assert str(harry.reported) == "2022-11-01"  # the date of the article the URL names


def test_the_article_s_figures_stay_in_history(show: Show) -> None:
    s2 = installment(show, "s2")
    assert s2.release is not None
    assert [(str(c.value), c.source.name) for c in s2.release.history] == [
        ("2023", "the article (late 2022)")
    ]
    total = show.source_work.total
    assert total is not None and [c.value for c in total.history] == [7]
    film = installment(show, "film")
    assert film.trailer is None  # no established outlet reports one; undated pages do not count
