"""A large show file is decoded without the cycle collector, which is always given back."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from hstracker.core.model import SCHEMA_VERSION, Show
from hstracker.errors import StoreCorrupt
from hstracker.store import parse_store_file

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "heartstopper.json"


def large_show() -> bytes:
    """The shipped show with 8,000 news items: a few MB, as a fan's feeds make in a few years."""
    raw = json.loads(SHIPPED.read_bytes())
    raw["schema_version"] = SCHEMA_VERSION  # decoded as it is, not through a migration
    item = raw["news"][0]
    raw["news"] = [item | {"id": f"n{n:010x}", "headline": f"Item {n}"} for n in range(8000)]
    data = json.dumps(raw).encode()
    assert len(data) > 1 << 20  # above the size where the decode pauses the collector
    return data


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(record)
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        if not was_enabled:
            gc.disable()


def test_a_large_file_decodes_without_a_collection(collections: list[int]) -> None:
    data = large_show()
    gc.collect()
    collections.clear()
    show = parse_store_file("big.json", data, Show)
    assert len(show.news) == 8000
    # given back, the collector runs once over everything new (with it on, ~30 times)
    assert collections in ([], [0])
    assert gc.isenabled()
    # the same objects made with the collector on do start collections: the probe can see them
    copies = [msgspec.structs.replace(item) for item in show.news for _ in range(2)]
    assert copies and len(collections) > 1


def test_the_collector_is_given_back_when_a_large_file_is_damaged(collections: list[int]) -> None:
    data = large_show()
    with pytest.raises(StoreCorrupt, match="truncated"):
        parse_store_file("big.json", data[: len(data) - 10], Show)
    assert gc.isenabled()
    damaged = data.replace(b'"date": "2022-04-22"', b'"date": "2022-13-01"', 1)
    with pytest.raises(StoreCorrupt, match="not a real date"):
        parse_store_file("big.json", damaged, Show)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(collections: list[int]) -> None:
    gc.disable()
    parse_store_file("big.json", large_show(), Show)
    assert not gc.isenabled()
