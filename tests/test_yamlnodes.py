from __future__ import annotations

import yaml

from proloevidence.kb.yaml_nodes import NodeReader, compose, shown


def test_compose_gives_the_root_or_the_problems_with_positions() -> None:
    root, problems = compose("a: 1\nb: [2, 3]\n", "f.yaml")
    assert isinstance(root, yaml.MappingNode) and problems == []
    assert compose("", "f.yaml") == (None, [])
    root, (problem,) = compose("a: [1,\nb: 2\n", "f.yaml")
    assert root is None and problem.code == "yaml-syntax"
    assert str(problem.location) == "f.yaml:3:1" and "at line 1" in problem.message
    root, problems = compose("a: &x [1]\nb: *x\nc: *x\n", "f.yaml")
    assert root is None
    assert [(p.code, p.location.line) for p in problems] == [("yaml-alias", 2), ("yaml-alias", 3)]


def test_the_reader_reports_each_refused_value_at_its_node() -> None:
    root, _ = compose("name: x\nnmae: y\ncount: !!python/name:os.system\nlist: 3\n", "f.yaml")
    assert root is not None
    reader = NodeReader("f.yaml")
    fields = reader.mapping(root, "the file", ("name", "count", "list"))
    assert fields is not None and set(fields) == {"name", "count", "list"}
    assert reader.string(fields["name"][1], "name") == "x"
    assert reader.scalar(fields["count"][1]) is None
    assert list(reader.items(fields["list"][1], "list")) == []
    assert [(str(p.location), p.code) for p in reader.problems] == [
        ("f.yaml:2:1", "unknown-key"),
        ("f.yaml:3:8", "yaml-tag"),
        ("f.yaml:4:7", "wrong-type"),
    ]
    assert "did you mean 'name'?" in reader.problems[0].hint
    assert reader.problems[1].message == "YAML tag '!!python/name:os.system' is not allowed"


def test_shown_never_quotes_a_whole_list_or_a_long_text() -> None:
    root, _ = compose(f"a: [1]\nb: {'x' * 200}\n", "f.yaml")
    assert root is not None
    (_, listed), (_, long) = root.value
    assert shown(listed) == "a list"
    assert len(shown(long)) == 80 and shown(long).endswith("...")


def test_a_character_yaml_refuses_is_named_by_its_code_point() -> None:
    root, (problem,) = compose("a: b\nc: d\x00e\n", "f.yaml")
    assert root is None
    assert str(problem.location) == "f.yaml:2:5"
    assert problem.message == "character U+0000 is not allowed in YAML"
