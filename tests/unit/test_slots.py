"""Form field values as customers write them (actions/slots.py)."""

import pytest

from actions.slots import (
    change_type_of, is_correction, is_question, parse_address, parse_kwh, parse_person_name, parse_phases,
    corrected_house_number, parse_phone, parse_purpose, person_name_in, value_after_field_word,
)


@pytest.mark.parametrize("text, name", [
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("nguyen van an", "Nguyen Van An"),
    ("tên tôi là trần thị bích ngọc ạ", "Trần Thị Bích Ngọc"),
    ("em tên Lê Thị Hoa nha", "Lê Thị Hoa"),
    ("chi Tran thi hoa", "Tran Thi Hoa"),
    ("anh Lê Huy", "Lê Huy"),
    ("lam thi mai", "Lam Thi Mai"),  # Lâm, Mai, Huy are names even without diacritics
    ("Tôn Nữ Thị Ngọc Hân", "Tôn Nữ Thị Ngọc Hân"),
    ("Tran Van Minh", "Tran Van Minh"), ("nguyen tien dung", "Nguyen Tien Dung"), ("Phạm Quốc Bảo", "Phạm Quốc Bảo"),
    ("le cong thang", "Le Cong Thang"), ("ma thi to", "Ma Thi To"),
    ("  NGUYỄN   VĂN   BÌNH  ", "Nguyễn Văn Bình"),
])
def test_names_are_taken(text, name):
    assert parse_person_name(text) == name


@pytest.mark.parametrize("text", [
    "thôi để mai tính", "mất bao lâu mới có điện?", "mat bao lau moi co dien", "xin chào", "ok gửi đi", "hủy nhé",
    "không", "Lan", "em tên Lan", "0903123456", "Nguyễn Văn 2", "cho em hỏi giá điện", "tien dien thang nay bn",
    "một hai ba bốn năm sáu bảy", "", None, "thoi huy di", "cam on em", "bye",
])
def test_questions_commands_and_sentences_are_not_names(text):
    assert parse_person_name(text) is None


@pytest.mark.parametrize("text, phone", [
    ("0903123456", "0903123456"), ("090.312.3456", "0903123456"), ("+84 903 123 456", "0903123456"),
    ("０９０３１２３４５６", "0903123456"), ("khoan, số đt sai, đúng là 0912 345 678", "0912345678"),
    ("sdt cua em 84912345678 nha", "0912345678"), ("0903 123", None), ("12345", None), ("", None),
])
def test_phones(text, phone):
    assert parse_phone(text) == phone


@pytest.mark.parametrize("text, address", [
    ("12 Lê Lợi, quận 1, TP.HCM", "12 Lê Lợi, quận 1, TP.HCM"),
    ("so 5 hem 12 duong nguyen trai q5", "so 5 hem 12 duong nguyen trai q5"),
    ("địa chỉ là 45 Trần Phú, phường 4, quận 5", "45 Trần Phú, phường 4, quận 5"),
    ("phường Linh Trung, Thủ Đức", "phường Linh Trung, Thủ Đức"),
])
def test_addresses(text, address):
    assert parse_address(text) == address


@pytest.mark.parametrize("text", ["ở đâu vậy?", "thôi hủy", "quận 1", "0903123456 nha", "mất bao lâu mới có điện", ""])
def test_not_addresses(text):
    assert parse_address(text) is None


@pytest.mark.parametrize("text, kwh", [
    ("xài 200 ký điện 1 tháng", 200), ("1 tháng xài 200 ký", 200), ("1.500 kWh", 1500), ("1,500 kwh", 1500),
    ("hai trăm số", 200), ("hai tram ruoi so", 250), ("một nghìn hai", 1200), ("150", 150), ("300 kWh?", 300),
    ("tháng 10 dùng 250 số", 250), ("nhà 4 người xài 300 số", 300), ("tinh tien 80kw", 80), ("80 kw h", 80),
    ("3 tháng gần đây", None), ("bậc 3 giá bao nhiêu", None), ("quận 7", None), ("", None), (None, None),
])
def test_kwh(text, kwh):
    assert parse_kwh(text) == kwh


def test_phases_purposes_and_change_types():
    assert parse_phases("3 pha nhé") == "3"
    assert parse_phases("công tơ ba pha") == "3"
    assert parse_phases("1 phase") == "1"
    assert parse_phases("3") is None and parse_phases("3", bare_number=True) == "3"
    assert parse_phases("tháng 3") is None
    assert parse_purpose("kinh doanh nha em") == "kinh_doanh"
    assert parse_purpose("mo quan cafe") == "kinh_doanh"
    assert parse_purpose("để ở thôi") == "sinh_hoat"
    assert parse_purpose("đăng ký điện mới cho nhà ở, sdt 0903111222") == "sinh_hoat"  # punctuation after the words
    assert parse_purpose("sinh hoạt") == "sinh_hoat"
    assert parse_purpose("không biết") is None
    assert change_type_of("sang tên") == "sang_ten"
    assert change_type_of("sang tên chủ hợp đồng") == "sang_ten"
    assert change_type_of("tăng định mức cho nhà 6 người") == "dinh_muc"
    assert change_type_of("thanh ly hop dong") == "cham_dut"
    assert change_type_of("chấm dứt hợp đồng") == "cham_dut"
    assert change_type_of("không biết") is None


def test_corrections_and_questions():
    assert is_correction("khoan, số đt sai, đúng là 0912 345 678")
    assert is_correction("sai rồi, tên là Nguyễn Văn Bình")
    assert not is_correction("Nguyễn Văn Bình")
    assert value_after_field_word("sai rồi, tên là Nguyễn Văn Bình", "person_name") == "Nguyễn Văn Bình"
    assert value_after_field_word("nhầm, địa chỉ là 12 Lê Lợi quận 1", "connection_address") == "12 Lê Lợi quận 1"
    assert is_question("mất bao lâu mới có điện?") and is_question("mat bao lau moi co dien")
    assert not is_question("Nguyễn Văn An")


@pytest.mark.parametrize("text, households", [
    ("vậy 8 người thuê dùng 300 số thì bao nhiêu tiền", 2),   # one quota household per 4 tenants
    ("nha co 9 nguoi thue, deu da dang ky tam tru", 3),
    ("phòng trọ 5 sinh viên ở trọ", 2),
    ("2 hộ dùng chung 1 công tơ 400 số", 2),
    ("nhà 4 người dùng 200 số", None),                        # a family is one household
    ("200 số", None),
])
def test_households_of(text, households):
    from actions.slots import households_of

    assert households_of(text) == households


@pytest.mark.parametrize("text, kwh", [
    ("2 hộ dùng chung 1 công tơ 400 số", 400),   # neither the households nor the meter count
    ("tổ 5 dùng 200 số", 200),
])
def test_kwh_next_to_counts(text, kwh):
    assert parse_kwh(text) == kwh


@pytest.mark.parametrize("text, name", [
    ("Nguyen Thi Thu Ha", "Nguyen Thi Thu Ha"), ("Nguyễn Thị Thu Hà", "Nguyễn Thị Thu Hà"),
    ("Le Thi Hong", "Le Thi Hong"), ("Tran Yen Nhi", "Tran Yen Nhi"),
    ("vậy hả", None), ("vay ha", None), ("co duoc khong", None),
])
def test_names_ending_in_syllables_that_are_also_question_particles(text, name):
    assert parse_person_name(text) == name


@pytest.mark.parametrize("text, name", [
    ("ten Nguyen Thi Thu Ha, sdt 0977 123 456", "Nguyen Thi Thu Ha"),
    ("ten toi la Pham Minh Khoi sdt 0868111222", "Pham Minh Khoi"),
    ("Trần Văn Nam, 0903 111 222, 12 Lê Lợi", "Trần Văn Nam"),
    ("cho hỏi, bao lâu thì có điện", None),
])
def test_a_name_among_other_values(text, name):
    assert person_name_in(text) == name


def test_an_address_given_with_other_values_ends_where_they_start():
    assert parse_address("56 Hoàng Văn Thụ, phường 4, quận Tân Bình, TP.HCM, 1 pha") == \
        "56 Hoàng Văn Thụ, phường 4, quận Tân Bình, TP.HCM"
    assert parse_address("18 Nguyen Trai, phuong Ben Thanh, quan 1, tp hcm") == "18 Nguyen Trai, phuong Ben Thanh, quan 1, tp hcm"


def test_a_corrected_house_number_keeps_the_rest_of_the_address():
    old = "56 Hoàng Văn Thụ, phường 4, quận Tân Bình"
    assert corrected_house_number("a khoan, so nha la 58 chu ko phai 56", old) == "58 Hoàng Văn Thụ, phường 4, quận Tân Bình"
    assert corrected_house_number("số nhà 12/3", "Hẻm 5 Lê Lợi") is None  # no house number to replace
    assert corrected_house_number("đúng rồi", old) is None
