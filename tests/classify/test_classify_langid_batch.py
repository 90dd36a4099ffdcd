"""The batch language identifier gives py3langid's own answers."""

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from chorus.classify.langid_batch import identify

TEXTS = [
    "Das ist wirklich ein sehr gutes Produkt",
    "Questo prodotto è fantastico, lo consiglio",
    "Le colis est arrivé cassé",
    "I LOVE THIS SO MUCH",
    "😂😂",
    "¿Dónde está la tienda más cercana?",
]


def test_same_language_and_probability_as_py3langid() -> None:
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    for (language, probability), text in zip(identify(TEXTS), TEXTS, strict=True):
        expected_language, expected_probability = reference.classify(text)
        assert language == expected_language
        assert probability == pytest.approx(expected_probability, abs=1e-3)


def test_a_long_message_is_judged_on_its_beginning() -> None:
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    text = "Le colis est arrivé cassé et personne ne répond au téléphone. " * 100

    assert identify([text])[0][0] == reference.classify(text)[0] == "fr"
