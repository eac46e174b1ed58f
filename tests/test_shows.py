"""Many shows: list, add, use, remove, --show everywhere, and removed shipped shows stay gone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run, snapshot
from hstracker.errors import ExitCode

YR = ("shows", "add", "Young Royals", "--platform", "Netflix")


def test_list_marks_the_shipped_default(run: Run) -> None:
    data = run.json("shows", "list")
    assert [s["slug"] for s in data["shows"]] == ["heartstopper"]
    hs = data["shows"][0]
    assert hs["default"] is True and hs["shipped"] is True
    assert hs["next"] == {
        "key": "film",
        "title": "Heartstopper Forever",
        "state": "wrapped",
        "release": "2026",
        "precision": "year",
    }
    table = run("shows", "list").stdout
    assert "heartstopper" in table and "Heartstopper Forever" in table and "*" in table


def test_add_by_hand_then_list_and_use(run: Run, home: Path) -> None:
    out = run(*YR, "--source-title", "None", "--source-author", "Nobody", "--volumes", "3")
    assert "Added Young Royals as young-royals." in out.stdout
    assert (home / "shows" / "young-royals.json").is_file()
    shows = {s["slug"]: s for s in run.json("shows", "list")["shows"]}
    assert list(shows) == ["heartstopper", "young-royals"]
    yr = shows["young-royals"]
    assert yr["title"] == "Young Royals" and yr["platform"] == "Netflix"
    assert yr["source_work"] == {"title": "None", "author": "Nobody", "total": 3}
    assert yr["next"] is None and yr["default"] is False and yr["shipped"] is False
    assert "is now the default" in run("shows", "use", "young-royals").stdout
    assert run.json("status")["show"]["slug"] == "young-royals"
    assert run.json("shows", "list")["shows"][1]["default"] is True
    # --show still reaches any other show
    assert run.json("status", "--show", "heartstopper")["show"]["slug"] == "heartstopper"


def test_add_with_a_custom_slug(run: Run) -> None:
    run("shows", "add", "Red, White & Royal Blue")
    run("shows", "add", "Red, White & Royal Blue", "--slug", "rwrb")
    slugs = [s["slug"] for s in run.json("shows", "list")["shows"]]
    assert slugs == ["heartstopper", "red-white-royal-blue", "rwrb"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Shōgun", "shogun"),
        ("Amélie", "amelie"),
        ("Straße", "strasse"),
        ("Ærø, Łódź & Søren", "aero-lodz-soren"),
        ("Œuvre þórr Ðuro", "oeuvre-thorr-duro"),
        ("La Casa de Papel: Berlín", "la-casa-de-papel-berlin"),
        ("Ｆｕｌｌ-width ﬁnal", "full-width-final"),  # NFKD folds compatibility forms too
        ("Shōgun 将軍", "shogun"),  # what has no Latin spelling is dropped
        ("1899", "1899"),  # digits alone are a slug
    ],
)
def test_slugs_spell_accented_and_special_letters_in_ascii(run: Run, title: str, slug: str) -> None:
    assert f"Added {title} as {slug}." in run("shows", "add", title).stdout
    assert slug in [s["slug"] for s in run.json("shows", "list")["shows"]]
    assert run.json("seasons", "--show", slug)["show"] == slug


NO_LATIN = ["進撃の巨人", "Война и мир", "Ψυχή", "🎬🍿", "進撃の巨人 2", "—"]


def test_titles_without_latin_letters_get_stable_hashed_slugs_that_do_not_collide(
    run: Run, home: Path
) -> None:
    slugs = []
    for title in NO_LATIN:
        out = run("shows", "add", title).stdout
        slug = out.split(" as ", 1)[1].split()[0]
        assert len(slug) == len("show-") + 8 and slug.startswith("show-"), out
        assert "a hash of the title" in out and "--slug" in out  # the output names it
        slugs.append(slug)
    assert len(set(slugs)) == len(NO_LATIN)  # one slug per title, no shared fallback
    listed = {s["slug"]: s["title"] for s in run.json("shows", "list")["shows"]}
    assert [listed[s] for s in slugs] == NO_LATIN
    # stable: the same title in a fresh store gets the same slug, and here it is refused
    before = snapshot(home)
    err = run("shows", "add", NO_LATIN[0], code=ExitCode.USAGE).stderr
    assert f"a show with slug {slugs[0]!r} already exists" in err and "--slug" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(home) == before
    run("shows", "add", NO_LATIN[0], "--slug", "shingeki")
    assert "shingeki" in {s["slug"] for s in run.json("shows", "list")["shows"]}


def test_a_hashed_slug_is_the_same_in_every_store(run: Run, home: Path, tmp_path: Path) -> None:
    first = run("shows", "add", "Война и мир").stdout
    other = str(tmp_path / "other")
    again = run("--data-dir", other, "shows", "add", "Война и мир").stdout
    assert first == again


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("shows", "add", "Heartstopper"), ExitCode.USAGE, "already exists"),
        (("shows", "add", "Anything", "--slug", "heartstopper"), ExitCode.USAGE, "already exists"),
        (("shows", "add", "HEARTSTÖPPER"), ExitCode.USAGE, "Pick another with --slug"),
        (("shows", "add", "X", "--slug", "../etc"), ExitCode.USAGE, "not valid"),
        (("shows", "add", "   "), ExitCode.USAGE, "title is empty"),
        (("shows", "add", "X", "--volumes", "0"), ExitCode.USAGE, "--volumes"),
        (("shows", "add", "X", "--platform", "p" * 400), ExitCode.USAGE, "limit"),
        (("shows", "use", "nope"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("shows", "remove", "nope", "--yes"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("seasons", "--show", "nope"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("news", "--show", "nope"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("export", "--show", "nope"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("set", "film", "state", "filming", "--source", "x", "--show", "nope"), 3, "Known"),
    ],
)
def test_show_errors_are_one_line_and_change_nothing(
    run: Run, home: Path, args: tuple[str, ...], code: int, needle: str
) -> None:
    run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me")
    before = snapshot(home)
    err = run(*args, code=code).stderr.strip()
    assert err.startswith("hstracker: ") and len(err.splitlines()) == 1, err
    assert needle in err
    assert snapshot(home) == before


def test_duplicate_slug_of_a_hand_added_show(run: Run) -> None:
    run(*YR)
    err = run(*YR, code=ExitCode.USAGE).stderr
    assert "'young-royals' already exists" in err and "--slug" in err


def test_remove_without_yes_and_no_terminal_is_refused(run: Run, home: Path) -> None:
    run(*YR)
    before = snapshot(home)
    err = run("shows", "remove", "young-royals", code=ExitCode.USAGE).stderr
    assert "no terminal" in err and "--yes" in err
    assert snapshot(home) == before


def test_remove_refused_in_a_real_child_process_without_a_terminal(
    cli_subprocess: Callable[..., Any],
) -> None:
    done = cli_subprocess("shows", "remove", "heartstopper", stdin=-3)  # DEVNULL
    assert done.returncode == ExitCode.USAGE
    assert "no terminal" in done.stderr and "Traceback" not in done.stderr
    assert cli_subprocess("status", "--json").returncode == 0


def test_remove_keeps_a_backup_of_the_file(run: Run, home: Path) -> None:
    run(*YR, "--volumes", "2")
    stored = (home / "shows" / "young-royals.json").read_bytes()
    out = run("shows", "remove", "young-royals", "--yes").stdout
    assert "Removed young-royals" in out
    assert not (home / "shows" / "young-royals.json").exists()
    assert (home / "shows" / "backups" / "young-royals.json.1").read_bytes() == stored
    assert [s["slug"] for s in run.json("shows", "list")["shows"]] == ["heartstopper"]
    assert "Known shows: heartstopper" in run("status", "--show", "young-royals", code=3).stderr


def test_removed_shipped_show_stays_removed_until_added_again(
    run: Run, home: Path, cli_subprocess: Callable[..., Any]
) -> None:
    run("set", "film", "release", "2026-12-18", "--source", "Netflix")
    run(*YR)
    run("shows", "remove", "heartstopper", "--yes")
    backup = json.loads((home / "shows" / "backups" / "heartstopper.json.1").read_bytes())
    assert backup["slug"] == "heartstopper"
    assert json.loads((home / "personal.json").read_bytes())["removed_shows"] == ["heartstopper"]
    # first-run seeding in a new process does not bring the shipped copy back
    listed = cli_subprocess("shows", "list", "--json")
    assert [s["slug"] for s in json.loads(listed.stdout)["shows"]] == ["young-royals"]
    # with Heartstopper gone, the remaining show is the default
    assert run.json("status")["show"]["slug"] == "young-royals"
    assert "Known shows: young-royals" in run("cast", "--show", "heartstopper", code=3).stderr
    assert "Known shows: young-royals" in run("shows", "use", "heartstopper", code=3).stderr
    # adding it again un-removes it, as the fan's own hand-made show
    run("shows", "add", "Heartstopper", "--platform", "Netflix")
    assert json.loads((home / "personal.json").read_bytes()).get("removed_shows", []) == []
    data = run.json("seasons", "--show", "heartstopper")
    assert data["installments"] == []


def test_removing_a_shipped_show_never_written_backs_up_the_shipped_copy(
    run: Run, home: Path
) -> None:
    run("shows", "remove", "heartstopper", "--yes")
    backup = json.loads((home / "shows" / "backups" / "heartstopper.json.1").read_bytes())
    assert backup["title"] == "Heartstopper" and backup["installments"]
    assert run.json("shows", "list")["shows"] == []
    err = run("status", code=3).stderr
    assert "unknown show 'heartstopper'" in err and "Known shows: none" in err


def test_removing_the_default_show_clears_it(run: Run, home: Path) -> None:
    run(*YR)
    run("shows", "use", "young-royals")
    run("shows", "remove", "young-royals", "--yes")
    assert json.loads((home / "personal.json").read_bytes()).get("default_show") is None
    assert run.json("status")["show"]["slug"] == "heartstopper"


@pytest.mark.parametrize(("answer", "code", "kept"), [("n", 1, True), ("y", 0, False)])
def test_remove_asks_on_a_terminal(
    run: Run, home: Path, cli_subprocess: Callable[..., Any], answer: str, code: int, kept: bool
) -> None:
    import os
    import pty

    run(*YR)
    main, child = pty.openpty()
    try:
        os.write(main, f"{answer}\n".encode())
        done = cli_subprocess("shows", "remove", "young-royals", stdin=child)
    finally:
        os.close(main)
        os.close(child)
    assert done.returncode == code, done.stderr
    assert "Remove young-royals" in done.stdout
    assert (home / "shows" / "young-royals.json").exists() is kept
