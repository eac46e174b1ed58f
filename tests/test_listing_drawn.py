"""A listing whose one-line cells all fit is drawn directly: exactly the table Rich would draw."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from hstracker.render.tables import Listing

Line = list[tuple[str, Style | None]]
STYLES = ["", "bold", "dim", "green", "bold red", "italic cyan"]
# letters, wide CJK, accents and emoji, never a newline or a tab (those go to Rich's table)
TEXT = st.text(st.sampled_from([*"abcXYZ *-.:/0123", "進", "撃", "é", "ō", "🎬", "━"]), max_size=14)


def drawn(renderable: RenderableType, width: int, **console: object) -> list[Line]:
    """The lines as (text, style) runs, merged where the style is the same, so that two ways
    of cutting the same output into segments compare equal."""
    out = Console(file=io.StringIO(), width=width, **console)  # type: ignore[arg-type]
    lines = out.render_lines(renderable, out.options, pad=False, new_lines=False)
    return [
        [
            (seg.text, seg.style)
            for seg in Segment.simplify(Segment(s.text, s.style or Style()) for s in line)
            if seg.text
        ]
        for line in lines
    ]


def listing(rows: list[list[tuple[str, str]]], caption: str | None = None) -> Listing:
    table = Listing(Text("Shows: a title"), caption=caption)
    table.column("", no_wrap=True)
    table.column("Slug", no_wrap=True, style="bold")
    table.column("Eps", justify="right", no_wrap=True)
    table.column("Title")
    table.column("Note", style="dim")
    for row in rows:
        table.row(*(Text(text, style=style) for text, style in row))
    return table


CONSOLES = [
    {"force_terminal": True, "color_system": "truecolor"},
    {"force_terminal": False},
    {"force_terminal": True, "color_system": "standard", "safe_box": True},
    {"force_terminal": True, "legacy_windows": False, "emoji": False},
]


@pytest.mark.parametrize("console", CONSOLES)
@pytest.mark.parametrize("caption", [None, "3 of 5 items"])
def test_the_drawn_table_is_rich_s_table(console: dict[str, object], caption: str | None) -> None:
    table = listing(
        [
            [("*", ""), ("heart", "green"), ("8", ""), ("Heartstopper 進撃", "red"), ("", "")],
            [("", ""), ("a-longer-slug", ""), ("12", "bold"), ("Shōgun", ""), ("x", "italic")],
        ],
        caption,
    )
    assert drawn(table, 100, **console) == drawn(table.table(), 100, **console)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(TEXT, st.sampled_from(STYLES)), min_size=5, max_size=5),
        min_size=0,
        max_size=6,
    )
)
def test_any_one_line_cells_draw_as_rich_draws_them(rows: list[list[tuple[str, str]]]) -> None:
    table = listing(rows)
    assert drawn(table, 200, force_terminal=True) == drawn(table.table(), 200, force_terminal=True)


def test_a_cell_with_a_newline_or_a_listing_that_does_not_fit_still_goes_to_rich() -> None:
    two_lines = listing([[("*", ""), ("a", ""), ("1", ""), ("first\nsecond", ""), ("", "")]])
    assert drawn(two_lines, 100) == drawn(two_lines.table(), 100)
    wide = listing([[("*", ""), ("a" * 30, ""), ("1", ""), ("word " * 12, ""), ("", "")]])
    narrow = drawn(wide, 60)
    assert max(sum(len(text) for text, _ in line) for line in narrow) <= 60
    assert any("word" in text for line in narrow for text, _ in line)
