"""YAML composed into nodes that keep their positions, and a reader that reports problems at them.

:func:`compose` turns text into a node tree with a safe loader (libyaml's when it is there):
no tag runs any code, aliases are refused before anything they name is expanded, and a
syntax error is a :class:`Problem` with its line and column. :class:`NodeReader` walks the
nodes of a schema written by hand (kb/claims_reader.py): mappings with only the allowed keys,
scalars of the plain types, lists; everything it refuses becomes a problem at the node.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import yaml

from ..errors import Problem
from ..model import SourceLocation
from .input_limits import yaml_alias_problems

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The loader :func:`compose` uses: libyaml's when PyYAML was built with it."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "set")
}

Fields = dict[str, tuple[yaml.Node, yaml.Node]]
"""A mapping's keys, each with its key node and its value node."""


def compose(text: str, file: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The root node of ``text`` and no problem; or None and the problems that stop it.

    An empty document gives (None, []). Problems: a syntax error or a character YAML does
    not allow (``yaml-syntax``, with its position), nesting too deep (``too-deep``), and
    every alias (``yaml-alias``, refused before anything it names is expanded).
    """
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = SourceLocation(file, mark.line + 1, mark.column + 1) if mark else SourceLocation(file)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context:  # "second occurrence" alone says nothing
            at = f" at line {exc.context_mark.line + 1}" if exc.context_mark else ""
            what = f"{exc.problem} ({exc.context}{at})"
        hint = "fix the indentation or quoting near this position"
        return None, [Problem(loc, f"YAML syntax error: {what}", hint, code="yaml-syntax")]
    except yaml.reader.ReaderError as exc:
        where = _reader_error_location(text, file, exc.position)
        # libyaml gives the character's code, the pure-Python reader the character.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        what = f"character U+{code:04X} is not allowed in YAML"
        return None, [Problem(where, what, "remove it", code="yaml-syntax")]
    except yaml.YAMLError as exc:
        return None, [Problem(SourceLocation(file), f"YAML error: {exc}", code="yaml-syntax")]
    except RecursionError:  # Only the pure-Python loader recurses; libyaml caps depth itself.
        return None, [Problem(SourceLocation(file), "YAML nested too deeply", code="too-deep")]
    if root is None:
        return None, []
    # Refused before any schema walk, so nothing an alias names is ever expanded.
    aliases = yaml_alias_problems(text, file, LOADER)
    return (None, aliases) if aliases else (root, [])


class NodeReader:
    """Reads values out of composed nodes, collecting a problem (with its position) for
    every value that is not what the schema asks; the methods return None for those."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def loc(self, node: yaml.Node | None) -> SourceLocation:
        """Where ``node`` starts (the file alone for None)."""
        if node is None:
            return SourceLocation(self.file)
        mark = node.start_mark
        return SourceLocation(self.file, mark.line + 1, mark.column + 1)

    def problem(
        self, node: yaml.Node | None, message: str, hint: str = "", code: str = "invalid"
    ) -> None:
        self.problems.append(Problem(self.loc(node), message, hint, code))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> Fields | None:
        """Return ``key -> (key node, value node)``; report unknown and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping (key: value)", code="wrong-type")
            return None
        self.check_tag(node)
        out: Fields = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what} has a key that is not a name", code="wrong-type")
                continue
            if key in out:
                self.problem(
                    key_node, f"{what} sets {key!r} twice", "keep one", code="duplicate-key"
                )
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"allowed keys: {', '.join(allowed)}"
                )
                self.problem(key_node, f"unknown key {key!r} in {what}", hint, code="unknown-key")
                continue
            out[key] = (key_node, value_node)
        return out

    def check_tag(self, node: yaml.Node) -> bool:
        """False, with a problem, for any tag but the plain types'."""
        if node.tag in _STANDARD_TAGS:
            return True
        self.problem(
            node,
            f"YAML tag {_short_tag(node.tag)!r} is not allowed",
            "claims files hold plain data only; remove the tag",
            code="yaml-tag",
        )
        return False

    def scalar(self, node: yaml.Node) -> Any:
        """The Python value of a scalar node (safe types only), or None after a problem."""
        if not self.check_tag(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, "expected a single value, not a list or mapping", code="wrong-type")
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError):
            # An explicit tag on a value it does not fit (``!!bool maybe``,
            # ``!!timestamp soon``) makes PyYAML's constructors raise KeyError or
            # AttributeError, not a YAML error.
            tag = _short_tag(node.tag)
            self.problem(node, f"cannot read {shown(node)} as {tag}", code="wrong-type")
            return None

    def string(self, node: yaml.Node, what: str) -> str | None:
        """A text (a number is taken as its text); None, with a problem, for anything else."""
        value = self.scalar(node)
        if value is None:
            if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
                self.problem(node, f"{what} is empty", code="missing")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(node, f"{what} must be text", code="wrong-type")
            return None
        return str(value)

    def required(self, fields: Fields, key: str, parent: yaml.Node, what: str) -> yaml.Node | None:
        """The value node of ``key``; None, with a problem at ``parent``, when it is missing."""
        if key not in fields:
            self.problem(parent, f"{what} has no {key!r}", f"add '{key}:'", code="missing")
            return None
        return fields[key][1]

    def items(self, node: yaml.Node, what: str) -> Iterator[yaml.Node]:
        """The item nodes of a list; none, with a problem, when ``node`` is not a list."""
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list", code="wrong-type")
            return iter(())
        self.check_tag(node)
        return iter(node.value)


def shown(node: yaml.Node) -> str:
    """A node's value as a problem quotes it: never a whole list or a 100 kB string."""
    if not isinstance(node, yaml.ScalarNode):
        return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    text = repr(node.value)
    return text if len(text) <= 80 else text[:77] + "..."


def _short_tag(tag: str) -> str:
    # As the file writes it: "!!python/object", not "tag:yaml.org,2002:python/object".
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def _reader_error_location(text: str, file: str, position: int) -> SourceLocation:
    # libyaml counts UTF-8 bytes, the pure-Python reader counts characters.
    if LOADER is not yaml.SafeLoader:
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    before = text[:position]
    return SourceLocation(file, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)
