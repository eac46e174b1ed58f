"""Write a realistic hstracker store for benchmarks: N shows, M news items spread across them.

Usage: python bench/make_store.py --home DIR --shows N --news M

Heartstopper keeps its real shipped data. Every file is written through hstracker's own
store code, so the files are byte for byte what hstracker itself writes.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hstracker.core.dates import PartialDate
from hstracker.core.model import (
    SCHEMA_VERSION,
    CastMember,
    Fact,
    Installment,
    NewsItem,
    Show,
    Source,
    SourceUnit,
    SourceWork,
)
from hstracker.core.news import news_id
from hstracker.store import DEFAULT_SHOW, Store

WORDS = [
    "season",
    "trailer",
    "cast",
    "release",
    "date",
    "premiere",
    "filming",
    "wraps",
    "renewed",
    "finale",
    "episode",
    "director",
    "teaser",
    "interview",
    "first",
    "look",
    "poster",
    "soundtrack",
    "netflix",
    "volume",
    "book",
    "author",
]


def _source(rng: random.Random, day: date) -> Source:
    return Source(
        name=rng.choice(["Netflix", "Variety", "Deadline", "Tudum"]),
        reported=PartialDate.of(day),
        confidence="confirmed",
    )


def fake_show(index: int, rng: random.Random) -> Show:
    """A show shaped like a real one: a few seasons, a cast, volumes with dates."""
    start = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
    seasons = []
    for number in range(1, rng.randint(2, 6)):
        day = start + timedelta(days=365 * number)
        seasons.append(
            Installment(
                kind="season",
                number=number,
                state=Fact(value="released", source=_source(rng, day)),
                release=Fact(value=PartialDate.of(day), source=_source(rng, day)),
                episodes=Fact(value=rng.randint(6, 12), source=_source(rng, day)),
                adapts=Fact(value=[number], source=_source(rng, day)),
            )
        )
    keys = [inst.key for inst in seasons]
    cast = [
        CastMember(
            character=f"Character {i}",
            actor=f"Actor {index}-{i}",
            installments=keys[rng.randrange(len(keys)) :],
            billing=rng.choice(["main", "recurring", "guest"]),
        )
        for i in range(rng.randint(8, 20))
    ]
    units = [
        SourceUnit(
            number=n,
            published=Fact(value=PartialDate.of(start), source=_source(rng, start)),
        )
        for n in range(1, len(seasons) + 3)
    ]
    return Show(
        schema_version=SCHEMA_VERSION,
        slug=f"show-{index:03d}",
        title=f"Show {index}",
        platform=rng.choice(["Netflix", "Prime Video", "Disney+", "HBO"]),
        release_zone="America/Los_Angeles",
        source_work=SourceWork(title=f"Book {index}", author=f"Author {index}", units=units),
        installments=seasons,
        cast=cast,
    )


def fake_news(show: Show, count: int, rng: random.Random) -> list[NewsItem]:
    """count dated items with realistic lengths, oldest first."""
    added = datetime(2026, 11, 1, tzinfo=UTC)
    items = []
    for n in range(count):
        day = PartialDate.of(date(2016, 1, 1) + timedelta(days=rng.randrange(3800)))
        headline = f"{show.title}: " + " ".join(rng.choices(WORDS, k=rng.randint(5, 11))) + f" #{n}"
        items.append(
            NewsItem(
                id=news_id(day, headline),
                date=day,
                headline=headline,
                source=rng.choice(["Variety", "Deadline", "Tudum", "Collider", "Radio Times"]),
                url=f"https://news.example/{show.slug}/{n}",
                body=" ".join(rng.choices(WORDS, k=rng.randint(20, 60))),
                installment=rng.choice([None, *(i.key for i in show.installments)]),
                tags=rng.sample(["release", "casting", "trailer", "production"], k=2),
                added=added,
            )
        )
    items.sort(key=lambda item: (item.date.sort_key(), item.added))
    return items


def make_store(home: Path, shows: int, news: int, seed: int = 1) -> None:
    """Write shows (Heartstopper among them) with news spread evenly across them."""
    rng = random.Random(seed)
    store = Store(home)
    per_show, extra = divmod(news, shows)
    with store.transaction() as tx:
        for index in range(shows):
            show = tx.show(DEFAULT_SHOW) if index == 0 else fake_show(index, rng)
            count = per_show + (1 if index < extra else 0)
            show.news = sorted(
                [*show.news, *fake_news(show, count, rng)],
                key=lambda item: (item.date.sort_key(), item.added),
            )
            tx.put_show(show)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the HSTRACKER_HOME to fill")
    parser.add_argument("--shows", type=int, default=100)
    parser.add_argument("--news", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make_store(args.home, args.shows, args.news, args.seed)
    print(f"wrote {args.shows} shows and {args.news} news items to {args.home}")


if __name__ == "__main__":
    main()
