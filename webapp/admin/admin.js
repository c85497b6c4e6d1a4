/* Knowledge-base admin page: plain JS, no build step, talks to /api/auth and /api/kb only. */
"use strict";

(() => {
  const PAGE_SIZE = 25;

  // Display names of the seed's categories (the API stores ids such as "cap-dien-moi").
  const CATEGORY_LABELS = {
    "cap-dien-moi": "Cấp điện mới",
    "canh-bao-lua-dao": "Cảnh báo lừa đảo",
    "cong-to-chi-so": "Công tơ và chỉ số",
    "dien-mat-troi": "Điện mặt trời",
    "gia-dien": "Giá điện",
    "hoa-don-thanh-toan": "Hóa đơn và thanh toán",
    "hop-dong": "Hợp đồng mua bán điện",
    "kenh-ho-tro": "Kênh hỗ trợ",
    "khac": "Khác",
    "ngung-cap-dien": "Ngừng, giảm cung cấp điện",
    "su-co-an-toan": "Sự cố và an toàn điện",
    "tai-khoan-thong-bao": "Tài khoản và thông báo",
    "tiet-kiem-dien": "Tiết kiệm điện",
  };
  const STATUS_LABELS = { draft: "Bản nháp", published: "Đã xuất bản" };
  const ACTION_LABELS = {
    create: "Tạo mới", update: "Sửa nội dung", publish: "Xuất bản", unpublish: "Gỡ xuất bản",
    delete: "Xóa", revert: "Khôi phục",
  };
  const FIELD_LABELS = {
    id: "Mã mục", question: "Câu hỏi", alternatives: "Cách hỏi khác", answer: "Câu trả lời",
    category: "Chủ đề", tags: "Thẻ", source: "Nguồn", status: "Trạng thái", deleted: "Đã xóa",
    markdown: "Nội dung", version: "Phiên bản", file: "Tệp", q: "Câu hỏi",
  };

  // --- small helpers -------------------------------------------------------------------------

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  /** Build an element: h("td", {class: "x", onclick: fn}, "text", child). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else if (key === "dataset") Object.assign(el.dataset, value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const show = (el, visible = true) => { el.hidden = !visible; };
  const categoryLabel = (id) => CATEGORY_LABELS[id] || id || "—";
  const number = (value, digits = 2) =>
    Number(value).toLocaleString("vi-VN", { minimumFractionDigits: digits, maximumFractionDigits: digits });

  /** The API gives UTC times without a zone: read them as UTC, show them in local time. */
  function parseTime(text) {
    if (!text) return null;
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text + "Z");
  }
  const pad = (n) => String(n).padStart(2, "0");
  /** "01/12/2026 19:05", in the browser's time zone. */
  function formatTime(text) {
    const d = parseTime(text);
    if (!d || Number.isNaN(d.getTime())) return "—";
    return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  // Authors that are not people.
  const author = (name) => (name === "seed" ? "dữ liệu khởi tạo" : name);

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  // --- errors in Vietnamese ----------------------------------------------------------------
  // Chosen by the error's stable codes (docs/errors.md): its `code`, and each field's `field`, `code`
  // and `params`; the English `message` is for developers and is never read here.

  class ApiError extends Error {
    constructor(status, code, message, details, fields, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details || null;
      this.fields = fields || [];  // [{field, code, params}]: what the texts below are chosen by
      this.retryAfter = retryAfter || 0;
    }
  }

  /** An error object of the API ({code, message, details, fields, retry_after}) with its HTTP status. */
  const apiError = (status, error, retryAfter = 0) =>
    new ApiError(status, error.code, error.message || "", error.details, error.fields, error.retry_after || retryAfter);

  const count = (n) => Number(n).toLocaleString("vi-VN");
  const megabytes = (bytes) => count(Math.floor(bytes / (1024 * 1024)));

  /** "45 giây", "15 phút" */
  function waitText(seconds) {
    const s = Math.max(1, Math.ceil(Number(seconds) || 1));
    return s < 60 ? `${count(s)} giây` : `${count(Math.ceil(s / 60))} phút`;
  }

  const choice = (value) => (STATUS_LABELS[value] ? `“${value}” (${STATUS_LABELS[value].toLowerCase()})` : `“${value}”`);

  // What is wrong with a field, by its code: the words after the field's name.
  const FIELD_CODE_TEXTS = {
    missing: () => "bắt buộc phải nhập",
    blank: () => "không được để trống",
    too_long: (p) => `dài quá ${count(p.max_length)} ký tự`,
    invalid_id: () => "chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ: cap-dien-moi)",
    not_allowed: (p) => (p.allowed && p.allowed.length
      ? `phải là ${p.allowed.map(choice).join(" hoặc ")}` : "có giá trị không được chấp nhận"),
    duplicate: (p) => `trùng mã với dòng ${p.row}`,
    taken: () => "đã tồn tại",
    invalid: (p) => (p.type === "list" ? "phải là danh sách văn bản" : p.type === "string" ? "phải là văn bản"
      : p.max !== undefined ? `không được lớn hơn ${count(p.max)}` : p.min !== undefined ? `không được nhỏ hơn ${count(p.min)}`
        : "giá trị không hợp lệ"),
  };

  /** {field, code, params} -> "không được để trống" */
  function fieldText(problem) {
    const make = FIELD_CODE_TEXTS[problem.code] || FIELD_CODE_TEXTS.invalid;
    return make(problem.params || {});
  }

  /** The fields of a 422 as [{field, text}], the field's name as the API gives it (last part of a path). */
  function fieldErrors(error) {
    if (!(error instanceof ApiError) || error.status !== 422) return [];
    return error.fields.map((f) => ({ field: String(f.field || "").split(".").pop(), text: fieldText(f) }));
  }

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

  /** The sentence for an error's first field, if there is one for it. */
  function byField(error) {
    const first = error.fields && error.fields[0];
    if (!first) return null;
    if (first.field === "file" && FILE_CODES[first.code]) return FILE_CODES[first.code](first.params || {});
    if (first.field === "body" && first.code === "too_large") return "Nội dung gửi lên quá lớn. Vui lòng rút gọn rồi thử lại.";
    if (first.field === "Host") return "Địa chỉ truy cập trang quản trị không hợp lệ. Vui lòng mở trang bằng địa chỉ do quản trị viên hệ thống cung cấp.";
    if (error.status === 409 && first.field === "id" && first.code === "taken") {
      return "Mã mục này đã tồn tại. Vui lòng chọn mã khác hoặc để trống để tạo tự động.";
    }
    if (error.status === 409 && first.field === "version" && first.code === "stale") {
      return "Mục này vừa được người khác sửa. Vui lòng tải lại để xem nội dung mới nhất trước khi lưu.";
    }
    return null;
  }

  const isTaken = (error) => error.status === 409 && error.fields.some((f) => f.field === "id" && f.code === "taken");

  /** One sentence in Vietnamese for any failure. */
  function describe(error) {
    if (!(error instanceof ApiError)) return "Không kết nối được máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại.";
    const known = byField(error);
    if (known) return known;
    switch (error.code) {
      case "csrf_failed": return "Phiên làm việc của trang không còn hợp lệ. Vui lòng tải lại trang rồi thử lại.";
      case "account_disabled": return ACCOUNT_DISABLED;
      case "too_many_attempts":
        return `Thao tác bị tạm dừng do thử quá nhiều lần. Vui lòng thử lại sau ${waitText(error.retryAfter)}.`;
      case "unavailable":
        return `Hệ thống đang bận xử lý các lượt nhập dữ liệu khác. Vui lòng thử lại sau ${waitText(error.retryAfter || 60)}.`;
      case "validation_error": {
        const list = fieldErrors(error).map((e) => (e.field ? `${FIELD_LABELS[e.field] || e.field}: ${e.text}` : e.text));
        return list.length ? "Dữ liệu chưa hợp lệ. " + list.join("; ") + "." : "Dữ liệu chưa hợp lệ. Vui lòng kiểm tra lại.";
      }
      default: break;
    }
    switch (error.status) {
      case 400: case 413: case 415: return "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại dữ liệu.";
      case 401: return "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.";
      case 403: return "Tài khoản của bạn không có quyền thực hiện thao tác này.";
      case 404: return "Không tìm thấy dữ liệu: mục hoặc câu hỏi này có thể đã bị xóa hoặc đã được xử lý.";
      case 409: return "Mục này vừa được người khác sửa. Vui lòng tải lại để xem nội dung mới nhất trước khi lưu.";
      case 429: return `Thao tác bị tạm dừng do thử quá nhiều lần. Vui lòng thử lại sau ${waitText(error.retryAfter)}.`;
      case 503: return `Hệ thống đang bận. Vui lòng thử lại sau ${waitText(error.retryAfter || 60)}.`;
      default: return "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.";
    }
  }

  // --- API ---------------------------------------------------------------------------------

  // The session is an HttpOnly cookie this script never sees; every state change carries the session's
  // CSRF token, which the sign-in answer and GET /api/auth/me give (another site cannot read them).
  let csrfToken = null;
  const SAFE_METHODS = ["GET", "HEAD"];

  async function api(method, path, { json, body, raw = false, auth = true } = {}) {
    const headers = {};
    if (csrfToken && !SAFE_METHODS.includes(method)) headers["X-CSRF-Token"] = csrfToken;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
    } catch (networkError) {
      throw new ApiError(0, "network", String(networkError));
    }
    if (!response.ok) {
      let error = { code: "http_error", message: response.statusText };
      try { error = (await response.json()).error || error; } catch (_) { /* not JSON */ }
      if (response.status === 401 && auth) {
        sessionExpired();
      }
      throw apiError(response.status, error, Number(response.headers.get("Retry-After")) || 0);
    }
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
  }

  function sessionExpired() {
    csrfToken = null;
    showLogin("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.");
  }

  // --- toasts and confirmation -------------------------------------------------------------

  function toast(message, kind = "ok") {
    const el = h("div", { class: `toast toast-${kind}` }, message);
    $("#toasts").append(el);
    setTimeout(() => el.classList.add("toast-hide"), 4000);
    setTimeout(() => el.remove(), 4600);
  }

  function confirmDialog({ title, message, confirm = "Đồng ý", danger = false }) {
    const dialog = $("#confirm-dialog");
    $("#confirm-title").textContent = title;
    $("#confirm-message").textContent = message;
    const ok = $("#confirm-ok");
    ok.textContent = confirm;
    ok.className = danger ? "btn btn-danger" : "btn btn-primary";
    dialog.returnValue = "";
    dialog.showModal();
    $("#confirm-cancel").focus();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    });
  }

  // --- sign-in -----------------------------------------------------------------------------

  let me = null;

  function showLogin(info = "") {
    me = null;
    show($("#app-view"), false);
    show($("#login-view"), true);
    const infoBox = $("#login-info");
    infoBox.textContent = info;
    show(infoBox, Boolean(info));
    show($("#login-error"), false);
    $("#login-password").value = "";
    ($("#login-username").value ? $("#login-password") : $("#login-username")).focus();
  }

  function loginError(message) {
    const box = $("#login-error");
    box.textContent = message;
    show(box, true);
    show($("#login-info"), false);
  }

  async function enterApp(user) {
    me = user;
    $("#user-name").textContent = user.display_name || user.username;
    show($("#login-view"), false);
    show($("#app-view"), true);
    await refreshSummary();
    route();
  }

  const ACCOUNT_DISABLED = "Tài khoản của bạn đã bị khóa. Vui lòng liên hệ quản trị viên hệ thống nếu bạn cần được mở lại.";
  const noPermission = (username) =>
    `Tài khoản “${username}” không có quyền quản trị cơ sở tri thức. Vui lòng liên hệ quản trị viên hệ thống nếu bạn cần được cấp quyền.`;

  async function login(event) {
    event.preventDefault();
    const username = $("#login-username").value.trim();
    const password = $("#login-password").value;
    if (!username || !password) {
      loginError("Vui lòng nhập tên đăng nhập và mật khẩu.");
      return;
    }
    const button = $("#login-submit");
    button.disabled = true;
    button.textContent = "Đang đăng nhập…";
    try {
      const answer = await api("POST", "/api/auth/login", { json: { username, password, session: "cookie" }, auth: false });
      if (answer.role !== "admin") {
        // A staff account cannot use this page: its session ends at once (the cookie is cleared).
        await fetch("/api/auth/logout", { method: "POST", headers: { "X-CSRF-Token": answer.csrf_token }, credentials: "same-origin" })
          .catch(() => {});
        loginError(noPermission(answer.username));
        return;
      }
      csrfToken = answer.csrf_token;
      await enterApp({ username: answer.username, role: answer.role, display_name: answer.username });
    } catch (error) {
      if (error.status === 401) loginError("Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại.");
      else if (error.code === "account_disabled") loginError(ACCOUNT_DISABLED);
      else if (error.status === 429) {
        loginError(`Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau ${waitText(error.retryAfter)}.`);
      }
      else if (error.status === 422) loginError("Vui lòng nhập tên đăng nhập và mật khẩu hợp lệ.");
      else loginError(describe(error));
    } finally {
      button.disabled = false;
      button.textContent = "Đăng nhập";
    }
  }

  async function logout() {
    try { await api("POST", "/api/auth/logout", { auth: false }); } catch (_) { /* signed out anyway */ }
    csrfToken = null;
    location.hash = "";
    showLogin("Bạn đã đăng xuất.");
  }

  // --- routing -----------------------------------------------------------------------------

  const VIEWS = ["entries", "editor", "history", "try", "unanswered", "transfer"];

  function showView(name, tab) {
    for (const view of VIEWS) show($(`#view-${view}`), view === name);
    for (const link of $$(".tabs a")) link.classList.toggle("active", link.dataset.tab === tab);
    window.scrollTo(0, 0);
  }

  function route() {
    if (!me) return;
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    const [section, id, action] = parts;
    if (section === "entries" && id === "new") return openEditor(null);
    if (section === "entries" && id && action === "edit") return openEditor(id);
    if (section === "entries" && id && action === "history") return openHistory(id);
    if (section === "unanswered" && id && action === "new") return openEditor(null, Number(id));
    if (section === "unanswered") return openUnanswered();
    if (section === "try") return openTry();
    if (section === "transfer") return openTransfer();
    return openEntries();
  }

  // --- summary and categories --------------------------------------------------------------

  let summary = { total: 0, published: 0, draft: 0, unanswered: 0, categories: [] };

  async function refreshSummary() {
    try {
      summary = await api("GET", "/api/kb/summary");
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
      return;
    }
    $("#stat-total").textContent = summary.total.toLocaleString("vi-VN");
    $("#stat-published").textContent = summary.published.toLocaleString("vi-VN");
    $("#stat-draft").textContent = summary.draft.toLocaleString("vi-VN");
    $("#stat-unanswered").textContent = summary.unanswered.toLocaleString("vi-VN");
    const pill = $("#nav-unanswered");
    pill.textContent = summary.unanswered;
    show(pill, summary.unanswered > 0);

    const select = $("#filter-category");
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, `Tất cả chủ đề (${summary.total})`),
      ...summary.categories.map((c) => h("option", { value: c.category }, `${categoryLabel(c.category)} (${c.total})`)));
    select.value = summary.categories.some((c) => c.category === current) ? current : "";

    const known = new Set([...Object.keys(CATEGORY_LABELS), ...summary.categories.map((c) => c.category)]);
    $("#category-options").replaceChildren(...[...known].sort().map((id) => h("option", { value: id }, categoryLabel(id))));
  }

  // --- entry list --------------------------------------------------------------------------

  const list = { entries: [], page: 0, sort: "updated_at", dir: -1, loading: 0 };

  function openEntries() {
    showView("entries", "entries");
    loadEntries();
  }

  async function loadEntries() {
    const params = new URLSearchParams({
      q: $("#filter-q").value.trim(), category: $("#filter-category").value, status: $("#filter-status").value,
    });
    show($("#filter-reset"), Boolean(params.get("q") || params.get("category") || params.get("status")));
    const ticket = ++list.loading;
    try {
      const entries = await api("GET", `/api/kb/entries?${params}`);
      if (ticket !== list.loading) return;  // a newer search is under way
      list.entries = entries;
      list.page = 0;
      renderEntries();
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  function sortedEntries() {
    const key = list.sort;
    const value = (e) => (key === "category" ? categoryLabel(e.category) : key === "question" ? e.question : e[key]);
    return [...list.entries].sort((a, b) => {
      const x = value(a), y = value(b);
      const order = key === "updated_at" ? (x < y ? -1 : x > y ? 1 : 0) : String(x).localeCompare(String(y), "vi");
      return order * list.dir || a.id.localeCompare(b.id);
    });
  }

  function statusBadge(status) {
    return h("span", { class: `badge badge-${status}` }, STATUS_LABELS[status] || status);
  }

  function renderEntries() {
    const body = $("#entries-body");
    const entries = sortedEntries();
    const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
    list.page = Math.min(list.page, pages - 1);
    const shown = entries.slice(list.page * PAGE_SIZE, (list.page + 1) * PAGE_SIZE);
    body.replaceChildren(...shown.map(entryRow));
    if (!entries.length) {
      body.append(h("tr", {}, h("td", { colspan: 6, class: "empty" },
        list.entries.length === 0 && !$("#filter-q").value && !$("#filter-category").value && !$("#filter-status").value
          ? "Chưa có mục nào. Hãy thêm mục đầu tiên." : "Không có mục nào khớp với điều kiện tìm kiếm.")));
    }
    const from = entries.length ? list.page * PAGE_SIZE + 1 : 0;
    $("#entries-count").textContent =
      `Hiển thị ${from}–${list.page * PAGE_SIZE + shown.length} trong ${entries.length.toLocaleString("vi-VN")} mục`;
    $("#page-info").textContent = `Trang ${list.page + 1}/${pages}`;
    $("#page-prev").disabled = list.page === 0;
    $("#page-next").disabled = list.page >= pages - 1;
    for (const button of $$("#entries-table .sort")) {
      const active = button.dataset.sort === list.sort;
      button.classList.toggle("sorted", active);
      button.dataset.dir = active ? (list.dir > 0 ? "asc" : "desc") : "";
      button.closest("th").setAttribute("aria-sort", active ? (list.dir > 0 ? "ascending" : "descending") : "none");
    }
  }

  function entryRow(entry) {
    const publish = entry.status === "published"
      ? h("button", { type: "button", class: "btn btn-link", onclick: () => setStatus(entry, "draft") }, "Gỡ xuất bản")
      : h("button", { type: "button", class: "btn btn-link", onclick: () => setStatus(entry, "published") }, "Xuất bản");
    return h("tr", { dataset: { id: entry.id } },
      h("td", { class: "col-question" },
        h("a", { class: "entry-question", href: `#/entries/${encodeURIComponent(entry.id)}/edit` }, entry.question),
        h("div", { class: "entry-id" }, entry.id,
          entry.alternatives.length ? ` · ${entry.alternatives.length} cách hỏi khác` : "")),
      h("td", { class: "col-category" }, categoryLabel(entry.category)),
      h("td", { class: "col-status" }, statusBadge(entry.status)),
      h("td", { class: "col-version" }, `v${entry.version}`),
      h("td", { class: "col-updated" }, h("div", {}, formatTime(entry.updated_at)),
        h("div", { class: "muted small" }, author(entry.updated_by))),
      h("td", { class: "col-actions" },
        h("div", { class: "row-actions" },
          h("a", { class: "btn btn-link", href: `#/entries/${encodeURIComponent(entry.id)}/edit` }, "Sửa"),
          h("a", { class: "btn btn-link", href: `#/entries/${encodeURIComponent(entry.id)}/history` }, "Lịch sử"),
          publish,
          h("button", { type: "button", class: "btn btn-link btn-link-danger", onclick: () => removeEntry(entry) }, "Xóa"))));
  }

  async function setStatus(entry, status) {
    const ok = await confirmDialog(status === "draft" ? {
      title: "Gỡ xuất bản mục này?",
      message: `Bot sẽ ngừng dùng mục “${entry.question}” để trả lời khách hàng. Mục vẫn được giữ lại dưới dạng bản nháp.`,
      confirm: "Gỡ xuất bản",
    } : {
      title: "Xuất bản mục này?",
      message: `Bot sẽ dùng mục “${entry.question}” để trả lời khách hàng ngay sau khi xuất bản.`,
      confirm: "Xuất bản",
    });
    if (!ok) return;
    try {
      const saved = await api("POST", `/api/kb/entries/${encodeURIComponent(entry.id)}/${status === "published" ? "publish" : "unpublish"}`);
      toast(status === "published" ? `Đã xuất bản “${saved.question}”. Bot có thể dùng mục này ngay.` : `Đã gỡ xuất bản “${saved.question}”.`);
      await Promise.all([refreshSummary(), loadEntries()]);
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  async function removeEntry(entry) {
    const ok = await confirmDialog({
      title: "Xóa mục này?",
      message: `Mục “${entry.question}” sẽ bị xóa khỏi cơ sở tri thức và bot không dùng để trả lời nữa. Lịch sử thay đổi vẫn được lưu lại.`,
      confirm: "Xóa mục", danger: true,
    });
    if (!ok) return;
    try {
      await api("DELETE", `/api/kb/entries/${encodeURIComponent(entry.id)}`);
      toast(`Đã xóa “${entry.question}”.`);
      await Promise.all([refreshSummary(), loadEntries()]);
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  // --- editor ------------------------------------------------------------------------------

  const editor = { id: null, version: null, unanswered: null, original: "", entry: null };
  const form = () => $("#entry-form");

  function formData() {
    const f = form();
    const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
    return {
      question: f.question.value.trim(),
      alternatives: lines(f.alternatives.value),
      answer: f.answer.value.trim(),
      category: f.category.value.trim(),
      tags: f.tags.value.split(",").map((s) => s.trim()).filter(Boolean),
      source: f.source.value.trim(),
      status: f.status.value,
    };
  }

  function fillForm(entry) {
    const f = form();
    f.question.value = entry.question || "";
    f.alternatives.value = (entry.alternatives || []).join("\n");
    f.answer.value = entry.answer || "";
    f.category.value = entry.category || "";
    f.tags.value = (entry.tags || []).join(", ");
    f.source.value = entry.source || "";
    f.status.value = entry.status || "draft";
    f.id.value = "";
    editor.original = JSON.stringify(formData());
    updateDirty();
    updateCategoryLabel();
  }

  const isDirty = () => !$("#view-editor").hidden && JSON.stringify(formData()) !== editor.original;
  const updateDirty = () => show($("#entry-dirty"), isDirty());

  function updateCategoryLabel() {
    const value = form().category.value.trim();
    $("#category-label").textContent = value && CATEGORY_LABELS[value]
      ? `Chủ đề: ${CATEGORY_LABELS[value]}` : "Chọn trong danh sách hoặc nhập mã chủ đề mới.";
  }

  function clearErrors() {
    show($("#editor-error"), false);
    for (const field of $$("#entry-form [data-field]")) {
      field.classList.remove("has-error");
      show($(".field-error", field), false);
    }
  }

  function showEditorError(error) {
    const box = $("#editor-error");
    box.replaceChildren();
    if (error.status === 409 && !isTaken(error)) {
      box.append(h("p", {}, "Mục này vừa được người khác sửa, vui lòng tải lại để xem nội dung mới nhất. Các thay đổi của bạn chưa được lưu."),
        h("button", { type: "button", class: "btn btn-small btn-ghost", onclick: reloadEditor }, "Tải lại nội dung mới nhất"));
    } else {
      const errors = fieldErrors(error);
      let placed = false;
      for (const { field, text } of errors) {
        const holder = $(`#entry-form [data-field="${CSS.escape(field)}"]`);
        if (!holder) continue;
        holder.classList.add("has-error");
        const slot = $(".field-error", holder);
        slot.textContent = `${FIELD_LABELS[field] || field} ${text}.`;
        show(slot, true);
        placed = true;
      }
      box.append(h("p", {}, errors.length
        ? (placed ? "Vui lòng kiểm tra lại các trường được đánh dấu bên dưới." : describe(error))
        : describe(error)));
      if (error.status === 409) {
        const idField = $("#id-field");
        idField.classList.add("has-error");
        const slot = $(".field-error", idField);
        slot.textContent = "Mã mục này đã tồn tại.";
        show(slot, true);
      }
    }
    show(box, true);
    box.scrollIntoView({ block: "nearest" });
  }

  async function reloadEditor() {
    if (editor.id) await openEditor(editor.id, null, true);
  }

  async function openEditor(id, unansweredId = null, force = false) {
    showView("editor", unansweredId ? "unanswered" : "entries");
    clearErrors();
    editor.id = id;
    editor.version = null;
    editor.unanswered = unansweredId;
    editor.entry = null;
    show($("#editor-origin"), false);
    show($("#id-field"), !id);
    show($("#editor-history"), Boolean(id));
    $("#entry-save").textContent = unansweredId ? "Lưu và đánh dấu đã xử lý" : "Lưu";
    $("#editor-meta").textContent = "";
    if (id) {
      $("#editor-title").textContent = "Sửa mục";
      $("#editor-history").href = `#/entries/${encodeURIComponent(id)}/history`;
      try {
        const entry = await api("GET", `/api/kb/entries/${encodeURIComponent(id)}`);
        editor.entry = entry;
        editor.version = entry.version;
        $("#editor-title").textContent = `Sửa mục: ${entry.question}`;
        $("#editor-meta").replaceChildren(statusBadge(entry.status),
          ` Mã ${entry.id} · phiên bản ${entry.version} · cập nhật bởi ${author(entry.updated_by)} lúc ${formatTime(entry.updated_at)}`);
        fillForm(entry);
        if (force) toast("Đã tải lại nội dung mới nhất của mục.");
      } catch (error) {
        if (error.status !== 401) showEditorError(error);
        return;
      }
    } else if (unansweredId) {
      $("#editor-title").textContent = "Tạo mục từ câu hỏi chưa trả lời";
      let question = unansweredCache.find((q) => q.id === unansweredId);
      if (!question) {
        try {
          question = (await api("GET", "/api/kb/unanswered")).find((q) => q.id === unansweredId);
        } catch (error) {
          if (error.status !== 401) showEditorError(error);
          return;
        }
      }
      if (!question) {
        showEditorError(new ApiError(404, "not_found", ""));
        fillForm({});
        return;
      }
      const origin = $("#editor-origin");
      origin.replaceChildren(h("strong", {}, "Câu hỏi của khách hàng: "), `“${question.text}”`,
        ` (đã hỏi ${question.count} lần, gần nhất lúc ${formatTime(question.last_asked_at)}). `,
        "Khi lưu, câu hỏi này được đánh dấu đã xử lý và rời khỏi danh sách chưa trả lời.");
      show(origin, true);
      fillForm({ question: question.text, status: "draft" });
      editor.original = JSON.stringify({ ...formData(), question: "" });  // prefilled, not saved yet
      updateDirty();
    } else {
      $("#editor-title").textContent = "Thêm mục mới";
      fillForm({ status: "draft" });
    }
    refreshPreview();
    (form().question.value ? form().answer : form().question).focus();
  }

  async function saveEntry(event) {
    event.preventDefault();
    clearErrors();
    const data = formData();
    const missing = [];
    if (!data.question) missing.push("question");
    if (!data.answer) missing.push("answer");
    if (missing.length) {  // shown as the server's 422 would be
      showEditorError(new ApiError(422, "validation_error", "", null, missing.map((field) => ({ field, code: "blank", params: {} }))));
      return;
    }
    if (editor.id && !isDirty()) {
      toast("Không có thay đổi nào để lưu.", "info");
      return;
    }
    if (!data.category) delete data.category;
    const button = $("#entry-save");
    button.disabled = true;
    try {
      let saved;
      if (editor.id) {
        saved = await api("PUT", `/api/kb/entries/${encodeURIComponent(editor.id)}`, { json: { ...data, version: editor.version } });
      } else {
        const id = form().id.value.trim();
        const body = id ? { ...data, id } : data;
        saved = editor.unanswered
          ? await api("POST", `/api/kb/unanswered/${editor.unanswered}/entry`, { json: body })
          : await api("POST", "/api/kb/entries", { json: body });
      }
      editor.original = JSON.stringify(formData());
      toast(editor.unanswered
        ? `Đã tạo mục “${saved.question}” và đánh dấu câu hỏi đã xử lý.`
        : `Đã lưu “${saved.question}” (phiên bản ${saved.version}).`);
      await refreshSummary();
      location.hash = editor.unanswered ? "#/unanswered" : "#/entries";
    } catch (error) {
      if (error.status !== 401) showEditorError(error);
    } finally {
      button.disabled = false;
    }
  }

  async function cancelEdit() {
    if (isDirty()) {
      const ok = await confirmDialog({
        title: "Bỏ các thay đổi?", message: "Các thay đổi chưa lưu sẽ bị mất.", confirm: "Bỏ thay đổi", danger: true,
      });
      if (!ok) return;
    }
    editor.original = JSON.stringify(formData());
    location.hash = editor.unanswered ? "#/unanswered" : "#/entries";
  }

  let previewTicket = 0;
  async function refreshPreview() {
    const f = form();
    $("#preview-question").textContent = f.question.value.trim() || "Câu hỏi của khách hàng";
    const source = f.source.value.trim();
    $("#preview-source").textContent = source ? `Nguồn: ${source}` : "";
    show($("#preview-source"), Boolean(source));
    const markdown = f.answer.value;
    const target = $("#preview");
    if (!markdown.trim()) {
      target.replaceChildren(h("p", { class: "muted" }, "Nhập câu trả lời để xem trước."));
      return;
    }
    const ticket = ++previewTicket;
    target.classList.add("loading");
    try {
      const { html } = await api("POST", "/api/kb/preview", { json: { markdown } });
      if (ticket !== previewTicket) return;
      target.innerHTML = html;  // sanitized by the server (nh3), and the page's CSP forbids inline scripts
    } catch (error) {
      if (ticket === previewTicket && error.status !== 401) {
        target.replaceChildren(h("p", { class: "field-error" }, describe(error)));
      }
    } finally {
      if (ticket === previewTicket) target.classList.remove("loading");
    }
  }
  const schedulePreview = debounce(refreshPreview, 350);

  // --- history -----------------------------------------------------------------------------

  const hist = { id: null, versions: [], selected: null, current: null };

  async function openHistory(id) {
    showView("history", "entries");
    hist.id = id;
    show($("#history-error"), false);
    $("#history-edit").href = `#/entries/${encodeURIComponent(id)}/edit`;
    $("#versions").replaceChildren();
    $("#diff").replaceChildren();
    try {
      hist.versions = await api("GET", `/api/kb/entries/${encodeURIComponent(id)}/history`);
    } catch (error) {
      if (error.status !== 401) {
        $("#history-error").textContent = describe(error);
        show($("#history-error"), true);
      }
      return;
    }
    const latest = hist.versions[0];
    hist.current = latest ? latest.version : null;
    $("#history-title").textContent = `Lịch sử thay đổi: ${latest ? latest.snapshot.question : id}`;
    $("#history-meta").textContent = `Mã ${id} · ${hist.versions.length} phiên bản`;
    show($("#history-edit"), Boolean(latest && !latest.snapshot.deleted));
    renderVersions();
    if (latest) selectVersion(latest.version);
  }

  function renderVersions() {
    $("#versions").replaceChildren(...hist.versions.map((v) =>
      h("li", {},
        h("button", {
          type: "button", class: `version${v.version === hist.selected ? " selected" : ""}`,
          dataset: { version: v.version }, onclick: () => selectVersion(v.version),
        },
        h("span", { class: "version-head" }, h("strong", {}, `Phiên bản ${v.version}`),
          v.version === hist.current ? h("span", { class: "badge badge-current" }, "Hiện tại") : null),
        h("span", { class: "version-action" }, ACTION_LABELS[v.action] || v.action),
        h("span", { class: "muted small" }, `${author(v.author)} · ${formatTime(v.created_at)}`)))));
  }

  async function selectVersion(version) {
    hist.selected = version;
    renderVersions();
    const revert = $("#revert");
    revert.disabled = version === hist.current;
    $("#revert-hint").textContent = version === hist.current
      ? "Đây là phiên bản hiện tại." : "Tạo phiên bản mới với nội dung (và trạng thái) của phiên bản này.";
    try {
      const diff = await api("GET", `/api/kb/entries/${encodeURIComponent(hist.id)}/diff?version=${version}`);
      if (hist.selected !== version) return;
      hist.diff = diff;
      renderDiff();
    } catch (error) {
      if (error.status !== 401) {
        $("#history-error").textContent = describe(error);
        show($("#history-error"), true);
      }
    }
  }

  function valueText(field, value) {
    if (field === "status") return STATUS_LABELS[value] || value || "—";
    if (field === "category") return value ? categoryLabel(value) : "—";
    if (field === "deleted") return value ? "Có" : "Không";
    return value === null || value === undefined || value === "" ? "—" : String(value);
  }

  function segmentsView(segments) {
    return segments.map((s) => (s.op === "insert" ? h("ins", {}, s.text) : s.op === "delete" ? h("del", {}, s.text) : s.text));
  }

  function renderDiff() {
    const diff = hist.diff;
    const all = $("#diff-all").checked;
    $("#diff-title").textContent = diff.previous
      ? `Phiên bản ${diff.version} so với phiên bản ${diff.previous}`
      : `Phiên bản ${diff.version} (tạo mới)`;
    const rows = diff.fields.filter((f) => all || f.changed).map((f) => {
      let body;
      if (f.kind === "text") {
        body = h("div", { class: "diff-text" }, f.changed ? segmentsView(f.segments) : f.after || "—");
      } else if (f.kind === "list") {
        body = f.segments.length
          ? h("ul", { class: "diff-list" }, f.segments.map((s) =>
            h("li", { class: `diff-${s.op}` }, h("span", { class: "diff-sign" }, s.op === "insert" ? "+" : s.op === "delete" ? "−" : " "),
              s.op === "insert" ? h("ins", {}, s.text) : s.op === "delete" ? h("del", {}, s.text) : s.text)))
          : h("div", { class: "muted" }, "(trống)");
      } else {
        body = h("div", { class: "diff-value" }, f.changed && diff.previous
          ? [h("del", {}, valueText(f.field, f.before)), " → ", h("ins", {}, valueText(f.field, f.after))]
          : valueText(f.field, f.after));
      }
      return h("div", { class: `diff-field${f.changed ? " changed" : ""}`, dataset: { field: f.field } },
        h("div", { class: "diff-label" }, FIELD_LABELS[f.field] || f.field, f.changed ? h("span", { class: "badge badge-changed" }, "Đã đổi") : null),
        body);
    });
    const meta = h("p", { class: "muted small" },
      `${ACTION_LABELS[diff.action] || diff.action} bởi ${author(diff.author)} lúc ${formatTime(diff.created_at)}`);
    $("#diff").replaceChildren(meta, ...(rows.length ? rows : [h("p", { class: "empty" }, "Phiên bản này không thay đổi nội dung nào.")]));
  }

  async function revertVersion() {
    const version = hist.selected;
    const ok = await confirmDialog({
      title: `Khôi phục phiên bản ${version}?`,
      message: `Nội dung và trạng thái của mục sẽ trở về như phiên bản ${version}. Một phiên bản mới được tạo; lịch sử hiện có vẫn được giữ nguyên.`,
      confirm: "Khôi phục",
    });
    if (!ok) return;
    try {
      const saved = await api("POST", `/api/kb/entries/${encodeURIComponent(hist.id)}/revert`, { json: { version } });
      toast(`Đã khôi phục phiên bản ${version} (phiên bản mới: ${saved.version}).`);
      await refreshSummary();
      await openHistory(hist.id);
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  // --- try a question ----------------------------------------------------------------------

  let pendingTry = "";

  function openTry() {
    showView("try", "try");
    const question = pendingTry;
    pendingTry = "";
    if (question) {
      $("#try-q").value = question;
      runTry();
    }
    $("#try-q").focus();
  }

  async function runTry(event) {
    if (event) event.preventDefault();
    const q = $("#try-q").value.trim();
    show($("#try-error"), false);
    if (!q) {
      $("#try-error").textContent = "Vui lòng nhập một câu hỏi để thử.";
      show($("#try-error"), true);
      return;
    }
    const button = $("#try-submit");
    button.disabled = true;
    try {
      const result = await api("GET", `/api/kb/try?${new URLSearchParams({ q, k: $("#try-k").value })}`);
      renderTry(result);
    } catch (error) {
      if (error.status !== 401) {
        $("#try-error").textContent = describe(error);
        show($("#try-error"), true);
      }
    } finally {
      button.disabled = false;
    }
  }

  function renderTry(result) {
    const verdict = $("#try-verdict");
    const top = result.results[0];
    if (result.answered) {
      const answer = h("div", { class: "markdown" });
      answer.innerHTML = result.answer_html;  // sanitized by the server
      verdict.className = "verdict verdict-ok";
      verdict.replaceChildren(
        h("p", { class: "verdict-title" }, "Bot sẽ trả lời bằng mục “", h("a", { href: `#/entries/${encodeURIComponent(top.id)}/edit` }, top.question),
          `” (độ tin cậy ${number(result.confidence)} ≥ ngưỡng ${number(result.threshold)}).`),
        h("div", { class: "bubble bubble-bot" }, answer));
    } else {
      verdict.className = "verdict verdict-warn";
      verdict.replaceChildren(
        h("p", { class: "verdict-title" }, top
          ? `Bot sẽ không trả lời: độ tin cậy ${number(result.confidence)} thấp hơn ngưỡng ${number(result.threshold)}.`
          : "Bot sẽ không trả lời: không tìm thấy mục nào phù hợp."),
        h("p", {}, "Khi đó bot xin lỗi khách hàng, đề nghị chuyển cho nhân viên và ghi câu hỏi vào danh sách chưa trả lời."));
    }
    $("#try-body").replaceChildren(...(result.results.length ? result.results.map((hit, index) => {
      const bar = h("span", { class: "score-fill" });
      bar.style.width = `${Math.round(Math.max(0, Math.min(1, hit.score)) * 100)}%`;
      const mark = h("span", { class: "score-threshold", title: `Ngưỡng ${number(result.threshold)}` });
      mark.style.left = `${Math.round(result.threshold * 100)}%`;
      return h("tr", { class: hit.above_threshold ? "above" : "below" },
        h("td", { class: "col-rank" }, index + 1),
        h("td", {}, h("a", { href: `#/entries/${encodeURIComponent(hit.id)}/edit` }, hit.question),
          h("div", { class: "entry-id" }, `${hit.id} · ${categoryLabel(hit.category)}`)),
        h("td", { class: "col-score" }, h("div", { class: "score" },
          h("span", { class: "score-bar" }, bar, mark), h("span", { class: "score-value" }, number(hit.score)))),
        h("td", { class: "col-num" }, number(hit.bm25)),
        h("td", { class: "col-num" }, number(hit.dense, 3)));
    }) : [h("tr", {}, h("td", { colspan: 5, class: "empty" }, "Không có mục đã xuất bản nào khớp với câu hỏi."))]));
    show($("#try-result"), true);
  }

  // --- unanswered questions ----------------------------------------------------------------

  let unansweredCache = [];

  async function openUnanswered() {
    showView("unanswered", "unanswered");
    show($("#unanswered-error"), false);
    try {
      unansweredCache = await api("GET", "/api/kb/unanswered");
    } catch (error) {
      if (error.status !== 401) {
        $("#unanswered-error").textContent = describe(error);
        show($("#unanswered-error"), true);
      }
      return;
    }
    const pill = $("#nav-unanswered");
    pill.textContent = unansweredCache.length;
    show(pill, unansweredCache.length > 0);
    const body = $("#unanswered-body");
    body.replaceChildren(...unansweredCache.map((q) => h("tr", { dataset: { id: q.id } },
      h("td", { class: "unanswered-text" }, q.text),
      h("td", { class: "col-num" }, q.count.toLocaleString("vi-VN")),
      h("td", { class: "col-updated" }, formatTime(q.last_asked_at)),
      h("td", { class: "col-actions" }, h("div", { class: "row-actions" },
        h("a", { class: "btn btn-small btn-primary", href: `#/unanswered/${q.id}/new` }, "Tạo mục từ câu hỏi này"),
        h("button", { type: "button", class: "btn btn-link", onclick: () => { pendingTry = q.text; location.hash = "#/try"; } }, "Thử"),
        h("button", { type: "button", class: "btn btn-link btn-link-danger", onclick: () => dismiss(q) }, "Bỏ qua"))))));
    if (!unansweredCache.length) {
      body.append(h("tr", {}, h("td", { colspan: 4, class: "empty" }, "Hiện không có câu hỏi nào chưa được trả lời.")));
    }
  }

  async function dismiss(question) {
    const ok = await confirmDialog({
      title: "Bỏ qua câu hỏi này?",
      message: `Câu “${question.text}” sẽ rời khỏi danh sách mà không tạo mục mới. Nếu khách hàng hỏi lại, câu hỏi sẽ xuất hiện lại.`,
      confirm: "Bỏ qua",
    });
    if (!ok) return;
    try {
      await api("POST", `/api/kb/unanswered/${question.id}/dismiss`);
      toast("Đã bỏ qua câu hỏi.");
      await refreshSummary();
      await openUnanswered();
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  // --- import / export ---------------------------------------------------------------------

  function openTransfer() {
    showView("transfer", "transfer");
  }

  async function download(format) {
    try {
      const response = await api("GET", `/api/kb/export?format=${format}`, { raw: true });
      const blob = await response.blob();
      const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      const link = h("a", { href: URL.createObjectURL(blob), download: match ? match[1] : `co-so-tri-thuc.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      toast(`Đã xuất ${summary.total.toLocaleString("vi-VN")} mục ra tệp ${format === "xlsx" ? "Excel" : "CSV"}.`);
    } catch (error) {
      if (error.status !== 401) toast(describe(error), "error");
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** POST /api/kb/import answers 202 with a job: its result once the import has run (or its error, thrown). */
  async function runImport(dryRun, body) {
    let job = await api("POST", `/api/kb/import${dryRun ? "?dry_run=true" : ""}`, { body });
    for (let wait = 300; job.status === "queued" || job.status === "running"; wait = Math.min(wait * 1.5, 2000)) {
      await sleep(wait);
      job = await api("GET", `/api/kb/imports/${encodeURIComponent(job.id)}`);
    }
    if (job.status !== "succeeded") throw apiError(job.error.status, job.error);
    return job.result;
  }

  async function importFile(dryRun) {
    const file = $("#import-file").files[0];
    const result = $("#import-result");
    if (!file) {
      result.replaceChildren(h("div", { class: "alert alert-error" }, "Vui lòng chọn một tệp để nhập."));
      return;
    }
    if (!dryRun) {
      const ok = await confirmDialog({
        title: "Nhập dữ liệu từ tệp?",
        message: `Các mục trong tệp “${file.name}” sẽ được tạo mới hoặc cập nhật theo mã mục. Mỗi thay đổi được ghi vào lịch sử và có thể khôi phục.`,
        confirm: "Nhập dữ liệu",
      });
      if (!ok) return;
    }
    const body = new FormData();
    body.append("file", file);
    for (const button of [$("#import-check"), $("#import-submit")]) button.disabled = true;
    result.replaceChildren(h("p", { class: "muted" }, dryRun ? "Đang kiểm tra tệp…" : "Đang nhập dữ liệu…"));
    try {
      const counts = await runImport(dryRun, body);
      const numbers = `${counts.created} mục mới, ${counts.updated} mục cập nhật, ${counts.unchanged} mục không đổi`;
      const extra = counts.ignored_columns.length ? h("p", { class: "small" }, `Các cột không dùng đến đã được bỏ qua: ${counts.ignored_columns.join(", ")}.`) : null;
      result.replaceChildren(dryRun
        ? h("div", { class: "alert alert-info" }, h("p", {}, `Tệp hợp lệ (${counts.total} dòng): khi nhập sẽ có ${numbers}.`),
          h("p", { class: "small" }, "Chưa có thay đổi nào được áp dụng."), extra)
        : h("div", { class: "alert alert-ok" }, h("p", {}, `Đã nhập xong ${counts.total} dòng: ${numbers}.`), extra));
      if (!dryRun) {
        toast("Đã nhập dữ liệu thành công.");
        await refreshSummary();
      }
    } catch (error) {
      if (error.status === 401) return;
      if (error.status === 422 && error.details) {
        result.replaceChildren(h("div", { class: "alert alert-error" },
          h("p", {}, `Tệp có ${error.details.length} lỗi nên chưa có dữ liệu nào được nhập. Vui lòng sửa các dòng sau rồi thử lại:`),
          h("table", { class: "table table-compact errors" },
            h("thead", {}, h("tr", {}, h("th", {}, "Dòng"), h("th", {}, "Cột"), h("th", {}, "Lỗi"))),
            h("tbody", {}, error.details.map((d) => h("tr", {},
              h("td", {}, d.row), h("td", {}, `${FIELD_LABELS[d.field] || d.field} (${d.field})`), h("td", {}, fieldText(d))))))));
      } else {
        result.replaceChildren(h("div", { class: "alert alert-error" }, describe(error)));
      }
    } finally {
      const chosen = Boolean($("#import-file").files[0]);
      $("#import-check").disabled = !chosen;
      $("#import-submit").disabled = !chosen;
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  function wire() {
    $("#login-form").addEventListener("submit", login);
    $("#logout").addEventListener("click", logout);
    window.addEventListener("hashchange", route);

    const reload = debounce(loadEntries, 250);
    $("#filter-q").addEventListener("input", reload);
    $("#filter-category").addEventListener("change", loadEntries);
    $("#filter-status").addEventListener("change", loadEntries);
    $("#filter-reset").addEventListener("click", () => {
      $("#filter-q").value = "";
      $("#filter-category").value = "";
      $("#filter-status").value = "";
      loadEntries();
    });
    for (const stat of $$("[data-status-filter]")) {
      stat.addEventListener("click", () => {
        $("#filter-status").value = stat.dataset.statusFilter;
        loadEntries();
      });
    }
    for (const button of $$("#entries-table .sort")) {
      button.addEventListener("click", () => {
        const key = button.dataset.sort;
        list.dir = list.sort === key ? -list.dir : key === "updated_at" ? -1 : 1;
        list.sort = key;
        renderEntries();
      });
    }
    $("#page-prev").addEventListener("click", () => { list.page -= 1; renderEntries(); });
    $("#page-next").addEventListener("click", () => { list.page += 1; renderEntries(); });

    const f = form();
    f.addEventListener("submit", saveEntry);
    f.addEventListener("input", (event) => {
      updateDirty();
      if (["answer", "question", "source"].includes(event.target.name)) schedulePreview();
      if (event.target.name === "category") updateCategoryLabel();
    });
    $("#entry-cancel").addEventListener("click", cancelEdit);
    $("#preview-refresh").addEventListener("click", refreshPreview);
    window.addEventListener("beforeunload", (event) => {
      if (isDirty()) event.preventDefault();
    });

    $("#diff-all").addEventListener("change", () => hist.diff && renderDiff());
    $("#revert").addEventListener("click", revertVersion);

    $("#try-form").addEventListener("submit", runTry);

    $("#export-xlsx").addEventListener("click", () => download("xlsx"));
    $("#export-csv").addEventListener("click", () => download("csv"));
    $("#import-file").addEventListener("change", () => {
      const file = $("#import-file").files[0];
      $("#import-file-name").textContent = file ? `${file.name} (${Math.ceil(file.size / 1024).toLocaleString("vi-VN")} KB)` : "Chọn tệp .csv hoặc .xlsx…";
      $("#import-check").disabled = !file;
      $("#import-submit").disabled = !file;
      $("#import-result").replaceChildren();
    });
    $("#import-check").addEventListener("click", () => importFile(true));
    $("#import-form").addEventListener("submit", (event) => { event.preventDefault(); importFile(false); });
  }

  async function start() {
    wire();
    let user;
    try {
      user = await api("GET", "/api/auth/me", { auth: false });  // the session cookie, if the browser has one
    } catch (error) {
      showLogin(error.status === 401 ? "" : describe(error));
      return;
    }
    csrfToken = user.csrf_token || null;
    if (user.role !== "admin") {
      try { await api("POST", "/api/auth/logout", { auth: false }); } catch (_) { /* signed out anyway */ }
      csrfToken = null;
      showLogin();
      loginError(noPermission(user.username));
      return;
    }
    await enterApp(user);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
