// Parts of an admin page that follow a background job (`data-refresh="URL"`: a job's state, a
// model comparison being computed) fetch their HTML again every two seconds until it says it
// is final (`data-final`). A script file, not inline script: the site sends a CSP.

const PERIOD_MS = 2000;

function follow(element) {
  if (element.hasAttribute("data-final")) return;
  setTimeout(async () => {
    let response;
    try {
      response = await fetch(element.dataset.refresh, { headers: { Accept: "text/html" } });
    } catch {
      follow(element); // the network failed for a moment: try again later
      return;
    }
    if (!response.ok) return; // gone or no longer ours: leave the page as it is
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.firstElementChild;
    if (!fresh) return;
    element.replaceWith(fresh);
    follow(fresh);
  }, PERIOD_MS);
}

function start() {
  for (const element of document.querySelectorAll("[data-refresh]")) follow(element);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
