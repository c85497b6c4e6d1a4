/* The "Thử câu hỏi" panel: what the bot would answer, with the scores against the threshold. */

import { $, h, show } from "/kit/js/dom.js";
import { number } from "/kit/js/format.js";
import { categoryLabel } from "./labels.js";
import { api, state } from "./session.js";
import { describe } from "./texts.js";
import { showView } from "./ui.js";

// --- try a question ----------------------------------------------------------------------

export function openTry() {
  showView("try", "try");
  const question = state.pendingTry;
  state.pendingTry = "";
  if (question) {
    $("#try-q").value = question;
    runTry();
  }
  $("#try-q").focus();
}

export async function runTry(event) {
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

export function wireTry() {
  $("#try-form").addEventListener("submit", runTry);
}
