"""The public surface and the dependency direction (STYLE.md) stay as documented."""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

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


# -- docs/api.md and the code agree ----------------------------------------------------------

API_DOC = (SRC.parent.parent / "docs" / "api.md").read_text(encoding="utf-8")


def _table_rows(heading_cell: str) -> list[list[str]]:
    """The body rows of the docs/api.md table whose header starts with ``heading_cell``."""
    rows: list[list[str]] = []
    inside = False
    for line in API_DOC.splitlines():
        if line.startswith(f"| {heading_cell} |"):
            inside = True
        elif inside and line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
        elif inside and not line.startswith("|"):
            break
    assert rows, heading_cell
    return rows


def test_every_public_name_is_documented_in_api_md() -> None:
    # The exception tree: its root, and a line per subclass.
    tree = "\n".join(
        line for line in API_DOC.splitlines() if "──" in line or line == "ProloevidenceError"
    )
    undocumented = [
        name
        for name in proloevidence.__all__
        if not re.search(rf"`(proloevidence\.)?{re.escape(name)}[`(]", API_DOC)
        and not re.search(rf"\b{re.escape(name)}\b", tree)
    ]
    assert undocumented == []


def _resolve(dotted: str, module: ModuleType, kb: object) -> tuple[object, ModuleType]:
    """The object a documented name stands for, and the module later bare names are in."""
    head, _, rest = dotted.partition(".")
    if head == "kb" and rest:
        return getattr(kb, rest), module
    if head == "resolver" and rest:
        return getattr(proloevidence.Resolver, rest), module
    if head == "proloevidence" and rest:
        path, _, name = dotted.rpartition(".")
        home = importlib.import_module(path)
        return getattr(home, name), home
    found = getattr(proloevidence, dotted, None)
    return (found if found is not None else getattr(module, dotted)), module


def _documented_parameters(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip() and p.strip() not in ("*", "...")]


def test_every_documented_call_exists_with_its_documented_parameters() -> None:
    kb = proloevidence.load()
    checked = 0
    for row in _table_rows("call"):
        module: ModuleType = proloevidence
        for item in re.findall(r"`([^`]+)`", row[0]):
            match = re.fullmatch(r"([\w.]+)(?:\((.*)\))?", item)
            assert match, item
            target, module = _resolve(match.group(1), module, kb)
            checked += 1
            if match.group(2) is None:
                continue
            signature = inspect.signature(target)  # type: ignore[arg-type]
            parameters = signature.parameters
            takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
            for documented in _documented_parameters(match.group(2)):
                name, _, default = documented.partition("=")
                name = name.strip()
                if name.startswith("**"):
                    assert takes_any, item
                    continue
                if not name.isidentifier():  # an argument such as kb.graph, not a name
                    continue
                assert name in parameters, f"{item}: no parameter {name!r}"
                if default:
                    actual = parameters[name].default
                    assert actual == ast.literal_eval(default.strip()), f"{item}: {name}={actual!r}"
    assert checked >= 40  # every call of the table (40 when written)


def test_the_data_table_lists_every_field_and_only_fields() -> None:
    for type_cell, fields_cell in _table_rows("type"):
        (name,) = re.findall(r"`(\w+)`", type_cell)
        cls = getattr(proloevidence, name)
        # What parentheses say is about a field, not a field of its own.
        own, _, derived = re.sub(r"\([^)]*\)", "", fields_cell).partition("; and ")
        assert re.findall(r"`(\w+)`", own) == [f.name for f in dataclasses.fields(cls)], name
        for attribute in re.findall(r"`(\w+)`", derived):
            assert hasattr(cls, attribute), f"{name}.{attribute}"


def test_the_documented_enumerations_hold_exactly_their_values() -> None:
    checked = 0
    for name, values in re.findall(r"`(\w+)`\s+\(((?:`[\w-]+`,\s+)*`[\w-]+`)", API_DOC):
        cls = getattr(proloevidence, name, None)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            assert re.findall(r"`([\w-]+)`", values) == [m.value for m in cls], name
            checked += 1
    assert checked == 3
