"""Short messages get fr/en right; other languages are named only when clear."""

import pytest

from chorus.classify.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("merci !", "fr"),
        ("trop bien", "fr"),
        ("combien ?", "fr"),
        ("Le colis est arrivé cassé", "fr"),
        ("so true", "en"),
        ("love it", "en"),
        ("Is it available in blue?", "en"),
        ("Das ist wirklich ein sehr gutes Produkt", "de"),
        ("Questo prodotto è fantastico, lo consiglio", "it"),
    ],
)
def test_language_of_messages(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "ok", "😂😂", "@brand http://t.co/abc", "#"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"
