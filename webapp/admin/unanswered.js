/* The questions the bot could not answer: turned into entries, tried, or dismissed. */

import { $, h, show } from "/kit/js/dom.js";
import { formatTime } from "/kit/js/format.js";
import { refreshSummary } from "./entries.js";
import { api, state } from "./session.js";
import { describe } from "./texts.js";
import { confirmDialog, showView, toast } from "./ui.js";

// --- unanswered questions ----------------------------------------------------------------

export async function openUnanswered() {
  showView("unanswered", "unanswered");
  show($("#unanswered-error"), false);
  try {
    state.unanswered = await api("GET", "/api/kb/unanswered");
  } catch (error) {
    if (error.status !== 401) {
      $("#unanswered-error").textContent = describe(error);
      show($("#unanswered-error"), true);
    }
    return;
  }
  const pill = $("#nav-unanswered");
  pill.textContent = state.unanswered.length;
  show(pill, state.unanswered.length > 0);
  const body = $("#unanswered-body");
  body.replaceChildren(...state.unanswered.map((q) => h("tr", { dataset: { id: q.id } },
    h("td", { class: "unanswered-text" }, q.text),
    h("td", { class: "col-num" }, q.count.toLocaleString("vi-VN")),
    h("td", { class: "col-updated" }, formatTime(q.last_asked_at)),
    h("td", { class: "col-actions" }, h("div", { class: "row-actions" },
      h("a", { class: "btn btn-small btn-primary", href: `#/unanswered/${q.id}/new` }, "Tạo mục từ câu hỏi này"),
      h("button", { type: "button", class: "btn btn-link", onclick: () => { state.pendingTry = q.text; location.hash = "#/try"; } }, "Thử"),
      h("button", { type: "button", class: "btn btn-link btn-link-danger", onclick: () => dismiss(q) }, "Bỏ qua"))))));
  if (!state.unanswered.length) {
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
