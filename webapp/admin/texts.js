/* The admin page's words for the API's errors: the shared texts (/kit/js/errors.js) with the knowledge
   base's own fields, values and files, chosen by their codes (docs/errors.md), never by the message. */

import { describe as describeError, fieldErrors as kitFieldErrors, fieldText as kitFieldText } from "/kit/js/errors.js";
import { count, megabytes, waitText } from "/kit/js/format.js";
import { FIELD_LABELS, STATUS_LABELS } from "./labels.js";

// A refused file, by the code of its "file" field (knowledge_base/spreadsheet.py).
const FILE_CODES = {
  missing: () => "Vui lòng chọn một tệp để nhập.",
  too_large: (p) => `Tệp quá lớn: tối đa ${megabytes(p.max_bytes)} MB.`,
  too_large_uncompressed: (p) =>
    `Tệp Excel quá lớn khi giải nén (tối đa ${megabytes(p.max_uncompressed_bytes)} MB). Vui lòng chia thành nhiều tệp.`,
  suspicious_archive: () =>
    "Tệp Excel có cấu trúc bất thường nên không được nhận. Vui lòng mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi thử lại.",
  too_many_rows: (p) => `Tệp có quá ${count(p.max_rows)} dòng. Vui lòng chia thành nhiều tệp.`,
  too_many_cells: (p) =>
    `Tệp có quá ${count(p.max_cells)} ô dữ liệu. Vui lòng xóa các cột không dùng đến hoặc chia thành nhiều tệp.`,
  empty: () => "Tệp trống, không có dữ liệu.",
  no_data_rows: () => "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
  missing_columns: (p) =>
    `Thiếu cột bắt buộc: ${(p.columns || []).join(", ")}. Dòng đầu tiên của tệp phải là tên các cột (id, question, alternatives, answer, category, tags, source, status).`,
  duplicate_columns: (p) => `Có cột bị lặp lại: ${(p.columns || []).join(", ")}.`,
  not_utf8: () => "Tệp CSV không dùng mã UTF-8. Vui lòng lưu lại bằng định dạng “CSV UTF-8” rồi thử lại.",
  unreadable: (p) => (p.format === "csv"
    ? "Không đọc được tệp CSV. Vui lòng kiểm tra lại tệp."
    : "Không đọc được tệp Excel. Vui lòng lưu lại dưới dạng .xlsx rồi thử lại."),
  unsupported_format: () => "Chỉ nhận tệp .csv hoặc .xlsx (Excel).",
};

const PAGE = {
  fieldLabels: FIELD_LABELS,
  valueLabels: STATUS_LABELS,  // "phải là “draft” (bản nháp) hoặc “published” (đã xuất bản)"
  fieldCodes: {
    invalid_id: () => "chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: cap-dien-moi)",
  },
  byField(first, error) {
    if (first.field === "file" && FILE_CODES[first.code]) return FILE_CODES[first.code](first.params || {});
    if (first.field === "Host") return "Địa chỉ truy cập trang quản trị không hợp lệ. Vui lòng mở trang bằng địa chỉ do quản trị viên hệ thống cung cấp.";
    if (error.status === 409 && first.field === "id" && first.code === "taken") {
      return "Mã mục này đã tồn tại. Vui lòng chọn mã khác hoặc để trống để tạo tự động.";
    }
    if (error.status === 409 && first.field === "version" && first.code === "stale") {
      return "Mục này vừa được người khác sửa. Vui lòng tải lại để xem nội dung mới nhất trước khi lưu.";
    }
    return null;
  },
  codes: {
    unavailable: (error) =>
      `Hệ thống đang bận xử lý các lượt nhập dữ liệu khác. Vui lòng thử lại sau ${waitText(error.retryAfter || 60)}.`,
  },
  statuses: {
    404: () => "Không tìm thấy dữ liệu: mục hoặc câu hỏi này có thể đã bị xóa hoặc đã được xử lý.",
    409: () => "Mục này vừa được người khác sửa. Vui lòng tải lại để xem nội dung mới nhất trước khi lưu.",
  },
};

/** One sentence in Vietnamese for any failure of the admin page's calls. */
export const describe = (error) => describeError(error, PAGE);
/** {field, code, params} -> "không được để trống" */
export const fieldText = (problem) => kitFieldText(problem, PAGE);
/** A 422's fields as [{field, text}]. */
export const fieldErrors = (error) => kitFieldErrors(error, PAGE);

export const isTaken = (error) => error.status === 409 && error.fields.some((f) => f.field === "id" && f.code === "taken");

export const noPermission = (username) =>
  `Tài khoản “${username}” không có quyền quản trị cơ sở tri thức. Vui lòng liên hệ quản trị viên hệ thống nếu bạn cần được cấp quyền.`;
