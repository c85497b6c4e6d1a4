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
import zlib
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple
from xml.parsers import expat

from sqlalchemy.orm import Session

from knowledge_base import store
from knowledge_base.limits import Limits
from knowledge_base.models import DRAFT, PUBLISHED, Entry
from webkit.errors import DUPLICATE, ApiError, field_error

COLUMNS = ("id", "question", "alternatives", "answer", "category", "tags", "source", "status")
REQUIRED = ("question", "answer")
LIST_COLUMNS = ("alternatives", "tags")
DEFAULT_LIMITS = Limits()
MAX_BYTES = DEFAULT_LIMITS.max_bytes
MAX_ROWS = DEFAULT_LIMITS.max_rows
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


def bad_file(message: str, status: int = 400, code: str = "invalid", **params: Any) -> ApiError:
    """A file refused as a whole: ``fields`` names it ``file`` with a stable ``code`` and its ``params``."""
    return ApiError(status, {400: "bad_request", 413: "payload_too_large", 415: "unsupported_media_type"}[status],
                    message, fields=[field_error("file", code, **params)])


def file_too_large(limits: Limits = DEFAULT_LIMITS) -> ApiError:
    return bad_file(f"the file is larger than {limits.max_bytes // (1024 * 1024)} MB", 413, "too_large",
                    max_bytes=limits.max_bytes)


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
#
# A file is checked before anything parses it (``check``): its size, its format, and for an .xlsx
# the sizes its zip archive declares (Python's zipfile never unzips a part past its declared size,
# so these bound everything read later), then every XML part streamed through expat, without a
# tree and without a DTD, counting rows, cells and shared strings. Only then does openpyxl read
# the first sheet (read-only, streaming), counting rows and cells again as it goes.

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _too_many_rows(limits: Limits) -> ApiError:
    return bad_file(f"more than {limits.max_rows} rows: split the file", 413, "too_many_rows", max_rows=limits.max_rows)


def _too_many_cells(limits: Limits) -> ApiError:
    return bad_file(f"more than {limits.max_cells} cells: split the file or remove the unused columns", 413,
                    "too_many_cells", max_cells=limits.max_cells)


class _Counter:
    """Rows and cells read so far, against the limits (the header row is one of the rows)."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.rows, self.cells = limits, 0, 0

    def row(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > self.limits.max_rows + 1:
            raise _too_many_rows(self.limits)
        if self.cells > self.limits.max_cells:
            raise _too_many_cells(self.limits)


def _records_from_csv(content: bytes, limits: Limits) -> List[List[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_file("the CSV file is not UTF-8: save it as 'CSV UTF-8' and try again", code="not_utf8") \
            from None
    if "\x00" in text:
        raise bad_file("this is not a CSV or XLSX file", 415, "unsupported_format")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    counter = _Counter(limits)
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            counter.row(len(record))
            records.append([unguard_formula(_text(cell)) for cell in record])
    except csv.Error as error:
        raise bad_file(f"the CSV file cannot be read: {error}", code="unreadable", format="csv") from None
    return records


def _unreadable_xlsx(reason: str = "") -> ApiError:
    detail = f" ({reason})" if reason else ""
    return bad_file(f"the Excel file cannot be read{detail}: save it as .xlsx and try again", code="unreadable",
                    format="xlsx")


def _suspicious(message: str, **params: Any) -> ApiError:
    return bad_file(f"{message}: this is not a spreadsheet Excel wrote (a zip bomb?)", 413, "suspicious_archive",
                    **params)


RATIO_FLOOR = 1024 * 1024  # parts smaller than this may compress as well as they like
XML_PARTS = (".xml", ".rels")
SPREADSHEET_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                          "http://purl.oclc.org/ooxml/spreadsheetml/main")


class _NoDoctype(Exception):
    pass


def _scan_part(stream, counts: Dict[str, int], limits: Limits) -> None:
    """Stream one XML part through expat, counting its elements; raises at the first limit passed."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, _attributes) -> None:
        namespace, _, local = name.rpartition(" ")
        counts["elements"] += 1
        if counts["elements"] > limits.max_xml_elements:
            raise _suspicious(f"more than {limits.max_xml_elements} XML elements",
                              max_xml_elements=limits.max_xml_elements)
        if namespace not in SPREADSHEET_NAMESPACES:
            return
        if local == "row":
            counts["rows"] += 1
            if counts["rows"] > limits.max_rows + 1:
                raise _too_many_rows(limits)
        elif local in ("c", "si"):  # a cell, a shared string
            counts[local] += 1
            if counts[local] > limits.max_cells:
                raise _too_many_cells(limits)

    def doctype(*_args) -> None:
        raise _NoDoctype()

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    while True:
        chunk = stream.read(64 * 1024)
        parser.Parse(chunk, not chunk)
        if not chunk:
            return


def check_archive(content: bytes, limits: Limits) -> None:
    """An .xlsx's zip before openpyxl opens it: its parts, their declared sizes, then their XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable_xlsx("not a zip archive") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise _suspicious(f"more than {limits.max_parts} parts", max_parts=limits.max_parts)
        if sum(part.file_size for part in parts) > limits.max_uncompressed_bytes:
            raise bad_file(f"the Excel file unzips to more than {limits.max_uncompressed_bytes // (1024 * 1024)} MB",
                           413, "too_large_uncompressed", max_uncompressed_bytes=limits.max_uncompressed_bytes)
        for part in parts:
            if part.flag_bits & 0x1:
                raise _unreadable_xlsx("encrypted")
            ratio = part.file_size / max(1, part.compress_size)
            if part.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
                raise _suspicious(f"a part compressed more than {limits.max_compression_ratio} times",
                                  max_compression_ratio=limits.max_compression_ratio)
        counts = {"elements": 0, "rows": 0, "c": 0, "si": 0}
        for part in parts:
            xml = part.filename.lower().endswith(XML_PARTS)
            try:
                with archive.open(part) as stream:
                    _scan_part(stream, counts, limits)
            except _NoDoctype:
                raise _unreadable_xlsx("XML with a DTD") from None
            except expat.ExpatError:
                if xml:
                    raise _unreadable_xlsx("malformed XML") from None
                # an image or another binary part: openpyxl does not parse it either
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError, zlib.error):
                raise _unreadable_xlsx("damaged zip archive") from None


def _records_from_xlsx(content: bytes, limits: Limits) -> List[List[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        raise _unreadable_xlsx(type(error).__name__) from None
    try:
        if not book.worksheets:
            raise _unreadable_xlsx("no sheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size is not trusted: rows are as long as their last cell
        counter = _Counter(limits)
        records = []
        for values in sheet.iter_rows(values_only=True):
            counter.row(len(values))
            records.append([_text(value) for value in values])
        return records
    except (KeyError, ValueError, OSError, TypeError, IndexError, zipfile.BadZipFile) as error:
        raise _unreadable_xlsx(type(error).__name__) from None
    finally:
        book.close()


def sniff(filename: str, content: bytes) -> str:
    name = (filename or "").lower()
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith((".xls", ".xlsm", ".ods")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise bad_file("only .csv and .xlsx files can be imported: save the sheet as .xlsx", 415, "unsupported_format")
    if name.endswith(".xlsx"):
        raise _unreadable_xlsx()
    if name.endswith((".csv", ".txt")) or not name or b"\x00" not in content[:4096]:
        return "csv"
    raise bad_file("only .csv and .xlsx files can be imported", 415, "unsupported_format")


def check(filename: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """What can be refused before parsing (size, emptiness, format, an .xlsx's archive); returns the format."""
    if len(content) > limits.max_bytes:
        raise file_too_large(limits)
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise bad_file("the file is empty", code="empty")
    kind = sniff(filename, content)
    if kind == "xlsx":
        check_archive(content, limits)
    return kind


def read(filename: str, content: bytes, limits: Limits = DEFAULT_LIMITS, kind: str = "") -> Sheet:
    """The data rows of an uploaded file, keyed by column; raises a 4xx ApiError for a bad file.

    ``kind`` is what ``check`` answered for this content, when it was called already."""
    kind = kind or check(filename, content, limits)
    records = _records_from_xlsx(content, limits) if kind == "xlsx" else _records_from_csv(content, limits)
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise bad_file("the file is empty", code="empty")
    headers = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in records[0]]
    ignored = [given for given, header in zip(records[0], headers) if given.strip() and header not in COLUMNS]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise bad_file(f"missing required column(s): {', '.join(missing)} (the first row must name the columns: "
                       f"{', '.join(COLUMNS)})", code="missing_columns", columns=missing)
    duplicated = sorted({h for h in headers if h in COLUMNS and headers.count(h) > 1})
    if duplicated:
        raise bad_file(f"column(s) given twice: {', '.join(duplicated)}", code="duplicate_columns", columns=duplicated)
    if len(records) - 1 > limits.max_rows:
        raise _too_many_rows(limits)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append((number, {h: (record[i] if i < len(record) else "") for i, h in enumerate(headers)
                              if h in COLUMNS}))
    if not rows:
        raise bad_file("the file has no data rows", code="no_data_rows")
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


def _problem(row: int, error: ApiError) -> Dict[str, Any]:
    """One entry of an import's ``details``: the row, and the field, code and params of the store's 422."""
    found = (error.fields or [{}])[0]
    name, _, message = error.message.partition(": ")
    return {"row": row, "field": found.get("field", name if message else ""), "code": found.get("code", "invalid"),
            "params": found.get("params", {}), "message": message or error.message}


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
                problems.append(_problem(number, error))
        entry_id = data.get("id")
        if entry_id:
            if entry_id in seen:
                problems.append({"row": number, "field": "id", "code": DUPLICATE, "params": {"row": seen[entry_id]},
                                 "message": f"same id as row {seen[entry_id]}"})
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
