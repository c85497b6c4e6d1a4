"""Limits of a spreadsheet import (knowledge_base.spreadsheet), checked before and while reading it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024  # the file as uploaded
    max_rows: int = 5000  # data rows, the header row aside
    max_cells: int = 100_000  # cells of the rows read (every cell up to the last one of a row counts)
    max_uncompressed_bytes: int = 50 * 1024 * 1024  # what an .xlsx declares its parts unzip to, all together
    max_compression_ratio: int = 100  # unzipped / zipped for a part over 1 MiB (a spreadsheet is ~5-20)
    max_parts: int = 200  # files inside an .xlsx (Excel writes about 10)
    max_xml_elements: int = 1_000_000  # XML elements in all the parts of an .xlsx
