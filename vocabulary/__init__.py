"""The vocabularies the assistant (actions/, Python 3.10) and the back office (backoffice/, 3.11) share.

Values are stable ASCII identifiers (part of the back office's API contract,
docs/backoffice_api.md); the Vietnamese labels are what the assistant shows customers.
What the back office accepts and what the assistant offers are both here, so that a
difference between them is written down, not an accident:

- ``CHANGE_TYPES``: the seven kinds of contract change the API takes; the assistant's
  form offers ``ASSISTANT_CHANGE_TYPES`` (six: a renewal, ``gia_han``, goes to a staff member);
- ``PAYMENT_CHANNELS``: what the sandbox records; ``PAYMENT_CHANNEL_LABELS`` also names
  channels a real back office reports (ShopeePay, Viettel Money, Payoo).

Pure Python, standard library only, like ``tariff/``: imported by both runtimes.
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

# --- customers ------------------------------------------------------------------------------------

# What the electricity is used for (the tariff group follows from it).
PURPOSES: Tuple[str, ...] = ("sinh_hoat", "kinh_doanh", "san_xuat")
PURPOSE_LABELS: Dict[str, str] = {"sinh_hoat": "sinh hoạt", "kinh_doanh": "kinh doanh", "san_xuat": "sản xuất"}
PHASES: Tuple[int, ...] = (1, 3)

# The customer code: P, a letter for the power corporation (E EVNHCMC, D EVNHANOI, C EVNCPC,
# B EVNSPC…), then 11 letters or digits: 13 characters, upper case, no separator.
CUSTOMER_CODE_LENGTH = 13
CUSTOMER_CODE_PATTERN = re.compile(r"P[A-Z][A-Z0-9]{11}")
CUSTOMER_CODE_EXAMPLE = "PE01000123456"
_CODE_SEPARATORS = re.compile(r"[\s\-.]")
_LONGEST_TYPED_CODE = 40  # with the spaces, dashes or dots customers put between groups


def is_customer_code(compact: str) -> bool:
    """Whether ``compact`` (no separators, upper case) is a customer code."""
    return bool(CUSTOMER_CODE_PATTERN.fullmatch(compact))


def customer_code(raw: str) -> Optional[str]:
    """``pe 0100 0123456``, ``PE-0100-0123456`` -> ``PE01000123456``; None if it cannot be a customer code."""
    if not raw or len(raw) > _LONGEST_TYPED_CODE:
        return None
    compact = _CODE_SEPARATORS.sub("", raw).upper()
    return compact if is_customer_code(compact) else None


# --- bills and payments ---------------------------------------------------------------------------

BILL_PAID, BILL_UNPAID, BILL_OVERDUE = "paid", "unpaid", "overdue"
BILL_STATUSES: Tuple[str, ...] = (BILL_PAID, BILL_UNPAID, BILL_OVERDUE)
BILL_STATUS_LABELS: Dict[str, str] = {BILL_PAID: "Đã thanh toán", BILL_UNPAID: "Chưa thanh toán",
                                      BILL_OVERDUE: "Quá hạn thanh toán"}

# The channels the sandbox records a payment through.
PAYMENT_CHANNELS: Tuple[str, ...] = (
    "momo", "zalopay", "vnpay", "bank_transfer", "auto_debit", "counter", "post_office", "app",
)
# How the assistant names a channel: those above, and others a real back office reports.
PAYMENT_CHANNEL_LABELS: Dict[str, str] = {
    "momo": "ví MoMo", "zalopay": "ví ZaloPay", "vnpay": "VNPAY", "bank_transfer": "chuyển khoản ngân hàng",
    "auto_debit": "trích nợ tự động", "counter": "quầy giao dịch của Điện lực", "post_office": "bưu điện",
    "app": "ứng dụng CSKH", "shopeepay": "ví ShopeePay", "viettel_money": "Viettel Money", "payoo": "Payoo",
}

# --- contract changes -----------------------------------------------------------------------------

CHANGE_TYPES: Tuple[str, ...] = (
    "sang_ten",        # transfer of the contract to another person
    "doi_thong_tin",   # change of contact details
    "doi_muc_dich",    # change of purpose (residential / business / production)
    "dinh_muc",        # household quota registration
    "tang_cong_suat",  # capacity increase (e.g. 1 to 3 phases)
    "cham_dut",        # termination
    "gia_han",         # renewal
)
CHANGE_TYPE_LABELS: Dict[str, str] = {
    "sang_ten": "sang tên chủ hợp đồng", "doi_thong_tin": "thay đổi thông tin liên hệ",
    "doi_muc_dich": "thay đổi mục đích sử dụng", "dinh_muc": "thay đổi định mức số hộ",
    "tang_cong_suat": "thay đổi công suất", "cham_dut": "chấm dứt hợp đồng",
    "gia_han": "gia hạn hợp đồng",
}
# What the assistant's contract-change form offers (a renewal is handled by a staff member).
ASSISTANT_CHANGE_TYPES: Tuple[str, ...] = tuple(kind for kind in CHANGE_TYPES if kind != "gia_han")

# --- complaints -----------------------------------------------------------------------------------

COMPLAINT_BILL, COMPLAINT_OTHER = "hoa_don", "khac"
COMPLAINT_CATEGORIES: Tuple[str, ...] = (
    COMPLAINT_BILL,     # bill amount
    "chi_so",           # meter reading
    "cong_to",          # meter device
    "chat_luong_dien",  # voltage, power quality
    "cat_dien",         # outages
    "dich_vu",          # staff, service
    COMPLAINT_OTHER,    # anything else
)

# --- provinces ------------------------------------------------------------------------------------

HO_CHI_MINH_CITY, HA_NOI, DA_NANG, CAN_THO = "TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ"
# The provinces the assistant serves (the sandbox's four cities), by their official names.
PROVINCES: Tuple[str, ...] = (HO_CHI_MINH_CITY, HA_NOI, DA_NANG, CAN_THO)
# How customers write a province (accents folded, lower case, words between spaces) -> its name.
# Looked up in this order: the first spelling found in a text names the province.
PROVINCE_SPELLINGS: Dict[str, str] = {
    "ho chi minh": HO_CHI_MINH_CITY, "hcm": HO_CHI_MINH_CITY, "sai gon": HO_CHI_MINH_CITY,
    "tphcm": HO_CHI_MINH_CITY, "ha noi": HA_NOI, "hn": HA_NOI, "da nang": DA_NANG, "can tho": CAN_THO,
    "hochiminh": HO_CHI_MINH_CITY, "saigon": HO_CHI_MINH_CITY, "hanoi": HA_NOI, "danang": DA_NANG,
    "cantho": CAN_THO,
}
# Districts whose name gives away their province (numbered districts are TP.HCM's only): regular
# expressions over the same folded text.
PROVINCE_DISTRICTS: Dict[str, Tuple[str, ...]] = {
    HO_CHI_MINH_CITY: ("quan \\d{1,2}", "q ?\\d{1,2}", "thu duc", "binh thanh", "go vap", "phu nhuan", "tan binh",
                       "tan phu", "binh tan", "binh chanh", "nha be", "hoc mon", "cu chi", "can gio"),
    HA_NOI: ("cau giay", "hoan kiem", "ba dinh", "dong da", "hai ba trung", "thanh xuan", "ha dong", "long bien",
             "hoang mai", "tay ho", "nam tu liem", "bac tu liem", "gia lam", "dong anh", "soc son"),
    DA_NANG: ("hai chau", "son tra", "thanh khe", "ngu hanh son", "lien chieu", "cam le", "hoa vang"),
    CAN_THO: ("ninh kieu", "cai rang", "binh thuy", "o mon", "thot not"),
}
