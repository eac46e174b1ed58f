"""Benchmark hstracker's commands against baselines measured in the same run.

Usage: python bench/run.py [--runs 15] [--warmup 3] [--sizes 1000,10000,100000]

Run it with the virtual environment's python. Every command is run in a fresh process, in
interleaved rounds (so drift on a noisy machine hits every command alike), after a warm-up.
Commands run through the installed `hstracker` console script, as a fan runs them.
It reports medians and ratios against two baselines from the same run:
  B  python -c pass
  R  python -c "from rich.console import Console; from rich.table import Table"
and the peak memory (max RSS) of each command. With hyperfine on the PATH it also times the
shipped-store commands with hyperfine, as a cross-check of the Python loop.
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_store import make_store

NOW = "2026-11-24T12:00:00+00:00"
READS = ("--version", "--help", "status", "cast", "news", "upcoming")
COMPLETIONS = ("hstracker news --season ", "hstracker edit-news ")
BUDGET_SHOWS = 100  # the store-size budgets are set for news spread over this many shows


@dataclass
class Case:
    """One command line to time, with its samples."""

    name: str
    argv: list[str]
    env: dict[str, str]
    unique: bool = False  # add-news: each run needs a new headline
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

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
    print(json.dumps([elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Launcher:
    """The long-lived, low-memory process that starts and times every command."""

    def __init__(self, python: str) -> None:
        self.proc = subprocess.Popen(
            [python, "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps([argv, env]) + "\n")
        self.proc.stdin.flush()
        elapsed, rss, code = json.loads(self.proc.stdout.readline())
        return elapsed, rss, code

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait()


def time_once(launcher: Launcher, case: Case, round_no: int) -> None:
    argv = list(case.argv)
    if case.unique:
        argv[argv.index("HEADLINE")] = f"bench item {round_no} {time.time_ns()}"
    elapsed, rss, code = launcher.run(argv, case.env)
    if code != 0:
        raise SystemExit(f"{case.name} failed with exit code {code}: {' '.join(argv)}")
    case.seconds.append(elapsed)
    case.rss_kb.append(rss)


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


def build_cases(python: str, homes: dict[str, Path]) -> list[Case]:
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
            cases.append(Case(f"{command} [{label}]", [script, command], env))
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
    return cases + layout_cases(script, homes, base_env)


def layout_cases(script: str, homes: dict[str, Path], base_env: dict[str, str]) -> list[Case]:
    """The commands whose cost the store layout decides (issue 14): `shows list` and `seasons`
    in every store."""
    cases = []
    for label, home in homes.items():
        env = base_env | {"HSTRACKER_HOME": str(home)}
        cases.append(Case(f"shows list [{label}]", [script, "shows", "list"], env))
        cases.append(Case(f"seasons [{label}]", [script, "seasons"], env))
    return cases


def layout_budgets(by_name: dict[str, Case]) -> list[tuple[str, float, float]]:
    """Issue 14's budgets against the shipped store, for each 100k store in this run."""
    if "status [100k]" not in by_name:
        return []
    budgets = []
    for command, limit in (
        ("status", 1.3), ("cast", 1.3), ("seasons", 1.3), ("news", 1.5),
        ("shows list", 1.3), ("add-news", 1.5),
    ):  # fmt: skip
        ratio = by_name[f"{command} [100k]"].median_ms / by_name[f"{command} [shipped]"].median_ms
        budgets.append((f"{command} [100k] / [shipped]", ratio, limit))
    budgets.append(("status [100k] peak MB", by_name["status [100k]"].peak_mb, 45.0))
    return budgets


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


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark hstracker against baselines.")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (min 15)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,100000", help="news items per store")
    parser.add_argument("--shows", type=int, default=BUDGET_SHOWS, help="shows in each sized store")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    runs = max(args.runs, 15)
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="hstracker-bench-"))
    try:
        homes = {"shipped": workdir / "shipped"}
        for size in (int(s) for s in args.sizes.split(",") if s):
            label = f"{size // 1000}k" if size >= 1000 else str(size)
            homes[label] = workdir / label
            print(f"making the {label} store ({args.shows} shows)...", file=sys.stderr)
            make_store(homes[label], args.shows, size)
        cases = build_cases(python, homes)
        launcher = Launcher(python)
        for round_no in range(args.warmup + runs):
            for case in cases:
                time_once(launcher, case, round_no)
            if round_no < args.warmup:
                for case in cases:
                    case.seconds.clear()
                    case.rss_kb.clear()
        launcher.close()
        report(cases, runs, python, args.shows)
        if args.json:
            args.json.write_text(json.dumps(
                {c.name: {"median_ms": c.median_ms, "peak_mb": c.peak_mb} for c in cases},
                indent=2))  # fmt: skip
        if shutil.which("hyperfine"):
            print("\nhyperfine cross-check (shipped store): median ms, × R")
            medians = hyperfine_check(python, homes["shipped"], runs)
            r_ms = next(ms for command, ms in medians.items() if "rich.table" in command)
            for command, ms in medians.items():
                print(f"  {ms:7.1f} {ms / r_ms:6.2f}  {command}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(cases: list[Case], runs: int, python: str, shows: int) -> None:
    by_name = {c.name: c for c in cases}
    b, r = by_name["B"].median_ms, by_name["R"].median_ms
    print(f"hstracker benchmark: {runs} interleaved runs per command, medians; {python}")
    print(f"{'command':<30}{'median ms':>10}{'× B':>8}{'× R':>8}{'peak MB':>9}")
    for case in cases:
        ms = case.median_ms
        print(f"{case.name:<30}{ms:>10.1f}{ms / b:>8.2f}{ms / r:>8.2f}{case.peak_mb:>9.1f}")

    def ratio(a: str, over: str) -> float:
        return by_name[a].median_ms / by_name[over].median_ms

    budgets = [
        ("status [shipped] / R", ratio("status [shipped]", "R"), 2.0),
        ("cast [shipped] / R", ratio("cast [shipped]", "R"), 2.0),
        ("--version / R", ratio("--version [shipped]", "R"), 1.5),
        # a Tab press should feel instant: no slower than the dashboard
        ("complete news [shipped] / R", ratio("complete news [shipped]", "R"), 2.0),
    ]
    if "status [10k]" in by_name and shows == BUDGET_SHOWS:  # the issue sets these for 100 shows
        budgets += [
            ("status [10k] / status [shipped]", ratio("status [10k]", "status [shipped]"), 1.3),
            ("add-news [10k] / add-news [shipped]",
             ratio("add-news [10k]", "add-news [shipped]"), 1.5),
        ]  # fmt: skip
    budgets += layout_budgets(by_name)
    print("\nbudget")
    for label, value, limit in budgets:
        verdict = "ok" if value <= limit else "OVER"
        print(f"  {label:<38}{value:>6.2f}  (≤ {limit})  {verdict}")


if __name__ == "__main__":
    main()
