from knowledge_base.analysis import terms


def test_accented_and_plain_queries_share_terms():
    assert set(terms("tien dien")) <= set(terms("tiền điện"))


def test_teencode_is_expanded_like_in_the_nlu():
    assert "hoa" in terms("hđ") and "don" in terms("hđ")


def test_stop_words_and_bad_input():
    assert "cua" not in terms("của tôi")
    assert terms("") == [] and terms("👍") == []
    assert terms("x" * 5000)
