"""Team corrections move predictions, survive a bytes round trip, and never need pickle."""

import io

import numpy as np

from chorus.classify import SENTIMENTS, get_classifier
from chorus.classify.adapt import AdaptedClassifier, WorkspaceAdapter, hashed_features

# The team reads "sick" as praise in their community of skaters.
CORRECTIONS = [
    ("That new deck is sick, the grip is unreal", "positive"),
    ("Le colis est arrivé hier soir", "neutral"),
    ("Still waiting for my refund, third email", "negative"),
]


def test_corrected_text_and_near_duplicates_take_the_team_label() -> None:
    base = get_classifier()
    adapter = WorkspaceAdapter.from_corrections(CORRECTIONS, field="sentiment", base=base)
    adapted = AdaptedClassifier(base, [adapter])

    assert adapted.classify("That new deck is sick, the grip is unreal").sentiment == "positive"
    assert adapted.classify("That new deck is sick!! the grip is unreal").sentiment == "positive"
    assert adapted.classify("Still waiting for my refund, third email!").sentiment == "negative"


def test_unrelated_text_keeps_the_base_prediction() -> None:
    base = get_classifier()
    adapter = WorkspaceAdapter.from_corrections(CORRECTIONS, field="sentiment", base=base)
    text = "J'adore, merci beaucoup, c'est génial !"

    assert (
        AdaptedClassifier(base, [adapter]).classify(text).sentiment == base.classify(text).sentiment
    )


def test_intent_corrections() -> None:
    base = get_classifier()
    corrections = [("Do you have the hoodie in XXL", "purchase_intent"), ("nice pic", "praise")]
    adapter = WorkspaceAdapter.from_corrections(corrections, field="intent", base=base)

    assert AdaptedClassifier(base, [adapter]).classify("do you have the hoodie in XXL?").intent == (
        "purchase_intent"
    )


def test_bytes_round_trip_gives_the_same_predictions() -> None:
    base = get_classifier()
    adapter = WorkspaceAdapter.from_corrections(CORRECTIONS, field="sentiment", base=base)
    payload = adapter.to_bytes()
    restored = WorkspaceAdapter.from_bytes(payload)
    texts = ["That new deck is sick", "Le colis est arrivé", "meh", "worst shop ever"]

    assert isinstance(payload, bytes)
    assert restored.field == "sentiment"
    assert AdaptedClassifier(base, [restored]).classify_many(texts) == AdaptedClassifier(
        base, [adapter]
    ).classify_many(texts)


def test_single_label_corrections_still_serialise() -> None:
    adapter = WorkspaceAdapter.from_corrections([("trop cher", "negative")], base=get_classifier())

    assert WorkspaceAdapter.from_bytes(adapter.to_bytes()).coefficients is None


def test_a_payload_of_the_first_format_loads_and_changes_nothing() -> None:
    # The first format hashed other features: its vectors mean nothing now; the next
    # correction retrains the workspace.
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        field=np.asarray("sentiment"),
        labels=np.asarray(SENTIMENTS),
        corrected_labels=np.asarray([2]),
        corrected_data=np.asarray([1.0]),
        corrected_indices=np.asarray([7]),
        corrected_indptr=np.asarray([0, 1]),
        corrected_shape=np.asarray([1, 2**18]),
    )
    base = get_classifier()
    adapter = WorkspaceAdapter.from_bytes(buffer.getvalue())
    texts = ["worst shop ever", "J'adore, merci beaucoup !"]

    assert AdaptedClassifier(base, [adapter]).classify_many(texts) == base.classify_many(texts)


def test_many_corrections_pull_harder_than_a_few() -> None:
    base = get_classifier()
    text = "omg sick session today"
    corrections = [
        (f"{subject} {ending}", "positive")
        for subject in ("this deck", "the wheels", "that trick", "your shop", "the grip")
        for ending in ("is sick", "looks sick", "was sick bro", "so sick")
    ] + [("worst delivery ever", "negative")]
    few = WorkspaceAdapter.from_corrections(corrections[:3] + corrections[-1:], base=base)
    many = WorkspaceAdapter.from_corrections(corrections, base=base)

    def positive_share(adapter: WorkspaceAdapter) -> float:
        probabilities = adapter._base_probabilities(base.classify_many([text]))
        adjusted = adapter._adjusted_probabilities(hashed_features([text]), probabilities)
        return float(adjusted[0, SENTIMENTS.index("positive")])

    assert positive_share(many) > positive_share(few)
