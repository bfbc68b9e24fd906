// The header search box, answered by the Pagefind bundle the catalog plugin writes into pagefind/.
// Pagefind fetches only the index chunks and result fragments a query needs, so searching a large
// catalog costs a few hundred kilobytes instead of the whole index.
//
// What keeps it fast at 10 000 papers (docs/scaling.md):
// - Pagefind (script, wasm, index metadata: about 150 KB, cached by the browser for the rest of the
//   visit) loads once the page has loaded and the browser is idle, so the first query needs only its
//   own index chunks; with Save-Data on, only when the box gets focus (which a reader always gives
//   it before typing: `/`, a click, a tap) or a pointer reaches it.
// - While keys come, only the index chunks of the words typed so far are fetched (preload); the
//   search itself runs once the keys pause (50 ms, longer after one or two letters), and never more
//   than one at a time: a query typed while one runs waits for it, and only the newest query then
//   runs.
//   Results of a query the box no longer holds are dropped, so a slow old query never overwrites
//   newer results.
// - Only the fragments (title, excerpt) of the results on screen are fetched, a page at a time, and
//   each result is drawn as soon as its fragment is here. The first result's fragment is fetched
//   alone, the rest of the page once it has arrived: ten requests at once made the first one wait
//   for the others (31-45 ms instead of 1-8 ms on the benchmark's local server).
// - The filter menus are filled from a small list written at build time (catalog-filters.json), not
//   from Pagefind's filter index: once that index is loaded, Pagefind counts filter values for every
//   result of every query, which doubles the time of a broad query. It is loaded only when a reader
//   picks a filter.

const PAGE_SIZE = 10; // results drawn at once; "Show more" draws the next ones
// A query is searched once the keys pause this long. Pagefind cannot stop a search once it runs, so
// a search of a word still being typed holds up the full word's by its whole length (up to 300 ms
// for a word in half of 10 000 papers); the pause need only outlast the gap between a fast
// typist's keys (5-30 ms measured for Playwright's typing on a busy machine), as every ms of it is
// added to every query.
const PAUSE_MS = 50;
// One or two letters match most of a large catalog (half a second of search at 10 000 papers) and
// are mostly the start of a longer word: such a query waits for a longer pause. The index chunks of
// a word are fetched ahead once it has SHORT letters.
const SHORT = 3;
const SHORT_PAUSE_MS = 300;
const root = document.querySelector("[data-catalog-search]");
const config = JSON.parse(document.getElementById("__config").textContent);
const base = new URL(config.base.replace(/\/?$/, "/"), location.href);
const bundle = new URL("pagefind/", base);
const toggle = document.getElementById("__search"); // Material's checkbox that opens the search overlay
const form = root.querySelector("form");
const input = root.querySelector("[data-catalog-search-query]");
const meta = root.querySelector(".md-search-result__meta");
const list = root.querySelector(".md-search-result__list");
const filterBox = root.querySelector("[data-catalog-search-filters]");
const selects = Object.fromEntries(
  [...root.querySelectorAll("[data-catalog-search-filter]")].map((s) => [s.dataset.catalogSearchFilter, s]),
);
// The explore page's own filters use the same parameters (?q=&topic=&code=): there the address is
// theirs, and the header search neither reads nor writes it.
const onExplore = document.getElementById("catalog-explore") !== null;

let pagefind = null; // the loading (then loaded) Pagefind module
let asked = 0; // bumped whenever the box or a filter changes: results of an older state are dropped
let searched = -1; // the state last searched (its results may still be drawing)
let running = false; // a search is under way
let again = false; // the box changed while a search ran: search once more when it ends
let pause = 0;

function loadPagefind() {
  pagefind ??= import(new URL("pagefind.js", bundle).href).then(async (module) => {
    await module.options({ baseUrl: "/", excerptLength: 30 });
    module.init(); // fetches the wasm and the index metadata now, while the reader types
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
  if (onExplore) return;
  const url = new URL(location.href);
  for (const key of ["q", "topic", "code"]) url.searchParams.delete(key);
  if (query) url.searchParams.set("q", query);
  for (const [key, value] of Object.entries(filters)) url.searchParams.set(key, value);
  history.replaceState(history.state, "", url);
}

let filtersFilled = null;

// The menus list every topic and code status with its number of papers in the whole catalog.
function fillFilters() {
  filtersFilled ??= fetch(new URL("catalog-filters.json", bundle))
    .then((response) => response.json())
    .then((available) => {
      for (const [name, select] of Object.entries(selects)) {
        const wanted = select.dataset.wanted || select.value;
        select.length = 1; // keep "All", drop the placeholder a shared link added
        for (const [value, count] of available[name] || []) {
          const text = decoded(value);
          select.add(new Option(`${text} (${count})`, text));
        }
        select.value = wanted;
      }
      filterBox.hidden = false;
    });
  return filtersFilled;
}

// Draw results[from..from+PAGE_SIZE] in order, each as soon as its fragment (title, excerpt) has
// arrived, then a button for the next page when more remain. `start` runs before the first is drawn.
async function drawPage(results, from, state, start = () => {}) {
  const page = results.slice(from, from + PAGE_SIZE);
  const first = page[0].data();
  // The others once the first is here, unless the box has changed meanwhile.
  const rest = await first.then(() => (state === asked ? page.slice(1).map((result) => result.data()) : []), () => []);
  for (const fragment of [first, ...rest]) {
    const data = await fragment;
    if (state !== asked) return;
    start();
    start = () => {};
    list.append(resultItem(data));
  }
  const next = from + page.length;
  if (next < results.length) {
    const li = document.createElement("li");
    li.innerHTML = `<button type="button" class="catalog-search__more">Show ${Math.min(PAGE_SIZE, results.length - next)} more</button>`;
    // Once: a second click would draw the same results twice.
    li.firstChild.addEventListener("click", () => drawPage(results, next, state, () => li.remove()), { once: true });
    list.append(li);
  }
}

function countText(count) {
  const t = config.translations;
  return count === 0 ? t["search.result.none"] : count === 1 ? t["search.result.one"]
    : t["search.result.other"].replace("#", count);
}

// Search what the box and the filters hold now, unless that was searched already.
async function searchOnce() {
  const state = asked;
  if (state === searched) return;
  searched = state;
  const query = input.value.trim();
  const filters = currentFilters();
  shareUrl(query, filters);
  let found = null;
  const replace = () => {
    meta.textContent = query ? countText(found.results.length) : config.translations["search.result.placeholder"];
    list.replaceChildren();
    list.dataset.query = query; // what the results on screen answer (bench/search.py waits for it)
  };
  if (!query) return replace();
  const module = await loadPagefind();
  if (state !== asked) return; // typed on while Pagefind loaded: the newer query runs next
  found = await module.search(query, { filters });
  if (state !== asked || !found) return;
  if (found.results.length === 0) replace();
  // Not awaited: a slow fragment must not hold up the next search. The old results stay on screen
  // until the first new one is here.
  else drawPage(found.results, 0, state, replace).catch((error) => console.error("search results:", error));
  fillFilters();
}

// One search at a time (Pagefind answers one after the other anyway): asked while one runs, it runs
// once more when that one ends, for what the box holds then; the queries typed in between are never
// searched.
async function search() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      await searchOnce().catch((error) => console.error("search failed:", error));
    } while (again);
  } finally {
    running = false;
  }
}

// The box or a filter changed: results drawing for an older state stop, the index chunks of the
// words typed are fetched, and the search runs when the keys pause.
function changed({ wait } = {}) {
  asked++;
  const query = input.value.trim();
  const filters = currentFilters();
  const short = query.length > 0 && query.length < SHORT;
  if (query.split(/\s+/).pop().length >= SHORT) {
    // Only saves time; a chunk that fails to load here is fetched again, and reported, by the search.
    loadPagefind().then((module) => module.preload(query, { filters })).catch(() => {});
  }
  clearTimeout(pause);
  pause = setTimeout(search, wait ?? (short ? SHORT_PAUSE_MS : PAUSE_MS));
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

input.addEventListener("input", () => changed());
input.addEventListener("focus", () => { loadPagefind(); if (!toggle.checked) toggle.click(); });
// A pointer on the search box or the header's search button comes a moment before the focus.
for (const target of [form, ...document.querySelectorAll("label[for='__search']")]) {
  target.addEventListener("pointerenter", () => loadPagefind(), { once: true, passive: true });
}
for (const select of Object.values(selects)) select.addEventListener("change", () => changed({ wait: 0 }));
form.addEventListener("reset", () => setTimeout(() => changed({ wait: 0 })));
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

// Focus landing outside the search closes it, as Material's own search does on Tab: else it would
// sit on a link behind the overlay. A keyboard reader expects Tab to go through the dialog's own
// controls first (box, results area, filter menus, "Show more"), so only Tab past the last of
// them, Shift+Tab before the box, or a click elsewhere closes it. Focus going nowhere (the window
// losing it, a phone hiding its keyboard) keeps the results open.
document.addEventListener("focusin", (event) => {
  if (toggle.checked && !root.contains(event.target)) close();
});

// The reader has not searched yet: load Pagefind while the browser has nothing else to do.
if (!navigator.connection?.saveData) {
  const whenIdle = () => (window.requestIdleCallback ?? setTimeout)(() => loadPagefind());
  if (document.readyState === "complete") whenIdle();
  else addEventListener("load", whenIdle, { once: true });
}

// A shared link (?q=…&topic=…&code=…) opens the search with that query and those filters; not on
// the explore page (its list would sit under the dialog).
const params = new URLSearchParams(location.search);
if (params.get("q") && !onExplore) {
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
  changed({ wait: 0 });
}
