"""The hybrid retriever with the packaged offline model (no hub)."""

import pytest

from knowledge_base.retriever import Document, HybridRetriever

DOCS = [
    Document("cap-dien-thoi-gian", "Cấp điện mới hạ áp mất bao lâu?",
             ["đăng ký lắp công tơ mới bao lâu thì có điện", "bao lau thi duoc cap dien"]),
    Document("giay-to-cap-dien", "Hồ sơ cấp điện mới cần giấy tờ gì?",
             ["lam ho so dang ky dien can gi", "cần CCCD và sổ đỏ không"]),
    Document("ngung-cap-dien-bao-truoc", "Điện lực phải báo trước bao lâu khi ngừng cấp điện theo kế hoạch?",
             ["cup dien co bao truoc khong", "lịch cắt điện thông báo trước mấy ngày"]),
    Document("kiem-dinh-cong-to", "Kiểm định công tơ thế nào, ai trả phí?",
             ["nghi cong to chay nhanh muon kiem tra", "đồng hồ điện chạy sai thì làm sao"]),
]


@pytest.fixture(scope="module")
def retriever():
    index = HybridRetriever()
    for document in DOCS:
        index.upsert(document)
    return index


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bao lâu thì được cấp điện sau khi đăng ký", "cap-dien-thoi-gian"),
        ("giay to can thiet de lap dien", "giay-to-cap-dien"),
        ("cắt điện có thông báo trước mấy ngày", "ngung-cap-dien-bao-truoc"),
        ("cong to nha e chay nhanh bat thuong", "kiem-dinh-cong-to"),
    ],
)
def test_finds_the_right_entry_with_or_without_diacritics(retriever, query, expected):
    result = retriever.search(query, k=3)
    assert result.hits[0].id == expected
    assert result.answered


def test_the_right_entry_outranks_an_unrelated_one_for_off_topic_words(retriever):
    # The confidence threshold is not calibrated yet (docs/benchmarks.md, issue 4): only the ranking is tested.
    hits = retriever.search("kiểm định công tơ hết bao nhiêu tiền").hits
    assert hits[0].id == "kiem-dinh-cong-to" and hits[0].score > hits[1].score


@pytest.mark.parametrize("query", ["", "   ", "👍", "x" * 5000])
def test_bad_queries(retriever, query):
    result = retriever.search(query)
    assert result.answered is False or result.hits


def test_live_update_and_removal():
    index = HybridRetriever()
    for document in DOCS:
        index.upsert(document)
    new = Document("zalo-thong-bao", "Nhận thông báo tiền điện qua Zalo thế nào?", ["dang ky nhan hoa don qua zalo"])
    assert index.search("nhận thông báo tiền điện qua zalo").hits[0].id != "zalo-thong-bao"
    index.upsert(new)
    assert index.search("nhận thông báo tiền điện qua zalo").hits[0].id == "zalo-thong-bao"
    index.remove("zalo-thong-bao")
    assert all(hit.id != "zalo-thong-bao" for hit in index.search("nhận thông báo tiền điện qua zalo").hits)
    assert len(index) == len(DOCS)
