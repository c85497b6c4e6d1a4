/* Vietnamese texts of our APIs' errors, chosen by their stable codes (docs/errors.md): the error's `code`,
   and each field's `field`, `code` and `params`. The English `message` is never read. A page adds its
   own texts (its fields' names, its values, its files) through the `page` argument. */

import { ApiError } from "./api.js";
import { count, waitText } from "./format.js";

/** What is wrong with a field, by its code: the words after the field's name ("không được để trống"). */
export const FIELD_CODE_TEXTS = {
  missing: () => "bắt buộc phải nhập",
  blank: () => "không được để trống",
  too_long: (p) => `dài quá ${count(p.max_length)} ký tự`,
  too_large: () => "quá lớn",
  not_allowed: (p, labels) => (p.allowed && p.allowed.length
    ? `phải là ${p.allowed.map((v) => (labels[v] ? `“${v}” (${labels[v].toLowerCase()})` : `“${v}”`)).join(" hoặc ")}`
    : "có giá trị không được chấp nhận"),
  duplicate: (p) => `trùng mã với dòng ${p.row}`,
  taken: () => "đã tồn tại",
  stale: () => "đã được người khác thay đổi",
  invalid_phone: () => "phải là số điện thoại di động Việt Nam gồm 10 chữ số",
  invalid: (p) => (p.type === "list" ? "phải là danh sách văn bản" : p.type === "string" ? "phải là văn bản"
    : p.max !== undefined ? `không được lớn hơn ${count(p.max)}` : p.min !== undefined ? `không được nhỏ hơn ${count(p.min)}`
      : "giá trị không hợp lệ"),
};

/**
 * {field, code, params} -> "không được để trống".
 * page.fieldCodes: the page's own codes ({invalid_id: () => "…"}); page.valueLabels: names of values.
 */
export function fieldText(problem, page = {}) {
  const texts = { ...FIELD_CODE_TEXTS, ...(page.fieldCodes || {}) };
  const make = texts[problem.code] || texts.invalid;
  return make(problem.params || {}, page.valueLabels || {});
}

/** The fields of a 422 as [{field, text}], the field's name as the API gives it (last part of a path). */
export function fieldErrors(error, page = {}) {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  return error.fields.map((f) => ({ field: String(f.field || "").split(".").pop(), text: fieldText(f, page) }));
}

export const TEXTS = {
  network: "Không kết nối được máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại.",
  bodyTooLarge: "Nội dung gửi lên quá lớn. Vui lòng rút gọn rồi thử lại.",
  foreignHost: "Địa chỉ truy cập trang không hợp lệ. Vui lòng mở trang bằng địa chỉ do quản trị viên hệ thống cung cấp.",
  csrf: "Phiên làm việc của trang không còn hợp lệ. Vui lòng tải lại trang rồi thử lại.",
  accountDisabled: "Tài khoản của bạn đã bị khóa. Vui lòng liên hệ quản trị viên hệ thống nếu bạn cần được mở lại.",
  expired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
  forbidden: "Tài khoản của bạn không có quyền thực hiện thao tác này.",
  badRequest: "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại dữ liệu.",
  notFound: "Không tìm thấy dữ liệu: dữ liệu này có thể đã bị xóa.",
  conflict: "Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại để xem nội dung mới nhất.",
  serverError: "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.",
  tooManyAttempts: (seconds) => `Thao tác bị tạm dừng do thử quá nhiều lần. Vui lòng thử lại sau ${waitText(seconds)}.`,
  busy: (seconds) => `Hệ thống đang bận. Vui lòng thử lại sau ${waitText(seconds || 60)}.`,
};

/**
 * One sentence in Vietnamese for any failure.
 * page.byField(first, error): the page's sentence for the error's first field, or null;
 * page.codes[code](error), page.statuses[status](error): the page's sentences by error code or status;
 * page.fieldLabels: names of the fields ({question: "Câu hỏi"}); fieldCodes, valueLabels: see fieldText.
 */
export function describe(error, page = {}) {
  if (!(error instanceof ApiError) || error.code === "network") return TEXTS.network;
  const first = error.fields && error.fields[0];
  if (first) {
    const own = page.byField ? page.byField(first, error) : null;
    if (own) return own;
    if (first.field === "body" && first.code === "too_large") return TEXTS.bodyTooLarge;
    if (first.field === "Host") return TEXTS.foreignHost;
  }
  if (page.codes && page.codes[error.code]) return page.codes[error.code](error);
  switch (error.code) {
    case "csrf_failed": return TEXTS.csrf;
    case "account_disabled": return TEXTS.accountDisabled;
    case "too_many_attempts": return TEXTS.tooManyAttempts(error.retryAfter);
    case "unavailable": return TEXTS.busy(error.retryAfter);
    case "validation_error": {
      const labels = page.fieldLabels || {};
      const list = fieldErrors(error, page).map((e) => (e.field ? `${labels[e.field] || e.field}: ${e.text}` : e.text));
      return list.length ? "Dữ liệu chưa hợp lệ. " + list.join("; ") + "." : "Dữ liệu chưa hợp lệ. Vui lòng kiểm tra lại.";
    }
    default: break;
  }
  if (page.statuses && page.statuses[error.status]) return page.statuses[error.status](error);
  switch (error.status) {
    case 400: case 413: case 415: return TEXTS.badRequest;
    case 401: return TEXTS.expired;
    case 403: return TEXTS.forbidden;
    case 404: return TEXTS.notFound;
    case 409: return TEXTS.conflict;
    case 429: return TEXTS.tooManyAttempts(error.retryAfter);
    case 503: return TEXTS.busy(error.retryAfter);
    default: return TEXTS.serverError;
  }
}
