/* The client of our JSON APIs: the session cookie goes with every call (same origin), every state change
   carries the session's CSRF token, and a failure is an ApiError with the error contract's codes
   (docs/errors.md): code, fields [{field, code, params}], details, retry_after. */

const SAFE_METHODS = ["GET", "HEAD"];

export class ApiError extends Error {
  constructor(status, code, message, details, fields, retryAfter) {
    super(message);  // technical English, for the console: never shown, never parsed
    this.status = status;
    this.code = code;
    this.details = details || null;
    this.fields = fields || [];  // [{field, code, params}]: what the texts are chosen by
    this.retryAfter = retryAfter || 0;
  }
}

/** An error object of the API ({code, message, details, fields, retry_after}) with its HTTP status. */
export const apiError = (status, error, retryAfter = 0) =>
  new ApiError(status, error.code, error.message || "", error.details, error.fields, error.retry_after || retryAfter);

/**
 * const api = createApi();  api.onUnauthorized = () => showSignIn();
 * await api.call("POST", "/api/x", { json: {...} });   // raw: the Response; auth: false: a 401 is just thrown
 * The CSRF token (from the sign-in answer or GET /api/auth/me) is kept in memory only: api.csrfToken.
 */
export function createApi() {
  const api = {
    csrfToken: null,
    onUnauthorized: null,
    async call(method, path, { json, body, raw = false, auth = true } = {}) {
      const headers = {};
      if (api.csrfToken && !SAFE_METHODS.includes(method)) headers["X-CSRF-Token"] = api.csrfToken;
      if (json !== undefined) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(json);
      }
      let response;
      try {
        response = await fetch(path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
      } catch (networkError) {
        throw new ApiError(0, "network", String(networkError));
      }
      if (!response.ok) {
        let error = { code: "http_error" };
        try { error = (await response.json()).error || error; } catch (_) { /* not JSON */ }
        if (response.status === 401 && auth && api.onUnauthorized) api.onUnauthorized();
        throw apiError(response.status, error, Number(response.headers.get("Retry-After")) || 0);
      }
      if (raw) return response;
      if (response.status === 204) return null;
      return response.json();
    },
  };
  return api;
}
