"""The offline spaCy build's lemma table, pruned to the training vocabulary (bot/nlp/pipeline.py).

Built for real into a temporary folder and loaded with spacy.load, against the full table
from spacy-lookups-data: every training text must get exactly the lemmas the full table
gives it (so the features and the trained model stay the same), the build must be
deterministic, and its source hash must follow the training vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.nlp import pipeline, vocabulary


@pytest.fixture(scope="module")
def full_nlp():
    nlp = spacy.blank("da")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return pipeline.build_offline(tmp_path_factory.mktemp("spacy") / "da_pipeline")


def _lemmas(nlp, text: str) -> list[str]:
    return [token.lemma_ for token in nlp(text)]


def test_every_training_text_keeps_the_lemmas_of_the_full_table(full_nlp, built):
    pruned = spacy.load(built)
    texts = sorted(set(vocabulary.training_texts(vocabulary.source_files())))
    assert len(texts) > 1000  # the real training data, not an empty list
    differing = [t for t in texts if _lemmas(full_nlp, t) != _lemmas(pruned, t)]
    assert differing == []


def test_the_table_is_pruned_and_says_so(built):
    info = pipeline.describe(built)
    assert info["offline"] and info["lemma_forms_full"] > 500_000
    assert 0 < info["lemma_forms"] < info["lemma_forms_full"] // 20
    assert "lemma-opslag" in pipeline.summary_line(info)
    pruned = spacy.load(built)
    assert len(pruned.get_pipe("lemmatizer").lookups.get_table(pipeline.LEMMA_TABLE)) == info["lemma_forms"]


def test_a_word_whose_lemma_no_training_word_has_keeps_its_own_form(full_nlp, built):
    pruned = spacy.load(built)
    word = "kvantemekanikkens"  # not a health-house word
    assert _lemmas(full_nlp, word) != [word]  # the full table knows it
    assert _lemmas(pruned, word) == [word]


def test_the_build_is_deterministic_and_up_to_date(built, tmp_path):
    again = pipeline.build_offline(tmp_path / "da_pipeline")
    table = Path("lemmatizer") / "lookups" / "lookups.bin"
    assert (again / table).read_bytes() == (built / table).read_bytes()
    assert pipeline.describe(again)["source_hash"] == pipeline.offline_source_hash()


def test_the_source_hash_follows_the_vocabulary(tmp_path):
    names = pipeline.place_names()
    tokenizer = spacy.blank("da").tokenizer
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (data / "a.yml").write_text("nlu:\n- intent: x\n  examples: |\n    - hvor er [Ballerup](place)\n")
    before = vocabulary.training_vocabulary(tokenizer, vocabulary.source_files(tmp_path))
    assert {"hvor", "er", "ballerup", "Ballerup"} <= before
    (data / "a.yml").write_text("nlu:\n- intent: x\n  examples: |\n    - hvor er lægevagten\n")
    after = vocabulary.training_vocabulary(tokenizer, vocabulary.source_files(tmp_path))
    assert pipeline._source_hash(names, vocabulary.digest(before)) != pipeline._source_hash(
        names, vocabulary.digest(after)
    )
    assert vocabulary.digest(before) == vocabulary.digest(sorted(before, reverse=True))


def test_the_sample_catalogue_is_not_training_vocabulary():
    files = vocabulary.source_files()
    assert all(f.resolve() != pipeline.settings.SAMPLE_CATALOGUE.resolve() for f in files)
    assert any(f.name == "domain.yml" for f in files)
