"""The closed vocabularies of the API: purposes, payment channels, request kinds and their statuses.

Values are stable ASCII identifiers (part of the contract); the Vietnamese
labels are what the assistant shows to customers.
"""

from __future__ import annotations

from typing import Dict, Tuple

# --- customers and bills ------------------------------------------------------

PURPOSES: Tuple[str, ...] = ("sinh_hoat", "kinh_doanh", "san_xuat")
PHASES: Tuple[int, ...] = (1, 3)
PAYMENT_CHANNELS: Tuple[str, ...] = (
    "momo", "zalopay", "vnpay", "bank_transfer", "auto_debit", "counter", "post_office", "app",
)
BILL_PAID, BILL_UNPAID, BILL_OVERDUE = "paid", "unpaid", "overdue"

# --- requests -----------------------------------------------------------------

CONNECTION_REQUEST = "connection_request"
OUTAGE_REPORT = "outage_report"
CONTRACT_CHANGE = "contract_change"
COMPLAINT = "complaint"

PREFIX_BY_KIND: Dict[str, str] = {
    CONNECTION_REQUEST: "YC",
    OUTAGE_REPORT: "SC",
    CONTRACT_CHANGE: "HD",
    COMPLAINT: "KN",
}
# Planned outages are not requests but get codes of the same form.
PLANNED_OUTAGE_PREFIX = "CD"

RECEIVED = "tiep_nhan"
STATUSES_BY_KIND: Dict[str, Tuple[str, ...]] = {
    # the connection workflow, in order; huy (cancelled) can end it at any step
    CONNECTION_REQUEST: ("tiep_nhan", "khao_sat", "ky_hop_dong", "lap_dat", "dong_dien", "huy"),
    OUTAGE_REPORT: ("tiep_nhan", "dang_xu_ly", "da_khac_phuc"),
    CONTRACT_CHANGE: ("tiep_nhan", "dang_xu_ly", "hoan_thanh", "tu_choi"),
    COMPLAINT: ("tiep_nhan", "dang_xu_ly", "da_giai_quyet"),
}
FINAL_STATUSES = frozenset({"dong_dien", "huy", "da_khac_phuc", "hoan_thanh", "tu_choi", "da_giai_quyet"})

STATUS_LABELS_VI: Dict[str, str] = {
    "tiep_nhan": "Đã tiếp nhận",
    "khao_sat": "Đang khảo sát",
    "ky_hop_dong": "Chờ ký hợp đồng",
    "lap_dat": "Đang lắp đặt",
    "dong_dien": "Đã đóng điện",
    "huy": "Đã hủy",
    "dang_xu_ly": "Đang xử lý",
    "da_khac_phuc": "Đã khắc phục",
    "hoan_thanh": "Đã hoàn thành",
    "tu_choi": "Từ chối",
    "da_giai_quyet": "Đã giải quyết",
}

CHANGE_TYPES: Tuple[str, ...] = (
    "sang_ten",        # transfer of the contract to another person
    "doi_thong_tin",   # change of contact details
    "doi_muc_dich",    # change of purpose (residential / business / production)
    "dinh_muc",        # household quota registration
    "tang_cong_suat",  # capacity increase (e.g. 1 to 3 phases)
    "cham_dut",        # termination
    "gia_han",         # renewal
)
COMPLAINT_CATEGORIES: Tuple[str, ...] = (
    "hoa_don",          # bill amount
    "chi_so",           # meter reading
    "cong_to",          # meter device
    "chat_luong_dien",  # voltage, power quality
    "cat_dien",         # outages
    "dich_vu",          # staff, service
    "khac",             # anything else
)

# Restoration announced for an outage report: hazards (fallen wire, fire…) go first.
RESTORATION_HOURS = 4
HAZARD_RESTORATION_HOURS = 2
NOTE_OUTAGE_RECEIVED = "Tiếp nhận báo mất điện qua trợ lý ảo"
NOTE_OUTAGE_HAZARD = "Báo mất điện có nguy hiểm: ưu tiên xử lý"
NOTE_OUTAGE_ESCALATED = "Có khách hàng báo nguy hiểm tại khu vực: nâng mức ưu tiên xử lý"

# Working days announced when a request is received.
CONNECTION_DAYS_BY_PHASES: Dict[int, int] = {1: 5, 3: 7}
CONTRACT_CHANGE_DAYS = 3
