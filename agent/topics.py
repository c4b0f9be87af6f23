"""Which guidance card backs which kind of advice.

Engines cite by topic (`cite("eisenhower")`) and return bare card ids; the edge
(`agent.guidance`) fills in each card's title, source, section and a quote, so the core
never touches the index. `tests/test_topics.py` checks that every id names a real card.
"""

from __future__ import annotations

from agent.records import Citation

CARDS: dict[str, str] = {
    "smart": "smart-goals-overview",
    "smart_specific": "smart-specific",
    "smart_measurable": "smart-measurable",
    "smart_achievable": "smart-achievable",
    "smart_relevant": "smart-relevant",
    "smart_time_bound": "smart-time-bound",
    "goal_categories": "categorise-and-sequence-goals",
    "goal_sequence": "categorise-and-sequence-goals",
    "vision_statement": "unified-vision-statement",
    "vision_integrate": "vision-mission-alignment",
    "core_values": "core-values-in-leadership",
    "value_decisions": "value-driven-decisions",
    "decision_matrix": "decision-matrix",
    "eisenhower": "eisenhower-matrix",
    "delegation": "delegation",
    "time_blocking": "time-blocking",
    "boundaries": "setting-boundaries",
    "self_care": "self-care",
    "monthly_reflection": "monthly-reflection",
    "accountability": "accountability-partner",
    "feedback_360": "360-degree-feedback",
    "growth_mindset": "growth-mindset",
    "monitor_progress": "monitor-goal-progress",
    "celebrate": "celebrate-successes",
    "setbacks": "learn-from-setbacks",
    "periodic_review": "periodic-review-and-flexibility",
    "time_tools": "time-blocking",
    "well_being": "ambition-and-well-being",
    "balance_reflection": "balance-reflection",
    "weekly_reflection": "weekly-growth-reflection",
    "leading_by_example": "leading-by-example",
}
"""topic -> knowledge card id."""


def cite(*topics: str) -> list[Citation]:
    """Bare citations (card ids only) for the given topics, in order, without repeats."""
    seen: list[str] = []
    for topic in topics:
        card_id = CARDS[topic]
        if card_id not in seen:
            seen.append(card_id)
    return [Citation(card_id=card_id) for card_id in seen]
