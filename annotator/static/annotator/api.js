// The JSON API: one fetch wrapper and the calls the page makes; every URL comes from the config.

import { config } from "./config.js";

export async function api(method, url, body, extra = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = config.csrfToken;
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

const annotationUrl = (id) => config.urls.annotation.replace("{id}", String(id));

export function putAnnotation(sentenceId, body, extra = {}) {
  return api("PUT", annotationUrl(sentenceId), body, extra);
}

// Resolve to the item, or to null when nothing is left for this annotator.
export async function fetchNext(exclude) {
  const query = exclude.length ? `?exclude=${exclude.join(",")}` : "";
  const response = await api("GET", config.urls.next + query);
  if (response.status === 204) return null;
  if (!response.ok) throw new Error(`next: HTTP ${response.status}`);
  return response.data;
}

export function fetchPrevious(before) {
  return api("GET", `${config.urls.previous}?before=${before}`);
}

export function searchSpeakers(query) {
  return api("GET", `${config.urls.speakers}?search=${encodeURIComponent(query)}&page_size=8`);
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
