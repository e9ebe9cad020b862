"""linear.LinearTextModel: the raw-text view and the finer label (``fine_labels``), storage round trip."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from otklik.analysis import linear

FINE = {
    "дороги/ямы": ["яма на дороге", "ямы на проезжей части", "глубокая яма у остановки"],
    "дороги/разметка": ["нет разметки", "стёрлась разметка на переходе", "разметку не обновили"],
    "вода/горячая": ["нет горячей воды", "горячую воду отключили", "горячая вода еле тёплая"],
    "вода/ржавая": ["ржавая вода из крана", "вода коричневая", "вода мутная и ржавая"],
}
PLACES = ("в Гатчине", "у нас во дворе", "на улице Ленина", "третий день", "возле школы")


def _data() -> tuple[list[str], list[str], list[str]]:
    texts, coarse, fine = [], [], []
    for label, phrases in FINE.items():
        for phrase in phrases:
            for place in PLACES:
                texts.append(f"{phrase} {place}")
                coarse.append(label.split("/")[0])
                fine.append(label)
    return texts, coarse, fine


def test_two_views_and_fine_labels_round_trip(tmp_path: Path) -> None:
    texts, coarse, fine = _data()
    settings = linear.Settings(
        word_features=500, char_features=2000, c=1.0, raw_word_features=500, raw_char_features=2000
    )
    model = linear.train(texts, coarse, version="test", settings=settings, fine_labels=fine)
    assert model.classes == ["вода", "дороги"]
    assert model.raw_word_vocab and model.raw_char_vocab
    assert model.fine is not None and model.fine.classes == sorted(FINE)
    # each fine label under its coarse one
    assert [model.classes[i] for i in model.fine.parent] == ["вода", "вода", "дороги", "дороги"]
    n_features = sum(
        len(v) for v in (model.word_vocab, model.char_vocab, model.raw_word_vocab, model.raw_char_vocab)
    )
    assert model.coef.shape == (2, n_features) and model.fine.coef.shape == (4, n_features)

    queries = ["Огромная яма на дороге", "Из крана течёт ржавая вода", "нет горячей воды"]
    proba = model.predict_proba(queries)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert [model.classes[i] for i in proba.argmax(axis=1)] == ["дороги", "вода", "вода"]

    model.save(tmp_path / "m")
    loaded = linear.LinearTextModel.load(tmp_path / "m")
    assert loaded.fine is not None and loaded.fine.parent == model.fine.parent
    assert np.allclose(loaded.predict_proba(queries), proba, atol=1e-2)


def test_a_model_without_extensions_loads_and_predicts(tmp_path: Path) -> None:
    texts, coarse, _ = _data()
    model = linear.train(
        texts, coarse, version="plain", settings=linear.Settings(word_features=500, char_features=2000)
    )
    assert model.fine is None and not model.raw_word_vocab
    model.save(tmp_path / "m")
    loaded = linear.LinearTextModel.load(tmp_path / "m")
    assert loaded.fine is None and not loaded.raw_word_vocab
    assert loaded.top("яма на дороге", k=1)[0][0] == "дороги"


def test_the_small_network_beside_the_svm_learns_and_round_trips(tmp_path: Path) -> None:
    """``hidden`` > 0 (as ``CLASSIFIER`` for ``otklik classifier train``): a network beside each LinearSVC,
    stored with the model and giving the same probabilities after loading."""
    texts, coarse, fine = _data()
    settings = linear.Settings(word_features=500, char_features=2000, hidden=16, epochs=30)
    model = linear.train(texts, coarse, version="net", settings=settings, fine_labels=fine)
    assert model.net is not None and model.fine is not None and model.fine.net is not None
    assert model.net.embed.shape == (len(model.word_vocab) + len(model.char_vocab), 16)

    queries = ["Огромная яма на дороге", "Из крана течёт ржавая вода", "нет горячей воды"]
    x = model.features(queries)
    # the network alone already tells roads from water
    net_pred = [model.classes[i] for i in model.net.scores(x).argmax(axis=1)]
    assert net_pred == ["дороги", "вода", "вода"]
    proba = model.predict_proba(queries)
    assert [model.classes[i] for i in proba.argmax(axis=1)] == ["дороги", "вода", "вода"]

    model.save(tmp_path / "m")
    loaded = linear.LinearTextModel.load(tmp_path / "m")
    assert loaded.net is not None and loaded.fine is not None and loaded.fine.net is not None
    assert np.allclose(loaded.predict_proba(queries), proba, atol=1e-2)


def test_training_twice_on_the_same_examples_gives_the_same_model() -> None:
    """A retrained model is reproducible: the SVMs' coordinate order is seeded, not taken from the process.
    Overlapping classes (the same words in all three), where the solver stops at its tolerance and the order
    of its steps shows in the weights."""
    rng = random.Random(5)
    words = [f"слово{i}" for i in range(300)]
    texts = [" ".join(rng.choices(words, k=8)) for _ in range(400)]
    labels = [rng.choice(["вода", "дороги", "свет"]) for _ in texts]
    settings = linear.Settings(word_features=2000, char_features=2000, c=1.0)
    models = []
    for process_state in (1, 2):
        np.random.seed(process_state)  # whatever else the process drew before
        models.append(linear.train(texts, labels, version="r", settings=settings))
    a, b = models
    assert (a.coef != b.coef).nnz == 0 and np.array_equal(a.intercept, b.intercept)
    assert a.temperature == b.temperature
