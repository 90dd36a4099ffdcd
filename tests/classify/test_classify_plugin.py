"""Operators swap the classifier with CHORUS_CLASSIFIER="dotted.path.ClassName"."""

import subprocess
import sys
from collections.abc import Iterator, Sequence

import pytest

from chorus import classify as classify_package
from chorus.classify import Classification, get_classifier


class AlwaysPositive:
    def classify(self, text: str) -> Classification:
        return Classification("en", "positive", 1.0, 0.0, False, 0.0, "praise")

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        return [self.classify(text) for text in texts]


class NotAClassifier:
    pass


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    classify_package._build_classifier.cache_clear()
    yield
    classify_package._build_classifier.cache_clear()


def test_custom_class_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHORUS_CLASSIFIER", f"{__name__}.AlwaysPositive")

    assert isinstance(get_classifier(), AlwaysPositive)
    assert classify_package.classify("awful").sentiment == "positive"


def test_default_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHORUS_CLASSIFIER", raising=False)

    assert type(get_classifier()).__name__ == "ChorusClassifier"


def test_a_class_without_the_protocol_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHORUS_CLASSIFIER", f"{__name__}.NotAClassifier")

    with pytest.raises(TypeError):
        get_classifier()


def test_the_package_does_not_import_django() -> None:
    code = "import sys, chorus.classify as c; c.classify('merci'); print('django' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert output.stdout.strip() == "False"
