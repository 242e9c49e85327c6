// The page config (#label-config). The label schema is project data (a fixture, edited in the
// admin), so the script takes label values, keys and titles from here and names none itself.
// The labeling page and the reviewers' gold editor in the admin share it.

export const config = JSON.parse(document.getElementById("label-config").textContent);

// These two speaker kinds have keys of their own (Shift+A, Shift+U) and are offered on every
// sentence, never created from a name; every other kind in the config can be.
export const AUTHOR = "author";
export const UNNAMED = "unnamed";

const typedClaims = new Set(config.claims.filter((c) => c.takesTypes).map((c) => c.value));

export const takesTypes = (claim) => typedClaims.has(claim);

// Hints name keys as a person would: "1, 2 or 3".
function keyList(options) {
  const keys = options.map((o) => o.key);
  if (keys.length < 2) return keys.join("");
  return `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}`;
}

export const claimKeys = keyList(config.claims);
export const typedClaimKeys = keyList(config.claims.filter((c) => c.takesTypes));

// Logging in again (in another tab) gives a new CSRF token: read the cookie on every write.
export function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : config.csrfToken;
}
