"""The core commands, driven through the real CLI against the shipped Heartstopper data."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, snapshot


def test_status_names_the_film_with_its_2026_window(run: Run) -> None:
    out = run("status").stdout
    assert "Heartstopper Forever" in out
    assert "2026  (year)" in out
    assert "left in the year window" in out
    assert "Facts as of 2 Jul 2026 (4 months 22 days ago)." in out


def test_status_json_fields(run: Run) -> None:
    data = run.json("status")
    assert data["show"]["slug"] == "heartstopper"
    assert data["next"]["key"] == "film"
    assert data["next"]["title"] == "Heartstopper Forever"
    assert data["next"]["release"] == "2026"
    assert data["next"]["precision"] == "year"
    assert data["next"]["state"] == "wrapped"
    assert data["next"]["filming"]["wrap"] == "2025-07-27"
    cd = data["countdown"]
    assert cd["precision"] == "year"
    assert cd["window_end"] == "2027-01-01T08:00:00Z"  # midnight Pacific, as UTC
    assert cd["overdue"] is False
    assert 37 * 86400 < cd["seconds"] < 38 * 86400
    assert data["adaptation"]["adapted"] == [1, 2, 3, 4, 5]
    assert data["adaptation"]["published"] == [1, 2, 3, 4, 5, 6]
    assert data["adaptation"]["planned"] == {"6": "Heartstopper Forever"}
    assert [n["date"] for n in data["news"]] == ["2026-07-02", "2026-03-10", "2026-01-07"]
    assert data["facts_as_of"] == "2026-07-02"


def test_status_before_season_3_counts_down_to_the_instant(run: Run) -> None:
    data = run.json("status", HSTRACKER_NOW="2024-10-03T06:58:00+00:00")
    assert data["next"]["key"] == "s3"
    assert data["countdown"]["target"] == "2024-10-03T07:00:00Z"
    assert data["countdown"]["assumed_zone"] is None
    assert 100 <= data["countdown"]["seconds"] <= 120


def test_status_flags_a_passed_window_as_overdue(run: Run) -> None:
    data = run.json("status", HSTRACKER_NOW="2027-02-01T00:00:00+00:00")
    assert data["countdown"]["overdue"] is True
    assert "Overdue" in run("status", HSTRACKER_NOW="2027-02-01T00:00:00+00:00").stdout


def test_status_in_the_article_era_shows_the_2023_window(run: Run) -> None:
    data = run.json("status", HSTRACKER_NOW="2022-12-20T00:00:00+00:00")
    assert data["next"]["key"] == "s2"
    # the stored fact is the corrected date; the clock only decides what is out
    assert data["next"]["release"] == "2023-08-03"
    assert data["countdown"]["assumed_zone"] == "America/Los_Angeles"


def test_cast_season_2_new_lists_only_the_newcomers(run: Run) -> None:
    data = run.json("cast", "--season", "2", "--new")
    names = {m["character"] for m in data["cast"]}
    assert {"Felix", "Naomi", "Stéphane"} <= names
    returning = {m["character"] for m in run.json("cast", "--season", "2", "--returning")["cast"]}
    assert not names & returning
    assert {m["status"] for m in data["cast"]} == {"new"}
    actors = {m["character"]: m["actor"] for m in data["cast"]}
    assert actors["Stéphane"] == "Thibault de Montalembert"
    table = run("cast", "--season", "2", "--new").stdout
    assert "Naomi" in table and "Charlie" not in table and "Nick Nelson" not in table


def test_cast_returning(run: Run) -> None:
    data = run.json("cast", "--season", "s2", "--returning")
    names = {m["character"] for m in data["cast"]}
    assert {"Charlie Spring", "Nick Nelson", "Elle Argent", "Tao Xu", "Isaac Henderson"} <= names
    assert "Harry Greene" in names
    assert not names & {"Naomi", "Felix", "Stéphane"}


def test_cast_new_and_returning_together_is_refused(run: Run) -> None:
    result = run("cast", "--new", "--returning", code=2)
    assert "exclude each other" in result.stderr


def test_seasons_lists_every_installment(run: Run) -> None:
    data = run.json("seasons")
    rows = {i["key"]: i for i in data["installments"]}
    assert list(rows) == ["s1", "s2", "s3", "film"]
    assert rows["s2"]["release"] == "2023-08-03"
    assert rows["s2"]["facts"]["release"]["history"][0]["value"] == "2023"
    assert rows["s2"]["facts"]["release"]["history"][0]["source"]["name"] == (
        "the article (late 2022)"
    )
    assert rows["s3"]["release"] == "2024-10-03T00:00:00-07:00[America/Los_Angeles]"
    assert rows["s3"]["precision"] == "instant"
    assert rows["s3"]["adapts"] == [4, 5]
    assert rows["film"]["precision"] == "year"
    assert "Heartstopper Forever" in run("seasons").stdout


def test_news_timeline_includes_shipped_history(run: Run) -> None:
    data = run.json("news", "--limit", "100", "--spoilers")  # all of it, s2's casting too
    headlines = [n["headline"] for n in data["news"]]
    dates = [n["date"] for n in data["news"]]
    assert dates == sorted(dates, reverse=True)
    assert "Netflix orders Seasons 2 and 3 of Heartstopper" in headlines
    assert "Cameras roll on Season 2" in headlines
    assert "Season 2 finishes filming" in headlines
    assert "Season 2 adds Naomi, Felix and Stéphane" in headlines
    since = run.json("news", "--since", "2025-01-01")
    assert all(n["date"] >= "2025" for n in since["news"])
    s2 = run.json("news", "--season", "2")
    assert s2["news"] and {n["installment"] for n in s2["news"]} == {"s2"}


def test_add_news_then_news_shows_it_and_a_duplicate_is_refused(run: Run, home: Path) -> None:
    args = ("add-news", "Forever trailer drops", "--date", "2026-11-20", "--source", "Netflix")
    added = run(*args, "--url", "https://example.com/t", "--season", "film", "--tag", "trailer")
    assert "Added news" in added.stdout
    # --spoilers: a trailer for the unwatched film is a spoiler, and this is about what is stored
    item = run.json("news", "--spoilers")["news"][0]
    assert item["headline"] == "Forever trailer drops"
    assert item["date"] == "2026-11-20"
    assert item["source"] == "Netflix"
    assert item["url"] == "https://example.com/t"
    assert item["installment"] == "film"
    assert item["tags"] == ["trailer"]
    before = snapshot(home)
    again = run(*args, code=1)
    assert "already stored" in again.stderr
    same_url = run(
        "add-news", "Other words", "--date", "2026-11-21", "--source", "X",
        "--url", "https://example.com/t", code=1,
    )  # fmt: skip
    assert "already stored" in same_url.stderr
    assert snapshot(home) == before


def test_add_news_can_change_a_fact_and_keeps_the_old_value(run: Run) -> None:
    run(
        "add-news", "Forever gets a date", "--date", "2026-11-20", "--source", "Netflix",
        "--season", "film", "--set", "release=2026-12-18", "--confidence", "confirmed",
    )  # fmt: skip
    film = run.json("seasons")["installments"][-1]
    assert film["release"] == "2026-12-18"
    fact = film["facts"]["release"]
    assert fact["source"]["name"] == "Netflix"
    assert fact["source"]["news_id"]
    assert fact["history"][0]["value"] == "2026"
    assert fact["history"][0]["source"]["name"] == "Bleeding Cool"
    status = run.json("status")
    assert status["countdown"]["precision"] == "day"
    assert status["countdown"]["target"] == "2026-12-18T08:00:00Z"


def test_added_news_persists_in_the_data_dir_option(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    run("--data-dir", str(other), "add-news", "Hello", "--date", "2026-11-01", "--source", "Me")
    assert (other / "shows" / "heartstopper.json").is_file()
    assert run.json("--data-dir", str(other), "news")["news"][0]["headline"] == "Hello"
    assert run.json("news")["news"][0]["headline"] != "Hello"


def test_version_and_help(run: Run) -> None:
    from hstracker import __version__

    assert run("--version").stdout.strip() == f"hstracker {__version__}"
    for flag in ("-h", "--help"):
        out = run(flag).stdout
        assert "status" in out and "add-news" in out
    assert "Usage" in run(code=None).stdout


def test_status_fits_the_terminal_and_wraps_under_its_values(run: Run) -> None:
    wide = run("status", COLUMNS="60").stdout.splitlines()
    assert max(len(line) for line in wide) <= 60
    countdown = next(i for i, line in enumerate(wide) if line.startswith("Countdown  No exact"))
    assert wide[countdown + 1].startswith(" " * 11) and wide[countdown + 1].strip()
    assert not any(line.endswith(" ") for line in wide if line.startswith(("Next", "Adapted")))
    narrow = run("status", COLUMNS="28").stdout.splitlines()
    assert max(len(line) for line in narrow) <= 28
    assert narrow[narrow.index("Countdown") + 1].startswith("  No exact date yet.")
