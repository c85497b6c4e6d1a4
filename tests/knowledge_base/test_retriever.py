"""The hybrid retriever with the packaged offline model (no hub)."""

import pytest

from knowledge_base.retriever import Document, HybridRetriever

DOCS = [
    Document("cap-dien-thoi-gian", "Cấp điện mới hạ áp mất bao lâu?",
             ["đăng ký lắp công tơ mới bao lâu thì có điện", "bao lau thi duoc cap dien"],
             answer="Dạ, thời gian cấp điện mới hạ áp tối đa là 5 ngày làm việc kể từ khi nhận đủ hồ sơ."),
    Document("giay-to-cap-dien", "Hồ sơ cấp điện mới cần giấy tờ gì?",
             ["lam ho so dang ky dien can gi", "cần CCCD và sổ đỏ không"],
             answer="Dạ, quý khách cần giấy tờ tùy thân (CCCD, hộ chiếu) và giấy tờ chứng minh quyền sử dụng nhà, đất."),
    Document("ngung-cap-dien-bao-truoc", "Điện lực phải báo trước bao lâu khi ngừng cấp điện theo kế hoạch?",
             ["cup dien co bao truoc khong", "lịch cắt điện thông báo trước mấy ngày"],
             answer="Dạ, ngừng cấp điện theo kế hoạch được thông báo trước ít nhất 5 ngày."),
    Document("kiem-dinh-cong-to", "Kiểm định công tơ thế nào, ai trả phí?",
             ["nghi cong to chay nhanh muon kiem tra", "đồng hồ điện chạy sai thì làm sao"],
             answer="Dạ, kiểm định công tơ là dịch vụ có thu phí, thực hiện trong 3 ngày làm việc."),
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
    hits = retriever.search("kiểm định công tơ hết bao nhiêu tiền").hits
    assert hits[0].id == "kiem-dinh-cong-to" and hits[0].score > hits[1].score


@pytest.mark.parametrize("query", ["hôm nay trời có mưa không", "cho em hỏi giá vàng hôm nay", "tien nuoc thang nay"])
def test_questions_no_entry_answers_are_not_answered(retriever, query):
    result = retriever.search(query)
    assert not result.answered and result.confidence < retriever.threshold


def test_the_confidence_is_a_probability_and_the_best_hit_carries_it(retriever):
    result = retriever.search("cup dien co bao truoc khong")
    assert 0.0 <= result.confidence <= 1.0
    assert result.hits[0].score == result.confidence
    assert all(0.0 <= hit.score <= result.confidence for hit in result.hits)


@pytest.mark.parametrize("query", ["", "   ", "👍", "x" * 5000])
def test_bad_queries(retriever, query):
    result = retriever.search(query)
    assert result.answered is False or result.hits


def test_live_update_and_removal():
    index = HybridRetriever()
    for document in DOCS:
        index.upsert(document)
    new = Document("zalo-thong-bao", "Nhận thông báo tiền điện qua Zalo thế nào?", ["dang ky nhan hoa don qua zalo"],
                   answer="Dạ, quý khách quan tâm Zalo OA của Điện lực và liên kết mã khách hàng.")
    assert index.search("nhận thông báo tiền điện qua zalo").hits[0].id != "zalo-thong-bao"
    index.upsert(new)
    assert index.search("nhận thông báo tiền điện qua zalo").hits[0].id == "zalo-thong-bao"
    index.remove("zalo-thong-bao")
    assert all(hit.id != "zalo-thong-bao" for hit in index.search("nhận thông báo tiền điện qua zalo").hits)
    assert len(index) == len(DOCS)
