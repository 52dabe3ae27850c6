"""Reading the JSON formats: every problem listed with its field, lines from the text, hostile input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jingxiang.review import InputError, assign_instance_from_json, assign_instance_to_json
from jingxiang.review.jsontext import locate_lines, parse_json_text, with_lines
from jingxiang.review.tests.factories import collaboration, instance, reviewer, submission


def _problems(data: Any) -> list[str]:
    with pytest.raises(InputError) as error:
        assign_instance_from_json(data)
    return [str(problem) for problem in error.value.problems]


def _base() -> dict[str, Any]:
    return instance([reviewer("r1", "uni", ["lens"])], [submission("s1", "firm", ["p1"], ["lens"])])


def test_round_trip() -> None:
    data = instance(
        [reviewer("r1", "uni", ["lens"], 4, ["f"], ["p"]), reviewer(2, None, [], 0)],  # type: ignore[arg-type]
        [submission("s1", "firm", ["p1"], ["lens"], 2)],
        [collaboration(("person", "r1"), ("organisation", "firm"), "same_organisation", "2024-01-01")],
    )
    parsed = assign_instance_from_json(data)
    assert assign_instance_from_json(assign_instance_to_json(parsed)) == parsed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["reviewers"][0].update(max_load=-1),
            "reviewers[0].max_load: must be a whole number from 0 to 500, got -1",
        ),
        (
            lambda d: d["reviewers"][0].update(max_load=2.5),
            "reviewers[0].max_load: must be a whole number from 0 to 500, got 2.5",
        ),
        (lambda d: d["reviewers"][0].update(max_load=True), "got True"),
        (lambda d: d["reviewers"][0].update(max_load=10**25), "got 10000000000000000000000000"),
        (
            lambda d: d["reviewers"][0].pop("max_load"),
            "reviewers[0].max_load: must be a whole number from 0 to 500, got None",
        ),
        (lambda d: d["reviewers"][0].update(max_laod=3), "reviewers[0].max_laod: unknown field 'max_laod'"),
        (
            lambda d: d["reviewers"].append(dict(d["reviewers"][0])),
            "reviewers[1].id: duplicate reviewer id 'r1'",
        ),
        (
            lambda d: d["reviewers"][0].update(id=""),
            "reviewers[0].id: 'id' must be a non-empty string or an integer",
        ),
        (
            lambda d: d["reviewers"][0].update(expertise=["lens", 3]),
            "reviewers[0].expertise[1]: each tag must be a non-empty string, got 3",
        ),
        (
            lambda d: d["reviewers"][0].update(expertise=[f"t{n}" for n in range(31)]),
            "has 31 entries; at most 30 are accepted",
        ),
        (
            lambda d: d["reviewers"][0].update(conflicts=[]),
            "reviewers[0].conflicts: 'conflicts' must be an object, got a list",
        ),
        (
            lambda d: d["reviewers"][0]["conflicts"].update(people=["p", "p"]),
            "reviewers[0].conflicts.people[1]: 'p' is listed twice",
        ),
        (
            lambda d: d["reviewers"].append(dict(d["reviewers"][0], id="r2", person="r1")),
            "person 'r1' is already reviewer 'r1'",
        ),
        (
            lambda d: d["submissions"][0].update(reviewers_needed=0),
            "submissions[0].reviewers_needed: must be a whole number from 1 to 10, got 0",
        ),
        (lambda d: d["submissions"][0].update(team="p1"), "submissions[0].team: must be a list, got 'p1'"),
        (lambda d: d["submissions"].append("s2"), "submissions[1]: each entry must be an object, got 's2'"),
        (lambda d: d.update(reviewers={}), "reviewers: must be a list, got an object"),
        (lambda d: d.pop("submissions"), "submissions: must be a list, got nothing"),
        (lambda d: d.update(extra=1), "extra: unknown field 'extra'"),
        (
            lambda d: d["parameters"].update(lookback_years=99),
            "parameters.lookback_years: must be a whole number from 0 to 50",
        ),
        (
            lambda d: d["parameters"].update(as_of="30/06/2025"),
            "parameters.as_of: must be a date written YYYY-MM-DD, got '30/06/2025'",
        ),
    ],
)
def test_assign_input_problems_name_the_field(change: Any, expected: str) -> None:
    data = _base()
    change(data)
    assert any(expected in problem for problem in _problems(data)), _problems(data)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"a": {"person": "r1"}, "b": {"team": "x"}, "kind": "co_applicants", "date": "2024-01-01"},
            'collaborations[0].b: must be {"person": id} or {"organisation": id}',
        ),
        (
            {"a": {"person": "r1"}, "b": {"person": "p"}, "kind": "friends", "date": "2024-01-01"},
            "collaborations[0].kind: must be one of same_organisation, sharing_engagement, co_applicants, got 'friends'",
        ),
        (
            {"a": {"person": "r1"}, "b": {"person": "p"}, "kind": "co_applicants", "date": "2024-02-30"},
            "collaborations[0].date: must be a date written YYYY-MM-DD, got '2024-02-30'",
        ),
    ],
)
def test_collaboration_problems(record: dict[str, Any], expected: str) -> None:
    data = _base()
    data["collaborations"] = [record]
    assert expected in _problems(data)


def test_collaborations_need_an_as_of_date() -> None:
    data = _base()
    data["collaborations"] = [collaboration(("person", "r1"), ("person", "p"), "co_applicants", "2024-01-01")]
    data["parameters"] = {}
    assert _problems(data) == [
        "parameters.as_of: is required when there are collaborations: the look-back window is counted back from it"
    ]


def test_every_problem_is_listed_at_once() -> None:
    data = _base()
    data["reviewers"][0]["max_load"] = "many"
    data["submissions"][0]["reviewers_needed"] = 0
    data["submissions"].append({"id": "s1", "tags": [], "reviewers_needed": 1})
    assert len(_problems(data)) == 3


def test_not_an_object() -> None:
    assert _problems([1, 2]) == [
        "input: the input must be a JSON object with 'reviewers' and 'submissions', got a list"
    ]


def test_syntax_errors_have_line_and_column() -> None:
    with pytest.raises(InputError) as error:
        parse_json_text('{\n  "reviewers": [\n    {"id": "r1",}\n  ]\n}', "in.json")
    problem = error.value.problems[0]
    assert problem.line == 3
    assert str(problem).startswith("line 3, input: in.json is not valid JSON: Expecting property name")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1" * 5000, "number too large to represent: 111111111111…(5000 characters)"),
        ("-" + "9" * 400, "number too large to represent: -99999999999…(401 characters)"),
        ("1e400", "number too large to represent: 1e400"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
)
def test_unusable_numbers_are_decode_errors_at_their_field(text: str, why: str) -> None:
    with pytest.raises(InputError) as error:
        parse_json_text(f'{{"x": [0,\n {text}]}}', "in.json")
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == ("x[1]", 2)
    assert problem.message == f"in.json is not valid JSON: {why} (column 2)"
    assert len(str(problem)) < 160


def test_large_numbers_a_double_holds_reach_the_field_checks() -> None:
    data = _base()
    text = json.dumps(data, indent=2).replace('"max_load": 5', '"max_load": ' + "7" * 300)
    with pytest.raises(InputError) as error:
        assign_instance_from_json(parse_json_text(text))
    (problem,) = with_lines(error.value, text).problems
    assert problem.path == "reviewers[0].max_load"
    assert (
        problem.line == text.splitlines().index(next(row for row in text.splitlines() if "7777" in row)) + 1
    )
    assert problem.message == "must be a whole number from 0 to 500, got a whole number of about 300 digits"


def test_an_unusable_number_is_reported_at_its_field_and_line() -> None:
    data = _base()
    text = json.dumps(data, indent=2).replace('"max_load": 5', '"max_load": ' + "7" * 5000)
    with pytest.raises(InputError) as error:
        parse_json_text(text)
    (problem,) = error.value.problems
    assert problem.path == "reviewers[0].max_load"
    assert (
        problem.line == text.splitlines().index(next(row for row in text.splitlines() if "7777" in row)) + 1
    )
    assert "number too large to represent: 777777777777…(5000 characters)" in problem.message


def test_deep_nesting_is_a_problem_with_a_line_not_a_crash() -> None:
    text = '{"reviewers":\n' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(InputError) as error:
        parse_json_text(text, "deep.json")
    problem = error.value.problems[0]
    assert problem.line == 2
    assert "deep.json is not valid JSON: nested deeper than 64 levels (column 64)" in problem.message


def test_locate_lines_follows_keys_indexes_and_strings() -> None:
    text = '{\n "a": [\n  {"x": "}]{,:\\"", "y": 1},\n  {"x": 2,\n   "y": [3,\n 4]}\n ],\n "b": {}\n}'
    lines = locate_lines(text, [("a", 0, "y"), ("a", 1, "y", 1), ("b",), ("a", 1), ()])
    assert lines == {("a", 0, "y"): 3, ("a", 1, "y", 1): 6, ("b",): 8, ("a", 1): 4, (): 1}


def test_missing_fields_point_at_their_record() -> None:
    text = '{"reviewers": [\n {"id": "r1"}\n], "submissions": []}'
    with pytest.raises(InputError) as error:
        assign_instance_from_json(parse_json_text(text))
    (problem,) = with_lines(error.value, text).problems
    assert (problem.path, problem.line) == ("reviewers[0].max_load", 2)
