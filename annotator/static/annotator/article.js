// Context beyond the two sentences around: z shows the whole article (the sentence being
// labelled highlighted and scrolled into view), j lists the project's articles to pick where
// to work (the queue's rules still apply: the page then asks for sentences from there on).

import { fetchArticle, fetchArticles } from "./api.js";
import { config } from "./config.js";
import { openDialog } from "./dialogs.js";
import { $, element, say } from "./dom.js";
import { flush } from "./drafts.js";
import { state } from "./state.js";

const articles = new Map(); // article id -> Promise of the API's article (text and sentences)
let showing = false;

export function toggleArticle() {
  showing = !showing;
  renderArticle();
  say(showing ? "The whole article: z again for the sentences around." : "");
}

function articleOf(id) {
  if (!articles.has(id)) {
    articles.set(
      id,
      fetchArticle(id).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.data;
      }),
    );
  }
  return articles.get(id);
}

// Paragraphs of sentences: a line break between two sentences starts a new paragraph.
function paragraphs(article, currentId) {
  const found = [];
  let paragraph = null;
  let end = 0;
  for (const s of article.sentences) {
    if (!paragraph || article.text.slice(end, s.start).includes("\n")) {
      paragraph = element("p", { className: "article-paragraph" });
      found.push(paragraph);
    }
    const current = s.id === currentId;
    paragraph.append(
      element("span", {
        className: `article-sentence kind-${s.kind}${current ? " current" : ""}`,
        text: `${s.text} `,
        "aria-current": current ? "true" : "false",
      }),
    );
    end = s.end;
  }
  return found;
}

export async function renderArticle() {
  const view = $("article-view");
  const item = state.item;
  view.hidden = !showing || !item;
  $("context-before").hidden = $("context-after").hidden = showing && Boolean(item);
  if (view.hidden) return;
  if (view.dataset.sentence === String(item.sentence.id)) return;
  view.dataset.sentence = String(item.sentence.id);
  try {
    const article = await articleOf(item.article.id);
    if (state.item !== item) return;
    view.replaceChildren(...paragraphs(article, item.sentence.id));
    view.querySelector(".current")?.scrollIntoView({ block: "center" });
  } catch (error) {
    view.replaceChildren(
      element("p", { text: `The article could not be loaded (${error.message}).` }),
    );
  }
}

let page = 1;

function articleRow(a) {
  const href = `${location.pathname}?article=${a.id}`;
  const here = state.item?.article.id === a.id;
  return element(
    "li",
    { className: here ? "current" : "" },
    element("a", {
      href,
      text: a.title,
      "aria-current": here ? "true" : "false",
      onclick: async (event) => {
        event.preventDefault();
        await flush();
        location.assign(href);
      },
    }),
    element("span", {
      className: "muted",
      text: ` ${a.done} of ${a.sentences} done by you; ${a.left} left for you`,
    }),
  );
}

async function loadArticles() {
  const response = await fetchArticles(page);
  const list = $("article-list");
  if (!response.ok) {
    list.replaceChildren(
      element("li", { text: `Could not load the articles (HTTP ${response.status}).` }),
    );
    return;
  }
  list.replaceChildren(...response.data.results.map(articleRow));
  $("articles-previous").disabled = !response.data.previous;
  $("articles-next").disabled = !response.data.next;
  $("articles-page").textContent =
    `Page ${page} of ${Math.max(1, Math.ceil(response.data.count / config.articlesPageSize))}`;
}

export function openArticles() {
  openDialog("articles-dialog");
  loadArticles().then(() => $("article-list").querySelector("a")?.focus());
}

export function installArticles() {
  for (const [id, step] of [
    ["articles-previous", -1],
    ["articles-next", 1],
  ]) {
    $(id).addEventListener("click", () => {
      page = Math.max(1, page + step);
      loadArticles();
    });
  }
}
