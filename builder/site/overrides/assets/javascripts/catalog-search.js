// The header search box, answered by the Pagefind bundle the catalog plugin writes into pagefind/.
// Pagefind fetches only the index chunks and result fragments a query needs, so searching a large
// catalog costs a few hundred kilobytes instead of the whole index. Nothing is loaded until the
// reader opens the search box or starts typing.

const PAGE_SIZE = 10;
const root = document.querySelector("[data-catalog-search]");
const config = JSON.parse(document.getElementById("__config").textContent);
const base = new URL(config.base.replace(/\/?$/, "/"), location.href);
const toggle = document.getElementById("__search"); // Material's checkbox that opens the search overlay
const form = root.querySelector("form");
const input = root.querySelector("[data-catalog-search-query]");
const meta = root.querySelector(".md-search-result__meta");
const list = root.querySelector(".md-search-result__list");
const filterBox = root.querySelector("[data-catalog-search-filters]");
const selects = Object.fromEntries(
  [...root.querySelectorAll("[data-catalog-search-filter]")].map((s) => [s.dataset.catalogSearchFilter, s]),
);

let pagefind = null;
let latest = 0; // only the newest query may draw results

function loadPagefind() {
  pagefind ??= import(new URL("pagefind/pagefind.js", base).href).then(async (module) => {
    await module.options({ baseUrl: "/", excerptLength: 30 });
    module.init();
    return module;
  });
  return pagefind;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// Records hold contributor text HTML-escaped (builder/site/search.py): decode it, then show it as text.
function decoded(html) {
  return new DOMParser().parseFromString(html, "text/html").body.textContent;
}

// Pagefind marks matches with <mark>; everything else in an excerpt is contributor text, shown as text.
function excerptHtml(excerpt) {
  const text = new DOMParser().parseFromString(excerpt, "text/html").body;
  let html = "";
  for (const node of text.childNodes) {
    html += node.nodeName === "MARK" ? `<mark>${escapeHtml(node.textContent)}</mark>` : escapeHtml(node.textContent);
  }
  return html;
}

function resultItem(data) {
  const url = new URL(data.url.replace(/^\//, ""), base);
  const facts = [data.meta.code, data.meta.topics].filter(Boolean).map((v) => escapeHtml(decoded(v))).join(" · ");
  const item = document.createElement("li");
  item.className = "md-search-result__item";
  item.innerHTML =
    `<a href="${escapeHtml(url.href)}" class="md-search-result__link" tabindex="-1">` +
    `<article class="md-search-result__article md-typeset">` +
    `<h1>${escapeHtml(data.meta.title ? decoded(data.meta.title) : url.pathname)}</h1>` +
    `<p>${excerptHtml(data.excerpt)}</p>` +
    (facts ? `<p class="catalog-search__facts">${facts}</p>` : "") +
    `</article></a>`;
  return item;
}

function currentFilters() {
  const filters = {};
  for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
  return filters;
}

function shareUrl(query, filters) {
  const url = new URL(location.href);
  for (const key of ["q", "topic", "code"]) url.searchParams.delete(key);
  if (query) url.searchParams.set("q", query);
  for (const [key, value] of Object.entries(filters)) url.searchParams.set(key, value);
  history.replaceState(history.state, "", url);
}

async function fillFilters(module) {
  if (!filterBox.hidden) return;
  const available = await module.filters();
  for (const [name, select] of Object.entries(selects)) {
    const wanted = select.dataset.wanted || select.value;
    select.length = 1; // keep "All", drop the placeholder a shared link added
    for (const value of Object.keys(available[name] || {}).sort()) {
      select.add(new Option(`${value} (${available[name][value]})`, value));
    }
    select.value = wanted;
  }
  filterBox.hidden = false;
}

async function showMore(results, shown, token) {
  const page = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
  if (token !== latest) return;
  list.querySelector(".catalog-search__more")?.parentElement.remove();
  for (const data of page) list.append(resultItem(data));
  const next = shown + page.length;
  if (next < results.length) {
    const li = document.createElement("li");
    li.innerHTML = `<button type="button" class="catalog-search__more">Show ${Math.min(PAGE_SIZE, results.length - next)} more</button>`;
    li.firstChild.addEventListener("click", () => showMore(results, next, token));
    list.append(li);
  }
}

async function search() {
  const token = ++latest;
  const query = input.value.trim();
  const filters = currentFilters();
  shareUrl(query, filters);
  if (!query) {
    meta.textContent = config.translations["search.result.placeholder"];
    list.replaceChildren();
    return;
  }
  const module = await loadPagefind();
  const found = await module.search(query, { filters });
  if (token !== latest || !found) return;
  const results = found.results;
  meta.textContent =
    results.length === 0 ? config.translations["search.result.none"]
    : results.length === 1 ? config.translations["search.result.one"]
    : config.translations["search.result.other"].replace("#", results.length);
  list.replaceChildren();
  await showMore(results, 0, token);
  fillFilters(module);
}

function open() {
  if (!toggle.checked) toggle.click();
  input.focus();
}

function close() {
  if (toggle.checked) toggle.click();
  input.blur();
}

function links() {
  return [...list.querySelectorAll(".md-search-result__link, .catalog-search__more")];
}

let typing = 0; // a query is searched once the keys pause, not once per letter typed in a burst
input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(search, 60); });
input.addEventListener("focus", () => { loadPagefind(); if (!toggle.checked) toggle.click(); });
for (const select of Object.values(selects)) select.addEventListener("change", search);
form.addEventListener("reset", () => setTimeout(search));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  links()[0]?.click();
});
toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
  if (!toggle.checked) {
    if (!typing && ["/", "s", "f"].includes(event.key)) {
      event.preventDefault();
      open();
    }
    return;
  }
  const targets = links();
  const at = targets.indexOf(document.activeElement);
  if (event.key === "Escape") {
    event.preventDefault();
    close();
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!targets.length) return;
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = at + step;
    if (next < 0) input.focus();
    else targets[Math.min(next, targets.length - 1)].focus();
  }
});

// A shared link (?q=…&topic=…&code=…) opens the search with that query and those filters; not on
// the explore page, whose own filters use the same parameters (its list would sit under the dialog).
const params = new URLSearchParams(location.search);
if (params.get("q") && !document.getElementById("catalog-explore")) {
  for (const [name, select] of Object.entries(selects)) {
    const value = params.get(name);
    if (value) {
      select.add(new Option(value, value));
      select.value = value;
      select.dataset.wanted = value;
    }
  }
  input.value = params.get("q");
  open();
  search();
}
