"""The learned fusion: fitting, the confidence, saving beside the model."""

import numpy as np

from knowledge_base import fusion
from knowledge_base.retriever import DEPTH


class FakeCandidates:
    """Candidates whose features say clearly which one is right, or that none is."""

    def __init__(self, rng):
        self.rng = rng

    def candidates(self, query, depth=DEPTH):
        ids = [f"e{i}" for i in range(5)]
        width = len(fusion.CANDIDATE_FEATURES)
        features = self.rng.uniform(0.0, 0.3, size=(5, width))
        if query.startswith("answerable"):
            gold = int(query.split()[-1])
            features[gold] = self.rng.uniform(0.7, 1.0, size=width)
        return ids, features


def queries(n):
    return [(f"answerable {i % 5}", f"e{i % 5}") for i in range(n)] + [(f"nothing {i}", fusion.NO_ENTRY) for i in range(n // 3)]


def test_learns_to_rank_the_supported_candidate_first_and_to_doubt_when_none_is():
    rng = np.random.default_rng(3)
    learned = fusion.learn(FakeCandidates(rng), queries(90))
    assert learned.learned_on["unanswerable"] == 30
    retriever = FakeCandidates(np.random.default_rng(4))
    ids, features = retriever.candidates("answerable 2")
    scores = learned.rank_scores(features)
    assert ids[int(np.argmax(scores))] == "e2"
    sure = learned.confidence(scores, features)
    ids, features = retriever.candidates("nothing")
    unsure = learned.confidence(learned.rank_scores(features), features)
    assert 0.0 <= unsure < 0.5 < sure <= 1.0


def test_saved_beside_a_local_model_and_loaded_back(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    learned = fusion.learn(FakeCandidates(np.random.default_rng(5)), queries(30), model=str(model_dir))
    learned.save(fusion.path_for(str(model_dir)))
    assert fusion.path_for(str(model_dir)) == model_dir / "fusion.json"
    assert fusion.for_model(str(model_dir)) == learned


def test_a_hub_model_without_learned_weights_gets_the_default():
    assert fusion.path_for("BAAI/bge-m3").parent == fusion.FUSION_DIR
    assert fusion.for_model("nobody/never-learned") is fusion.DEFAULT
    assert fusion.DEFAULT.confidence(np.array([]), np.zeros((0, len(fusion.CANDIDATE_FEATURES)))) == 0.0


def test_the_development_queries_name_real_entries():
    import yaml

    ids = {e["id"] for e in yaml.safe_load((fusion.ROOT / "knowledge_base/seed/entries.yml").read_text())["entries"]}
    dev = fusion.load_dev_queries()
    assert len(dev) >= 300
    assert {gold for _, gold in dev} - ids == {fusion.NO_ENTRY}


def test_unreadable_or_outdated_weights_fall_back_to_the_default(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "fusion.json").write_text("{not json")
    assert fusion.for_model(str(model_dir)) is fusion.DEFAULT
    outdated = fusion.Fusion([1.0, 2.0], 0.0, [1.0], 0.0)
    outdated.save(model_dir / "fusion.json")
    assert fusion.for_model(str(model_dir)) is fusion.DEFAULT
    assert fusion.DEFAULT.fits_features()
