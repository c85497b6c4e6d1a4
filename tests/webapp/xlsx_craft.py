"""Hand-made .xlsx files for the import limits: what openpyxl would take hours or gigabytes to write.

``workbook(sheet_xml)`` is a minimal workbook (the parts Excel needs) around one sheet's XML,
which openpyxl reads; the makers below give sheets that are too big in one way each.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from typing import Iterable, Optional

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""".encode()
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def workbook(sheet_xml: bytes, prolog: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", prolog + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
                         + sheet_xml + b"</sheetData></worksheet>")
    return out.getvalue()


def inline(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def rows(cells: Iterable[Iterable[str]]) -> bytes:
    return "".join(f'<row r="{n}">' + "".join(row) + "</row>" for n, row in enumerate(cells, start=1)).encode()


def small() -> bytes:
    """A good file: the header and one entry, as inline strings."""
    return workbook(rows([
        [inline("A", 1, "question"), inline("B", 1, "answer")],
        [inline("A", 2, "Câu hỏi thủ công?"), inline("B", 2, "Dạ, câu trả lời.")],
    ]))


def million_cells(rows_count: int = 1000, per_row: int = 1000) -> bytes:
    """A million numeric cells: about 16 MB of XML in a zip of a hundred kilobytes (a zip bomb's ratio)."""
    row = b"<row>" + b"<c><v>1</v></c>" * per_row + b"</row>"
    return workbook(b"<row><c t=\"inlineStr\"><is><t>question</t></is></c><c t=\"inlineStr\"><is><t>answer</t>"
                    b"</is></c></row>" + row * rows_count)


def many_random_cells(count: int = 200_000, seed: int = 9) -> bytes:
    """Random numbers: compresses only a few times, so only the count of cells gives it away."""
    rng = random.Random(seed)
    per_row = 100
    parts = []
    for _ in range(count // per_row):
        parts.append(b"<row>" + b"".join(b"<c><v>%d</v></c>" % rng.randrange(10**9) for _ in range(per_row))
                     + b"</row>")
    return workbook(b"".join(parts))


def far_cells(rows_count: int = 5000) -> bytes:
    """One cell per row, in the last column (XFD): a reader padding rows to it makes 16,384 cells a row."""
    return workbook(rows([[inline("A", 1, "question"), inline("B", 1, "answer")]])
                    + b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n)
                               for n in range(2, rows_count + 2)))


def entity_expansion() -> bytes:
    """Billion laughs in the sheet's DTD."""
    prolog = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    return workbook(rows([[inline("A", 1, "&c;")]]), prolog)


def lying_sizes(declared: int = 1000) -> bytes:
    """The sheet declares ``declared`` bytes unzipped, and holds 20 MB of XML."""
    content = workbook(b"<row><c><v>1</v></c></row>" * 800_000)
    return _declare(content, "xl/worksheets/sheet1.xml", declared)


def _declare(content: bytes, name: str, size: int) -> bytes:
    """Overwrite the uncompressed size of ``name`` in its local header and in the central directory."""
    data = bytearray(content)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start: Optional[int] = 0
        while True:
            start = data.find(signature, start)
            if start < 0:
                break
            if data[start + name_at:start + name_at + len(encoded)] == encoded:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", size)
            start += 4
    return bytes(data)
