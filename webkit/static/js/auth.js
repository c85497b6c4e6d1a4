/* Signing in to our services with the shared accounts (webkit/accounts): the session is an HttpOnly
   cookie the page never sees; the CSRF token that its state changes carry comes with the sign-in
   answer and with GET /api/auth/me (a reloaded page), and lives in the API client's memory only. */

import { TEXTS, describe } from "./errors.js";
import { waitText } from "./format.js";

/** The signed-in user ({username, role, display_name}) with the session cookie; throws ApiError 401 if none. */
export async function currentUser(api) {
  const user = await api.call("GET", "/api/auth/me", { auth: false });
  api.csrfToken = user.csrf_token || null;
  return user;
}

/** Sign in with the session cookie; the answer is the user ({username, role, display_name}). */
export async function signIn(api, username, password) {
  const answer = await api.call("POST", "/api/auth/login", { json: { username, password, session: "cookie" }, auth: false });
  api.csrfToken = answer.csrf_token;
  return answer;
}

/** The session ends (on every replica) and its cookie is cleared; signed out anyway if the call fails. */
export async function signOut(api) {
  try {
    await api.call("POST", "/api/auth/logout", { auth: false });
  } catch (_) { /* signed out anyway */ }
  api.csrfToken = null;
}

export const SIGN_IN_TEXTS = {
  empty: "Vui lòng nhập tên đăng nhập và mật khẩu.",
  wrong: "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại.",
  invalid: "Vui lòng nhập tên đăng nhập và mật khẩu hợp lệ.",
  backoff: (seconds) => `Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau ${waitText(seconds)}.`,
};

/** Why a sign-in failed, in Vietnamese (other failures: ``describeOther``, the page's describe). */
export function signInErrorText(error, describeOther = describe) {
  if (error.status === 401) return SIGN_IN_TEXTS.wrong;
  if (error.code === "account_disabled") return TEXTS.accountDisabled;
  if (error.status === 429) return SIGN_IN_TEXTS.backoff(error.retryAfter);
  if (error.status === 422) return SIGN_IN_TEXTS.invalid;
  return describeOther(error);
}
