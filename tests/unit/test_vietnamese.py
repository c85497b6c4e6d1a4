import pytest

from bot.text.vietnamese import fold_diacritics, has_diacritics, unify_tone_placement


@pytest.mark.parametrize(
    "text, folded",
    [
        ("tiền điện", "tien dien"),
        ("Điện lực ĐỒNG NAI", "Dien luc DONG NAI"),
        ("hóa đơn tháng trước", "hoa don thang truoc"),
        ("already plain", "already plain"),
        ("", ""),
    ],
)
def test_fold_diacritics(text, folded):
    assert fold_diacritics(text) == folded


def test_has_diacritics():
    assert has_diacritics("tiền")
    assert has_diacritics("đi")
    assert not has_diacritics("tien dien thang nay")


@pytest.mark.parametrize(
    "new_style, old_style",
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
        ("HOÀ", "HÒA"),
    ],
)
def test_new_style_tone_moves_to_first_vowel(new_style, old_style):
    assert unify_tone_placement(new_style) == old_style


@pytest.mark.parametrize("word", ["hòa", "thúy", "quý", "quỳ", "hoàng", "toán", "khuya", "điện", "oa", ""])
def test_words_already_canonical_are_unchanged(word):
    assert unify_tone_placement(word) == word
