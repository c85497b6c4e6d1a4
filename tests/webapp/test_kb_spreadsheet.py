"""The admin page's pure parts without a server: version diffs, spreadsheet reading and checking, preview."""

from __future__ import annotations

import pytest

from knowledge_base import diff, spreadsheet
from knowledge_base.models import Entry
from webapp.markdown_preview import render
from webkit.errors import ApiError


def rebuild(segments, side):
    return "".join(s["text"] for s in segments if s["op"] in ("equal", side))


def test_text_diff_is_word_level_and_rebuilds_both_sides():
    before = "Dạ, tối đa 5 ngày làm việc.\nLiên hệ Tổng đài."
    after = "Dạ, tối đa 3 ngày làm việc.\nLiên hệ Tổng đài 1900 1006."
    segments = diff.text_diff(before, after)
    assert rebuild(segments, "delete") == before and rebuild(segments, "insert") == after
    assert {"op": "delete", "text": "5"} in segments and {"op": "insert", "text": "3"} in segments


def test_list_diff_and_snapshot_diff():
    assert diff.list_diff(["a", "b"], ["b", "c"]) == [
        {"op": "delete", "text": "a"}, {"op": "equal", "text": "b"}, {"op": "insert", "text": "c"}]
    fields = {f["field"]: f for f in diff.diff_snapshots(
        {"question": "Q", "alternatives": [], "answer": "A", "status": "draft"},
        {"question": "Q", "alternatives": ["x"], "answer": "A", "status": "published"})}
    assert not fields["question"]["changed"] and fields["alternatives"]["changed"]
    assert (fields["status"]["before"], fields["status"]["after"], fields["status"]["kind"]) == \
        ("draft", "published", "value")


def entry(**fields):
    base = dict(id="muc-a", question="Câu hỏi?", alternatives=["cách 1", "cách 2"], answer="=1+1 là gì?",
                category="khac", tags=["thẻ"], source="", status="draft", deleted=False, version=1)
    return Entry(**{**base, **fields})


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_reads_back_the_same_cells(kind):
    rows = [entry(), entry(id="muc-b", answer="Dòng 1\nDòng 2, có dấu phẩy và \"ngoặc kép\"")]
    content = spreadsheet.to_csv(rows) if kind == "csv" else spreadsheet.to_xlsx(rows)
    sheet = spreadsheet.read(f"kb.{kind}", content)
    assert sheet.format == kind and [n for n, _ in sheet.rows] == [2, 3]
    first = sheet.rows[0][1]
    assert first["alternatives"] == "cách 1\ncách 2" and first["answer"] == "=1+1 là gì?"  # text, never a formula
    assert sheet.rows[1][1]["answer"] == "Dòng 1\nDòng 2, có dấu phẩy và \"ngoặc kép\""
    checked = spreadsheet.validate(sheet)
    assert checked[0][1]["alternatives"] == ["cách 1", "cách 2"] and checked[0][1]["tags"] == ["thẻ"]


def test_validation_reports_every_wrong_row_and_field():
    content = ("id,question,answer,status,tags\n"
               "ok,Câu hỏi?,Dạ.,published,\"a, b\"\n"
               "Sai Mã,,Dạ.,,\n"
               "ok,Lần hai?,,nháp,\n").encode()
    with pytest.raises(ApiError) as raised:
        spreadsheet.validate(spreadsheet.read("kb.csv", content))
    assert raised.value.status == 422
    assert [(d["row"], d["field"]) for d in raised.value.details] == [
        (3, "question"), (3, "id"), (4, "answer"), (4, "id")]
    good = spreadsheet.validate(spreadsheet.read("kb.csv", content.split(b"Sai")[0]))
    assert good[0][1] == {"id": "ok", "question": "Câu hỏi?", "answer": "Dạ.", "status": "published",
                          "tags": ["a", "b"]}


def test_preview_keeps_formatting_and_drops_scripts():
    html = render("**Dạ** <b onclick=x>ạ</b> [x](https://evn.com.vn \"EVN\") <iframe src=x></iframe>")
    assert "<strong>Dạ</strong>" in html and "onclick" not in html and "iframe" not in html
    assert 'href="https://evn.com.vn"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_a_csv_cell_excel_would_run_as_a_formula_is_written_as_text_and_read_back_whole():
    content = spreadsheet.to_csv([entry(answer="=HYPERLINK(\"http://x\")"), entry(id="muc-b", answer="- bước 1\n- bước 2")])
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'- bước 1" in text
    answers = [fields["answer"] for _, fields in spreadsheet.read("kb.csv", content).rows]
    assert answers == ["=HYPERLINK(\"http://x\")", "- bước 1\n- bước 2"]
    assert spreadsheet.unguard_formula("'ok") == "'ok"  # an apostrophe of the admin's own stays
