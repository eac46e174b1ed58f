"""The store a newcomer can read: one front door, no import loops, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hstracker

SRC = Path(hstracker.__file__).parent
STORE = SRC / "store"
MODULES = {p.stem: p for p in STORE.glob("*.py") if p.stem != "__init__"}


def _typing_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """Every import run at some point (module level or inside a function), as (module,
    names); imports only a type checker reads are left out."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _typing_only(node):
            for other in node.orelse:
                visit(other)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _store_edges(path: Path) -> set[str]:
    """The store modules path imports ("__init__" for the package itself)."""
    edges: set[str] = set()
    for module, names in _imports(ast.parse(path.read_text())):
        if module == "hstracker.store":
            edges.update(name if name in MODULES else "__init__" for name in names)
        elif module.startswith("hstracker.store."):
            edges.add(module.removeprefix("hstracker.store.").split(".")[0])
    return edges


def test_the_store_has_no_import_loops_counting_function_local_imports() -> None:
    graph = {name: _store_edges(path) for name, path in MODULES.items()}
    graph["__init__"] = _store_edges(STORE / "__init__.py")
    for name, edges in graph.items():
        if name != "__init__":
            assert "__init__" not in edges, f"store/{name}.py imports the front door"
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                loop = " -> ".join([*trail[trail.index(nxt) :], nxt])
                pytest.fail(f"an import loop in store/: {loop}")
            if nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])


def test_a_loop_is_found_by_the_check() -> None:
    """The check itself can fail: a function-local import back into a module is a loop."""
    tree = ast.parse("def f():\n    from hstracker.store import folder\n")
    assert ("hstracker.store", ["folder"]) in _imports(tree)
    typing = ast.parse("if TYPE_CHECKING:\n    from hstracker.store.folder import Store\n")
    assert _imports(typing) == []


@pytest.mark.parametrize("layer", ["cli", "render"])
def test_other_layers_use_only_the_front_door(layer: str) -> None:
    for path in sorted((SRC / layer).glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("hstracker.store."), (path.name, node.module)
                if node.module == "hstracker.store":
                    below = [a.name for a in node.names if a.name in MODULES]
                    assert not below, (path.name, below)


@pytest.mark.parametrize("name", sorted([*MODULES, "__init__"]))
def test_every_store_module_is_small_and_says_its_job(name: str) -> None:
    path = STORE / f"{name}.py"
    text = path.read_text()
    assert len(text.splitlines()) <= 460, f"store/{name}.py is {len(text.splitlines())} lines"
    assert ast.get_docstring(ast.parse(text)), f"store/{name}.py has no docstring"


def test_part_keys_and_spoiler_shapes_are_typed_and_read_back_whole() -> None:
    from datetime import UTC, datetime

    from hstracker.core.dates import PartialDate
    from hstracker.core.model import NewsItem
    from hstracker.store.layout import PartKey, Shape

    for key in ("2024", "2024-03", "2024-00"):
        typed = PartKey.of(key)
        assert str(typed) == key and isinstance(typed.year, int)
    assert PartKey.of("2024-03") == PartKey(2024, 3, True)
    assert PartKey.of("2024") == PartKey(2024)
    added = datetime(2026, 1, 1, tzinfo=UTC)
    for installment, tags in ((None, []), ("s3", ["spoiler", "casting"]), ("film", ["a"])):
        item = NewsItem(id="x", date=PartialDate(2026), headline="h", source="s",
                        installment=installment, tags=tags, added=added)  # fmt: skip
        shape = Shape.of(item)
        assert Shape.of_key(str(shape)) == shape
        assert shape.installment == installment and list(shape.tags) == sorted(tags)
