"""The split of `make test` between its workers (tests/support/scheduling.py)."""

from __future__ import annotations

import pytest

from tests.support.scheduling import scope_of


@pytest.mark.parametrize(
    ("nodeid", "scope"),
    [
        ("tests/test_search.py::test_x[local]", "local"),
        ("tests/test_search.py::test_x[embedded-q1]", "embedded"),
        ("tests/test_supervision.py::test_y[graph-local]", "local"),
        # The modules that go to a second local set; their embedded tests stay with the rest.
        ("tests/test_demo.py::test_d[local]", "local#2"),
        ("tests/test_doc_examples.py::test_e[local-docs/api.md]", "local#2"),
        ("tests/test_doc_examples.py::test_e[embedded-docs/api.md]", "embedded"),
        # Engines of its own: a scope alone, taken by whichever worker is free.
        (
            "tests/test_supervision.py::test_y[graph-own-local]",
            "tests/test_supervision.py::test_y[graph-own-local]",
        ),
        ("tests/test_cli.py::test_help", "tests/test_cli.py::test_help"),
        ("tests/test_cli.py::test_z[localhost]", "tests/test_cli.py::test_z[localhost]"),
    ],
)
def test_a_test_goes_with_the_engine_set_it_shares(nodeid: str, scope: str) -> None:
    assert scope_of(nodeid) == scope
