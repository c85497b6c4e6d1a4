from bot.text.normalizer import default_normalizer
from bot.text.segmenter import segment


def words_of(text):
    return segment(default_normalizer().normalize(text))


def test_underthesea_groups_syllables_into_words():
    words = words_of("cho em hỏi bao nhiêu tiền")
    assert "bao_nhiêu" in [w.text for w in words]


def test_word_offsets_point_into_the_original_text():
    text = "Cho em hỏi BAO NHIÊU tiền vậy ạ?"
    for word in words_of(text):
        assert text[word.start : word.end].lower().split() == word.text.split("_")


def test_identifiers_and_numbers_stay_whole():
    text = "mã pe 0100 0123456 dùng 150kwh"
    words = words_of(text)
    assert [(w.text, w.kind) for w in words if w.kind != "word"] == [
        ("pe01000123456", "customer_code"),
        ("150", "number"),
    ]


def test_folded_form_has_no_diacritics():
    [word] = words_of("điện")
    assert word.folded == "dien"
    assert [w.folded for w in words_of("bao nhiêu")] == ["bao nhieu"]


def test_nothing_to_segment():
    assert words_of("") == []
    assert words_of("🙂 !!") == []


def test_words_never_cross_punctuation():
    texts = [w.text for w in words_of("nhà em ở Gò Vấp, mã khách hàng của em")]
    assert "vấp_mã" not in texts and "khách_hàng" in texts


def test_entity_opening_words_start_a_new_word():
    assert [w.text for w in words_of("cước điện kỳ này")][-2:] == ["kỳ", "này"]


def test_unaccented_runs_stay_syllables():
    assert [w.text for w in words_of("tien dien thang nay bao nhieu")] == [
        "tien", "dien", "thang", "nay", "bao", "nhieu",
    ]


def test_a_run_typed_without_diacritics_stays_syllables_even_with_expanded_teencode():
    # "bn" expands to "bao nhiêu", but the customer typed no diacritic at all.
    texts = [w.text for w in words_of("bn tien dien thang nay")]
    assert texts == ["bao", "nhiêu", "tien", "dien", "thang", "nay"]
