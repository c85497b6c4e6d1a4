"""Vietnamese wording of the answers the actions compose from back-office data.

Fixed sentences live in domain.yml (responses); this module builds the answers
whose shape depends on data (bills, tiers, outages, request progress). One
register everywhere: "Dạ, …", the customer is "Quý khách".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Dict, Iterable, List

from actions.periods import month_label
from tariff import BillBreakdown, Tariff, format_date, format_kwh, format_vnd

BILL_STATUS = {"paid": "Đã thanh toán", "unpaid": "Chưa thanh toán", "overdue": "Quá hạn thanh toán"}
CHANNELS = {
    "momo": "ví MoMo", "zalopay": "ví ZaloPay", "vnpay": "VNPAY", "bank_transfer": "chuyển khoản ngân hàng",
    "auto_debit": "trích nợ tự động", "counter": "quầy giao dịch của Điện lực", "post_office": "bưu điện",
    "app": "ứng dụng CSKH", "shopeepay": "ví ShopeePay", "viettel_money": "Viettel Money", "payoo": "Payoo",
}


def iso_date(value: str) -> str:
    return format_date(dt.date.fromisoformat(value[:10]))


def iso_datetime(value: str) -> str:
    moment = dt.datetime.fromisoformat(value)
    return f"{moment:%H:%M} ngày {format_date(moment.date())}"


def vat_percent(rate: Any) -> str:
    return f"{(Decimal(str(rate)) * 100).normalize():f}%"


def tier_lines(lines: Iterable[Dict[str, Any]]) -> List[str]:
    return [
        f"  • Bậc {l['tier']}: {format_kwh(Decimal(str(l['kwh'])))} × {format_vnd(l['price'])} = {format_vnd(l['amount'])}"
        if l.get("tier")
        else f"  • {format_kwh(Decimal(str(l['kwh'])))} × {format_vnd(l['price'])} = {format_vnd(l['amount'])}"
        for l in lines
    ]


def bill_details(code: str, bill: Dict[str, Any]) -> str:
    status = BILL_STATUS.get(bill["status"], bill["status"])
    if bill["status"] == "paid" and bill.get("paid_at"):
        channel = CHANNELS.get(bill.get("payment_channel") or "", bill.get("payment_channel") or "")
        status += f" ngày {iso_date(bill['paid_at'])}" + (f" qua {channel}" if channel else "")
    lines = [
        f"Dạ, hóa đơn tiền điện {month_label(bill['period'])} của mã khách hàng {code}:",
        f"- Điện năng tiêu thụ: {format_kwh(bill['kwh'])} (ghi chỉ số ngày {iso_date(bill['reading_date'])})",
        *tier_lines(bill.get("lines", [])),
        f"- Tiền điện chưa thuế: {format_vnd(bill['subtotal'])}",
        f"- Thuế GTGT {vat_percent(bill['vat_rate'])}: {format_vnd(bill['vat'])}",
        f"- Tổng cộng: {format_vnd(bill['total'])}",
        f"- Hạn thanh toán: {iso_date(bill['due_date'])}. Trạng thái: {status}.",
    ]
    return "\n".join(lines)


def bills_summary(code: str, bills: List[Dict[str, Any]]) -> str:
    rows = [
        f"- {month_label(b['period'])}: {format_kwh(b['kwh'])}, {format_vnd(b['total'])} "
        f"({BILL_STATUS.get(b['status'], b['status']).lower()})"
        for b in bills
    ]
    return "\n".join([f"Dạ, tiền điện {len(bills)} kỳ gần nhất của mã khách hàng {code}:", *rows])


def debt_summary(code: str, debt: Dict[str, Any]) -> str:
    if not debt.get("unpaid_bills"):
        return (f"Dạ, mã khách hàng {code} hiện đã thanh toán đầy đủ, không còn nợ tiền điện. "
                "Cảm ơn Quý khách đã thanh toán đúng hạn ạ.")
    lines = [f"Dạ, mã khách hàng {code} hiện còn nợ {format_vnd(debt['outstanding_total'])}:"]
    overdue = {b["period"] for b in debt.get("overdue_bills", [])}
    for bill in debt["unpaid_bills"]:
        state = "quá hạn" if bill["period"] in overdue else f"hạn {iso_date(bill['due_date'])}"
        lines.append(f"- {month_label(bill['period'])}: {format_vnd(bill['total'])} ({state})")
    if overdue:
        lines.append(
            "Quý khách lưu ý: khi quá hạn, Điện lực gửi thông báo thanh toán lần 2; sau 15 ngày kể từ thông báo "
            "lần đầu mà vẫn chưa thanh toán, Điện lực có thể tạm ngừng cấp điện và sẽ báo trước 24 giờ. "
            "Quý khách vui lòng thanh toán sớm để tránh gián đoạn cấp điện ạ."
        )
    else:
        lines.append("Quý khách vui lòng thanh toán trước hạn để tránh phát sinh nhắc nợ ạ.")
    return "\n".join(lines)


def meter_index(value: int) -> str:
    """``12345`` -> ``12.345`` (dots between thousands, like amounts)."""
    return f"{value:,}".replace(",", ".")


def readings_summary(code: str, readings: List[Dict[str, Any]]) -> str:
    rows = [
        f"- {month_label(r['period'])} (ghi ngày {iso_date(r['reading_date'])}): chỉ số cũ {meter_index(r['old_index'])}, "
        f"chỉ số mới {meter_index(r['new_index'])}, tiêu thụ {format_kwh(r['kwh'])}"
        for r in readings
    ]
    return "\n".join([f"Dạ, chỉ số công tơ các kỳ gần đây của mã khách hàng {code}:", *rows])


def calculation(breakdown: BillBreakdown) -> str:
    lines = [
        f"Dạ, với {format_kwh(breakdown.kwh)} điện sinh hoạt (giá theo {breakdown.decision}):",
        *tier_lines(vars(line) for line in breakdown.lines),
        f"- Cộng chưa thuế: {format_vnd(breakdown.subtotal)}",
        f"- Thuế GTGT {vat_percent(breakdown.vat_rate)}: {format_vnd(breakdown.vat)}",
        f"- Tổng cộng: {format_vnd(breakdown.total)}",
        "Số tiền thực tế còn tùy số ngày của kỳ ghi chỉ số và định mức số hộ của Quý khách ạ.",
    ]
    return "\n".join(lines)


def tariff_table(tariff: Tariff, vat_rate: Decimal) -> str:
    lower = 0
    rows = []
    for tier in tariff.tiers:
        span = f"từ {lower + 1} kWh trở lên" if tier.up_to is None else f"{lower}–{tier.up_to} kWh" if lower == 0 else f"{lower + 1}–{tier.up_to} kWh"
        rows.append(f"- Bậc {tier.number} ({span}): {format_vnd(tier.price)}/kWh")
        lower = tier.up_to or lower
    return "\n".join([
        f"Dạ, giá bán lẻ điện sinh hoạt hiện hành ({tariff.decision}, áp dụng từ {format_date(tariff.effective_from)}), "
        "chưa gồm thuế GTGT:",
        *rows,
        f"Thuế GTGT hiện áp dụng: {vat_percent(vat_rate)}. Công tơ thẻ trả trước: {format_vnd(tariff.prepaid_card)}/kWh.",
        "Quý khách muốn em tính thử tiền điện cho một số kWh cụ thể không ạ?",
    ])


def outages_list(where: str, outages: List[Dict[str, Any]]) -> str:
    if not outages:
        return (f"Dạ, hiện chưa có lịch ngừng cấp điện theo kế hoạch nào tại {where} trong những ngày tới. "
                "Lịch được thông báo trước ít nhất 5 ngày trên ứng dụng, website CSKH và Zalo OA của Điện lực ạ.")
    rows = [
        f"- {'ĐANG DIỄN RA: ' if o.get('in_progress') else ''}từ {iso_datetime(o['start_at'])} đến {iso_datetime(o['end_at'])}, "
        f"{o['area']} ({o['ward'] + ', ' if o.get('ward') else ''}{o['district']}). Lý do: {o['reason']}."
        for o in outages
    ]
    return "\n".join([f"Dạ, lịch ngừng cấp điện theo kế hoạch tại {where}:", *rows])


def request_progress(request: Dict[str, Any]) -> str:
    lines = [
        f"Dạ, yêu cầu {request['code']} hiện ở bước: {request['status_label_vi']} "
        f"(cập nhật {iso_date(request['updated_at'])}).",
    ]
    history = request.get("history") or []
    if len(history) > 1:
        lines.append("Các bước đã qua:")
        lines += [f"- {iso_date(step['at'])}: {step['status_label_vi']}" for step in history]
    return "\n".join(lines)
