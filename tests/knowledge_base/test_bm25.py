from knowledge_base.bm25 import IncrementalBM25


def test_ranks_the_document_with_the_rare_term_first():
    index = IncrementalBM25()
    index.upsert("a", ["tien", "dien", "thang"])
    index.upsert("b", ["cong", "to", "kiem", "dinh"])
    index.upsert("c", ["tien", "nuoc"])
    assert [doc for doc, _ in index.search(["kiem", "dinh"])] == ["b"]
    assert index.search(["tien", "dien"])[0][0] == "a"


def test_updates_and_removals_are_incremental_and_exact():
    index = IncrementalBM25()
    index.upsert("a", ["hoa", "don"])
    index.upsert("b", ["cong", "to"])
    only_b = IncrementalBM25()
    only_b.upsert("b", ["cong", "to"])
    index.upsert("a", ["cong", "to", "moi"])  # replace
    assert {doc for doc, _ in index.search(["cong"])} == {"a", "b"}
    assert index.search(["hoa"]) == []
    index.remove("a")
    assert index.search(["cong"]) == only_b.search(["cong"])  # as if "a" had never been there
    index.remove("missing")  # no error
    assert len(index) == 1


def test_empty_index_and_unknown_terms():
    index = IncrementalBM25()
    assert index.search(["x"]) == []
    index.upsert("a", ["x"])
    assert index.search(["y"]) == []
    assert index.search([]) == []


def test_freed_slots_are_reused_without_changing_scores():
    index = IncrementalBM25()
    fresh = IncrementalBM25()
    for i in range(200):
        index.upsert(f"tmp{i}", ["dien", f"t{i}"])
    for i in range(200):
        index.remove(f"tmp{i}")
    for doc, words in (("a", ["tien", "dien"]), ("b", ["cong", "to", "dien"]), ("c", ["hoa", "don", "dien", "dien"])):
        index.upsert(doc, words)
        fresh.upsert(doc, words)
    for query in (["dien"], ["cong", "dien"], ["hoa"]):
        assert index.search(query) == fresh.search(query)
