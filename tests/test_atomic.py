from __future__ import annotations

from pathlib import Path

import pytest

from proloevidence.atomic import open_text_atomic
from proloevidence.errors import OutputError


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
