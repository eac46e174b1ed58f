"""The shipped Heartstopper data: every cast member and fact is cited, and every link is https."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from hstracker.core.facts import named_facts
from hstracker.core.model import Show, Source
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
