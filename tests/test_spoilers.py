"""The spoiler guard's rules, table by table, and how status and news report what it hides."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import Run
from hstracker.core.dates import PartialDate
from hstracker.core.installments import named_in
from hstracker.core.model import NewsItem, Show, ShowProgress
from hstracker.core.spoilers import Guard, apply_guard, guard_for, volume_tags
from hstracker.paths import shipped_dir
from hstracker.store.codec import decode


def _show() -> Show:
    return decode((shipped_dir() / "heartstopper.json").read_bytes(), Show)


def _item(installment: str | None, *tags: str) -> NewsItem:
    return NewsItem(
        id="n1",
        date=PartialDate(2026, 1, 1),
        headline="x",
        source="y",
        installment=installment,
        tags=list(tags),
        added=datetime(2026, 1, 1, tzinfo=UTC),
    )


# (watched, read, item installment, item tags, hidden?)
NEWS_RULES = [
    # nothing recorded: the guard is on from the start; nothing counts as seen
    ([], [], "film", ["plot"], True),
    ([], [], "s3", [], True),  # unknown means hidden
    ([], [], "s1", ["casting"], True),
    ([], [], "s3", ["release-date"], False),  # timing stays visible
    ([], [], "film", ["announcement"], False),
    ([], [], None, ["plot"], False),  # tied to nothing
    ([], [], None, ["volume-2"], True),  # an unread volume
    # tied to a watched installment (or one before it): always shown
    (["s3"], [], "s3", ["plot"], False),
    (["s3"], [], "s1", ["casting"], False),
    # tied to an unwatched installment: timing is shown, reveals and untagged are hidden
    (["s2"], [], "s3", ["release"], False),
    (["s2"], [], "s3", ["release-date"], False),
    (["s2"], [], "s3", ["production"], False),
    (["s2"], [], "s3", ["renewal"], False),
    (["s2"], [], "s3", ["casting"], True),
    (["s2"], [], "s3", ["plot"], True),
    (["s2"], [], "s3", ["trailer"], True),
    (["s2"], [], "s3", ["release", "casting"], True),  # a reveal tag wins over a timing tag
    (["s2"], [], "s3", [], True),  # untagged: hidden, to be safe
    (["s2"], [], "s3", ["film"], True),  # unknown tag: hidden, to be safe
    # not tied to anything: shown
    (["s2"], [], None, ["plot"], False),
    (["s2"], [], None, [], False),
    # volume tags: volume-N or vN, hidden unless that volume (or a later one) is read
    (["s3"], [3], None, ["volume-4"], True),
    (["s3"], [3], None, ["v4", "plot"], True),
    (["s3"], [4], None, ["volume-4"], False),
    (["s3"], [5], None, ["v4"], False),  # reading volume 5 implies 1-4
    (["s3"], [3], None, ["volume-4", "books"], False),  # publication timing is not a spoiler
    (["s3"], [], None, ["v1"], True),  # watching is not reading
    ([], [2], "s3", ["plot"], True),  # reading something switches the guard on
]


@pytest.mark.parametrize(("watched", "read", "installment", "tags", "hidden"), NEWS_RULES)
def test_news_rules(
    watched: list[str], read: list[int], installment: str | None, tags: list[str], hidden: bool
) -> None:
    guard = guard_for(_show(), ShowProgress(watched=watched, read=read))
    assert guard.hides_news(_item(installment, *tags)) is hidden


# (watched, installment whose plot notes are asked about, hidden?)
PLOT_RULES = [
    ([], "s1", True),  # on from the start
    ([], "s2", True),
    (["s1"], "s1", False),
    (["s1"], "s2", True),
    (["s2"], "s1", False),  # watching s2 implies s1
    (["film"], "s3", False),
    (["s1", "s3"], "film", True),
]


@pytest.mark.parametrize(("watched", "key", "hidden"), PLOT_RULES)
def test_plot_rules(watched: list[str], key: str, hidden: bool) -> None:
    show = _show()
    inst = next(i for i in show.installments if i.key == key)
    assert guard_for(show, ShowProgress(watched=watched)).hides_plot(inst) is hidden


@pytest.mark.parametrize(
    ("tags", "volumes"),
    [(["volume-4"], [4]), (["v12"], [12]), (["vol-4", "v", "volume-", "version"], []), ([], [])],
)
def test_volume_tag_convention(tags: list[str], volumes: list[int]) -> None:
    assert volume_tags(tags) == volumes


def test_apply_guard_counts_what_it_hides() -> None:
    show = _show()
    guard = guard_for(show, ShowProgress(watched=["s1"]))
    result = apply_guard(show, guard, show.news[::-1])
    # s2 casting news is hidden; s2 production/release news stay; s2's two plot notes hide
    assert result.hidden_plot == 2
    assert [inst.key for inst, _ in result.plot] == ["s1", "s1"]
    hidden = {item.id for item in show.news} - {item.id for item in result.news}
    # the film announcement is tagged `announcement` (timing), so it stays visible
    assert {next(i for i in show.news if i.id == h).tags[0] for h in hidden} == {"casting"}
    assert result.hidden == result.hidden_news + 2
    assert apply_guard(show, Guard.off(), show.news).hidden == 0


def test_a_new_fan_sees_no_spoilers_and_one_line_on_how_to_see_them(run: Run) -> None:
    # nothing recorded yet: the guard is on from the first look
    status = run("status").stdout
    assert "Spoiler guard is off" not in status
    # s2's casting news and the four plot notes of s1 and s2
    hint = "5 items hidden by the spoiler guard; hstracker watched s1 or --spoilers shows them."
    assert status.count(hint) == 1
    data = run.json("status")
    assert (data["spoiler_guard"], data["hidden"]) == (True, 5)
    assert run.json("status", "--spoilers")["spoiler_guard"] is False
    progress = run("progress").stdout
    assert "Nick comes out to his mum" not in progress  # the first-look spoiler
    assert "4 plot notes hidden by the spoiler guard" in progress
    news = run("news").stdout
    assert "Season 2 adds Naomi" not in news
    assert "1 news item hidden by the spoiler guard; hstracker watched s1 or --spoilers " in news
    assert "shows it." in news  # singular
    # timing news stays visible: when something comes out is not a spoiler
    assert "Season 3 gets its date" in news and "Heartstopper Forever wraps filming" in news
    assert "Season 2 adds Naomi" in run("news", "--spoilers").stdout


def test_the_hint_names_the_first_installment_not_yet_watched(run: Run) -> None:
    run("watched", "s1")
    assert "hstracker watched s2 or --spoilers" in run("progress").stdout
    run("watched", "s3")
    assert "hidden" not in run("progress").stdout  # every plot note is of s1 or s2


def test_status_and_news_count_hidden_items_and_spoilers_shows_them(run: Run) -> None:
    run("watched", "s1")
    out = run("status").stdout
    assert "Spoiler guard is off" not in out
    # s2 casting and s2's two plot notes (the film announcement is a timing item)
    assert "3 items hidden by the spoiler guard" in out
    assert "--spoilers" in out
    assert run.json("status")["hidden"] == 3
    assert run.json("status", "--spoilers")["hidden"] == 0
    news = run.json("news")
    assert news["hidden"] == 1 and news["total"] == 19
    assert "Season 2 adds Naomi" not in run("news").stdout
    assert "1 news item hidden" in run("news").stdout
    spoiled = run("news", "--spoilers").stdout
    assert "Season 2 adds Naomi" in spoiled and "hidden" not in spoiled
    assert run.json("news", "--spoilers")["total"] == 20


def test_a_casting_reveal_added_for_the_film_is_hidden_until_watched(run: Run) -> None:
    run("watched", "s3")
    run(
        "add-news", "Forever casts a new love interest", "--date", "2026-11-20",
        "--source", "Variety", "--season", "film", "--tag", "casting",
    )  # fmt: skip
    run(
        "add-news", "Forever gets a date", "--date", "2026-11-21",
        "--source", "Netflix", "--season", "film", "--tag", "release-date",
    )  # fmt: skip
    headlines = [n["headline"] for n in run.json("news")["news"]]
    assert "Forever gets a date" in headlines
    assert "Forever casts a new love interest" not in headlines
    run("watched", "film")
    headlines = [n["headline"] for n in run.json("news")["news"]]
    assert "Forever casts a new love interest" in headlines


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Heartstopper Forever: first look", "film"),
        ("heartstopper   FOREVER", "film"),  # any case, any spacing
        ("What Season 3 changed", "s3"),
        ("series 2 recap", "s2"),
        ("S1, s2 and S03 ranked", "s3"),  # the latest it names
        ("Season 30 rumours", None),
        ("s2x and this2", None),
        ("Forever young", None),
        ("Heartstopper news", None),
    ],
)
def test_text_names_an_installment_by_title_or_number(text: str, key: str | None) -> None:
    found = named_in(_show(), text)
    assert (found.key if found else None) == key


def test_a_title_that_is_the_shows_own_name_names_nothing() -> None:
    show = _show()
    film = next(i for i in show.installments if i.key == "film")
    film.title = "Heartstopper"
    assert named_in(show, "Heartstopper trailer") is None
    found = named_in(show, "Heartstopper season 2 trailer")
    assert found is not None and found.key == "s2"
