/* Numbers, sizes, times and waits as a Vietnamese reader expects them. */

/** 100000 -> "100.000" */
export const count = (n) => Number(n).toLocaleString("vi-VN");

/** 0.5 -> "0,50" */
export const number = (value, digits = 2) =>
  Number(value).toLocaleString("vi-VN", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Whole megabytes: 5242880 -> "5" */
export const megabytes = (bytes) => count(Math.floor(bytes / (1024 * 1024)));

/** Our APIs give UTC times without a zone: read them as UTC, show them in local time. */
export function parseTime(text) {
  if (!text) return null;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text + "Z");
}

const pad = (n) => String(n).padStart(2, "0");

/** "01/12/2026 19:05", in the browser's time zone. */
export function formatTime(text) {
  const d = parseTime(text);
  if (!d || Number.isNaN(d.getTime())) return "—";
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "45 giây", "15 phút" */
export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(Number(seconds) || 1));
  return s < 60 ? `${count(s)} giây` : `${count(Math.ceil(s / 60))} phút`;
}
