from __future__ import annotations

import zoneinfo
from collections import Counter

import pytest

from upward.directory.synthetic import generate_people


@pytest.mark.parametrize("size", [50, 333, 2000])
def test_a_realistic_hierarchy_of_the_requested_size(size: int) -> None:
    zones = zoneinfo.available_timezones()
    rows = generate_people(size, seed=2)
    assert len(rows) == size
    ids = {r["employee_id"] for r in rows}
    assert len(ids) == size
    assert len({r["email"] for r in rows}) == size
    by_id = {r["employee_id"]: r for r in rows}
    roots = [r for r in rows if not r["manager_employee_id"]]
    assert len(roots) == 1 and roots[0]["grade"] == "Chief Executive"
    for row in rows:
        manager = row["manager_employee_id"]
        if manager:
            # Every manager exists and is more senior than their report.
            assert int(by_id[manager]["grade_level"]) > int(row["grade_level"])
        assert row["time_zone"] in zones
    levels = Counter(int(r["grade_level"]) for r in rows)
    assert levels[10] == 1
    # A pyramid: the most junior grade present is the largest.
    assert levels[min(levels)] == max(levels.values())


def test_same_seed_same_organisation() -> None:
    assert generate_people(120, seed=9) == generate_people(120, seed=9)
    assert generate_people(120, seed=9) != generate_people(120, seed=10)


def test_size_is_checked() -> None:
    with pytest.raises(ValueError, match="size"):
        generate_people(0)
