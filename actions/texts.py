"""Vietnamese wording of the answers the actions compose from back-office data.

Fixed sentences live in domain.yml (responses); this module builds the answers
whose shape depends on data (bills, tiers, outages, request progress). One
register everywhere: "Dạ, …", the customer is "Quý khách".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Optional

import yaml

from actions.periods import month_label
from bot.text.vietnamese import fold_diacritics
from tariff import BillBreakdown, Tariff, format_date, format_kwh, format_vat, format_vnd, tariff_for_group, tariff_on, vat_period_on
from vocabulary import BILL_STATUS_LABELS, PAYMENT_CHANNEL_LABELS

BILL_STATUS = BILL_STATUS_LABELS
CHANNELS = PAYMENT_CHANNEL_LABELS


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


def bill_fact(code: str, bill: Dict[str, Any], asks: str) -> str:
    """One fact of a bill the customer has seen: its due date (``due``), how it was paid (``paid``), its VAT (``vat``)."""
    month = month_label(bill["period"])
    paid = bill["status"] == "paid"
    if asks == "vat":
        return (f"Dạ, tổng tiền hóa đơn {month} ({format_vnd(bill['total'])}) đã bao gồm thuế GTGT {vat_percent(bill['vat_rate'])}: "
                f"tiền điện chưa thuế {format_vnd(bill['subtotal'])}, thuế GTGT {format_vnd(bill['vat'])} ạ.")
    if asks == "paid" and paid:
        channel = CHANNELS.get(bill.get("payment_channel") or "", bill.get("payment_channel") or "")
        when = f" ngày {iso_date(bill['paid_at'])}" if bill.get("paid_at") else ""
        return (f"Dạ, hóa đơn {month} ({format_vnd(bill['total'])}) của mã khách hàng {code} đã được thanh toán{when}"
                + (f" qua {channel}" if channel else "") + " ạ.")
    status = "đã thanh toán" if paid else "đã quá hạn và chưa thanh toán" if bill["status"] == "overdue" else "chưa thanh toán"
    return (f"Dạ, hóa đơn {month} ({format_vnd(bill['total'])}) của mã khách hàng {code} có hạn thanh toán ngày "
            f"{iso_date(bill['due_date'])}; hiện hóa đơn {status} ạ.")


FLAT_PRICED = {"business": "kinh doanh", "production": "sản xuất", "prepaid": "công tơ thẻ trả trước"}
_PURPOSE_GROUPS = {"kinh_doanh": "business", "san_xuat": "production"}


def flat_price_note(group: str) -> str:
    return (f"Dạ, không ạ: giá điện {FLAT_PRICED[group]} không tính theo bậc thang; mỗi kWh tính cùng một giá"
            + (" theo khung giờ sử dụng (bình thường, thấp điểm, cao điểm)" if group != "prepaid" else "") + " ạ.")


def price_basis(customer: Dict[str, Any], today: dt.date) -> str:
    """How a customer's bills are priced: the business/production price, or the residential tiers times its quota."""
    code = customer["code"]
    group = _PURPOSE_GROUPS.get(customer.get("purpose") or "")
    if group:
        price = tariff_for_group(group, today).prices["normal"]
        return (f"Dạ, hợp đồng của mã khách hàng {code} là điện {FLAT_PRICED[group]}, nên được tính theo giá bán lẻ điện "
                f"{FLAT_PRICED[group]} ({format_vnd(price)}/kWh giờ bình thường, chưa gồm thuế GTGT), không tính bậc thang "
                "như điện sinh hoạt ạ.")
    quota = int(customer.get("quota_households") or 1)
    tiers = tariff_on(today).tiers
    widths = ", ".join(f"bậc {t.number} đến {t.up_to * quota} kWh" for t in tiers[:3] if t.up_to)
    basis = (f"đăng ký định mức {quota} hộ (người thuê có đăng ký tạm trú: cứ 4 người tính 1 hộ), nên mỗi bậc giá được nhân "
             f"{quota}" if quota > 1 else "có định mức 1 hộ")
    return f"Dạ, hợp đồng của mã khách hàng {code} {basis}: {widths}… ạ."


_NEXT_STEP = {
    "new_connection": "nhân viên Điện lực sẽ gọi điện hẹn lịch khảo sát tại địa chỉ đăng ký",
    "contract_change": "Điện lực sẽ liên hệ Quý khách để hoàn tất thay đổi",
    "complaint": "bộ phận chăm sóc khách hàng sẽ liên hệ phản hồi kết quả cho Quý khách",
}


def request_timeline(last: Dict[str, Any]) -> str:
    """"Bao lâu thì có kết quả?" about the request just filed: what comes next and by when."""
    step = _NEXT_STEP.get(last.get("kind") or "", "Điện lực sẽ liên hệ Quý khách")
    when = ""
    if last.get("days"):
        when = f" Thời gian giải quyết tối đa {last['days']} ngày làm việc" + (
            f" (chậm nhất ngày {iso_date(last['by'])})" if last.get("by") else "") + "."
    return (f"Dạ, với yêu cầu {last.get('code')}, {step}.{when} Quý khách có thể hỏi tiến độ bất cứ lúc nào bằng mã "
            f"{last.get('code')}, hoặc gặp nhân viên nếu cần gấp ạ.")


def extreme_month(bill: Dict[str, Any], months: int, least: bool) -> str:
    which = "ít nhất" if least else "nhiều nhất"
    return (f"Dạ, trong {months} kỳ gần nhất, {month_label(bill['period'])} dùng điện {which}: {format_kwh(bill['kwh'])}, "
            f"tiền điện {format_vnd(bill['total'])} ạ.")


def outage_fact(outage: Dict[str, Any], asks: str) -> str:
    """The reason (``reason``) or the end (``end``) of an outage or ticket just told about."""
    if asks == "reason":
        return f"- {outage['what']}: lý do {outage['reason'][0].lower()}{outage['reason'][1:]}."
    return f"- {outage['what']}: dự kiến có điện trở lại lúc {outage['end']}."


def bills_summary(code: str, bills: List[Dict[str, Any]]) -> str:
    rows = [
        f"- {month_label(b['period'])}: {format_kwh(b['kwh'])}, {format_vnd(b['total'])} "
        f"({BILL_STATUS.get(b['status'], b['status']).lower()})"
        for b in bills
    ]
    return "\n".join([f"Dạ, tiền điện {len(bills)} kỳ gần nhất của mã khách hàng {code}:", *rows])


def debt_summary(code: str, debt: Dict[str, Any], latest: Optional[Dict[str, Any]] = None) -> str:
    """What a customer owes; with nothing owed, how the latest bill was paid (``latest``)."""
    if not debt.get("unpaid_bills"):
        paid = ""
        if latest and latest.get("status") == "paid":
            channel = CHANNELS.get(latest.get("payment_channel") or "", latest.get("payment_channel") or "")
            paid = (f" Hóa đơn gần nhất ({month_label(latest['period'])}, {format_vnd(latest['total'])}) đã được thanh toán"
                    + (f" ngày {iso_date(latest['paid_at'])}" if latest.get("paid_at") else "")
                    + (f" qua {channel}" if channel else "") + ".")
        return (f"Dạ, mã khách hàng {code} hiện đã thanh toán đầy đủ, không còn nợ tiền điện.{paid} "
                "Cảm ơn Quý khách đã thanh toán đúng hạn ạ.")
    lines = [f"Dạ, mã khách hàng {code} hiện còn nợ {format_vnd(debt['outstanding_total'])}:"]
    overdue = {b["period"] for b in debt.get("overdue_bills", [])}
    for bill in debt["unpaid_bills"]:
        state = "quá hạn, chưa thanh toán" if bill["period"] in overdue else f"chưa thanh toán, hạn {iso_date(bill['due_date'])}"
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


_CALCULATED_AS = {
    "business": "điện kinh doanh (cấp điện áp dưới 6 kV, giá giờ bình thường)",
    "production": "điện sản xuất (cấp điện áp dưới 6 kV, giá giờ bình thường)",
    "prepaid": "điện sinh hoạt dùng công tơ thẻ trả trước (một giá cho mọi kWh)",
    "short_lease": "điện sinh hoạt của người thuê nhà không có hợp đồng thuê từ 12 tháng (toàn bộ tính giá bậc 3)",
}


def calculation(breakdown: BillBreakdown, today: dt.date, households: int = 1, group: str = "residential") -> str:
    quota = (f", định mức của {households} hộ (người thuê có đăng ký tạm trú: cứ 4 người tính 1 hộ, "
             "mỗi bậc nhân lên theo số hộ)") if households > 1 and group == "residential" else ""
    what = _CALCULATED_AS.get(group, "điện sinh hoạt")
    lines = [
        f"Dạ, với {format_kwh(breakdown.kwh)} {what} trong một tháng{quota} (giá theo {breakdown.decision}):",
        *tier_lines(vars(line) for line in breakdown.lines),
        f"- Cộng chưa thuế: {format_vnd(breakdown.subtotal)}",
        f"- {format_vat(breakdown.vat_period)}: {format_vnd(breakdown.vat)}",
        f"- Tổng cộng (đã gồm thuế GTGT): {format_vnd(breakdown.total)}",
        f"Số tiền tính theo giá ngày {format_date(today)}; hóa đơn thực tế còn tùy số ngày của kỳ ghi chỉ số "
        "và định mức số hộ của Quý khách ạ.",
    ]
    return "\n".join(lines)


def vat_breakdown(breakdown: BillBreakdown, what: str) -> str:
    """"Có tính VAT chưa?" after an amount: yes, and the amounts before and of the tax."""
    vat = format_vat(breakdown.vat_period)
    return (f"Dạ, {what[0].lower()}{what[1:]} đã bao gồm {vat[0].lower()}{vat[1:]}: tiền điện chưa thuế "
            f"{format_vnd(breakdown.subtotal)}, thuế GTGT {format_vnd(breakdown.vat)}, tổng cộng {format_vnd(breakdown.total)} ạ.")


def vat_in_year(today: dt.date, day: dt.date) -> str:
    """"Sang năm thuế VAT còn 8% không?": the rate known for that day, and until when today's applies."""
    now, then = vat_period_on(today), vat_period_on(day)
    if then.rate == now.rate:
        return f"Dạ, theo quy định hiện hành, {format_vat(then)[0].lower()}{format_vat(then)[1:]} ạ."
    ends = f" áp dụng đến hết {format_date(now.end)}" if now.end else ""
    return (f"Dạ, mức thuế GTGT {vat_percent(now.rate)}{ends}; từ {format_date(day)}, theo quy định hiện hành thuế GTGT "
            f"tiền điện là {vat_percent(then.rate)}, trừ khi Nhà nước gia hạn chính sách giảm thuế ạ.")


def vat_note(today: dt.date, topic: Optional[str]) -> str:
    """"Có tính VAT chưa?": whether the amount just given includes VAT, which rate and until when."""
    vat = format_vat(vat_period_on(today))
    if topic in ("calculator", "bill"):
        what = "Số tiền em vừa tính" if topic == "calculator" else "Tổng tiền trên hóa đơn"
        return f"Dạ, {what[0].lower()}{what[1:]} đã bao gồm {vat[0].lower()}{vat[1:]} ạ."
    return f"Dạ, giá điện trong bảng là giá chưa thuế; khi tính tiền, Điện lực cộng thêm {vat[0].lower()}{vat[1:]} ạ."


def tariff_table(tariff: Tariff, today: dt.date) -> str:
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
        f"{format_vat(vat_period_on(today))}. Công tơ thẻ trả trước: {format_vnd(tariff.prepaid_card)}/kWh.",
        "Quý khách muốn em tính thử tiền điện cho một số kWh cụ thể không ạ?",
    ])


_GROUP_NAMES = {"business": "kinh doanh", "production": "sản xuất"}


def group_tariff(group: str, tariff: Tariff, today: dt.date) -> str:
    """The price for business or production use (low voltage, by time of day), or the prepaid-card price."""
    vat = format_vat(vat_period_on(today))
    if group == "prepaid":
        return (f"Dạ, giá điện sinh hoạt dùng công tơ thẻ trả trước là {format_vnd(tariff.prepaid_card)}/kWh, một giá cho mọi "
                f"mức sử dụng, chưa gồm thuế GTGT ({tariff.decision}). {vat} ạ.")
    prices = tariff_for_group(group, today)
    return "\n".join([
        f"Dạ, giá bán lẻ điện cho {_GROUP_NAMES[group]}, cấp điện áp dưới 6 kV ({prices.decision}), chưa gồm thuế GTGT, "
        "tính theo giờ sử dụng:",
        f"- Giờ bình thường: {format_vnd(prices.prices['normal'])}/kWh",
        f"- Giờ thấp điểm: {format_vnd(prices.prices['off_peak'])}/kWh",
        f"- Giờ cao điểm: {format_vnd(prices.prices['peak'])}/kWh",
        f"{vat}. Giá ở cấp điện áp cao hơn thấp hơn mức trên; Quý khách cần giá cho cấp điện áp cụ thể thì cho em biết ạ.",
    ])


_LOCATIONS = Path(__file__).resolve().parent.parent / "nlu_data" / "lookups" / "locations.yml"


@lru_cache(maxsize=1)
def _place_names() -> Dict[str, str]:
    """Folded place name -> its spelling with diacritics, from the NLU's location lookup table."""
    data = yaml.safe_load(_LOCATIONS.read_text(encoding="utf-8")) if _LOCATIONS.exists() else {}
    names: Dict[str, str] = {}
    for block in (data or {}).get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            name = line.strip().lstrip("- ").strip()
            if name and fold_diacritics(name) != name:  # the accented forms only
                names.setdefault(_place_key(name), name[:1].upper() + name[1:])
    return names


def _place_key(text: str) -> str:
    folded = fold_diacritics(text).lower()
    folded = re.sub(r"\b(q|quan)\.?\s*(?=\d)", "quan ", folded)
    folded = re.sub(r"\b(p|phuong)\.?\s*(?=\d)", "phuong ", folded)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", folded).split())


def place_name(written: str) -> str:
    """``quan 7`` -> ``Quận 7``, ``phuong ben nghe`` -> ``Phường Bến Nghé``: the customer's place as it is spelled."""
    return _place_names().get(_place_key(written), written)


def same_place(name: str, written: str) -> bool:
    """``Quận 7`` is what a customer means by ``q7``, ``quan 7`` or ``Quận 7``."""
    a, b = _place_key(name), _place_key(written)
    return a == b or b.endswith(a) or a.endswith(b)


def outages_list(where: str, outages: List[Dict[str, Any]], show_place: bool = True) -> str:
    """The planned outages; ``show_place=False`` leaves out the street and ward (a code not verified)."""
    if not outages:
        return (f"Dạ, hiện chưa có lịch ngừng cấp điện theo kế hoạch nào tại {where} trong những ngày tới. "
                "Lịch được thông báo trước ít nhất 5 ngày trên ứng dụng, website CSKH và Zalo OA của Điện lực ạ.")
    rows = [
        f"- {'ĐANG DIỄN RA: ' if o.get('in_progress') else ''}ngừng cấp điện từ {iso_datetime(o['start_at'])}, "
        f"dự kiến có điện trở lại lúc {iso_datetime(o['end_at'])}"
        + (f", {o['area']} ({o['ward'] + ', ' if o.get('ward') else ''}{o['district']})" if show_place else "")
        + f". Lý do: {o['reason']}."
        for o in outages
    ]
    return "\n".join([f"Dạ, lịch ngừng cấp điện theo kế hoạch tại {where}:", *rows])


def request_progress(request: Dict[str, Any]) -> str:
    lines = [
        f"Dạ, yêu cầu {request['code']} hiện ở bước: {request['status_label_vi']} "
        f"(cập nhật {iso_date(request['updated_at'])}).",
    ]
    if request.get("expected_restoration_at"):
        lines.append(f"Dự kiến có điện trở lại lúc {iso_datetime(request['expected_restoration_at'])}.")
    history = request.get("history") or []
    if len(history) > 1:
        lines.append("Các bước đã qua:")
        lines += [f"- {iso_date(step['at'])}: {step['status_label_vi']}" for step in history]
    return "\n".join(lines)


def bill_payment(code: str, bill: Dict[str, Any]) -> str:
    """Whether one month's bill is paid: "tháng đó đóng chưa?"."""
    label = month_label(bill["period"])
    if bill["status"] == "paid":
        how = CHANNELS.get(bill.get("payment_channel") or "", "")
        when = f" ngày {iso_date(bill['paid_at'])}" if bill.get("paid_at") else ""
        return (f"Dạ, hóa đơn {label} của mã khách hàng {code} ({format_vnd(bill['total'])}) đã thanh toán"
                f"{when}{' qua ' + how if how else ''} ạ.")
    state = "đã quá hạn thanh toán" if bill["status"] == "overdue" else f"chưa thanh toán, hạn thanh toán {iso_date(bill['due_date'])}"
    return f"Dạ, hóa đơn {label} của mã khách hàng {code} ({format_vnd(bill['total'])}) {state} ạ."


_RISE = re.compile(r"\b(tang|cao|gap doi|gap ba|dot bien|vot|nhieu hon|bat thuong|vo ly|rose|higher|increase)\b")
_BILL = re.compile(r"\b(tien dien|hoa don|hd|bill|tien|(?:jan|febr)uary|march|april|june|july|august|september|"
                   r"october|november|december)\b")


def asks_why_bill_rose(text: str) -> bool:
    folded = fold_diacritics(text or "").lower()
    return bool(_RISE.search(folded) and _BILL.search(folded))


def bill_comparison(code: str, bills: List[Dict[str, Any]], readings: List[Dict[str, Any]]) -> str:
    """The latest bills side by side with their readings, and what usually explains a rise."""
    if len(bills) < 2:
        return "Dạ, mã khách hàng này chưa đủ hai kỳ hóa đơn để so sánh ạ."
    by_period = {r["period"]: r for r in readings}
    rows = []
    for bill in bills:
        reading = by_period.get(bill["period"])
        index = (f", chỉ số {meter_index(reading['old_index'])} → {meter_index(reading['new_index'])}"
                 f" (ghi ngày {iso_date(reading['reading_date'])})" if reading else "")
        rows.append(f"- {month_label(bill['period'])}: {format_kwh(bill['kwh'])}, {format_vnd(bill['total'])}{index}")
    latest, previous = bills[0], bills[1]
    delta = int(latest["kwh"]) - int(previous["kwh"])
    if delta > 0:
        verdict = (f"Kỳ {month_label(latest['period'])} dùng nhiều hơn kỳ trước {format_kwh(delta)}; vì giá bậc thang, phần tăng "
                   "rơi vào bậc giá cao hơn nên tiền điện tăng nhanh hơn số kWh.")
    else:
        verdict = "Điện năng tiêu thụ kỳ này không cao hơn kỳ trước."
    return "\n".join([
        f"Dạ, em so sánh các kỳ gần nhất của mã khách hàng {code}:", *rows, verdict,
        "Nguyên nhân thường gặp: số ngày của kỳ ghi chỉ số dài hơn, thời tiết nóng (máy lạnh, quạt), thiết bị mới hoặc "
        "rò điện sau công tơ. Quý khách có thể tự đối chiếu chỉ số trên công tơ với chỉ số ở trên; nếu thấy có chênh lệch, "
        "em ghi nhận yêu cầu kiểm tra lại chỉ số hoặc kiểm định công tơ cho Quý khách ạ.",
    ])


def known_incident(incident: Dict[str, Any]) -> str:
    """Many customers report the same outage: they hear about the incident already open."""
    eta = incident.get("expected_restoration_at")
    when = f" Dự kiến có điện trở lại lúc {iso_datetime(eta)}." if eta else ""
    return (f"Dạ, Điện lực đã ghi nhận sự cố mất điện tại khu vực của Quý khách với mã {incident['code']} và đang xử lý."
            f"{when} Em đã bổ sung phản ánh của Quý khách vào sự cố này, Quý khách không cần báo lại ạ.")


def new_incident(ticket: Dict[str, Any]) -> str:
    eta = ticket.get("expected_restoration_at")
    when = f" Thời gian dự kiến khắc phục: trước {iso_datetime(eta)}." if eta else ""
    return (f"Dạ, em đã chuyển thông tin mất điện tới bộ phận sửa chữa với mã sự cố {ticket['code']}.{when} "
            "Quý khách có thể hỏi tiến độ bằng mã này ạ.")
