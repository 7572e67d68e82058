"""Atomic writes: a killed writer leaves the old file or the new one, never part of either.

The kill tests run tests/atomic_writer.py in a subprocess, which announces each step of
``write_bytes_atomic`` (temporary file made, half written, fsync, rename, backup) and can
pause at any of them; the test kills it there with SIGKILL and reads what is left.
"""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proloevidence.atomic import open_text_atomic, write_bytes_atomic, write_text_atomic
from proloevidence.errors import OutputError

from .atomic_writer import new_content
from .privileges import unprivileged

HELPER = Path(__file__).with_name("atomic_writer.py")
OLD = new_content(0)
NEW = new_content(1)
OLDER = b"the backup from an earlier run\n"
NAME = "report.json"
TEMP = re.compile(rf"^\.{re.escape(NAME)}\..+\.tmp$")


def start(target: Path, mode: str, pause_at: str, backup: bool) -> subprocess.Popen[str]:
    args = [sys.executable, str(HELPER), str(target), mode, pause_at]
    return subprocess.Popen(
        [*args, "backup"] if backup else args, stdout=subprocess.PIPE, text=True
    )


def read_until(proc: subprocess.Popen[str], last: str) -> list[str]:
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.strip())
        if lines[-1] == last:
            return lines
    raise AssertionError(f"the writer ended before {last!r}: {lines}")


def finish(proc: subprocess.Popen[str]) -> int:
    proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()
    return proc.returncode


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    assert finish(proc) == -signal.SIGKILL


def fresh(folder: Path, backup: bool) -> Path:
    folder.mkdir()
    target = folder / NAME
    target.write_bytes(OLD)
    if backup:
        (folder / f"{NAME}.bak").write_bytes(OLDER)
    return target


def visible(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("backup", [False, True], ids=["plain", "with-backup"])
def test_killed_at_every_step_leaves_the_old_file_or_the_new(tmp_path: Path, backup: bool) -> None:
    probe = start(fresh(tmp_path / "probe", backup), "steps", "-", backup)
    steps = read_until(probe, "done")[:-1]
    finish(probe)
    assert {"after-mkstemp", "mid-write", "before-fsync", "before-replace"} <= set(steps)
    assert ("mid-backup" in steps) is backup
    # The new content is in place from the rename of the file itself (the last rename).
    renamed = max(i for i, step in enumerate(steps) if step.startswith("after-replace"))

    for i, step in enumerate(steps):
        folder = tmp_path / f"kill-{i}"
        target = fresh(folder, backup)
        proc = start(target, "steps", step, backup)
        read_until(proc, "paused")
        kill(proc)

        assert target.read_bytes() == (NEW if i >= renamed else OLD), f"killed at {step}"
        assert visible(folder) == ({NAME, f"{NAME}.bak"} if backup else {NAME})
        if backup:
            assert (folder / f"{NAME}.bak").read_bytes() in (OLDER, OLD), f"killed at {step}"
        # What a kill leaves behind is hidden and never under the target's name.
        leftovers = {p.name for p in folder.iterdir()} - visible(folder)
        assert all(TEMP.match(name) for name in leftovers), leftovers


def test_the_harness_sees_a_torn_write_by_a_naive_writer(tmp_path: Path) -> None:
    # Without this, the test above could pass because kills never land mid-write.
    target = fresh(tmp_path / "naive", backup=False)
    proc = start(target, "naive", "mid-write", backup=False)
    read_until(proc, "paused")
    kill(proc)
    assert target.read_bytes() not in (OLD, NEW)
    assert len(target.read_bytes()) == len(NEW) // 2


def whole_generation(data: bytes) -> bool:
    match = re.match(rb"generation (\d+)\n", data)
    return match is not None and data == new_content(int(match.group(1)))


@pytest.mark.parametrize("backup", [False, True], ids=["plain", "with-backup"])
def test_killed_after_random_delays_leaves_whole_files(tmp_path: Path, backup: bool) -> None:
    # A writer that rewrites a 8 MiB file in a loop, killed at random moments: at least 8
    # kills, and more (up to 24, within 60 s) until one has landed mid-write, so a fast or a
    # loaded machine cannot make the test toothless by chance. Seeded, so CI is repeatable.
    rng = random.Random(8)
    folder = tmp_path / "loop"
    target = fresh(folder, backup)
    deadline = time.monotonic() + 60
    torn_temporaries = 0
    for kills in range(1, 25):
        before = set(folder.iterdir())
        proc = start(target, "loop", "-", backup)
        read_until(proc, "ready")
        time.sleep(rng.uniform(0.0, 0.25))
        kill(proc)
        torn_temporaries += len(set(folder.iterdir()) - before - {folder / f"{NAME}.bak"})
        assert whole_generation(target.read_bytes())
        if backup:
            bak = (folder / f"{NAME}.bak").read_bytes()
            assert bak == OLDER or whole_generation(bak)
        assert visible(folder) == ({NAME, f"{NAME}.bak"} if backup else {NAME})
        if (kills >= 8 and torn_temporaries) or time.monotonic() > deadline:
            break
    # Kills did land mid-write (each leaves a hidden temporary file), so the test has teeth.
    assert torn_temporaries >= 1


def test_a_read_only_folder_gives_output_error_and_keeps_the_old_file(shared_dir: Path) -> None:
    folder = shared_dir / "read-only"
    folder.mkdir()
    target = folder / NAME
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o644)
    os.chmod(folder, 0o555)
    with unprivileged(), pytest.raises(OutputError) as caught:
        write_text_atomic(target, "new\n", backup=True)
    assert str(target) in str(caught.value)
    assert "Permission denied" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in folder.iterdir()) == [NAME]


def test_the_same_user_can_write_a_writable_folder(shared_dir: Path) -> None:
    # The control for the test above: the refusal comes from the folder, not from the user.
    folder = shared_dir / "writable"
    folder.mkdir()
    os.chmod(folder, 0o777)
    with unprivileged():
        write_text_atomic(folder / NAME, "new\n")
    assert (folder / NAME).read_text(encoding="utf-8") == "new\n"


def test_a_folder_in_the_way_gives_output_error(tmp_path: Path) -> None:
    (tmp_path / NAME).mkdir()
    with pytest.raises(OutputError, match=re.escape(str(tmp_path / NAME))):
        write_bytes_atomic(tmp_path / NAME, b"x")
    assert [p.name for p in tmp_path.iterdir()] == [NAME]  # no temporary file left


def test_backup_keeps_the_previous_content(tmp_path: Path) -> None:
    target = tmp_path / "references.bib"
    target.write_text("first\n", encoding="utf-8")
    write_text_atomic(target, "second\n", backup=True)
    write_text_atomic(target, "third\n", backup=True)
    assert target.read_text(encoding="utf-8") == "third\n"
    assert (tmp_path / "references.bib.bak").read_text(encoding="utf-8") == "second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["references.bib", "references.bib.bak"]


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    old_mask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "new.md", "x")
        kept = tmp_path / "kept.md"
        kept.write_text("x", encoding="utf-8")
        os.chmod(kept, 0o640)
        write_text_atomic(kept, "y")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


# -- open_text_atomic: files streamed in pieces (the Neo4j CSV export) --------------------------
def test_streamed_file_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.csv"
    with open_text_atomic(target) as handle:
        handle.write("a,b\r\n")
        assert not target.exists()  # nothing at the path until the block ends
        handle.write("é\n")
    assert target.read_bytes() == "a,b\r\né\n".encode()
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]


def test_a_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), open_text_atomic(target) as handle:
        handle.write("half")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_unwritable_place_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="file"), open_text_atomic(tmp_path / "file" / "a"):
        pass
