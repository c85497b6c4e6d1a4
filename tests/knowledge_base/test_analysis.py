from knowledge_base.analysis import CONCEPT_PREFIX, concepts, lexicon, terms


def test_accented_and_plain_queries_share_terms():
    assert set(terms("tien dien")) <= set(terms("tiền điện"))


def test_teencode_is_expanded_like_in_the_nlu():
    assert "hoa" in terms("hđ") and "don" in terms("hđ")


def test_stop_words_and_bad_input():
    assert "cua" not in terms("của tôi")
    assert terms("") == [] and terms("👍") == []
    assert terms("x" * 5000)


def concepts_of(text):
    return {t for t in terms(text) if t.startswith(CONCEPT_PREFIX)}


def test_the_domain_lexicon_joins_the_customers_words_to_the_entries_words():
    assert concepts_of("đồng hồ điện nhà em") & concepts_of("công tơ điện")
    assert concepts_of("dong ho dien nha em") & concepts_of("công tơ điện")  # unaccented: folded match
    assert concepts_of("cúp điện từ sáng") & concepts_of("mất điện")
    assert concepts_of("chừng nào có điện lại") & concepts_of("bao giờ có điện lại")


def test_an_accented_word_only_matches_its_own_accents():
    fire = concepts_of("công tơ bị cháy")
    assert fire - concepts_of("công tơ chạy nhanh")  # chạy (runs) is not cháy (burns)
    assert fire <= concepts_of("cong to bi chay")  # typed without accents: it could be either


def test_lexicon_variants_are_whole_syllable_sequences():
    table = lexicon()
    assert concepts(["đồng", "hồ", "điện"], table) == [CONCEPT_PREFIX + "cong_to"]
    assert concepts(["đồng"], table) == []
    assert concepts([], table) == []
