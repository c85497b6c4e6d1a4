/* The admin page's API client (the session cookie, its CSRF token) and what its views share. */

import { ApiError, apiError, createApi } from "/kit/js/api.js";

export { ApiError, apiError };

export const client = createApi();

/** api("GET", "/api/kb/entries", {json, body, raw, auth}): see /kit/js/api.js. */
export const api = (method, path, options) => client.call(method, path, options);

export const state = {
  unanswered: [],  // the unanswered questions last listed (the editor starts an entry from one)
  pendingTry: "",  // a question to try when the "Thử câu hỏi" view opens
};
