import pytest

from bot.text.normalizer import NUMBER, WORD, TextNormalizer, default_normalizer, load_abbreviations


@pytest.fixture(scope="module")
def normalizer():
    return default_normalizer()


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("Tiền Điện THÁNG NÀY", "tiền điện tháng này"),
        ("ko", "không"),
        ("k dc", "không được"),
        ("khong biet", "không biet"),
        ("tđ t10 bn", "tiền điện tháng 10 bao nhiêu"),
        ("sdt cua e", "số điện thoại cua em"),
        ("sđt", "số điện thoại"),
        ("mã kh", "mã khách hàng"),
        ("hđ tháng trc", "hóa đơn tháng trước"),
        ("sang tên hđ", "sang tên hợp đồng"),
        ("bn ơi", "bạn ơi"),
        ("500k", "500 nghìn"),
        ("q7 p12", "quận 7 phường 12"),
        ("hoà thuý", "hòa thúy"),
    ],
)
def test_normalization(normalizer, typed, normalized):
    assert normalizer.normalize(typed).text == normalized


@pytest.mark.parametrize(
    "typed, pieces",
    [
        ("150kWh", [("150", NUMBER), ("kwh", WORD)]),
        ("150 số", [("150", NUMBER), ("số", WORD)]),
        ("150 ký", [("150", NUMBER), ("ký", WORD)]),
        ("1.500 kwh", [("1.500", NUMBER), ("kwh", WORD)]),
        ("10/2026", [("10/2026", NUMBER)]),
    ],
)
def test_numbers_and_units_are_kept(normalizer, typed, pieces):
    assert [(p.text, p.kind) for p in normalizer.normalize(typed).pieces] == pieces


def test_decomposed_unicode_is_composed_and_offsets_point_to_the_original(normalizer):
    typed = "Tie\u0302\u0300n đie\u0323\u0302n"  # combining marks, as some keyboards send
    result = normalizer.normalize(typed)
    assert result.text == "tiền điện"
    assert [typed[p.start : p.end] for p in result.pieces] == ["Tie\u0302\u0300n", "đie\u0323\u0302n"]


def test_expanded_words_point_to_the_abbreviation(normalizer):
    typed = "tđ của e"
    result = normalizer.normalize(typed)
    assert [(p.text, typed[p.start : p.end]) for p in result.pieces] == [
        ("tiền", "tđ"), ("điện", "tđ"), ("của", "của"), ("em", "e"),
    ]


def test_identifiers_become_single_canonical_pieces(normalizer):
    typed = "Mã KH: pe 0100 0123456, sđt +84 903 123 456"
    result = normalizer.normalize(typed)
    identifiers = [(p.kind, p.value, typed[p.start : p.end]) for p in result.pieces if p.value]
    assert identifiers == [
        ("customer_code", "PE01000123456", "pe 0100 0123456"),
        ("phone", "0903123456", "+84 903 123 456"),
    ]


def test_ambiguous_single_letters_are_left_alone(normalizer):
    assert normalizer.normalize("a ơi c ơi").text == "a ơi c ơi"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "👍👍", "???", "Trung Quốc 中国 ok", "x" * 5000, "tiền điện " * 600, "\u0000\ufeff", "😡 tiền điện 😡"],
)
def test_bad_input_never_breaks_and_offsets_stay_inside(normalizer, typed):
    result = normalizer.normalize(typed)
    for piece in result.pieces:
        assert 0 <= piece.start < piece.end <= len(typed)
        assert piece.text


def test_emoji_and_punctuation_are_dropped(normalizer):
    assert normalizer.normalize("😡 tiền điện!!! 😡").text == "tiền điện"


def test_mixed_scripts_are_kept(normalizer):
    assert normalizer.normalize("Trung Quốc 中国").text == "trung quốc 中国"


def test_abbreviation_file_rejects_malformed_lines(tmp_path):
    path = tmp_path / "abbr.tsv"
    path.write_text("ko\n", encoding="utf-8")
    with pytest.raises(ValueError, match="abbr.tsv:1"):
        load_abbreviations(path)


def test_abbreviation_file_can_grow(tmp_path):
    path = tmp_path / "abbr.tsv"
    path.write_text("# comment\nđhđ\tđồng hồ điện\nko\tkhông\n", encoding="utf-8")
    normalizer = TextNormalizer(load_abbreviations(path))
    assert normalizer.normalize("đhđ ko chạy").text == "đồng hồ điện không chạy"
