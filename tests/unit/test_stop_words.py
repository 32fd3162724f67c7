"""`stop` is kept only for messages that say stop (bot.language.is_stop_request, used by StopGuard)."""

from __future__ import annotations

import pytest

from bot import settings
from bot.language import is_stop_request, names_a_call_back, names_a_sign_up
from tests.quality.test_nlu_quality import load_examples


@pytest.mark.parametrize(
    "text",
    ["stop", "Stop!", "jeg vil stoppe", "stopper du nu", "kan det stoppes", "annuller", "glem det",
     "afbryd tilmeldingen", "ikke alligevel", "jeg vil ikke mere", "stands", "lad os droppe det",
     "jeg vil hellere lade være", "jeg gider ikke mere", "afslut samtalen", "lad det ligge",
     "hold nu op", "jeg har ombestemt mig", "skidt med det", "nulstil samtalen", "exit",
     "annuler", "luk det ned", "ophør", "stooop nu", "STOOP", "jeg vil have det afbrudt nu",
     "nu holder vi op", "jeg vil ud af den her dialog", "jeg har fortrudt", "nu er det nok",
     "slut med det her", "hør nu op", "skip det hele", "jeg gider simpelthen ikke mere",
     "hold lige op", "jeg har ikke lyst til at fortsætte med det her",
     "glem hvad jeg skrev", "jeg vil ikke svare på flere spørgsmål",
     "jeg giver op", "jeg opgiver", "luk formularen", "spring det hele over",
     "stopstop", "jeg vil ud af formularen", "nu vil jeg ikke mere, luk det", "lad os springe det over",
     "jeg opgiver det her, det er for bøvlet",
     # set 27's stop phrasings, in other words
     "glem det spørgsmål", "glem spoergsmaalene", "vi dropper formularen", "drop resten",
     "jeg vil ikke udfylde flere felter", "jeg vil ikke oplyse mere", "jeg orker ikke at svare på flere",
     # set 28's stop phrasings, in other words
     "de sidste felter springer vi over", "har ikke lyst til at svare på mere", "ikke flere spørgsmål nu"],
)  # fmt: skip
def test_a_message_that_says_stop_counts(text: str) -> None:
    assert is_stop_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Anna Stoppelberg",
        "hvor er stoppestedet",
        "anna@example.dk",
        "Ishøj",
        "ja tak",
        "Kirsten Holm",
        "Ole Forfrasen",
        "Cancelliet",
        "lad mig se",
        "start forfra",
        "nu holder jeg op med at ryge",
        "Skipper Hansen",
        "hvornår slutter kurset",
        "jeg opgiver mit navn",
        "Springborg",
        "jeg springer fra til mødet på torsdag",
        "det gider jeg ikke sige",
        "tak, jeg har ikke flere spørgsmål",
        "jeg springer over hegnet",
    ],
)
def test_names_and_other_answers_do_not(text: str) -> None:
    assert not is_stop_request(text)


def test_every_stop_training_example_says_stop() -> None:
    """StopGuard turns `stop` without a stop word into "not understood": the data must agree."""
    stops = [text for intent, text in load_examples(settings.DATA_DIR) if intent == "stop"]
    assert len(stops) > 30
    assert [text for text in stops if not is_stop_request(text)] == []


def _guarded(text: str, intent: str) -> str:
    """The intent StopGuard leaves for `text` when the classifier (and the guards before it) said `intent`."""
    from rasa.shared.nlu.training_data.message import Message

    from rasa_adapters.nlu_components import StopGuard

    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.8})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.8}])
    StopGuard.process(object.__new__(StopGuard), [message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "jeg giver op",
        "jeg opgiver",
        "luk formularen nu",
        "så giver jeg op",
        "vi springer fra",
        "jeg trækker stikket nu",
        "nu gider jeg ikke mere",
        "det her dropper jeg",  # from set 23 on
        "skrot det hele",
        "forget it, please",
    ],  # set 24
)
def test_a_stop_word_not_understood_is_stop(text: str) -> None:
    # In a form: the form ends as asked, not "Det ligner ikke et navn".
    assert _guarded(text, "nlu_fallback") == "stop"


def test_a_stop_read_from_the_words_keeps_not_understood_second() -> None:
    """actions/forms.py tells a stop read from the words alone by it (a long free-text answer goes on)."""
    from rasa.shared.nlu.training_data.message import Message

    from rasa_adapters.nlu_components import StopGuard

    message = Message(data={"text": "jeg giver op"})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.6})
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "stop", "confidence": 0.3}]
    message.set("intent_ranking", ranking)
    StopGuard.process(object.__new__(StopGuard), [message])
    assert [r["name"] for r in message.get("intent_ranking")] == ["stop", "nlu_fallback"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("stop@firma.dk", "nlu_fallback"), ("annuller alarmen", "out_of_scope"), ("Kirsten Holm", "stop"),
     ("annuller min tilmelding", "cancel_registration"), ("/stop", "nlu_fallback")],
)  # fmt: skip
def test_other_messages_keep_or_lose_stop_as_before(text: str, intent: str) -> None:
    expected = "nlu_fallback" if intent == "stop" else intent
    assert _guarded(text, intent) == expected


@pytest.mark.parametrize(
    "text",
    ["skal jeg stoppe med min penicillin", "kan jeg holde op med at tage mine piller",
     "må jeg droppe antibiotikaen før tid", "hvornår kan jeg stoppe behandlingen"],
)  # fmt: skip
def test_stopping_a_medicine_is_a_question_for_the_doctor_not_a_stop(text: str) -> None:
    # out_of_scope answers illness and medicine with the way to one's own doctor (bot.symptoms).
    assert _guarded(text, "stop") == "out_of_scope"


@pytest.mark.parametrize("text", ["stop med at spørge", "jeg stopper med kurset", "stop, jeg har feber"])
def test_a_stop_that_names_no_medicine_stays_stop(text: str) -> None:
    assert _guarded(text, "stop") == "stop"


def test_no_stop_example_in_the_data_reads_as_stopping_a_treatment() -> None:
    from bot.symptoms import asks_about_stopping_treatment

    stops = [text for intent, text in load_examples(settings.DATA_DIR) if intent == "stop"]
    assert [text for text in stops if asks_about_stopping_treatment(text)] == []


@pytest.mark.parametrize(
    "text", ["annuller min plads på holdet", "stop mødet", "stop moedet på torsdag", "annuller dialogmodet"]
)
def test_words_that_name_a_sign_up_in_any_spelling(text):
    # With no form running, "stop" about a sign-up offers to cancel it (actions/forms.py).
    assert names_a_sign_up(text)
    assert not names_a_call_back(text)


def test_a_meeting_is_not_found_inside_other_words():
    assert not names_a_sign_up("stop, jeg har ombestemt mig")
    assert not names_a_sign_up("stop, jeg har mistet modet")  # "modet" is courage, not a meeting
