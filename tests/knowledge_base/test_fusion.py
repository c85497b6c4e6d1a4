"""The learned fusion: fitting (knowledge_base.learning), the confidence, saving beside the model (fusion)."""

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge_base import corpus, fusion, learning
from knowledge_base.retriever import DEPTH

ROOT = Path(__file__).resolve().parents[2]


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
    return [(f"answerable {i % 5}", f"e{i % 5}") for i in range(n)] + [(f"nothing {i}", corpus.NO_ENTRY) for i in range(n // 3)]


def test_learns_to_rank_the_supported_candidate_first_and_to_doubt_when_none_is():
    rng = np.random.default_rng(3)
    learned = learning.learn(FakeCandidates(rng), queries(90))
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
    learned = learning.learn(FakeCandidates(np.random.default_rng(5)), queries(30), model=str(model_dir))
    learned.save(fusion.path_for(str(model_dir)))
    assert fusion.path_for(str(model_dir)) == model_dir / "fusion.json"
    assert fusion.for_model(str(model_dir)) == learned


def test_a_hub_model_without_learned_weights_gets_the_default():
    assert fusion.path_for("BAAI/bge-m3").parent == fusion.FUSION_DIR
    assert fusion.for_model("nobody/never-learned") is fusion.DEFAULT
    assert fusion.DEFAULT.confidence(np.array([]), np.zeros((0, len(fusion.CANDIDATE_FEATURES)))) == 0.0


def test_the_development_queries_name_real_entries():
    ids = {e["id"] for e in corpus.seed_entries()}
    dev = corpus.load_dev_queries()
    assert len(dev) >= 300
    assert {gold for _, gold in dev} - ids == {corpus.NO_ENTRY}


def test_unreadable_or_outdated_weights_fall_back_to_the_default(tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "fusion.json").write_text("{not json")
    assert fusion.for_model(str(model_dir)) is fusion.DEFAULT
    outdated = fusion.Fusion([1.0, 2.0], 0.0, [1.0], 0.0)
    outdated.save(model_dir / "fusion.json")
    assert fusion.for_model(str(model_dir)) is fusion.DEFAULT
    assert fusion.DEFAULT.fits_features()


def test_the_seed_documents_and_the_out_of_scope_questions():
    documents = corpus.seed_documents()
    assert len(documents) == len(corpus.seed_entries()) >= 100
    assert all(document.question and document.answer for document in documents)
    out_of_scope = corpus.out_of_scope_queries()
    assert out_of_scope and {gold for _, gold in out_of_scope} == {corpus.NO_ENTRY}


# --- runtime scoring, offline learning and the seed corpus are three modules, without a cycle -------

PACKAGE = ROOT / "knowledge_base"


def own_imports(path: Path):
    """(module imported, at module level?) for each import of a knowledge_base module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.module != "knowledge_base" else [f"knowledge_base.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(name, id(node) in top_level) for name in names if name.startswith("knowledge_base.")]
    return found


def test_no_module_of_the_package_imports_another_inside_a_function():
    late = {path.name: [name for name, top in own_imports(path) if not top] for path in PACKAGE.glob("*.py")}
    assert {name: modules for name, modules in late.items() if modules} == {}


def test_the_imports_of_the_package_form_no_cycle():
    graph = {f"knowledge_base.{path.stem}": {name for name, _ in own_imports(path)} for path in PACKAGE.glob("*.py")}
    done, path = set(), []

    def visit(module):
        assert module not in path, " -> ".join(path[path.index(module):] + [module])
        if module in done:
            return
        path.append(module)
        for imported in graph.get(module, ()):
            visit(imported)
        path.pop()
        done.add(module)

    for module in graph:
        visit(module)
    assert "knowledge_base.retriever" not in graph["knowledge_base.fusion"]
    assert "knowledge_base.learning" not in graph["knowledge_base.retriever"]


@pytest.mark.parametrize("module", ["fusion", "retriever", "corpus", "learning"])
def test_each_module_imports_alone(module):
    """In a fresh interpreter, first: no import order hides a cycle; runtime scoring needs no scikit-learn."""
    code = (f"import sys, knowledge_base.{module}; "
            "print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
