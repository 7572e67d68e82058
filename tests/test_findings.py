from __future__ import annotations

import re
from pathlib import Path

import pytest

from proloevidence.auditing.finding_codes import CODES, make
from proloevidence.model import Severity

DOC = (Path(__file__).parent.parent / "docs" / "audit.md").read_text(encoding="utf-8")


def test_every_code_is_documented_with_its_severity() -> None:
    documented = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", DOC, re.M))
    assert documented == {code: spec.severity.value for code, spec in CODES.items()}


def test_make_takes_severity_and_fix_from_the_catalogue() -> None:
    finding = make("unsupported", "some-claim", "needs a source")
    assert finding.severity is Severity.ERROR and finding.fix == CODES["unsupported"].fix
    assert make("reference-mismatch", "k", "m", fix="run fix").fix == "run fix"
    with pytest.raises(KeyError):
        make("no-such-code", "k", "m")
