"""``field__any_of=queryset``: a column among the rows of a subquery, written so that
PostgreSQL's planner estimates it well.

``pair.leader_id IN (SELECT id FROM application WHERE user_id = 5) OR pair.mentor_id IN (…)``
is planned as two hashed subplans whose selectivity PostgreSQL cannot estimate: it expects a
third of the pairs and joins the applications and people of the whole programme by hash, about
15 ms at 10,000 participants for the one pair a person is in. ``leader_id = ANY(ARRAY(SELECT
…))`` is an array compared on the column's index; the planner expects a handful of rows, scans
the index and joins by nested loop (well under a millisecond). Other databases get the usual
``IN (SELECT …)``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignKey
from django.db.models.fields.related_lookups import RelatedIn


class AnyOf(RelatedIn):
    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if self.rhs_is_direct_value():  # a list of values: the ordinary IN (…)
            return super().as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY(ARRAY{rhs_sql})", [*lhs_params, *rhs_params]


ForeignKey.register_lookup(AnyOf)
