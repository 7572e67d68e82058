"""JSON and XML parsed with a bound on nesting depth (text/bounded_parse.py)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

import pytest

from proloevidence.text.bounded_parse import (
    MAX_DEPTH,
    TooDeepError,
    json_too_deep,
    parse_json,
    parse_xml,
)


@pytest.mark.parametrize("depth", [1, 7, MAX_DEPTH])
def test_documents_up_to_the_bound_parse_as_the_standard_parsers_do(depth: int) -> None:
    text = '{"a": ' * depth + '"x"' + "}" * depth
    assert parse_json(text) == json.loads(text)
    assert parse_json(text.encode()) == json.loads(text)
    xml = "<a>" * depth + "x" + "</a>" * depth
    assert ET.tostring(parse_xml(xml)) == ET.tostring(ET.fromstring(xml))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 100_000])
def test_deeper_documents_are_refused_without_recursion(depth: int) -> None:
    limit = sys.getrecursionlimit()
    with pytest.raises(TooDeepError, match=f"JSON nested more than {MAX_DEPTH} levels deep"):
        parse_json("[" * depth + "]" * depth)
    with pytest.raises(TooDeepError, match=f"XML nested more than {MAX_DEPTH} levels deep"):
        parse_xml("<a>" * depth + "</a>" * depth)
    assert sys.getrecursionlimit() == limit  # refused, not worked around


def test_brackets_inside_strings_are_text_not_depth() -> None:
    text = json.dumps(["[" * 500, '\\"{{{', {"k": "]]]" * 300}, "\\\\", ["{" * 200]])
    assert not json_too_deep(text)
    assert parse_json(text) == json.loads(text)


def test_a_cut_off_document_is_a_syntax_error_not_too_deep() -> None:
    text = "[" * 50 + '{"a": 1'
    assert not json_too_deep(text)
    with pytest.raises(json.JSONDecodeError):
        parse_json(text)
    with pytest.raises(ET.ParseError):
        parse_xml("<a><b>")


def test_the_bound_is_a_parameter() -> None:
    assert parse_json("[[1]]", max_depth=2) == [[1]]
    with pytest.raises(TooDeepError) as caught:
        parse_json("[[[1]]]", max_depth=2)
    assert caught.value.limit == 2 and isinstance(caught.value, ValueError)
    with pytest.raises(TooDeepError):
        parse_xml("<a><b><c/></b></a>", max_depth=2)
