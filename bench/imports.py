"""Benchmark `import --from tvtime` on a big export, and `status` on the store it makes.

Usage: python bench/imports.py [--shows 200] [--episodes 100000] [--runs 11]

Writes a TV Time GDPR export ZIP (tracking-prod-records-v2.csv, followed_tv_show.csv and a
credential file it must never read) with --episodes watched episodes spread over --shows
shows, imports it into an empty home in a fresh process (timed, with the child's peak RSS),
imports it again (nothing changes), then times `status` in fresh processes, interleaved: on
the shipped store (an empty home), and on one imported show and on Heartstopper in the
imported store. The read budget is status on the imported store at most 1.3 x the shipped.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

NOW = "2026-11-24T12:00:00+00:00"
HEADER = (
    "s_id,runtime,series_name,episode_number,user_id,gsi,created_at,key,season_number,s_no,"
    "ep_no,ep_id,episode_id,updated_at,ep_watch_count,is_followed,uuid,rewatch_count"
)
BUDGET = 1.3


def write_export(path: Path, shows: int, episodes: int) -> None:
    """A TV Time export: each show has seasons of 25 episodes, watched in order."""
    per_show = episodes // shows
    lines = [HEADER]
    followed = ["user_id,active,tv_show_id,created_at,archived,tv_show_name"]
    base = 1_500_000_000
    for s in range(shows):
        tvdb = 400_000 + s
        name = "Heartstopper" if s == 0 else f"Bench Show {s}"
        followed.append(f"1,1,{tvdb},2020-01-01 10:00:00,0,{name}")
        for n in range(per_show):
            season, episode = n // 25 + 1, n % 25 + 1
            if s == 0:
                season, episode = n % 3 + 1, n // 3 % 8 + 1  # Heartstopper: s1-s3 of 8
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(base + s * 10_000 + n * 60))
            key = f"watch-episode-{tvdb}-{season}-{episode}-{n}"
            lines.append(f"{tvdb},1800,{name},{episode},1,,{stamp},{key},{season},,,,,{stamp},,,,")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tv-time/tracking-prod-records-v2.csv", "\n".join(lines) + "\n")
        archive.writestr("tv-time/followed_tv_show.csv", "\n".join(followed) + "\n")
        archive.writestr("tv-time/access_token.csv", "user_id,token\n1,secret\n")


def run_once(argv: list[str], home: Path) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MB, for one fresh process."""
    env = {**os.environ, "HSTRACKER_HOME": str(home), "HSTRACKER_NOW": NOW, "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def peak_of(argv: list[str], home: Path) -> float:
    """The peak RSS of one run, measured in a fresh probe process of its own."""
    probe = (
        "import os, resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], capture_output=True, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    env = {**os.environ, "HSTRACKER_HOME": str(home), "HSTRACKER_NOW": NOW}
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=int, default=200)
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    script = shutil.which("hstracker", path=str(Path(sys.executable).parent))
    if script is None:
        sys.exit("run this with the python of a virtual environment that has hstracker")
    work = Path(tempfile.mkdtemp(prefix="hstracker-imports-"))
    try:
        export = work / "tv-time.zip"
        write_export(export, args.shows, args.episodes)
        imported, empty = work / "imported", work / "empty"
        imported.mkdir()
        empty.mkdir()
        argv = [script, "import", "--from", "tvtime", str(export)]
        seconds, _ = run_once(argv, imported)
        shutil.rmtree(imported)
        imported.mkdir()
        peak = peak_of(argv, imported)  # the same import again into an empty home
        again, _ = run_once(argv, imported)
        personal = (imported / "personal.json").stat().st_size / 1e6
        print(f"export: {export.stat().st_size / 1e6:.1f} MB ZIP, {args.shows} shows, "
              f"{args.episodes} watched episodes")  # fmt: skip
        print(f"import --from tvtime: {seconds:.2f} s wall, peak RSS {peak:.1f} MB "
              f"(budget 60 s); personal.json {personal:.1f} MB")  # fmt: skip
        print(f"the same import again (changes nothing): {again:.2f} s")
        cases = {
            "status [shipped]": ([script, "status"], empty),
            "status [imported, heartstopper]": ([script, "status"], imported),
            "status [imported, bench-show-17]": ([script, "status", "--show", "bench-show-17"],
                                                 imported),
        }  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(2):  # warm-up
            for argv_, home in cases.values():
                run_once(argv_, home)
        for _ in range(args.runs):
            for name, (argv_, home) in cases.items():
                times[name].append(run_once(argv_, home)[0])
        base = statistics.median(times["status [shipped]"])
        for name, samples in times.items():
            median = statistics.median(samples)
            ratio = median / base
            verdict = "" if name.endswith("[shipped]") else (
                f"  (<= {BUDGET})  {'ok' if ratio <= BUDGET else 'OVER'}")  # fmt: skip
            print(f"{name:36} {median * 1000:7.1f} ms  {ratio:5.2f} x shipped{verdict}")
        for name, (argv_, home) in cases.items():
            print(f"peak RSS {name:27} {peak_of(argv_, home):5.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
