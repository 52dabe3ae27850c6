"""Strict JSON: what Python's parser accepts or crashes on is refused with a position; the rest parses
exactly as ``json.loads`` would."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingxiang import strictjson


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{"a": 1e400}', "number too large to represent: 1e400", 1, 7),
        ('{"a":\n  -1E+309}', "number too large to represent", 2, 3),
        ("[" + "9" * 5000 + "]", "number too large to represent: 999999999999…(5000 characters)", 1, 2),
        ('["NaN", NaN]', "NaN is not a JSON number", 1, 9),
        ('{"x": "1e400", "y": Infinity}', "Infinity is not a JSON number", 1, 21),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels", 1, 65),
        ('{"s": "[[[["}' + "", None, None, None),
        ("[" * 65 + "]" * 65, "nested deeper than 64 levels", 1, 65),
    ],
)
def test_refusals_name_the_problem_and_where(text: str, message: str | None, line: int, column: int) -> None:
    if message is None:
        assert strictjson.loads(text) == json.loads(text)
        return
    with pytest.raises(json.JSONDecodeError) as refused:
        strictjson.loads(text)
    assert isinstance(refused.value, strictjson.StrictJsonError)
    assert refused.value.msg.startswith(message)
    assert (refused.value.lineno, refused.value.colno) == (line, column)


def test_exact_numbers_and_the_same_limits() -> None:
    assert strictjson.loads('{"a": 0.12, "b": 3, "c": 1e300, "d": 1e-400}', exact=True) == {
        "a": Decimal("0.12"),
        "b": Decimal(3),
        "c": Decimal("1e300"),
        "d": Decimal("1e-400"),
    }
    with pytest.raises(strictjson.StrictJsonError, match="too large"):
        strictjson.loads("[1e999999999]", exact=True)


@pytest.mark.parametrize(
    ("text", "kind", "path"),
    [
        ('{"a": [1, {"b": 1e400}]}', "number", ("a", 1, "b")),
        ('{"s": "NaN", "t": [NaN]}', "number", ("t", 0)),
        ("[" * 70 + "]" * 70, "depth", None),
        ('{"a": {"x": 1}, "b": {"x": 2, "y": 3, "x": 4}}', "duplicate", ("b", "x")),
        ('[{"k": 1}, {"k": 2}, {"k": 3,\n "k": 3}]', "duplicate", (2, "k")),
    ],
)
def test_refusals_say_what_and_at_which_path(text: str, kind: str, path: strictjson.Path | None) -> None:
    with pytest.raises(strictjson.StrictJsonError) as refused:
        strictjson.loads(text, unique_keys=True)
    assert (refused.value.kind, refused.value.path) == (kind, path)


def test_duplicate_keys_pass_unless_refused() -> None:
    text = '{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}'
    assert strictjson.loads(text, unique_keys=True) == json.loads(text)
    assert strictjson.loads('{"a": 1, "a": 2}') == {"a": 2}
    with pytest.raises(
        strictjson.StrictJsonError, match='the key "a" appears twice in one object'
    ) as refused:
        strictjson.loads('{"a": 1,\n  "a": 2}', unique_keys=True)
    assert (refused.value.lineno, refused.value.colno) == (2, 3)


def test_locate_follows_keys_indexes_and_strings() -> None:
    text = '{\n "a": [\n  {"x": "}]{,:\\"", "y": 1},\n  {"x": 2,\n   "y": [3,\n 4]}\n ],\n "b": {}\n}'
    wanted = [("a", 0, "y"), ("a", 1, "y", 1), ("b",), ("a", 1), ()]
    lines = strictjson.lines_of(text, strictjson.locate(text, wanted))
    assert lines == {("a", 0, "y"): 3, ("a", 1, "y", 1): 6, ("b",): 8, ("a", 1): 4, (): 1}
    assert strictjson.path_at(text, text.index("4]")) == ("a", 1, "y", 1)
    assert strictjson.path_at(text, 1) is None


def test_a_refusal_survives_pickling() -> None:
    import pickle

    with pytest.raises(strictjson.StrictJsonError) as refused:
        strictjson.loads('{"a": NaN}')
    copy = pickle.loads(pickle.dumps(refused.value))  # noqa: S301 - our own object
    assert (copy.msg, copy.pos, copy.kind, copy.path) == (refused.value.msg, 6, "number", ("a",))


def test_malformed_json_is_still_json_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError) as refused:
        strictjson.loads("{oops")
    assert not isinstance(refused.value, strictjson.StrictJsonError)


documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**300), max_value=10**300)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@given(documents)
def test_every_document_within_the_limits_parses_as_json_would(document: object) -> None:
    text = json.dumps(document)
    assert strictjson.loads(text) == json.loads(text)


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=100))
def test_depth_limit_is_exact(depth: int, limit: int) -> None:
    text = "[" * depth + "]" * depth
    if depth <= limit:
        assert strictjson.depth(strictjson.loads(text, max_depth=limit)) == depth
    else:
        with pytest.raises(strictjson.StrictJsonError) as refused:
            strictjson.loads(text, max_depth=limit)
        assert refused.value.colno == limit + 1


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_round_trip(value: float) -> None:
    parsed = strictjson.loads(json.dumps(value))
    assert parsed == value and math.isfinite(parsed)


def test_no_django() -> None:
    code = "import sys, jingxiang.strictjson; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr
