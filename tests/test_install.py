"""The installed entry points: the console script, python -m, and the packaged data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import NOW


def _script() -> str:
    found = shutil.which("hstracker", path=str(Path(sys.executable).parent))
    assert found, "the hstracker console script is not installed next to this python"
    return found


def test_console_script_runs_status_from_any_directory(tmp_path: Path) -> None:
    env = {**os.environ, "HSTRACKER_NOW": NOW}
    result = subprocess.run(
        [_script(), "status"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Heartstopper Forever" in result.stdout


def test_python_dash_m_and_exit_codes(cli_subprocess) -> None:  # type: ignore[no-untyped-def]
    ok = cli_subprocess("--version")
    assert ok.returncode == 0 and ok.stdout.startswith("hstracker ")
    bad = cli_subprocess("status", "--show", "nope")
    assert bad.returncode == 3
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_shipped_data_is_read_through_importlib_resources() -> None:
    from hstracker.paths import shipped_dir

    assert (shipped_dir() / "heartstopper.json").is_file()


def test_shipped_data_is_read_through_importlib_resources_from_a_zip(tmp_path: Path) -> None:
    # zipped, there is no folder to open by path: only importlib.resources can reach the data
    import zipfile

    import hstracker
    from hstracker.paths import shipped_dir

    package = Path(hstracker.__file__).parent
    archive = tmp_path / "hstracker.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for source in package.rglob("*.py"):
            zf.write(source, f"hstracker/{source.relative_to(package)}")
        shipped = (shipped_dir() / "heartstopper.json").read_bytes()
        zf.writestr("hstracker/data/heartstopper.json", shipped)
    env = {**os.environ, "HSTRACKER_NOW": NOW, "PYTHONPATH": str(archive)}
    probe = "import hstracker.paths as p; print(p.__file__, type(p.shipped_dir()).__module__)"
    where = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=60, check=True,
    ).stdout.split()  # fmt: skip
    assert where[0] == str(archive / "hstracker" / "paths.py"), where
    assert where[1].startswith("zipfile"), where  # a zipfile.Path from importlib.resources
    result = subprocess.run(
        [sys.executable, "-m", "hstracker", "status"], capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Heartstopper Forever" in result.stdout


def test_output_into_a_closed_pipe_ends_quietly(home: Path) -> None:
    from datetime import UTC, datetime

    from hstracker.core.dates import PartialDate
    from hstracker.core.model import NewsItem
    from hstracker.store import Store

    store = Store(home)
    with store.transaction() as tx:
        show = tx.show("heartstopper")
        added = datetime(2026, 1, 1, tzinfo=UTC)
        day = PartialDate.parse("2026-01-01")
        show.news += [
            NewsItem(id=f"bulk{i}", date=day, headline=f"Bulk item {i} " + "x" * 80,
                     source="test", added=added)
            for i in range(2000)
        ]  # fmt: skip
        tx.put_show(show)
    env = {**os.environ, "HSTRACKER_NOW": NOW}
    producer = subprocess.Popen(  # > 200 KB of JSON: far more than a pipe buffer holds
        [sys.executable, "-m", "hstracker", "news", "--json", "--limit", "2000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert producer.stdout is not None
    producer.stdout.read(10)
    producer.stdout.close()  # like `| head -c 10`
    _, err = producer.communicate(timeout=60)
    assert producer.returncode == 0
    assert b"Traceback" not in err and b"Error" not in err


def test_the_launcher_runs_the_command_with_the_collector_on() -> None:
    # start-up objects are frozen out of the collector's scans, but the command itself (which
    # may be `countdown --watch`, running for hours) must still have cyclic garbage collected
    probe = (
        "import gc, hstracker.cli.app\n"
        "seen = []\n"
        "hstracker.cli.app.main = lambda: seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "from hstracker.__main__ import main\n"
        "main()\n"
        "print(seen[0][0], seen[0][1] > 1000, gc.isenabled())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["True", "True", "True"]


def test_a_dashboard_run_scans_its_own_start_up_objects_only_a_few_times(home: Path) -> None:
    # the command's own imports (msgspec, the store, Rich) live for the whole run: at Python's
    # default threshold the collector scanned them ~19 times; the launcher's threshold keeps
    # that to a few, and a long run (countdown --watch) still collects
    probe = (
        "import gc, sys\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and seen.append(1))\n"
        "sys.argv = ['hstracker', 'status']\n"
        "from hstracker.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(len(seen), gc.isenabled(), file=sys.stderr)\n"
    )
    env = {**os.environ, "HSTRACKER_NOW": NOW, "HSTRACKER_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60,
        check=True,
    )  # fmt: skip
    assert "Heartstopper Forever" in result.stdout  # the probe saw a real dashboard
    collections, enabled = result.stderr.split()
    assert int(collections) <= 5 and enabled == "True", result.stderr


def test_the_console_script_enters_through_the_launcher() -> None:
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="hstracker")
    assert script.value == "hstracker.__main__:main"
