/* The admin page's toasts, confirmation dialog and views. */

import { $, $$, h, show } from "/kit/js/dom.js";

// --- toasts and confirmation -------------------------------------------------------------

export function toast(message, kind = "ok") {
  const el = h("div", { class: `toast toast-${kind}` }, message);
  $("#toasts").append(el);
  setTimeout(() => el.classList.add("toast-hide"), 4000);
  setTimeout(() => el.remove(), 4600);
}

export function confirmDialog({ title, message, confirm = "Đồng ý", danger = false }) {
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

// --- views -------------------------------------------------------------------------------

const VIEWS = ["entries", "editor", "history", "try", "unanswered", "transfer"];

export function showView(name, tab) {
  for (const view of VIEWS) show($(`#view-${view}`), view === name);
  for (const link of $$(".tabs a")) link.classList.toggle("active", link.dataset.tab === tab);
  window.scrollTo(0, 0);
}
