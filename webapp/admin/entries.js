/* The entry list, its filters and sorting, and the counts of the knowledge base. */

import { $, $$, debounce, h, show } from "/kit/js/dom.js";
import { formatTime } from "/kit/js/format.js";
import { CATEGORY_LABELS, STATUS_LABELS, author, categoryLabel } from "./labels.js";
import { api } from "./session.js";
import { describe } from "./texts.js";
import { confirmDialog, showView, toast } from "./ui.js";

const PAGE_SIZE = 25;

// --- summary and categories --------------------------------------------------------------

export const summary = { total: 0, published: 0, draft: 0, unanswered: 0, categories: [] };

export async function refreshSummary() {
  try {
    Object.assign(summary, await api("GET", "/api/kb/summary"));
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

export const list = { entries: [], page: 0, sort: "updated_at", dir: -1, loading: 0 };

export function openEntries() {
  showView("entries", "entries");
  loadEntries();
}

export async function loadEntries() {
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

export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}` }, STATUS_LABELS[status] || status);
}

export function renderEntries() {
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

export function wireEntries() {
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
}
