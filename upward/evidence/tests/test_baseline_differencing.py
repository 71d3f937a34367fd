"""Imported historical figures pass a differencing check like Upward's own results: the rules
(size, remainder, sibling with the people a dimension leaves out) and a check across
dimensions; hypothesis builds random organisations and departments, imports their aggregates,
and an exact attacker (the engine's own linear-algebra check, which sees the people behind the
figures) finds no group of 1 to n - 1 people in what stays shown. No database."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upward.evidence import anonymity as a
from upward.evidence.anonymity import Population, Reason, Reported, make_segment

N = 5


def reported(atoms: dict[tuple[str, str], int]) -> list[Reported]:
    """The aggregates a survey tool would export: everyone, each organisation, each department
    (people without a department are in the organisations' and everyone's figures only)."""
    rows = [Reported((), sum(atoms.values()), 4.0)]
    for dim, index in (("organisation", 0), ("department", 1)):
        counts: dict[str, int] = {}
        for atom, c in atoms.items():
            if atom[index]:
                counts[atom[index]] = counts.get(atom[index], 0) + c
        rows += [Reported(make_segment({dim: v}), c, 4.0) for v, c in counts.items() if c > 0]
    return rows


def leaks(atoms: dict[tuple[str, str], int], hidden: dict[a.Segment, Reason]) -> bool:
    population = Population(("organisation", "department"), atoms)
    checker = a._Checker(population, N)
    shown = [r.segment for r in reported(atoms) if r.segment not in hidden]
    return not checker.linear_safe([checker.vector(s) for s in shown])


def test_a_department_left_out_is_a_hidden_sibling() -> None:
    # Everyone 40 = Sales 20 + Finance 18 + 2 people in no department: showing both would show
    # those 2 by subtraction (40 - 20 - 18), so the smaller department is hidden with them.
    rows = [
        Reported((), 40, 5.0),
        Reported(make_segment({"department": "Sales"}), 20, 5.0),
        Reported(make_segment({"department": "Finance"}), 18, 5.0),
    ]
    assert a.suppress_reported(rows, N) == {
        make_segment({"department": "Finance"}): Reason.SIBLING,
    }


def test_a_department_inside_an_organisation_cannot_reveal_the_rest_of_it() -> None:
    # Acme 22 holds Sales 20 and 2 others; Beta 18 is Finance. Acme - Sales = 2 people.
    atoms = {("Acme", "Sales"): 20, ("Acme", ""): 2, ("Beta", "Finance"): 18}
    hidden = a.suppress_reported(reported(atoms), N)
    assert hidden[make_segment({"department": "Finance"})] is Reason.SIBLING
    assert Reason.DIFFERENCING in hidden.values()
    assert not leaks(atoms, hidden)
    # The rules alone (Finance hidden with the 2 in no department) would have leaked them:
    # Acme 22 - Sales 20.
    assert leaks(atoms, {make_segment({"department": "Finance"}): Reason.SIBLING})


def test_the_original_rules_still_hold() -> None:
    rows = [
        Reported((), 40, 5.1),
        Reported(make_segment({"organisation": "N"}), 37, 5.2),
        Reported(make_segment({"organisation": "R"}), 3, 3.9),
        Reported(make_segment({"department": "Sales"}), 20, 5.0),
        Reported(make_segment({"department": "Finance"}), 12, 4.8),
        Reported(make_segment({"department": "Legal"}), 8, 5.6),
    ]
    assert a.suppress_reported(rows, N) == {
        make_segment({"organisation": "R"}): Reason.TOO_FEW,
        make_segment({"organisation": "N"}): Reason.REMAINDER,
    }


@st.composite
def organisations(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """2 or 3 organisations, each with 1 to 3 departments of its own and some people in none."""
    atoms: dict[tuple[str, str], int] = {}
    for o in range(draw(st.integers(2, 3))):
        for d in range(draw(st.integers(1, 3))):
            atoms[(f"O{o}", f"D{o}{d}")] = draw(st.integers(0, 14))
        atoms[(f"O{o}", "")] = draw(st.integers(0, 4))
    if sum(atoms.values()) == 0:
        atoms[("O0", "D00")] = 6
    return {k: v for k, v in atoms.items() if v > 0}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_imported_group_below_n_can_be_worked_out(atoms: dict[tuple[str, str], int]) -> None:
    hidden = a.suppress_reported(reported(atoms), N)
    assert not leaks(atoms, hidden)


@st.composite
def crossed(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """Departments that span organisations (any cell may be empty)."""
    atoms = {
        (f"O{o}", f"D{d}" if d < 3 else ""): draw(st.integers(0, 12))
        for o in range(2)
        for d in range(4)
    }
    if sum(atoms.values()) == 0:
        atoms[("O0", "D0")] = 6
    return {k: v for k, v in atoms.items() if v > 0}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crossed())
def test_nor_when_departments_span_organisations(atoms: dict[tuple[str, str], int]) -> None:
    hidden = a.suppress_reported(reported(atoms), N)
    assert not leaks(atoms, hidden)
