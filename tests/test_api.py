"""The public surface and the dependency direction (STYLE.md) stay as documented."""

from __future__ import annotations

import ast
from pathlib import Path

import proloevidence

SRC = Path(proloevidence.__file__).parent


def test_all_is_sorted_and_importable() -> None:
    assert proloevidence.__all__ == sorted(proloevidence.__all__)
    for name in proloevidence.__all__:
        assert hasattr(proloevidence, name), name


def test_py_typed_ships() -> None:
    assert (SRC / "py.typed").exists()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            found.add((node.module or "").split(".")[0])
    return found


def test_nothing_imports_the_cli() -> None:
    for path in SRC.glob("*.py"):
        if path.name == "__main__.py":
            continue
        assert "cli" not in _imports(path), path.name


def test_model_imports_nothing_of_ours() -> None:
    assert _imports(SRC / "model.py") == set()


def test_every_public_name_has_a_home_the_face_imports_it_from() -> None:
    # __all__ stays a literal (ruff and mypy read it); the lazy table must name the same.
    from proloevidence import _HOMES

    assert sorted([*_HOMES, "__version__"]) == proloevidence.__all__
