"""The knowledge base as a spreadsheet: export to CSV or Excel (.xlsx), import back.

Columns: ``id, question, alternatives, answer, category, tags, source, status``;
list cells (alternatives, tags) hold one item per line. CSV is UTF-8 with a BOM
so that Excel shows Vietnamese correctly; on import a ``;`` or tab separator is
recognised as well (what Excel writes in some locales).

An import is checked row by row first, with the store's own validation
(``store.clean``, ``store.check_id``, ``store.check_status``); when any row is
wrong nothing is applied and every problem is reported with its row number and
field. Otherwise ``store.import_entries`` creates or updates by id in the
caller's transaction, and rows that change nothing write no version.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple

from sqlalchemy.orm import Session

from knowledge_base import store
from knowledge_base.models import DRAFT, PUBLISHED, Entry
from webkit.errors import ApiError

COLUMNS = ("id", "question", "alternatives", "answer", "category", "tags", "source", "status")
REQUIRED = ("question", "answer")
LIST_COLUMNS = ("alternatives", "tags")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_REPORTED = 50
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "Cơ sở tri thức"
# Headers and statuses as people may type them in Vietnamese.
HEADER_ALIASES = {
    "mã": "id", "mã mục": "id", "câu hỏi": "question", "cách hỏi khác": "alternatives",
    "câu trả lời": "answer", "chủ đề": "category", "thẻ": "tags", "nguồn": "source", "trạng thái": "status",
}
STATUS_ALIASES = {"bản nháp": DRAFT, "nháp": DRAFT, "đã xuất bản": PUBLISHED, "xuất bản": PUBLISHED}


@dataclass
class Sheet:
    format: str
    rows: List[Tuple[int, Dict[str, Any]]]  # (row number as the spreadsheet shows it, fields)
    ignored_columns: List[str] = field(default_factory=list)


def bad_file(message: str, status: int = 400) -> ApiError:
    return ApiError(status, {400: "bad_request", 413: "payload_too_large", 415: "unsupported_media_type"}[status],
                    message)


# --- export ------------------------------------------------------------------------------------

def row_of(entry: Entry) -> List[str]:
    content = entry.content()
    return [entry.id, content["question"], "\n".join(content["alternatives"]), content["answer"],
            content["category"] or "", "\n".join(content["tags"]), content["source"], content["status"]]


# A CSV cell Excel would run as a formula ("=HYPERLINK(...)", also "+", "-", "@"): written with a
# leading apostrophe, which Excel shows as text, and taken off again on import. A Markdown list
# answer ("- ...") is kept whole both ways.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unguard_formula(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def to_csv(entries: Sequence[Entry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([guard_formula(cell) for cell in row_of(entry)] for entry in entries)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(entries: Sequence[Entry]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, entry in enumerate(entries, start=2):
        for column, value in enumerate(row_of(entry), start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with "=" (never a formula)
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGH", (30, 50, 50, 80, 22, 25, 40, 12)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading -----------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _records_from_csv(content: bytes) -> List[List[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_file("the CSV file is not UTF-8: save it as 'CSV UTF-8' and try again") from None
    if "\x00" in text:
        raise bad_file("this is not a CSV or XLSX file", 415)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return [[unguard_formula(_text(cell)) for cell in record] for record in csv.reader(io.StringIO(text, newline=""),
                                                                          delimiter=delimiter)]
    except csv.Error as error:
        raise bad_file(f"the CSV file cannot be read: {error}") from None


def _records_from_xlsx(content: bytes) -> List[List[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise bad_file(f"the Excel file cannot be read ({type(error).__name__}): save it as .xlsx and try again") \
            from None
    try:
        sheet = book.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append([_text(value) for value in values])
            if len(records) > MAX_ROWS + 1:
                break
        return records
    finally:
        book.close()


def sniff(filename: str, content: bytes) -> str:
    name = (filename or "").lower()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith((".xls", ".xlsm", ".ods")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise bad_file("only .csv and .xlsx files can be imported: save the sheet as .xlsx", 415)
    if name.endswith(".xlsx"):
        raise bad_file("the Excel file cannot be read: save it as .xlsx and try again")
    if name.endswith((".csv", ".txt")) or not name or b"\x00" not in content[:4096]:
        return "csv"
    raise bad_file("only .csv and .xlsx files can be imported", 415)


def read(filename: str, content: bytes) -> Sheet:
    """The data rows of an uploaded file, keyed by column; raises a 4xx ApiError for a bad file."""
    if len(content) > MAX_BYTES:
        raise bad_file(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", 413)
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise bad_file("the file is empty")
    kind = sniff(filename, content)
    records = _records_from_xlsx(content) if kind == "xlsx" else _records_from_csv(content)
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise bad_file("the file is empty")
    headers = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in records[0]]
    ignored = [given for given, header in zip(records[0], headers) if given.strip() and header not in COLUMNS]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise bad_file(f"missing required column(s): {', '.join(missing)} (the first row must name the columns: "
                       f"{', '.join(COLUMNS)})")
    duplicated = sorted({h for h in headers if h in COLUMNS and headers.count(h) > 1})
    if duplicated:
        raise bad_file(f"column(s) given twice: {', '.join(duplicated)}")
    if len(records) - 1 > MAX_ROWS:
        raise bad_file(f"more than {MAX_ROWS} rows: split the file")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append((number, {h: (record[i] if i < len(record) else "") for i, h in enumerate(headers)
                              if h in COLUMNS}))
    if not rows:
        raise bad_file("the file has no data rows")
    return Sheet(kind, rows, ignored)


# --- validation and import ---------------------------------------------------------------------

def _fields(cells: Dict[str, str]) -> Dict[str, Any]:
    """Cells to the store's fields: lists split by line (tags by comma too); empty optional cells left out."""
    data: Dict[str, Any] = {}
    for column, value in cells.items():
        if column in LIST_COLUMNS:
            separators = value.replace(",", "\n") if column == "tags" else value
            data[column] = [item.strip() for item in separators.split("\n") if item.strip()]
        elif column == "status":
            status = value.strip().lower()
            if status:
                data[column] = STATUS_ALIASES.get(status, status)
        elif column == "id":
            if value.strip():
                data[column] = value.strip()
        else:
            data[column] = value
    return data


def _field_error(error: ApiError) -> Tuple[str, str]:
    name, _, message = error.message.partition(": ")
    return (name, message) if message else ("", error.message)


def validate(sheet: Sheet) -> List[Tuple[int, Dict[str, Any]]]:
    """Every row checked; a 422 listing each wrong row and field when any is wrong."""
    problems: List[Dict[str, Any]] = []
    rows = []
    seen: Dict[str, int] = {}
    for number, cells in sheet.rows:
        data = _fields(cells)
        checks = [lambda f=f: store.clean({f: data[f]}, partial=True) for f in store.EDITABLE if f in data]
        if "id" in data:
            checks.append(lambda: store.check_id(data["id"]))
        if "status" in data:
            checks.append(lambda: store.check_status(data["status"]))
        for check in checks:
            try:
                check()
            except ApiError as error:
                name, message = _field_error(error)
                problems.append({"row": number, "field": name, "message": message})
        entry_id = data.get("id")
        if entry_id:
            if entry_id in seen:
                problems.append({"row": number, "field": "id", "message": f"same id as row {seen[entry_id]}"})
            seen.setdefault(entry_id, number)
        rows.append((number, data))
    if problems:
        shown = problems[:MAX_REPORTED]
        message = "; ".join(f"row {p['row']}, {p['field']}: {p['message']}" for p in shown[:10])
        if len(problems) > 10:
            message += f"; and {len(problems) - 10} more"
        raise ApiError(422, "validation_error", f"nothing was imported: {message}", details=shown)
    return rows


def import_sheet(session: Session, sheet: Sheet, author: str) -> store.ImportCounts:
    """Validate every row, then apply them all (new entries without a status are drafts)."""
    rows = validate(sheet)
    return store.import_entries(session, [data for _, data in rows], author, status=DRAFT)
