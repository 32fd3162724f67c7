"""A call-back request is for being called; "kan jeg ringe til ...?" asks for a number (SubjectGuard)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.intent_guard import person_will_call
from rasa_adapters.nlu_components import SubjectGuard
from tests.quality.test_nlu_quality import load_examples

THE_PERSON_WILL_CALL = [
    "kan jeg ringe og spørge nogen",
    "kan jeg ringe direkte til fysioterapeuten i Hvidovre",
    "hvem ringer jeg til om genoptræning",
    "jeg vil gerne ringe til sundhedshuset",
    "hvilket nummer ringer man til",
    "må vi ringe til jer i morgen formiddag",
]
CALL_ME = [
    "kan jeg blive ringet op",
    "jeg vil gerne have at I ringer mig op",
    "ring mig op",
    "kan I ringe til mig i morgen",
    "kan jeg få jer til at ringe mig op",
    "vil I ringe tilbage",
    "jeg vil gerne ringes op",
    "kan I ringe til min mor",
]


def _guarded(text: str, intent: str = "request_callback") -> str:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.9})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9}])
    SubjectGuard.process(object.__new__(SubjectGuard), [message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", THE_PERSON_WILL_CALL)
def test_the_person_calling_gets_the_number_not_the_call_back_form(text: str) -> None:
    assert person_will_call(text)
    assert _guarded(text) == "contact_entry_point"


@pytest.mark.parametrize("text", CALL_ME)
def test_asking_to_be_called_stays_a_call_back_request(text: str) -> None:
    assert not person_will_call(text)
    assert _guarded(text) == "request_callback"


def test_no_call_back_training_example_is_taken_for_the_person_calling() -> None:
    examples = [text for intent, text in load_examples(settings.DATA_DIR) if intent == "request_callback"]
    assert len(examples) > 50
    assert [text for text in examples if person_will_call(text)] == []
