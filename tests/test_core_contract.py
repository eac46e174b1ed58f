"""The core's contract: it stays pure, its one fact table drives every command, and a round
trip through export and import keeps every fact with its history."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run
from hstracker.core.facts import TABLE
from httpserver import Server

CORE = Path(__file__).parents[1] / "src" / "hstracker" / "core"
README = Path(__file__).parents[1] / "README.md"
# what the domain must never reach for: the terminal, the network, files, or the layers above
FORBIDDEN = ("typer", "rich", "click", "httpx", "feedparser", "icalendar")
FORBIDDEN_OURS = ("hstracker.cli", "hstracker.render", "hstracker.sources", "hstracker.store")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden(name: str) -> bool:
    return name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN_OURS)


@pytest.mark.parametrize("module", sorted(CORE.glob("*.py")), ids=lambda p: p.stem)
def test_no_core_module_names_a_forbidden_import(module: Path) -> None:
    # also catches imports under TYPE_CHECKING or inside functions, which a runtime probe misses
    assert not {name for name in imports_of(module) if forbidden(name)}


def test_importing_the_whole_core_loads_nothing_forbidden() -> None:
    modules = [f"hstracker.core.{p.stem}" for p in sorted(CORE.glob("*.py"))]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(modules) > 15 and "hstracker.core.facts" in loaded
    assert not [name for name in loaded if forbidden(name)]


def test_the_probe_would_see_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING: import rich.table\n")
    assert {name for name in imports_of(bad) if forbidden(name)} == {"rich.table"}


def test_the_readme_lists_the_fields_of_the_table() -> None:
    line = next(x for x in README.read_text().splitlines() if "`--set` changes a fact (" in x)
    listed = re.findall(r"`([a-z-]+)`", line.split("`--set` changes a fact (")[1].split(")")[0])
    assert listed == [field.name for field in TABLE]


def test_help_texts_list_the_fields_of_the_table(run: Run) -> None:
    for command in ("set", "add-news"):
        text = " ".join(run(command, "--help").stdout.replace("│", " ").split())
        for field in TABLE:
            assert field.name in text, (command, field.name)


# one raw value per field; a new field without a value here fails the test below
VALUES: dict[str, tuple[str, Any]] = {
    "state": ("Wrapped", "wrapped"),
    "release": ("2027-02", "2027-02"),
    "episodes": ("9", 9),
    "trailer": ("https://example.com/trailer", "https://example.com/trailer"),
    "adapts": ("5-6", [5, 6]),
    "draws-on": ("Nick and Charlie; This Winter", ["Nick and Charlie", "This Winter"]),
    "channel": ("Netflix", "Netflix"),
    "filming-start": ("2025-06-09", "2025-06-09"),
    "filming-wrap": ("2025-07", "2025-07"),
    "filming-place": ("Kent", "Kent"),
}


def installment(run: Run, key: str) -> dict[str, Any]:
    views = run.json("seasons")["installments"]
    found: dict[str, Any] = next(view for view in views if view["key"] == key)
    return found


def test_every_field_of_the_table_goes_through_set_and_back_through_seasons(run: Run) -> None:
    assert set(VALUES) == {field.name for field in TABLE}
    for field in TABLE:
        raw, shown = VALUES[field.name]
        run("set", "film", field.name, raw, "--source", f"Tester {field.name}")
        fact = installment(run, "film")["facts"][field.name]
        assert fact["value"] == shown, field.name
        assert fact["source"]["name"] == f"Tester {field.name}"
        assert fact["source"]["confidence"] == "reported"


@pytest.mark.parametrize("spelling", ["Confirmed", "CONFIRMED", " confirmed "])
def test_confidence_is_read_the_same_way_by_set_and_add_news(run: Run, spelling: str) -> None:
    run("set", "film", "episodes", "3", "--source", "Netflix", "--confidence", spelling)
    run("add-news", "Dated", "--date", "2026-11-20", "--source", "Netflix",
        "--confidence", spelling, "--season", "film", "--set", "release=2027-01-05")  # fmt: skip
    facts = installment(run, "film")["facts"]
    assert facts["episodes"]["source"]["confidence"] == "confirmed"
    assert facts["release"]["source"]["confidence"] == "confirmed"
    news = run.json("news", "--limit", "1000", "--spoilers")["news"]  # untagged: guarded
    assert next(item for item in news if item["headline"] == "Dated")["confidence"] == "confirmed"


def test_a_wrong_confidence_gets_the_same_line_from_both(run: Run) -> None:
    one = run("set", "film", "episodes", "3", "--source", "N", "--confidence", "sure", code=2)
    two = run("add-news", "X", "--date", "2026-11-20", "--source", "N", "--confidence", "sure",
              code=2)  # fmt: skip
    assert one.stderr == two.stderr
    assert len(one.stderr.strip().splitlines()) == 1
    assert "confirmed, reported, rumour" in one.stderr


def every_fact(run: Run, **env: str) -> dict[str, Any]:
    """Every installment's every fact, with source and history, keyed by installment."""
    return {view["key"]: view["facts"] for view in run.json("seasons", **env)["installments"]}


EDITS = st.lists(
    st.tuples(st.sampled_from(["s1", "s2", "s3", "film"]), st.sampled_from(sorted(VALUES))),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_sync_set_export_import_keeps_every_fact_with_its_history(
    edits: list[tuple[str, str]], run: Run, tvmaze: Server, tmp_path_factory: Any
) -> None:
    mine = str(tmp_path_factory.mktemp("mine"))
    fresh = str(tmp_path_factory.mktemp("fresh"))
    run("sync", "--source", "tvmaze", HSTRACKER_HOME=mine)
    for ref, name in edits:
        run("set", ref, name, VALUES[name][0], "--source", "A fan", HSTRACKER_HOME=mine)
    before = every_fact(run, HSTRACKER_HOME=mine)
    # the synced channel is the fact the old import forgot
    assert any(facts["channel"] for facts in before.values())
    document = tmp_path_factory.mktemp("out") / "show.json"
    run("export", "--output", str(document), HSTRACKER_HOME=mine)
    run("import", str(document), HSTRACKER_HOME=fresh)
    assert every_fact(run, HSTRACKER_HOME=fresh) == before
    assert json.loads(document.read_bytes())  # the document itself is plain JSON


SRC = CORE.parent


def test_every_module_opens_with_a_one_line_docstring() -> None:
    for path in SRC.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, path
        assert "\n" not in doc.split("\n\n")[0], f"{path}: the first paragraph is one line"


def test_the_readme_architecture_has_one_line_per_module() -> None:
    text = README.read_text(encoding="utf-8")
    tree = text.split("## Architecture", 1)[1].split("```")[1]
    listed: set[str] = set()
    folder = ""
    for line in tree.splitlines():
        name = line.strip().split(" ", 1)[0]
        if name.endswith("/") and line.startswith("  ") and not line.startswith("    "):
            folder = name
        elif name.endswith(".py"):
            listed.add((folder if line.startswith("    ") else "") + name)
    modules = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if p.name != "__init__.py"}
    modules |= {p.name for p in SRC.glob("__init__.py")}
    assert listed == modules


def _bounds() -> dict[str, str]:
    """Each bound the code keeps, as the README must state it, keyed by where it lives."""
    from hstracker.core import facts, feeds, installments, model, validate
    from hstracker.sources import http, openlibrary
    from hstracker.store import documents, files

    def n(value: float) -> str:
        return f"{int(value):,}"

    return {
        "validate.MAX_LINE": f"up to {validate.MAX_LINE} characters",
        "validate.MAX_BODY": f"a body {n(validate.MAX_BODY)}",
        "validate.MAX_URL": f"a URL {n(validate.MAX_URL)}",
        "validate.MAX_TAGS": f"up to {validate.MAX_TAGS} slugs",
        "installments.MAX_NUMBER": f"runs 1 to {installments.MAX_NUMBER}",
        "facts.MAX_VOLUME": f"a volume 1 to {facts.MAX_VOLUME}",
        "facts.MAX_EPISODES": f"episode count 1 to {facts.MAX_EPISODES}",
        "feeds.MAX_MATCH": f"up to {feeds.MAX_MATCH} match words",
        "files.MAX_FILE_BYTES": f"at most {files.MAX_FILE_BYTES >> 20} MiB",
        "model.MAX_UNITS": f"up to {n(model.MAX_UNITS)} installments and {n(model.MAX_UNITS)}",
        "model.MAX_CAST": f"{n(model.MAX_CAST)} cast members",
        "model.MAX_NEWS": f"{n(model.MAX_NEWS)} news items",
        "model.MAX_FEEDS": f"{n(model.MAX_FEEDS)} feeds",
        "model.MAX_NUMBER": f"runs 0 to {n(model.MAX_NUMBER)}",
        "model.MAX_NOTES": f"up to {n(model.MAX_NOTES)} earlier",
        "model.MAX_SMALL": f"up to {model.MAX_SMALL} tags",
        "model.MAX_SEEN": f"up to {n(model.MAX_SEEN)} guids",
        "feeds.MAX_SEEN": f"newest {n(feeds.MAX_SEEN)}",
        "model.MAX_MARKS": f"up to {n(model.MAX_MARKS)} watched",
        "documents.MAX_BYTES": f"at most {n(documents.MAX_BYTES)} bytes",
        "documents.MAX_DEPTH": f"{documents.MAX_DEPTH} levels deep",
        "http.CONNECT_TIMEOUT": f"a {n(http.CONNECT_TIMEOUT)} s connect",
        "http.READ_TIMEOUT": f"{n(http.READ_TIMEOUT)} s read timeout",
        "http.DEFAULT_DEADLINE": f"request, headers included: {n(http.DEFAULT_DEADLINE)} s",
        "http.DEFAULT_MAX_BYTES": f"at most {http.DEFAULT_MAX_BYTES >> 20} MiB received and "
        f"{http.DEFAULT_MAX_BYTES >> 20} MiB once decoded",
        "http.MAX_ENCODINGS": f"at most {http.MAX_ENCODINGS} content encodings",
        "http.MAX_REDIRECTS": f"at most {http.MAX_REDIRECTS} redirects",
        "openlibrary.MAX_EDITIONS": f"at most {openlibrary.MAX_EDITIONS} book",
    }


@pytest.mark.parametrize("where", list(_bounds()))
def test_the_readme_states_each_bound_the_code_keeps(where: str) -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Keeping your data safe") :]
    section = " ".join(section[: section.index("\n## ")].split())  # as wrapping cannot matter
    assert _bounds()[where] in section, f"{where}: README does not say {_bounds()[where]!r}"
