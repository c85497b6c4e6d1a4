/* Knowledge-base admin page: native ES modules, no build step; talks to /api/auth and /api/kb only.
   The shared library (/kit/js/, webkit/static/js/: DOM helpers, the API client, error texts by code,
   sign-in) is the one the web-chat widget and the staff console will use too. */

import { $, show } from "/kit/js/dom.js";
import { currentUser, signIn, signInErrorText, signOut, SIGN_IN_TEXTS } from "/kit/js/auth.js";
import { TEXTS } from "/kit/js/errors.js";
import { openEditor, wireEditor } from "./editor.js";
import { openEntries, refreshSummary, wireEntries } from "./entries.js";
import { openHistory, wireHistory } from "./history.js";
import { client } from "./session.js";
import { describe, noPermission } from "./texts.js";
import { openTransfer, wireTransfer } from "./transfer.js";
import { openTry, wireTry } from "./try.js";
import { openUnanswered } from "./unanswered.js";

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

// A 401 of any call but the sign-in's own: the session ended (expired, signed out elsewhere, disabled).
client.onUnauthorized = () => {
  client.csrfToken = null;
  showLogin(TEXTS.expired);
};

async function login(event) {
  event.preventDefault();
  const username = $("#login-username").value.trim();
  const password = $("#login-password").value;
  if (!username || !password) {
    loginError(SIGN_IN_TEXTS.empty);
    return;
  }
  const button = $("#login-submit");
  button.disabled = true;
  button.textContent = "Đang đăng nhập…";
  try {
    const answer = await signIn(client, username, password);
    if (answer.role !== "admin") {
      // A staff account cannot use this page: its session ends at once (the cookie is cleared).
      await signOut(client);
      loginError(noPermission(answer.username));
      return;
    }
    await enterApp({ username: answer.username, role: answer.role, display_name: answer.username });
  } catch (error) {
    loginError(signInErrorText(error, describe));
  } finally {
    button.disabled = false;
    button.textContent = "Đăng nhập";
  }
}

async function logout() {
  await signOut(client);
  location.hash = "";
  showLogin("Bạn đã đăng xuất.");
}

// --- routing -----------------------------------------------------------------------------

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

// --- start -------------------------------------------------------------------------------

function wire() {
  $("#login-form").addEventListener("submit", login);
  $("#logout").addEventListener("click", logout);
  window.addEventListener("hashchange", route);
  wireEntries();
  wireEditor();
  wireHistory();
  wireTry();
  wireTransfer();
}

async function start() {
  wire();
  let user;
  try {
    user = await currentUser(client);  // the session cookie, if the browser has one
  } catch (error) {
    showLogin(error.status === 401 ? "" : describe(error));
    return;
  }
  if (user.role !== "admin") {
    await signOut(client);
    showLogin();
    loginError(noPermission(user.username));
    return;
  }
  await enterApp(user);
}

document.addEventListener("DOMContentLoaded", start);
