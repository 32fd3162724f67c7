"""Load DIET's weights without tracing a training step: the Rasa server starts in seconds, not a minute.

Rasa 3.6 (`rasa.utils.tensorflow.models.RasaModel.load`) builds a loaded model's variables by
fitting it on one example, then overwrites them with the saved weights. That one step runs as a
traced `tf.function`: TensorFlow builds the whole training graph (gradients, the CRF entity loss),
about 70 s on a 2-core machine, for a step whose result is thrown away. Run eagerly, the same step
creates the same variables in a second or two; the model then predicts as configured (a traced
predict step, unless `run_eagerly` is set in config.yml). Fine-tuning keeps Rasa's own load.

`install()` is called by our Rasa server launcher and the pipeline run, before a model is loaded.
Checked against the pinned Rasa (3.6.21): tests/unit/test_fast_model_load.py compares predictions.
"""

from __future__ import annotations

from typing import Any

_INSTALLED_MARK = "_sundhedshus_fast_load"


def install() -> None:
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
    from rasa.utils.tensorflow.models import RasaModel

    if getattr(RasaModel.load, _INSTALLED_MARK, False):
        return
    rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: type[RasaModel],
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:
            return rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                             *args, **kwargs)  # fmt: skip
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
        model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
        model.load_weights(model_file_name)
        model.run_eagerly = config.get(RUN_EAGERLY)  # predictions as configured (traced by default)
        if predict_data_example:
            model.run_inference(predict_data_example)  # trace the predict step now, not at the first message
        return model

    setattr(load, _INSTALLED_MARK, True)
    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]
