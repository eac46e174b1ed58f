"""Hostile text from the command line or a hand-edited store never reaches the terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run
from hstracker.core import validate

MARKUP = "[link=https://evil.example]x[/link] [/bold] :smile:"
HOSTILE = [
    "\x1b[31mCSI red\x1b[0m and \x1b[2J clear",
    "\x1b]0;OSC title\x07 set",
    "\x1b]8;;https://evil.example\x1b\\OSC 8 link\x1b]8;;\x1b\\ here",
    "\x9b31mC1 CSI\x9b0m",
    "\x9d8;;https://evil.example\x9cC1 OSC 8\x9d8;;\x9c",
    "bell\x07\x07 ringing",
    "\x1bP+q544e\x1b\\ DCS query",
    "del\x7f and \x85 NEL and \r carriage return",
    MARKUP,
    "[bold red]markup[/] :thumbs_up: [/] \\[escaped]",
]
SGR = re.compile(rb"\x1b\[[0-9;]*m")  # colour codes are the only escapes we emit


def _assert_terminal_safe(raw: bytes) -> str:
    """No control bytes but colour: no ESC ], no C1 CSI (raw or UTF-8), no BEL, no DCS."""
    for bad in (b"\x1b]", b"\x9b", b"\xc2\x9b", b"\xc2\x9d", b"\x07", b"\x1bP", b"\r", b"\x7f"):
        assert bad not in raw, (bad, raw)
    plain = SGR.sub(b"", raw)
    assert b"\x1b" not in plain
    assert "😄" not in plain.decode() and "👍" not in plain.decode()
    return plain.decode()


def _cli(*args: str) -> bytes:
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "300"}
    done = subprocess.run(
        [sys.executable, "-m", "hstracker", *args],
        capture_output=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    return done.stdout


def test_hostile_strings_clean_to_what_the_rule_says() -> None:
    cleaned = [validate.clean_line(s) for s in HOSTILE]
    assert cleaned[0] == "[31mCSI red[0m and [2J clear"
    assert cleaned[3] == "31mC1 CSI0m"
    assert cleaned[7] == "del and NEL and carriage return"
    assert cleaned[8] == MARKUP


def test_hostile_text_from_the_command_line(run: Run, home: Path) -> None:
    for i, hostile in enumerate(HOSTILE):
        result = run(
            "add-news", hostile, "--date", f"2026-10-{i + 1:02d}",
            "--source", hostile, "--body", f"{hostile}\nline two", FORCE_COLOR="1",
        )  # fmt: skip
        _assert_terminal_safe(result.stdout_bytes)
    stored = run.json("news", "--since", "2026-10-01")["news"]
    assert sorted(item["headline"] for item in stored) == sorted(
        validate.clean_line(s) for s in HOSTILE
    )
    assert all(item["body"].endswith("\nline two") for item in stored)
    raw = (home / "shows" / "heartstopper.json").read_bytes()
    assert not re.search(rb"\\u00[01][0-9a-f]|\\u00[89][0-9a-f]|\\u007f", raw)
    for command in (("news", "--since", "2026-10-01"), ("status",)):
        plain = _assert_terminal_safe(_cli(*command))
        assert MARKUP in plain  # printed literally, not as a link or style
    # the stored echo of add-news, from a child process too
    plain = _assert_terminal_safe(
        _cli("add-news", HOSTILE[2] + " again", "--date", "2026-06-01", "--source", MARKUP)
    )
    assert MARKUP in plain


def _edit_on_disk(home: Path, run: Run) -> Path:
    run("add-news", "placeholder", "--date", "2026-05-01", "--source", "placeholder")
    path = home / "shows" / "heartstopper.json"
    doc = json.loads(path.read_bytes())
    # the newest item lives in the newest news part
    part = home / "shows" / "heartstopper.news" / doc["parts"][-1]["file"]
    news = json.loads(part.read_bytes())
    hostile = "\x00NUL " + " | ".join(HOSTILE)
    news["news"][-1]["headline"] = hostile
    news["news"][-1]["source"] = MARKUP + "\x1b]8;;https://evil.example\x07"
    news["news"][-1]["body"] = hostile
    part.write_bytes(json.dumps(news, ensure_ascii=False).encode())
    # a hand edit of a part must also drop its digest, or the part reads as damaged
    del doc["parts"][-1]["digest"]
    doc["title"] = "\x1b]0;owned\x07Heartstopper [bold]"
    doc["source_work"]["unit_name"] = "[blink]volume\x9b"
    doc["cast"][0]["character"] = "\x9b2J" + MARKUP
    doc["cast"][0]["actor"] = "\x1b[5mactor\u0085"
    # json.dumps escapes C0 as \u00XX but writes C1 and DEL raw (as UTF-8): both paths are tried
    path.write_bytes(json.dumps(doc, ensure_ascii=False).encode())
    assert b"\\u001b" in path.read_bytes() and b"\xc2\x9b" in path.read_bytes()
    return path


def test_hostile_text_edited_into_the_store(run: Run, home: Path) -> None:
    _edit_on_disk(home, run)
    for command in (("news",), ("status",), ("cast", "--season", "1"), ("seasons",)):
        plain = _assert_terminal_safe(_cli(*command))
        assert MARKUP in plain or command == ("seasons",)
    assert "[blink]volumes" in _assert_terminal_safe(_cli("seasons"))
    dumped = run("news", "--json").stdout
    assert "\\u001b" not in dumped and "\\u0000" not in dumped and "\x9b" not in dumped
    news = json.loads(dumped)["news"]
    assert news[0]["source"] == MARKUP + "]8;;https://evil.example"


def _stored_bytes(home: Path) -> bytes:
    """The show's head and every news part it lists (older parts stay for its backups)."""
    head = home / "shows" / "heartstopper.json"
    parts = [p["file"] for p in json.loads(head.read_bytes())["parts"]]
    folder = home / "shows" / "heartstopper.news"
    return b"".join([head.read_bytes(), *((folder / name).read_bytes() for name in parts)])


def test_store_text_is_cleaned_once_when_loaded(run: Run, home: Path) -> None:
    from hstracker.store import Store

    _edit_on_disk(home, run)
    show = Store(home).show("heartstopper")
    strings = [show.title, show.source_work.unit_name, show.cast[0].character, show.cast[0].actor]
    strings += [show.news[-1].headline, show.news[-1].source, show.news[-1].body or ""]
    for value in strings:
        assert value == validate.clean(value)
    assert show.cast[0].actor == "[5mactor"
    # the next write stores the cleaned text
    run("add-news", "after", "--date", "2026-05-02", "--source", "x")
    raw = _stored_bytes(home)
    assert b"\\u001b" not in raw and b"\xc2\x9b" not in raw and b"\\u0000" not in raw


@pytest.mark.parametrize("hostile", HOSTILE)
def test_errors_never_echo_control_characters(run: Run, hostile: str) -> None:
    result = run("add-news", "x", "--date", hostile, "--source", "y", code=2, FORCE_COLOR="1")
    _assert_terminal_safe(result.stderr_bytes)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"a": "plain text, caf\xc3\xa9 \xc2\xb7 \\"quoted\\" \\n"}', False),
        (b'{"a": "\\u001b[31m"}', True),  # ESC, escaped
        (b'{"a": "\\u009b31m"}', True),  # C1 CSI, escaped
        (b'{"a": "\\u007f"}', True),  # DEL, escaped
        (b'{"a": "del \x7f"}', True),  # DEL, raw
        (b'{"a": "\xc2\x9b31m"}', True),  # C1 CSI, raw UTF-8
        (b'{"a": "\xc2\x85 NEL"}', True),  # C1 NEL, raw UTF-8
    ],
)
def test_the_cheap_check_finds_every_way_a_control_character_arrives(
    raw: bytes, expected: bool
) -> None:
    from hstracker.store.scrub import suspect

    assert suspect(raw) is expected
