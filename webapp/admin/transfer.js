/* Export to CSV or Excel, and import (checked first, run as a background job that is polled). */

import { $, h, sleep } from "/kit/js/dom.js";
import { refreshSummary, summary } from "./entries.js";
import { FIELD_LABELS } from "./labels.js";
import { api, apiError } from "./session.js";
import { describe, fieldText } from "./texts.js";
import { confirmDialog, showView, toast } from "./ui.js";

// --- import / export ---------------------------------------------------------------------

export function openTransfer() {
  showView("transfer", "transfer");
}

export async function download(format) {
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

export async function importFile(dryRun) {
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

export function wireTransfer() {
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
