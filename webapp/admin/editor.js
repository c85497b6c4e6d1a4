/* Creating and editing an entry, with its sanitized preview (also from an unanswered question). */

import { $, $$, debounce, h, show } from "/kit/js/dom.js";
import { formatTime } from "/kit/js/format.js";
import { refreshSummary, statusBadge } from "./entries.js";
import { CATEGORY_LABELS, FIELD_LABELS, author } from "./labels.js";
import { ApiError, api, state } from "./session.js";
import { describe, fieldErrors, isTaken } from "./texts.js";
import { confirmDialog, showView, toast } from "./ui.js";

// --- editor ------------------------------------------------------------------------------

const editor = { id: null, version: null, unanswered: null, original: "", entry: null };
export const form = () => $("#entry-form");

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

export const isDirty = () => !$("#view-editor").hidden && JSON.stringify(formData()) !== editor.original;
export const updateDirty = () => show($("#entry-dirty"), isDirty());

export function updateCategoryLabel() {
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

export async function openEditor(id, unansweredId = null, force = false) {
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
    let question = state.unanswered.find((q) => q.id === unansweredId);
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

export async function saveEntry(event) {
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

export async function cancelEdit() {
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
export async function refreshPreview() {
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
export const schedulePreview = debounce(refreshPreview, 350);

export function wireEditor() {
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
}
