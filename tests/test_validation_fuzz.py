"""Thousands of random mutations of the bundled dataset: the only exception is our DatasetError."""

from __future__ import annotations

import copy
import json
import math
import os
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.errors import DatasetError
from geodata.loader import parse_json_text
from geodata.paths import BUNDLED_DATASET
from geodata.validation import check_document, read_utf8

#: mutations of the bundled dataset per run: 2,000 in ``make test``; ``make test-fast`` asks for fewer
MUTATIONS = int(os.environ.get("TROTSKY_MAP_FUZZ_MUTATIONS", "2000"))

ORIGINAL_TEXT = BUNDLED_DATASET.read_text(encoding="utf-8")
ORIGINAL: dict[str, Any] = json.loads(ORIGINAL_TEXT)


@cache
def _read_source(path: Path) -> str:
    return read_utf8(path)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the document."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


ALL_PATHS = _paths(ORIGINAL)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["1917-13", "1917-02-30", "1880", "1940-12-31", "", "wiki", "vienna", "x" * 500])
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
mutation = st.tuples(
    st.sampled_from(["replace", "delete", "add_key", "duplicate"]),
    st.sampled_from(ALL_PATHS),
    json_values,
    st.text(max_size=10),
)


def _apply(document: Any, kind: str, path: tuple[Any, ...], value: Any, key: str) -> Any:
    if not path:
        return value if kind == "replace" else document
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if kind == "replace":
        parent[last] = value
    elif kind == "delete":
        del parent[last]
    elif kind == "add_key" and isinstance(parent[last], dict):
        parent[last][key] = value
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return document


@settings(max_examples=MUTATIONS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_datasets_fail_only_with_dataset_errors(mutations: list[tuple[str, tuple[Any, ...], Any, str]]) -> None:
    document = json.loads(ORIGINAL_TEXT)
    for kind, path, value, key in mutations:
        try:
            document = _apply(document, kind, path, value, key)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    dataset, problems = check_document(document, BUNDLED_DATASET, _read_source)
    assert (dataset is None) == bool(problems)
    slow_dataset, slow_problems = check_document(document, BUNDLED_DATASET, _read_source, fast=False)
    assert problems == slow_problems  # the fast path accepts exactly what the full checker accepts
    assert dataset == slow_dataset
    for problem in problems:
        assert problem.message
        assert "Traceback" not in problem.message
    if dataset is not None:
        for place in dataset.places:
            assert math.isfinite(place.lat) and math.isfinite(place.lon)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_with_a_dataset_error(text: str) -> None:
    try:
        parse_json_text(text, BUNDLED_DATASET)
    except DatasetError as error:
        assert error.problems
