"""The house in rooms (docs/architecture.md): the layering contract, no circle, small modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

import proloevidence

PACKAGE = Path(proloevidence.__file__).parent
ROOT = PACKAGE.parent.parent
ROOMS = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


def test_the_layering_contract_in_pyproject_is_kept() -> None:
    # import-linter reads [tool.importlinter] from pyproject.toml and prints each broken
    # import chain. In a process of its own: it reconfigures logging for the whole process.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, importlinter.cli as c; sys.exit(c.lint_imports(no_cache=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_no_import_circle_between_modules() -> None:
    graph = grimp.build_graph("proloevidence", exclude_type_checking_imports=True)
    modules = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            # A room's package imported for a submodule is not a dependency on its siblings.
            modules.add_edge(module, imported)
    packages = {m for m in graph.modules if (PACKAGE.parent / m.replace(".", "/")).is_dir()}
    modules.remove_nodes_from(packages)
    assert list(nx.simple_cycles(modules)) == []


def test_the_package_top_is_small_and_the_rooms_say_what_they_hold() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert len(ROOMS) >= 5, ROOMS
    for room in ROOMS:
        doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text()))
        assert (doc and "Holds" in doc) or room == "cli", room
        assert room == "cli" or "May import" in (doc or ""), room


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_the_face_and_help_load_none_of_the_heavy_parts() -> None:
    probe = (
        "import sys, proloevidence, proloevidence.cli; "
        "print(sorted(m for m in ('requests', 'networkx', 'citeproc', 'bibtexparser', "
        "'yaml', 'rapidfuzz', 'proloevidence.auditing.audit_report') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_public_function_named_like_a_room_stays_the_function() -> None:
    import proloevidence.auditing.report
    import proloevidence.verifying.fix

    assert callable(proloevidence.audit) and callable(proloevidence.verify)
