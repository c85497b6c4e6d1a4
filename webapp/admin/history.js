/* An entry's versions, the diff of each with the one before, and reverting to one. */

import { $, h, show } from "/kit/js/dom.js";
import { formatTime } from "/kit/js/format.js";
import { refreshSummary } from "./entries.js";
import { ACTION_LABELS, FIELD_LABELS, STATUS_LABELS, author, categoryLabel } from "./labels.js";
import { api } from "./session.js";
import { describe } from "./texts.js";
import { confirmDialog, showView, toast } from "./ui.js";

// --- history -----------------------------------------------------------------------------

export const hist = { id: null, versions: [], selected: null, current: null };

export async function openHistory(id) {
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

export function renderDiff() {
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

export async function revertVersion() {
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

export function wireHistory() {
  $("#diff-all").addEventListener("change", () => hist.diff && renderDiff());
  $("#revert").addEventListener("click", revertVersion);
}
