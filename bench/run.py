"""Benchmark hstracker's commands against baselines measured in the same run.

Usage: python bench/run.py [--runs 15] [--warmup 3] [--sizes 1000,10000,100000] [--shows 100]

--sizes and --shows both take comma lists: every size is made at every show count, e.g.
`--shows 1,100 --sizes 100000` makes 100k items in one show and 100k spread over 100 shows.

Run it with the virtual environment's python. Every command is run in a fresh process, in
interleaved rounds (so drift on a noisy machine hits every command alike), after a warm-up.
Commands run through the installed `hstracker` console script, as a fan runs them.
It reports medians (wall clock, and CPU time as a steadier cross-check) and ratios against two
baselines from the same run:
  B  python -c pass
  R  python -c "from rich.console import Console; from rich.table import Table"
and the peak memory (max RSS) of each command. `export` and `import` move Heartstopper with
all its news (each import into an empty home). The peak memory of `status` is also measured on
its own, as resource.getrusage(RUSAGE_CHILDREN) in a fresh small process that runs it once.
With hyperfine on the PATH it also times the shipped-store commands with hyperfine, as a
cross-check of the Python loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_store import make_store

from hstracker.errors import InvalidInput
from hstracker.store.documents import MAX_BYTES

NOW = "2026-11-24T12:00:00+00:00"
READS = ("--version", "--help", "status", "cast", "seasons", "news", "shows list", "upcoming")
COMPLETIONS = ("hstracker news --season ", "hstracker edit-news ")
BUDGET_SHOWS = 100  # the default: news spread over this many shows
SHOW = "heartstopper"  # the show export and import move: every generated store has it


@dataclass
class Case:
    """One command line to time, with its samples."""

    name: str
    argv: list[str]
    env: dict[str, str]
    unique: bool = False  # add-news: each run needs a new headline
    reset: Path | None = None  # import: this home is emptied before each run (not timed)
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    @property
    def peak_mb(self) -> float:
        return max(self.rss_kb) / 1024


# A child's max RSS counts the memory of whoever forked it (the high-water mark survives
# exec), so commands are started by this small launcher, not by the benchmark process that
# holds hstracker and the generated stores in memory. It times each child with wait4.
LAUNCHER = r"""
import json, os, sys, time
for line in sys.stdin:
    argv, env = json.loads(line)
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code, cpu = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
    print(json.dumps([elapsed, usage.ru_maxrss, code, cpu]), flush=True)
"""


class Launcher:
    """The long-lived, low-memory process that starts and times every command."""

    def __init__(self, python: str) -> None:
        self.proc = subprocess.Popen(
            [python, "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argv: list[str], env: dict[str, str]) -> tuple[float, int, int, float]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps([argv, env]) + "\n")
        self.proc.stdin.flush()
        elapsed, rss, code, cpu = json.loads(self.proc.stdout.readline())
        return elapsed, rss, code, cpu

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def time_once(launcher: Launcher, case: Case, round_no: int) -> None:
    argv = list(case.argv)
    if case.unique:
        argv[argv.index("HEADLINE")] = f"bench item {round_no} {time.time_ns()}"
    if case.reset is not None:
        shutil.rmtree(case.reset, ignore_errors=True)
    elapsed, rss, code, cpu = launcher.run(argv, case.env)
    if code != 0:
        raise SystemExit(f"{case.name} failed with exit code {code}: {' '.join(argv)}")
    case.seconds.append(elapsed)
    case.rss_kb.append(rss)
    case.cpu.append(cpu)


def hstracker_script(python: str) -> str:
    """The console script fans run, installed next to this python."""
    script = Path(python).parent / "hstracker"
    if not script.exists():
        raise SystemExit(f"no hstracker script next to {python}: pip install . first")
    return str(script)


def bench_env() -> dict[str, str]:
    """This environment without hstracker's own settings, with the clock and width pinned."""
    # an installed package runs from cached bytecode; PYTHONDONTWRITEBYTECODE would make an
    # editable install recompile every module on every run and measure the compiler instead
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HSTRACKER_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    return env | {"HSTRACKER_NOW": NOW, "COLUMNS": "100"}


def build_cases(python: str, homes: dict[str, Path], workdir: Path) -> list[Case]:
    base_env = bench_env()
    cases = [
        Case("B", [python, "-c", "pass"], base_env),
        Case(
            "R",
            [python, "-c", "from rich.console import Console; from rich.table import Table"],
            base_env,
        ),
    ]
    script = hstracker_script(python)
    for label, home in homes.items():
        env = base_env | {"HSTRACKER_HOME": str(home)}
        for command in READS:
            if command in ("--version", "--help") and label != "shipped":
                continue  # neither reads the store
            cases.append(Case(f"{command} [{label}]", [script, *command.split()], env))
        add = [
            script,
            "add-news",
            "HEADLINE",
            "--date",
            "2026-11-20",
            "--source",
            "bench",
        ]
        cases.append(Case(f"add-news [{label}]", add, env, unique=True))
        for words in COMPLETIONS:  # what the shell runs on each Tab, as Typer's script does
            tab = {"_HSTRACKER_COMPLETE": "complete_bash", "COMP_WORDS": words,
                   "COMP_CWORD": str(words.count(" "))}  # fmt: skip
            cases.append(Case(f"complete {words.split()[1]} [{label}]", [script], env | tab))
        slug = label.replace("/", "-")
        out = workdir / f"export-{slug}.json"
        export = [script, "export", "--show", SHOW, "--output"]
        cases.append(Case(f"export [{label}]", [*export, str(out)], env))
        # imported into an empty home, so every run merges the same news into the shipped show
        shared = workdir / f"shared-{slug}.json"
        subprocess.run([*export, str(shared)], env=env, check=True, stdout=subprocess.DEVNULL)
        if (size := shared.stat().st_size) > MAX_BYTES:
            print(f"import [{label}]: not timed: the export is {size / 1e6:.1f} MB, and import "
                  f"refuses a document over {MAX_BYTES / 1e6:.0f} MB")  # fmt: skip
            continue
        target = workdir / f"import-{slug}"
        into = base_env | {"HSTRACKER_HOME": str(target)}
        cases.append(Case(f"import [{label}]", [script, "import", str(shared)], into, reset=target))
    return cases


# RUSAGE_CHILDREN of a fresh, small process holds the peak of the one command it ran
RSS_PROBE = r"""
import json, os, resource, subprocess, sys
argv, env = json.loads(sys.argv[1])
subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_mb(python: str, case: Case, times: int = 3) -> float:
    """The largest peak RSS (MB) of case over a few runs, each in a fresh probe process."""
    peaks = []
    for _ in range(times):
        done = subprocess.run(
            [python, "-S", "-c", RSS_PROBE, json.dumps([case.argv, case.env])],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        peaks.append(int(done.stdout) / 1024)  # ru_maxrss is in KB on Linux
    return max(peaks)


def hyperfine_check(python: str, home: Path, runs: int) -> dict[str, float]:
    """Medians (ms) from hyperfine for the shipped-store read commands."""
    out = Path(tempfile.mkdtemp()) / "hf.json"
    script = hstracker_script(python)
    rich_import = "from rich.console import Console; from rich.table import Table"
    commands = [f"{python} -c pass", f"{python} -c '{rich_import}'"]
    commands += [f"{script} {c}" for c in READS]
    env = bench_env() | {"HSTRACKER_HOME": str(home)}
    done = subprocess.run(
        ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(out),
         *commands],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:  # its warnings are noise on success, its errors worth reading
        raise SystemExit(f"hyperfine failed:\n{done.stderr}")
    results = json.loads(out.read_text())["results"]
    return {r["command"]: statistics.median(r["times"]) * 1000 for r in results}


def store_label(size: int, shows: int) -> str:
    """'100k/1': how many news items, in how many shows."""
    items = f"{size // 1000}k" if size >= 1000 else str(size)
    return f"{items}/{shows}"


def make_homes(workdir: Path, sizes: list[int], show_counts: list[int]) -> dict[str, Path]:
    homes = {"shipped": workdir / "shipped"}
    for shows in show_counts:
        for size in sizes:
            label = store_label(size, shows)
            print(f"making the {label} store ({size} items in {shows} shows)...", file=sys.stderr)
            try:
                make_store(workdir / label.replace("/", "-"), shows, size)
            except InvalidInput as exc:  # e.g. more news in one show than a show file may hold
                print(f"  skipped: the store refused it: {exc.message}", file=sys.stderr)
                continue
            homes[label] = workdir / label.replace("/", "-")
    return homes


def _megabytes(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink()) / 1e6


def disk_report(homes: dict[str, Path]) -> None:
    """What keeping a copy of every news part costs on disk: the parts, their kept copies,
    the duplicate indexes, and the heads with their mirrors and rolling backups."""
    print("\ndisk per store (MB): news parts, their copies, duplicate indexes, heads + backups")
    for label, home in homes.items():
        shows = home / "shows"
        if not shows.is_dir():
            continue
        backups = shows / "backups"
        parts = [
            p for d in shows.glob("*.news") for p in d.iterdir() if not p.name.startswith("keys-")
        ]
        keys = [p for d in shows.glob("*.news") for p in d.glob("keys-*.json")]
        copies = [p for d in backups.glob("*.news") for p in d.iterdir()]
        heads = [*shows.glob("*.json"), *backups.glob("*.json.*")]
        print(
            f"  {label:<10} parts {_megabytes(parts):7.1f}  copies {_megabytes(copies):7.1f}  "
            f"indexes {_megabytes(keys):6.1f}  heads {_megabytes(heads):6.1f}"
        )


def _best_ms(work: Callable[[], object], times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def cache_report(homes: dict[str, Path]) -> None:
    """What each derived cache saves, in-process (best of 5): the summary for `shows list`,
    the per-part tallies for `status` with the spoiler guard on, and the duplicate index for
    `add-news`, each against the read it spares."""
    print("\nderived caches, in-process ms (best of 5): with the cache / the read it spares")
    for label, home in homes.items():
        if label != "shipped":
            print(_cache_row(label, home))


def _cache_row(label: str, home: Path) -> str:
    from hstracker.core.dates import PartialDate
    from hstracker.core.model import ShowProgress
    from hstracker.store import NONE, Store, Transaction, newest

    store = Store(home)
    slugs = store.slugs()
    progress = store.personal().progress.get(SHOW, ShowProgress())
    pick = newest(progress, True, 5)  # status: the newest items the guard lets through
    summary = _best_ms(lambda: store.listed_shows(slugs))
    heads = _best_ms(lambda: store.shows(slugs, NONE))
    tallies = _best_ms(lambda: store.read_show(SHOW, pick))
    whole = _best_ms(lambda: store.read_show(SHOW), times=3)
    day = PartialDate.parse("2026-11-20")
    index = _best_ms(lambda: Transaction(store).show_appending(SHOW, day))
    every = _best_ms(lambda: Transaction(store).show(SHOW), times=3)
    return (
        f"  {label:<10} summary {summary:6.1f} / {heads:7.1f}   tallies {tallies:6.1f} / "
        f"{whole:7.1f}   index {index:6.1f} / {every:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark hstracker against baselines.")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (min 15)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,100000", help="news items per store")
    parser.add_argument(
        "--shows", default=str(BUDGET_SHOWS), help="shows in each sized store, e.g. 1,100"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    runs = max(args.runs, 15)
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="hstracker-bench-"))
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        homes = make_homes(workdir, sizes, [int(n) for n in args.shows.split(",") if n])
        disk_report(homes)
        cache_report(homes)
        cases = build_cases(python, homes, workdir)
        launcher = Launcher(python)
        for round_no in range(args.warmup + runs):
            for case in cases:
                time_once(launcher, case, round_no)
            if round_no < args.warmup:
                for case in cases:
                    case.seconds.clear()
                    case.rss_kb.clear()
                    case.cpu.clear()
        launcher.close()
        by_name = {c.name: c for c in cases}
        status_peaks = {label: peak_rss_mb(python, by_name[f"status [{label}]"]) for label in homes}
        report(cases, runs, python, status_peaks)
        if args.json:
            args.json.write_text(json.dumps(
                {
                    "commands": {c.name: {"median_ms": c.median_ms, "cpu_ms": c.cpu_ms,
                                          "peak_mb": c.peak_mb} for c in cases},
                    "status_peak_mb": status_peaks,
                },
                indent=2))  # fmt: skip
        if shutil.which("hyperfine"):
            print("\nhyperfine cross-check (shipped store): median ms, × R")
            medians = hyperfine_check(python, homes["shipped"], runs)
            r_ms = next(ms for command, ms in medians.items() if "rich.table" in command)
            for command, ms in medians.items():
                print(f"  {ms:7.1f} {ms / r_ms:6.2f}  {command}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# the budgets: a command on a sized store against the same command on the shipped one
SIZED_BUDGETS = {
    "status": 1.3, "cast": 1.3, "seasons": 1.3, "shows list": 1.3, "news": 1.5, "add-news": 1.5,
}  # fmt: skip
PEAK_BUDGET_MB = 45  # peak RSS of status on any store


def report(cases: list[Case], runs: int, python: str, status_peaks: dict[str, float]) -> None:
    by_name = {c.name: c for c in cases}
    b, r = by_name["B"].median_ms, by_name["R"].median_ms
    print(f"hstracker benchmark: {runs} interleaved runs per command, medians; {python}")
    # CPU time (user + system) is the steadier figure when other work shares the machine
    r_cpu = by_name["R"].cpu_ms
    print(f"{'command':<30}{'median ms':>10}{'× B':>8}{'× R':>8}{'cpu ms':>8}{'cpu × R':>9}"
          f"{'peak MB':>9}")  # fmt: skip
    for case in cases:
        ms, cpu = case.median_ms, case.cpu_ms
        print(f"{case.name:<30}{ms:>10.1f}{ms / b:>8.2f}{ms / r:>8.2f}{cpu:>8.1f}"
              f"{cpu / r_cpu:>9.2f}{case.peak_mb:>9.1f}")  # fmt: skip

    print("\npeak RSS of status (getrusage of a fresh probe's children, largest of 3)")
    for label, mb in status_peaks.items():
        print(f"  {label:<24}{mb:>7.1f} MB")

    def ratio(a: str, over: str) -> float:
        return by_name[a].median_ms / by_name[over].median_ms

    budgets = [
        ("status [shipped] / R", ratio("status [shipped]", "R"), 1.5),
        ("cast [shipped] / R", ratio("cast [shipped]", "R"), 2.0),
        ("--version / R", ratio("--version [shipped]", "R"), 1.5),
        # a Tab press should feel instant: no slower than the dashboard
        ("complete news [shipped] / R", ratio("complete news [shipped]", "R"), 2.0),
    ]
    for label in status_peaks:
        if label == "shipped":
            continue
        for command, limit in SIZED_BUDGETS.items():
            budgets.append((
                f"{command} [{label}] / shipped",
                ratio(f"{command} [{label}]", f"{command} [shipped]"),
                limit,
            ))  # fmt: skip
    budgets += [
        (f"status peak MB [{label}]", mb, PEAK_BUDGET_MB) for label, mb in status_peaks.items()
    ]
    print("\nbudget")
    for label, value, limit in budgets:
        verdict = "ok" if value <= limit else "OVER"
        print(f"  {label:<38}{value:>6.2f}  (≤ {limit})  {verdict}")


if __name__ == "__main__":
    main()
