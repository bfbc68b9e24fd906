/* Paper Catalog: the explore page's filters, and the 404 page's search suggestion.
 *
 * Loaded on every page (mkdocs-material may swap pages without reloading), it acts only where
 * #catalog-explore or #notfound-explore exists. No dependencies, no requests beyond the site itself:
 * it reads explore.json from the site root, two folders above this file (assets/catalog/).
 * The data's shape is documented in builder/pages/explore.py; tokens() mirrors search_tokens().
 */
(function () {
  "use strict";

  var PAGE_SIZE = 100;
  var TYPING_DELAY = 120;
  var script = document.currentScript;
  var siteRoot = new URL("../../", script ? script.src : window.location.href);
  var dataPromise = null;

  function tokens(text) {
    var folded = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    var found = folded.match(/[\p{L}\p{N}]+/gu) || [];
    return found.filter(function (word, i) { return found.indexOf(word) === i; });
  }

  function loadData() {
    if (!dataPromise) {
      dataPromise = fetch(new URL("explore.json", siteRoot)).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(prepare);
      dataPromise.catch(function () { dataPromise = null; });  // a later page view may retry
    }
    return dataPromise;
  }

  function prepare(raw) {
    var papers = raw.papers.map(function (row) {
      return { id: row[0], title: row[1], listed: row[2], status: row[3], topics: row[4], words: " " + row[5] };
    });
    var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
    var byNewest = papers.map(function (_, i) { return i; });  // the file is newest first
    var byTitle = byNewest.slice().sort(function (a, b) {
      return collator.compare(papers[a].title, papers[b].title) || (papers[a].id < papers[b].id ? -1 : 1);
    });
    var topicIndex = {};
    raw.topics.forEach(function (topic, i) { topicIndex[topic[0]] = i; });
    return { papers: papers, topics: raw.topics, statuses: raw.statuses, topicIndex: topicIndex,
             order: { newest: byNewest, title: byTitle } };
  }

  /* The filter state lives in the address bar: ?q=&topic=&topic=&match=all&code=&from=&to=&sort=title */
  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    return {
      q: params.get("q") || "",
      topics: params.getAll("topic"),
      match: params.get("match") === "all" ? "all" : "any",
      code: params.get("code") || "",
      from: params.get("from") || "",
      to: params.get("to") || "",
      sort: params.get("sort") === "title" ? "title" : "newest"
    };
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    state.topics.forEach(function (id) { params.append("topic", id); });
    if (state.match === "all") params.set("match", "all");
    if (state.code) params.set("code", state.code);
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    if (state.sort === "title") params.set("sort", "title");
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function readForm(form) {
    return {
      q: form.elements.q.value.trim(),
      topics: Array.prototype.filter.call(form.querySelectorAll("input[name=topic]"), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; }),
      match: form.elements.match.value === "all" ? "all" : "any",
      code: form.elements.code.value,
      from: form.elements.from.value,
      to: form.elements.to.value,
      sort: form.elements.sort.value === "title" ? "title" : "newest"
    };
  }

  function fillForm(form, state) {
    form.elements.q.value = state.q;
    form.querySelectorAll("input[name=topic]").forEach(function (box) {
      box.checked = state.topics.indexOf(box.value) >= 0;
    });
    form.elements.match.value = state.match;
    form.elements.code.value = form.querySelector("#explore-code option[value='" + CSS.escape(state.code) + "']")
      ? state.code : "";
    form.elements.from.value = state.from;
    form.elements.to.value = state.to;
    form.elements.sort.value = state.sort;
  }

  function matches(data, state) {
    var words = tokens(state.q);
    var wanted = state.topics.map(function (id) { return data.topicIndex[id]; })
      .filter(function (i) { return i !== undefined; });
    var status = state.code ? data.statuses.indexOf(state.code) : -1;
    var all = state.match === "all";
    var found = [];
    data.order[state.sort].forEach(function (index) {
      var paper = data.papers[index];
      if (status >= 0 && paper.status !== status) return;
      if (state.from && !(paper.listed && paper.listed >= state.from)) return;
      if (state.to && !(paper.listed && paper.listed <= state.to)) return;
      if (wanted.length) {
        var hits = wanted.filter(function (t) { return paper.topics.indexOf(t) >= 0; }).length;
        if (all ? hits < wanted.length : hits === 0) return;
      }
      for (var w = 0; w < words.length; w++) {
        if (paper.words.indexOf(" " + words[w]) < 0) return;  // each query word starts a word of the paper
      }
      found.push(paper);
    });
    return found;
  }

  function item(data, paper, statusLabels) {
    var li = document.createElement("li");
    li.className = "catalog-explore__item";
    li.dataset.id = paper.id;
    var link = document.createElement("a");
    link.href = new URL("papers/" + paper.id + "/", siteRoot).href;
    link.textContent = paper.title;
    var meta = document.createElement("span");
    meta.className = "catalog-explore__meta";
    var facts = [];
    if (paper.listed) facts.push(paper.listed);
    facts.push(statusLabels[data.statuses[paper.status]] || data.statuses[paper.status]);
    facts.push(paper.topics.map(function (t) { return data.topics[t][1]; }).join(", "));
    meta.textContent = facts.join(" · ");
    li.append(link, " ", meta);
    return li;
  }

  function setUpExplore(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "true";
    var form = root.querySelector("#explore-filters");
    var list = root.querySelector("#explore-results");
    var count = root.querySelector("#explore-count");
    var more = root.querySelector("#explore-more");
    var statusLabels = {};
    form.querySelectorAll("#explore-code option").forEach(function (option) {
      statusLabels[option.value] = option.textContent.trim();
    });
    var data = null, found = [], shown = 0, timer = null;

    function showMore() {
      var fragment = document.createDocumentFragment();
      found.slice(shown, shown + PAGE_SIZE).forEach(function (paper) {
        fragment.append(item(data, paper, statusLabels));
      });
      list.append(fragment);
      shown = Math.min(found.length, shown + PAGE_SIZE);
      more.hidden = shown >= found.length;
      more.textContent = "Show " + Math.min(PAGE_SIZE, found.length - shown) + " more";
    }

    function update() {
      var state = readForm(form);
      writeUrl(state);
      found = matches(data, state);
      shown = 0;
      list.replaceChildren();
      showMore();
      var total = data.papers.length;
      count.textContent = found.length === total
        ? total + (total === 1 ? " paper" : " papers")
        : found.length + " of " + total + " papers match";
      count.dataset.count = String(found.length);
      list.dataset.state = "ready";
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function (event) {
      window.clearTimeout(timer);
      if (data) timer = window.setTimeout(update, event.target.name === "q" ? TYPING_DELAY : 0);
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { if (data) update(); }, 0);  // after the browser reset the fields
    });
    more.addEventListener("click", showMore);

    fillForm(form, readUrl());
    loadData().then(function (loaded) {
      data = loaded;
      fillForm(form, readUrl());  // the reader may have typed while the data loaded: the URL wins once
      update();
    }).catch(function (error) {
      list.dataset.state = "error";
      count.textContent = "The catalog data could not be loaded (" + error.message + "). Reload the page to try again.";
    });
  }

  /* 404 page: offer to search the catalog for the words of the missing address. */
  function setUpNotFound(link) {
    var last = window.location.pathname.split("/").filter(Boolean).pop() || "";
    try {
      last = decodeURIComponent(last);
    } catch (error) {
      return;  // a malformed address: keep the plain link
    }
    var words = tokens(last.replace(/\.html?$/, "")).join(" ");
    if (!words) return;
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("q", words);
    link.href = url.href;
    link.textContent = "Explore the catalog for “" + words + "”";
  }

  function setUp() {
    var root = document.getElementById("catalog-explore");
    if (root) setUpExplore(root);
    var notFound = document.getElementById("notfound-explore");
    if (notFound) setUpNotFound(notFound);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);  // mkdocs-material: every page view, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
