"""Suggested groups from text similarity (no database)."""

from upward.accountability.similar import suggest_groups


def test_similar_ideas_are_suggested_together_and_others_left_out() -> None:
    texts = [
        "Flexible working hours for junior staff",
        "Publish the pay bands",
        "Let junior staff choose flexible hours",
        "Open pay bands for everyone",
        "Reverse mentoring for the board",
    ]
    assert suggest_groups(texts) == [[0, 2], [1, 3]]


def test_nothing_to_group() -> None:
    assert suggest_groups([]) == []
    assert suggest_groups(["One idea"]) == []
    assert suggest_groups(["the and of", "it is a"]) == []
