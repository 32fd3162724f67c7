"""'Are you a bot?' is never about a house, an address or opening hours (SubjectGuard, bot.intent_guard)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.intent_guard import NOT_UNDERSTOOD, keeps_intent
from rasa_adapters.nlu_components import SubjectGuard
from tests.quality.test_nlu_quality import load_examples


def _guarded(text: str) -> str:
    message = Message(data={"text": text})
    message.set("intent", {"name": "bot_challenge", "confidence": 1.0})
    message.set("intent_ranking", [{"name": "bot_challenge", "confidence": 1.0}])
    SubjectGuard.process(object.__new__(SubjectGuard), [message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text", ["Hvad er adressen på Fjordlyshuset?", "hvor ligger Brohuset", "hvad er åbningstiden i huset"]
)
def test_a_house_question_read_as_bot_challenge_is_not_understood(text: str) -> None:
    # The fallback then answers a house named by its name (actions/fallback.py).
    assert _guarded(text) == NOT_UNDERSTOOD


@pytest.mark.parametrize("text", ["er du en robot", "hej sundhedshus, sidder der en og skriver til mig"])
def test_a_question_about_the_bot_stays_bot_challenge(text: str) -> None:
    assert _guarded(text) == "bot_challenge"


def test_no_bot_challenge_example_in_the_data_is_refused() -> None:
    examples = [text for intent, text in load_examples(settings.DATA_DIR) if intent == "bot_challenge"]
    assert len(examples) > 100
    assert [text for text in examples if not keeps_intent(text, "bot_challenge", 1.0)] == []
