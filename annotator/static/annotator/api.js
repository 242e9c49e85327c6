// The JSON API: one fetch wrapper and the calls the page makes; every URL comes from the config.

import { config, csrfToken } from "./config.js";

export async function api(method, url, body, extra = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
    ...extra,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, data };
}

// Logged out (401), or a session or CSRF token that is no longer good (403 naming CSRF).
export function isLoggedOut(response) {
  const detail = String(response.data?.detail ?? "");
  return response.status === 401 || (response.status === 403 && /CSRF|credentials/i.test(detail));
}

const annotationUrl = (id) => config.urls.annotation.replace("{id}", String(id));

// keepalive: a save still reaches the server when the page is closed while it is on its way.
export function putAnnotation(sentenceId, body) {
  return api("PUT", annotationUrl(sentenceId), body, { keepalive: true });
}

export function getAnnotation(sentenceId) {
  return api("GET", annotationUrl(sentenceId));
}

function query(params) {
  const parts = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

// Resolve to the item, or to null when nothing is left for this annotator.
export async function fetchNext(exclude) {
  const url = config.urls.next + query({ exclude: exclude.join(","), article: config.article });
  const response = await api("GET", url);
  if (response.status === 204) return null;
  if (!response.ok) throw new Error(`next: HTTP ${response.status}`);
  return response.data;
}

// `before` null: the last sentence this annotator labelled.
export function fetchPrevious(before) {
  return api("GET", config.urls.previous + query({ before }));
}

export function fetchArticles(page) {
  return api("GET", config.urls.articles + query({ page }));
}

export function fetchArticle(id) {
  return api("GET", config.urls.article.replace("{id}", String(id)));
}

// The speakers a source span may stand for, best first (span null: no source).
export function fetchCandidates(sentenceId, span) {
  const url = config.urls.candidates.replace("{id}", String(sentenceId));
  return api("GET", url + query({ start: span?.start, end: span?.end }));
}

// The sentence's suggestions as the server makes them now (the same shape as an item's).
export function fetchSuggestions(sentenceId) {
  return api("GET", config.urls.suggestions.replace("{id}", String(sentenceId)));
}

export function searchSpeakers(text) {
  return api("GET", config.urls.speakers + query({ search: text, page_size: 8 }));
}

// Validation errors come nested like the body that was sent; name the field each one is about.
export function describeErrors(errors) {
  if (!errors || typeof errors !== "object") return "unexpected answer from the server.";
  const parts = [];
  const walk = (value, path) => {
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      parts.push(`${path || "request"}: ${value.join(" ")}`);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path} ${i + 1}`);
    } else if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) walk(v, path ? `${path} ${key}` : key);
    } else if (typeof value === "string") {
      parts.push(value);
    }
  };
  walk(errors, "");
  return parts.join("; ") || "unexpected answer from the server.";
}
