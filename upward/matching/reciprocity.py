"""The "both ways" criterion of reciprocal programmes, in words.

In a reciprocal programme both people mentor each other. The criterion (values in
``criteria.py``) gives half its points for what the mentor offers of the topics the leader
seeks and half for what the leader offers of the topics the mentor seeks; its sentence names
both directions, e.g. "both ways: the mentor can help with hybrid work, social media (2 of 3
topics the leader seeks); the leader can help with strategy (1 of 2 topics the mentor seeks)".
"""

from __future__ import annotations

from upward.matching.model import Participant


def _names(items: frozenset[str], limit: int = 4) -> str:
    ordered = sorted(items)
    text = ", ".join(ordered[:limit])
    if len(ordered) > limit:
        text += f" and {len(ordered) - limit} more"
    return text


def _direction(giver: str, taker: str, offered: frozenset[str], sought: frozenset[str]) -> str:
    if not sought:
        return f"the {taker} seeks no topics"
    shared = offered & sought
    topics = f"{len(sought)} topic{'s' if len(sought) != 1 else ''}"
    if not shared:
        return f"the {giver} offers none of the {topics} the {taker} seeks"
    return (
        f"the {giver} can help with {_names(shared)} ({len(shared)} of {topics} the {taker} seeks)"
    )


def both_ways_sentence(leader: Participant, mentor: Participant) -> str:
    """Both directions of the exchange, mentor to leader first."""
    to_leader = _direction("mentor", "leader", mentor.topics_offered, leader.topics_sought)
    to_mentor = _direction("leader", "mentor", leader.topics_offered, mentor.topics_sought)
    helps_leader = bool(mentor.topics_offered & leader.topics_sought)
    helps_mentor = bool(leader.topics_offered & mentor.topics_sought)
    if helps_leader and helps_mentor:
        lead = "both ways"
    elif helps_leader or helps_mentor:
        lead = "one way only"
    else:
        lead = "neither way"
    return f"{lead}: {to_leader}; {to_mentor}"
