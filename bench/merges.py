"""Time the three big merges of issue 17 through the real CLI, each with a writer racing it.

Usage: python bench/merges.py [--news 12000] [--feed 15000] [--cast 9900] [--hstracker CMD]

- `import` of an export carrying N extra news items into the show it came from;
- `feeds pull` of one N-item RSS feed;
- `sync` (TVmaze) of a show with N cast members.

The feed and TVmaze answer from a local server (tests/httpserver.py) on 127.0.0.1. One second
into each run an `add-news` starts: with merges that are linear and the network done before
the lock is taken, it finishes at once instead of waiting out the lock (exit 6).
`--hstracker "python -m hstracker"` with PYTHONPATH set times another checkout.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from httpserver import TVMAZE_SHOW, Answer, Server, fixture_bytes

NOW = "2026-04-01T12:00:00+00:00"
BIG = str(64 << 20)  # the feeds and answers here are larger than the default 5 MiB cap


def _env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, "HSTRACKER_HOME": str(home), "HSTRACKER_NOW": NOW, **extra}


def _run(cmd: list[str], home: Path, *args: str, **extra: str) -> None:
    done = subprocess.run(
        [*cmd, *args], env=_env(home, extra), capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")


def _raced(cmd: list[str], home: Path, args: list[str], extra: dict[str, str]) -> str:
    """Run args; one second in, an add-news: the run's seconds, and how the writer fared."""
    env = _env(home, extra)
    start = time.monotonic()
    big = subprocess.Popen(
        [*cmd, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(1.0)
    raced = time.monotonic()
    writer = subprocess.run(
        [*cmd, "add-news", "Meanwhile", "--date", "2026-01-02", "--source", "S"],
        env=env,
        capture_output=True,
        check=False,
    )
    waited = time.monotonic() - raced
    _, err = big.communicate()
    took = time.monotonic() - start
    if big.returncode:
        sys.exit(f"{' '.join(args)} failed ({big.returncode}): {err.decode()}")
    return f"{took:7.2f} s   racing add-news: exit {writer.returncode} after {waited:.2f} s"


def bench_import(cmd: list[str], count: int) -> str:
    home = Path(tempfile.mkdtemp())
    _run(cmd, home, "add-news", "Seed", "--date", "2026-01-01", "--source", "S")
    shared = home.parent / f"{home.name}-shared.json"
    _run(cmd, home, "export", "--output", str(shared))
    doc = json.loads(shared.read_bytes())
    news: list[dict[str, Any]] = doc["show"]["news"]
    for i in range(count):
        item = dict(news[0], id=f"n{i}", headline=f"Imported headline {i}")
        item["date"] = f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        news.append(item)
    shared.write_text(json.dumps(doc), encoding="utf-8")
    return _raced(cmd, home, ["import", str(shared)], {})


def bench_feed(cmd: list[str], server: Server, count: int) -> str:
    home = Path(tempfile.mkdtemp())
    items = "".join(
        f"<item><title>Heartstopper item {i}</title><link>https://news.example/{i}</link>"
        f"<guid>g{i}</guid><pubDate>Mon, 0{i % 9 + 1} Mar 2026 10:00:00 GMT</pubDate></item>"
        for i in range(count)
    )
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    url = server.route("/feed.xml", Answer(body=body.encode()))
    _run(cmd, home, "feeds", "add", url)
    return _raced(cmd, home, ["feeds", "pull"], {"HSTRACKER_HTTP_MAX_BYTES": BIG})


def bench_cast(cmd: list[str], server: Server, count: int) -> str:
    home = Path(tempfile.mkdtemp())
    show = json.loads(fixture_bytes("tvmaze/show-embedded.json"))
    cast: list[dict[str, Any]] = show["_embedded"]["cast"]
    for i in range(count):
        member = copy.deepcopy(cast[0])
        member["person"].update(id=10_000 + i, name=f"Actor {i}")
        member["character"].update(id=50_000 + i, name=f"Character {i} Person")
        cast.append(member)
    server.route(TVMAZE_SHOW, Answer(body=json.dumps(show).encode()))
    _run(cmd, home, "shows", "link", "heartstopper", "--tvmaze", "53440")
    extra = {"HSTRACKER_TVMAZE_URL": server.url + "/api/v1/", "HSTRACKER_HTTP_MAX_BYTES": BIG}
    return _raced(cmd, home, ["sync", "--source", "tvmaze"], extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=12_000)
    parser.add_argument("--feed", type=int, default=15_000)
    parser.add_argument("--cast", type=int, default=9_900)  # the store holds up to 10,000
    parser.add_argument("--hstracker", default="hstracker", help="the command to time")
    args = parser.parse_args()
    cmd = shlex.split(args.hstracker)
    server = Server()
    threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True).start()
    print(f"import of {args.news} news items into their show  {bench_import(cmd, args.news)}")
    print(f"feeds pull of a {args.feed}-item feed          {bench_feed(cmd, server, args.feed)}")
    print(f"sync of {args.cast} cast members from TVmaze    {bench_cast(cmd, server, args.cast)}")
    server.stop.set()
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
