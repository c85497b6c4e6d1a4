"""The closed vocabularies of the API: purposes, payment channels, request kinds and their statuses.

Values are stable ASCII identifiers (part of the contract); the Vietnamese
labels are what the assistant shows to customers. What the assistant uses too
(purposes, payment channels, bill statuses, contract-change kinds, complaint
categories, provinces, the customer-code rule) lives in the shared ``vocabulary``
package and is re-exported here; the rest (request kinds, their codes and
statuses, what the sandbox announces) is the sandbox's own.
"""

from __future__ import annotations

from typing import Dict, Tuple

from vocabulary import (  # noqa: F401 - re-exported: the sandbox's modules use them as v.NAME
    BILL_OVERDUE,
    BILL_PAID,
    BILL_STATUSES,
    BILL_UNPAID,
    CHANGE_TYPE_LABELS,
    CHANGE_TYPES,
    COMPLAINT_CATEGORIES,
    CUSTOMER_CODE_PATTERN,
    PAYMENT_CHANNELS,
    PHASES,
    PROVINCES,
    PURPOSE_LABELS,
    PURPOSES,
)

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

# Restoration announced for an outage report: hazards (fallen wire, fire…) go first.
RESTORATION_HOURS = 4
HAZARD_RESTORATION_HOURS = 2
NOTE_OUTAGE_RECEIVED = "Tiếp nhận báo mất điện qua trợ lý ảo"
NOTE_OUTAGE_HAZARD = "Báo mất điện có nguy hiểm: ưu tiên xử lý"
NOTE_OUTAGE_ESCALATED = "Có khách hàng báo nguy hiểm tại khu vực: nâng mức ưu tiên xử lý"

# Working days announced when a request is received.
CONNECTION_DAYS_BY_PHASES: Dict[int, int] = {1: 5, 3: 7}
CONTRACT_CHANGE_DAYS = 3
