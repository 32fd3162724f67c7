"""Custom Rasa NLU components for the Danish pipeline.

- `DanishSpellingFolder` rewrites each token's lemma to its folded spelling
  (æ/ø/å -> ae/oe/aa, lower case), so the count-vector featurizers, which read
  lemmas, see "helsingør", "Helsingoer" and "helsingor"-like typos alike.
- `SubjectGuard`, `EmergencyGuard`, `StopGuard` correct the classifier's intent
  where a wrong one does harm (see each class).
- `SpacyPipelineRecorder` records at training time which spaCy pipeline the
  model was trained with, and logs it when the server loads the model.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.danish import spell_out_letters

logger = logging.getLogger(__name__)

_RECORD_FILE = "spacy_pipeline.json"


class _Stateless(GraphComponent):
    """A component with no configuration or training: `create` just makes one."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


def _set_intent(message: Message, name: str, confidence: float, drop: tuple[str, ...] = ()) -> None:
    """Replace the predicted intent, keeping the rest of the ranking (less `drop`) below it."""
    intent = {"name": name, "confidence": confidence}
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") not in (name, *drop)]
    message.set("intent", intent, add_to_output=True)
    message.set("intent_ranking", [intent] + ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class DanishSpellingFolder(_Stateless):
    """Fold Danish spellings in token lemmas (runs after the tokenizer)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for tokens_key in TOKENS_NAMES.values():
                for token in message.get(tokens_key) or []:
                    token.lemma = spell_out_letters(token.lemma or token.text)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SpacyPipelineRecorder(GraphComponent):
    """Store which spaCy pipeline a model was trained with; log it at load."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, record: dict[str, Any]) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.record = record

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpacyPipelineRecorder:
        return cls(model_storage, resource, {})

    def train(self, training_data: TrainingData) -> Resource:
        from bot.nlp.pipeline import describe

        self.record = describe()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _RECORD_FILE).write_text(json.dumps(self.record), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SpacyPipelineRecorder:
        from bot.nlp.pipeline import describe, summary_line

        record: dict[str, Any] = {}
        try:
            with model_storage.read_from(resource) as directory:
                record = json.loads((directory / _RECORD_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("The model does not record its spaCy pipeline.")
        active = describe()
        logger.info("Active Danish spaCy pipeline: %s", summary_line(active))
        if record and (record.get("name"), record.get("version")) != (
            active.get("name"),
            active.get("version"),
        ):
            logger.warning(
                "The model was trained with %s but %s is installed now; run `make train`.",
                summary_line(record),
                summary_line(active),
            )
        return cls(model_storage, resource, record)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SubjectGuard(_Stateless):
    """A form intent or `emergency` without the words of its subject becomes `nlu_fallback`.

    Messages that are not for this assistant land on any intent; these five do harm
    there (a form starts, the alarm sounds). The rule is bot.intent_guard's.
    A call-back request where the writer will do the calling ("kan jeg ringe direkte til
    genoptræningen?") is `contact_entry_point`: the number to call, not a form asking for theirs.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.intent_guard import NOT_UNDERSTOOD, keeps_intent, person_will_call

        for message in messages:
            text = message.get("text") or ""
            intent = message.get("intent") or {}
            name, confidence = intent.get("name"), intent.get("confidence") or 0.0
            if not keeps_intent(text, name, confidence):
                # Like the FallbackClassifier: the guess stays in the ranking ("Mente du ...?" may offer
                # it, and `rasa test nlu` measures the classifier as it does for fallbacks).
                _set_intent(message, NOT_UNDERSTOOD, confidence)
            elif name == "request_callback" and person_will_call(text):
                _set_intent(message, "contact_entry_point", confidence)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class GreetingGuard(_Stateless):
    """`greet` only with a greeting word, `list_events` only with words about events; otherwise the next
    guess (bot.intent_guard). A hello with only an introduction is `greet`, whatever the guess; a bare
    place ("Vendsyssel") read as small talk is `inform_place`.
    Named for its first job: renaming it in config.yml would retrain the model.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.intent_guard import with_greeting_first, with_place_answer_first, without_unfounded_guess

        for message in messages:
            text, ranking = message.get("text") or "", message.get("intent_ranking") or []
            ranking = (
                with_greeting_first(text, ranking)
                or with_place_answer_first(text, ranking)
                or without_unfounded_guess(text, ranking)
            )
            if ranking is not None:
                message.set("intent", ranking[0], add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(_Stateless):
    """Set the intent to `emergency` when the words describe one (bot.emergency), whatever DIET said."""

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.emergency import is_emergency

        for message in messages:
            text = message.get("text") or ""
            if not text.startswith("/") and is_emergency(text):
                _set_intent(message, "emergency", 1.0)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StopGuard(_Stateless):
    """Keep `stop` for messages that say stop; a name misread as `stop` must not end a form.

    Names and e-mail addresses are new to the classifier and land on any intent;
    `stop` is the one that does harm, so it needs a stop word (bot.language).
    The other way round, a message with a stop word that was not understood ("jeg giver op",
    a phrasing the classifier never saw) is `stop`: in a form, the form ends as asked, instead
    of "Det ligner ikke et navn"; elsewhere it gets the help topics instead of "Mente du ...?".
    """

    def process(self, messages: list[Message]) -> list[Message]:
        from bot.intent_guard import NOT_UNDERSTOOD
        from bot.language import is_stop_request
        from bot.symptoms import asks_about_stopping_treatment

        for message in messages:
            text = message.get("text") or ""
            intent = message.get("intent") or {}
            name, confidence = intent.get("name"), intent.get("confidence", 0.0)
            if text.startswith("/"):
                continue
            if name == "stop" and asks_about_stopping_treatment(text):  # a question for the doctor
                _set_intent(message, "out_of_scope", confidence, drop=("stop",))
                continue
            if name == NOT_UNDERSTOOD and "@" not in text and is_stop_request(text):  # not "stop@firma.dk"
                _set_intent(message, "stop", confidence)
            elif name == "stop" and not is_stop_request(text):
                _set_intent(message, NOT_UNDERSTOOD, confidence, drop=("stop",))
        return messages
