"""Every topic an engine can cite names a real knowledge card, and resolves to a full citation."""

from __future__ import annotations

import pytest

from agent.cards import DEFAULT_KNOWLEDGE_DIR, load_cards
from agent.guidance import Library
from agent.settings import Settings
from agent.topics import CARDS, cite

CARD_IDS = {card.id for card in load_cards(DEFAULT_KNOWLEDGE_DIR)}


@pytest.mark.parametrize(("topic", "card_id"), sorted(CARDS.items()))
def test_every_topic_names_a_real_card(topic, card_id):
    assert card_id in CARD_IDS, f"topic {topic!r} cites {card_id!r}, which is not in knowledge/"


def test_cited_topics_resolve_to_full_citations(tmp_path):
    library = Library(Settings(home=tmp_path))
    citations = library.resolve_citations(cite(*CARDS))
    assert len(citations) == len(set(CARDS.values()))
    for citation in citations:
        if citation.card_id in CARD_IDS:
            assert citation.title and citation.source and citation.section and citation.quote
