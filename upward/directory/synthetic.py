"""A realistic synthetic organisation for demos, tests and benchmarks.

The hierarchy runs from a chief executive through executives, directors and managers down to
junior staff, with grades, departments, locations and time zones. The same seed gives the same
organisation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from collections.abc import Iterator

from faker import Faker

# (grade name, grade level, job title stem)
GRADES: list[tuple[str, int, str]] = [
    ("Chief Executive", 10, "Chief Executive Officer"),
    ("Executive", 9, "Chief {dept} Officer"),
    ("Director", 8, "Director of {dept}"),
    ("Senior Manager", 7, "Head of {dept}"),
    ("Manager", 6, "{dept} Manager"),
    ("Team Lead", 5, "{dept} Team Lead"),
    ("Senior Associate", 4, "Senior {dept} Specialist"),
    ("Associate", 3, "{dept} Specialist"),
    ("Junior Associate", 2, "Junior {dept} Specialist"),
    ("Graduate", 1, "{dept} Graduate"),
]
DEPARTMENTS = [
    "Finance",
    "Technology",
    "Operations",
    "People",
    "Marketing",
    "Sales",
    "Legal",
    "Customer Service",
    "Research",
    "Strategy",
    "Risk",
    "Procurement",
]
LOCATIONS = [
    ("London", "Europe/London"),
    ("Manchester", "Europe/London"),
    ("Amsterdam", "Europe/Amsterdam"),
    ("Berlin", "Europe/Berlin"),
    ("New York", "America/New_York"),
    ("Toronto", "America/Toronto"),
    ("Johannesburg", "Africa/Johannesburg"),
    ("Bengaluru", "Asia/Kolkata"),
    ("Singapore", "Asia/Singapore"),
    ("Sydney", "Australia/Sydney"),
]
COLUMNS = [
    "employee_id",
    "name",
    "email",
    "job_title",
    "grade",
    "grade_level",
    "department",
    "location",
    "time_zone",
    "manager_employee_id",
    "start_date",
    "active",
]


def _level_sizes(size: int) -> list[tuple[int, int]]:
    """(grade index, head count) per level for an organisation of ``size``: a pyramid.

    Small organisations have fewer levels (grades are spread from the top to the most junior);
    each level is a steady multiple of the one above, and the bottom level takes the rest.
    """
    levels = min(len(GRADES), max(2, round(math.log(max(size, 2), 3)) + 1))
    if size < levels:
        levels = max(1, size)
    grades = [round(i * (len(GRADES) - 1) / max(1, levels - 1)) for i in range(levels)]

    def total(ratio: float) -> float:
        return sum(ratio**k for k in range(levels))

    low, high = 1.0, float(size)
    for _ in range(60):  # bisection for the ratio whose series sums to the size
        mid = (low + high) / 2
        low, high = (mid, high) if total(mid) < size else (low, mid)
    counts = [max(1, round(low**k)) for k in range(levels)]
    counts[0] = 1
    if levels > 1:
        counts[-1] += size - sum(counts)
    while len(counts) > 2 and counts[-1] < counts[-2]:  # keep the bottom the widest
        counts[-2] -= 1
        counts[-1] += 1
    return list(zip(grades, counts, strict=True))


def generate_people(
    size: int, *, seed: int = 1, domain: str = "example.org", prefix: str = "E"
) -> list[dict[str, str]]:
    """Rows for a directory file (the import columns) of an organisation of ``size`` people."""
    if not 1 <= size <= 1_000_000:
        raise ValueError("size must be between 1 and 1,000,000")
    rng = random.Random(seed)
    fake = Faker(["en_GB", "en_US", "en_IN", "de_DE", "nl_NL", "en_AU"])
    fake.seed_instance(seed)
    first_names = [fake.first_name() for _ in range(600)]
    last_names = [fake.last_name() for _ in range(900)]
    today = dt.date(2026, 1, 1)

    rows: list[dict[str, str]] = []
    previous: list[dict[str, str]] = []
    used_emails: set[str] = set()
    counter = 0
    for depth, (grade_index, count) in enumerate(_level_sizes(size)):
        grade, level, title = GRADES[grade_index]
        current: list[dict[str, str]] = []
        for i in range(count):
            counter += 1
            if previous:
                # Spread reports evenly over the level above, with a little unevenness.
                manager = previous[min(len(previous) - 1, (i * len(previous)) // count)]
                if rng.random() < 0.15:
                    manager = rng.choice(previous)
                dept = manager["department"]
                if depth == 1:
                    dept = DEPARTMENTS[i % len(DEPARTMENTS)]
                location, tz = (
                    (manager["location"], manager["time_zone"])
                    if rng.random() < 0.7
                    else rng.choice(LOCATIONS)
                )
                manager_id = manager["employee_id"]
            else:
                dept, (location, tz), manager_id = "Office of the CEO", LOCATIONS[0], ""
            first, last = rng.choice(first_names), rng.choice(last_names)
            base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            base = "".join(ch for ch in base if ch.isascii() and (ch.isalnum() or ch == "."))
            base = ".".join(part for part in base.split(".") if part) or "person"
            email = f"{base}@{domain}"
            if email in used_emails:
                email = f"{base}{counter}@{domain}"
            used_emails.add(email)
            tenure_years = rng.uniform(0.2, 3 + level * 2)
            start = today - dt.timedelta(days=int(tenure_years * 365))
            row = {
                "employee_id": f"{prefix}{counter:06d}",
                "name": f"{first} {last}",
                "email": email,
                "job_title": title.format(dept=dept),
                "grade": grade,
                "grade_level": str(level),
                "department": dept,
                "location": location,
                "time_zone": tz,
                "manager_employee_id": manager_id,
                "start_date": start.isoformat(),
                "active": "yes",
            }
            current.append(row)
        rows.extend(current)
        previous = current
    return rows


def iter_csv(rows: list[dict[str, str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def to_csv_bytes(rows: list[dict[str, str]]) -> bytes:
    return "".join(iter_csv(rows)).encode("utf-8")
