"""Request and response bodies of the API (pydantic 2); the OpenAPI document is generated from them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Dict, List, Literal, Optional

from pydantic import (
    AfterValidator,
    BeforeValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from backoffice import vocabulary as v
from backoffice.errors import FIELD_CODES, INVALID, INVALID_PHONE, ONE_OF_REQUIRED
from backoffice.codes import canonical_phone, canonical_request_code, normalize_customer_code

# --- reusable input types -------------------------------------------------------

CUSTOMER_CODE_HINT = "must look like PE01000123456 (P, a letter, then 11 letters or digits)"
PHONE_HINT = "must be a 10-digit Vietnamese mobile number such as 0903123456"


# Validators raise the field codes of errors.py (the assistant explains them to customers).


def _customer_code(value: str) -> str:
    code = normalize_customer_code(value)
    if code is None:
        raise PydanticCustomError(INVALID, CUSTOMER_CODE_HINT)
    return code


def _phone(value: str) -> str:
    phone = canonical_phone(value) if len(value) <= 30 else None
    if phone is None:
        raise PydanticCustomError(INVALID_PHONE, PHONE_HINT)
    return phone


def _ascii_digits(value):
    """Digits of any script (full-width ４５６７, Arabic-Indic…) as ASCII digits; spaces dropped."""
    if not isinstance(value, str) or len(value) > 40:
        return value  # the type and pattern checks refuse it
    out = []
    for ch in value:
        if ch.isspace():
            continue
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else ch)
    return "".join(out)


def _phases(value: int) -> int:
    if value not in v.PHASES:
        raise PydanticCustomError(INVALID, "must be 1 or 3")
    return value


# Line and page breaks other than \n and \r (Word's manual line break is \x0b): kept as \n.
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What no text needs: C0 controls but tab, line feed and carriage return; DEL.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _clean_text(value):
    """Before the length is counted: line breaks as \n, no control characters, valid
    Unicode, NFC (one encoding of Vietnamese accents, however the keyboard typed them)."""
    if not isinstance(value, str):
        return value  # the str type check refuses it
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(INVALID, "must be valid Unicode text") from None
    value = _LINE_BREAKS.sub("\n", value)
    control = _CONTROL_CHARS.search(value)
    if control:
        raise PydanticCustomError(INVALID, "must not contain control characters ({character})",
                                  {"character": f"U+{ord(control.group()):04X}"})
    return unicodedata.normalize("NFC", value)


def Text(max_length: int):  # noqa: N802 - a type factory
    """A non-blank string, clean (see _clean_text), stripped, at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        BeforeValidator(_clean_text),
    ]


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def OptionalText(max_length: int):  # noqa: N802 - a type factory
    """Like Text, or null; an empty or blank string counts as null."""
    return Annotated[Optional[Text(max_length)], BeforeValidator(_blank_to_none)]


# The validators check the length first (no length constraint: a too long phone is not a phone).
CustomerCode = Annotated[str, AfterValidator(_customer_code)]
Phone = Annotated[str, AfterValidator(_phone)]
Phases = Annotated[StrictInt, AfterValidator(_phases)]
# Exactly 4 ASCII digits once other scripts' digits are read as such.
PhoneLast4 = Annotated[str, BeforeValidator(_ascii_digits), StringConstraints(pattern=r"^[0-9]{4}$")]
Purpose = Literal[v.PURPOSES]  # type: ignore[valid-type]
ChangeType = Literal[v.CHANGE_TYPES]  # type: ignore[valid-type]
ComplaintCategory = Literal[v.COMPLAINT_CATEGORIES]  # type: ignore[valid-type]
BillStatus = Literal["paid", "unpaid", "overdue"]


class Input(BaseModel):
    """Request bodies: unknown fields are refused (they are usually a client's typo)."""

    model_config = ConfigDict(extra="forbid")


# --- errors, health ---------------------------------------------------------------


class FieldErrorOut(BaseModel):
    field: str = Field(examples=["phone"])
    code: Literal[FIELD_CODES] = Field(examples=["too_long"])  # type: ignore[valid-type]
    params: Dict[str, Any] = Field(examples=[{"max_length": 4000}])


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["no customer with code PE01000999999"])
    fields: Optional[List[FieldErrorOut]] = Field(None, description="422 only: what is wrong with each field")
    retry_after: Optional[int] = Field(None, description="429 only: seconds to wait (also the Retry-After header)")


class ErrorOut(BaseModel):
    error: ErrorDetail


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


# --- customers ----------------------------------------------------------------------


class CustomerOut(BaseModel):
    code: str
    name: str
    phone: str
    email: Optional[str]
    address: str = Field(description="house number and street")
    ward: str
    district: str
    province: str
    purpose: Purpose
    household_members: int
    quota_households: int = Field(description="households the residential tiers are multiplied by")
    phases: int
    meter_serial: Optional[str]


def _ascii_digits(value: Any) -> Any:
    """Full-width digits ("４５６７") are the customer's digits too; other scripts' digits are not."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class VerifyIn(Input):
    phone_last4: Annotated[str, BeforeValidator(_ascii_digits), StringConstraints(pattern=r"^[0-9]{4}$")] = Field(
        description="the last 4 digits of the phone registered on the contract", examples=["3456"]
    )


class VerifyOut(BaseModel):
    verified: bool


class BillLineOut(BaseModel):
    tier: int = Field(description="residential tier 1-6; 0 for the single business/production price")
    kwh: int
    price: int = Field(description="đồng per kWh before VAT")
    amount: int


class BillOut(BaseModel):
    period: str = Field(examples=["2026-10"])
    reading_date: dt.date
    kwh: int
    subtotal: int
    vat_rate: str = Field(examples=["0.08"])
    vat: int
    total: int
    issued_at: dt.date
    due_date: dt.date
    status: BillStatus
    paid_at: Optional[dt.datetime]
    payment_channel: Optional[str]
    lines: List[BillLineOut]


class BillsOut(BaseModel):
    bills: List[BillOut]


class DebtOut(BaseModel):
    outstanding_total: int = Field(description="sum of the totals of unpaid_bills")
    unpaid_bills: List[BillOut] = Field(description="every bill not paid (overdue ones included), newest first")
    overdue_bills: List[BillOut] = Field(description="the unpaid bills past their due date, newest first")
    oldest_due_date: Optional[dt.date]


class ReadingOut(BaseModel):
    period: str
    reading_date: dt.date
    old_index: int
    new_index: int
    kwh: int


class ReadingsOut(BaseModel):
    readings: List[ReadingOut]


# --- outages ----------------------------------------------------------------------------


class PlannedOutageOut(BaseModel):
    code: str
    province: str
    district: str
    ward: Optional[str] = Field(description="null: the whole district")
    area: str
    start_at: dt.datetime
    end_at: dt.datetime
    reason: str
    in_progress: bool


class PlannedOutagesOut(BaseModel):
    outages: List[PlannedOutageOut]


class OutageReportIn(Input):
    customer_code: Annotated[Optional[CustomerCode], BeforeValidator(_blank_to_none)] = None
    address: OptionalText(300) = None
    phone: Annotated[Optional[Phone], BeforeValidator(_blank_to_none)] = None
    description: Text(2000)
    hazard: StrictBool = Field(description="a danger to people (fallen wire, sparks, fire)")

    @model_validator(mode="after")
    def _where(self) -> "OutageReportIn":
        if not self.customer_code and not self.address:
            raise PydanticCustomError(ONE_OF_REQUIRED, "customer_code or address is required",
                                      {"field": "customer_code", "alternatives": ["address"]})
        return self


class IncidentOut(BaseModel):
    code: str = Field(examples=["SC2026000001"], description="the SC code of the incident's ticket")
    reported_at: dt.datetime = Field(description="its first report")
    reports: int = Field(description="how many reports it has, the first included")
    expected_restoration_at: dt.datetime
    status: str
    status_label_vi: str
    urgent: bool = Field(description="some report is a danger to people: handled first")


class OutageReportOut(BaseModel):
    code: Optional[str] = Field(examples=["SC2026000021"],
                                description="the ticket: new, or the ward's open incident (duplicate); "
                                            "null when a planned outage explains the failure")
    status: Optional[str]
    status_label_vi: Optional[str]
    created_at: Optional[dt.datetime] = Field(description="when the ticket was opened")
    expected_restoration_at: Optional[dt.datetime]
    planned_outage: Optional[PlannedOutageOut] = Field(
        description="the planned outage in progress where the failure is, if any"
    )
    incident: Optional[IncidentOut] = Field(description="the ticket as an incident; null with no ticket")
    duplicate: bool = Field(description="the report was attached to the ward's open incident")


# --- requests ---------------------------------------------------------------------------


class ConnectionRequestIn(Input):
    name: Text(200)
    phone: Phone
    address: Text(300)
    ward: OptionalText(100) = None
    district: OptionalText(100) = None
    province: OptionalText(100) = Field(
        None, description="required unless the address names a province the back office knows")
    purpose: Purpose
    phases: Phases


class ContractChangeIn(Input):
    customer_code: CustomerCode
    change_type: ChangeType
    details: Text(2000)


class ComplaintIn(Input):
    customer_code: Annotated[Optional[CustomerCode], BeforeValidator(_blank_to_none)] = None
    phone: Annotated[Optional[Phone], BeforeValidator(_blank_to_none)] = None
    category: ComplaintCategory
    content: Text(4000)

    @model_validator(mode="after")
    def _who(self) -> "ComplaintIn":
        if not self.customer_code and not self.phone:
            raise PydanticCustomError(ONE_OF_REQUIRED, "customer_code or phone is required",
                                      {"field": "customer_code", "alternatives": ["phone"]})
        return self


class RequestCreated(BaseModel):
    code: str = Field(examples=["YC2026000042"])
    status: str
    status_label_vi: str
    created_at: dt.datetime


class RequestWithDelayCreated(RequestCreated):
    expected_days: int = Field(description="working days announced to the customer")
    expected_by: dt.date = Field(description="created_at plus expected_days working days (Mon-Fri)")


class HistoryEntryOut(BaseModel):
    status: str
    status_label_vi: str
    at: dt.datetime
    note: Optional[str]


class RequestOut(BaseModel):
    code: str
    kind: Literal[v.CONNECTION_REQUEST, v.OUTAGE_REPORT, v.CONTRACT_CHANGE, v.COMPLAINT]  # type: ignore[valid-type]
    status: str
    status_label_vi: str
    created_at: dt.datetime
    updated_at: dt.datetime
    customer_code: Optional[str]
    history: List[HistoryEntryOut]
    expected_restoration_at: Optional[dt.datetime] = Field(
        None, description="outage reports only: when power is expected back (null once resolved, or for other kinds)")


class RequestsOut(BaseModel):
    requests: List[RequestOut]


REQUEST_CODE_HINT = "must look like YC2026000123 (YC, SC, HD or KN, then 10 digits)"


def _request_code(value: str) -> str:
    code = canonical_request_code(value) if len(value) <= 40 else None
    if code is None:
        raise PydanticCustomError(INVALID, REQUEST_CODE_HINT)
    return code


RequestCode = Annotated[str, AfterValidator(_request_code)]


class RequestLookupIn(Input):
    code: RequestCode = Field(description="YC… connection, SC… outage report, HD… contract change, KN… complaint "
                                          "(any case, spaces allowed)", examples=["YC2026000001"])
    phone_last4: PhoneLast4 = Field(
        description="the last 4 digits of the phone the request was filed with (its contact phone, or the phone "
                    "on the contract of the customer it concerns; for an outage incident also the phone of a "
                    "report attached to it)", examples=["7888"])


class RequestSearchIn(Input):
    phone: Phone = Field(description="contact phone, or the phone of the customer's contract",
                         examples=["0903123456"])
    limit: StrictInt = Field(20, ge=1, le=50, description="at most this many requests, newest first")


# --- tariffs ---------------------------------------------------------------------------


class TariffTierOut(BaseModel):
    tier: int
    from_kwh: int
    to_kwh: Optional[int] = Field(description="null: no upper bound")
    price: int


class TariffPricesOut(BaseModel):
    normal: int
    off_peak: int
    peak: int


class VatPeriodOut(BaseModel):
    rate: str = Field(examples=["0.08"])
    start: dt.date
    end: Optional[dt.date] = Field(description="last day the rate applies; null: no end set")


class TariffOut(BaseModel):
    decision: str
    effective_from: dt.date
    tiers: List[TariffTierOut]
    vat_rate: str
    vat_period: VatPeriodOut = Field(description="the VAT period vat_rate belongs to")
    prepaid_card: int
    business_low_voltage: TariffPricesOut
    production_low_voltage: TariffPricesOut
