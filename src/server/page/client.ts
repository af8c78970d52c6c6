/**
 * The page's one script, served as /assets/<hash>/app.js (assets.ts). Plain browser JavaScript,
 * no framework, no build step; it is held here as text so that the compiled package carries it.
 *
 * The page works without it. With it:
 * - results update as you type (debounced, stale requests aborted), fetched from /api/search and
 *   rendered with the same markup as views.tsx; the URL follows (pushState for a new search,
 *   replaceState while typing), so Back and reload work;
 * - an ARIA combobox lists completions of the last word from /api/suggest (↑ ↓ Enter Escape);
 * - "/" focuses the search box; on a document, the first match is scrolled into view.
 *
 * Only `titleHighlighted` and `snippet` (HTML escaped by the search layer) go in with innerHTML;
 * everything else is text. Written without backticks or "${", since it lives in a template string.
 */
export const APP_JS = String.raw`(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const MAX_OFFSET = 10000;
  const DEBOUNCE_MS = 150;
  const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];

  // ----- Words and links: the same as format.ts -----

  const monthLabel = (month) => {
    const m = /^(\d{4})-(\d{2})/.exec(month);
    const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
    return m && name ? name + " " + m[1] : month;
  };
  const dateFilterLabel = (date) => {
    if (!date.includes("..")) return monthLabel(date);
    const [from = "", to = ""] = date.split("..");
    if (from && to) return "de " + monthLabel(from) + " à " + monthLabel(to);
    if (from) return "depuis " + monthLabel(from);
    return "jusqu’à " + monthLabel(to);
  };
  const number = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const resultCount = (total) => number(total) + " résultat" + (total > 1 ? "s" : "");
  const duration = (ms) => (ms < 1 ? "(< 1 ms)" : "(" + number(Math.round(ms)) + " ms)");
  const statusText = (result) =>
    result.total === 0 ? "Aucun résultat" : resultCount(result.total) + " " + duration(result.tookMs);

  const searchHref = (state) => {
    const params = new URLSearchParams();
    if (state.q !== "") params.set("q", state.q);
    if (state.date) params.set("date", state.date);
    if (state.page !== undefined && state.page > 1) params.set("page", String(state.page));
    if (state.limit !== undefined && state.limit !== PAGE_SIZE) params.set("limit", String(state.limit));
    const search = params.toString();
    return search === "" ? "/" : "/?" + search;
  };
  const documentHref = (id, q) => {
    const path = "/documents/" + id.split("/").map(encodeURIComponent).join("/");
    return q.trim() === "" ? path : path + "?" + new URLSearchParams({ q }).toString() + "#premier";
  };
  const wholeNumber = (text, min, max, fallback) => {
    if (text === null || !/^\d{1,6}$/.test(text)) return fallback;
    const n = Number(text);
    return n >= min && n <= max ? n : fallback;
  };
  const stateOf = (search) => {
    const params = new URLSearchParams(search);
    const limit = wholeNumber(params.get("limit"), 1, 100, PAGE_SIZE);
    const lastPage = Math.floor(MAX_OFFSET / limit) + 1;
    return {
      q: params.get("q") || "",
      date: (params.get("date") || "").trim(),
      page: Math.min(wholeNumber(params.get("page"), 1, 999999, 1), lastPage),
      limit,
    };
  };

  // ----- DOM helpers -----

  /** An element; attributes set as text, children appended as text nodes or elements. */
  const h = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null && child !== false) node.append(child);
    }
    return node;
  };
  /** Highlighted HTML from the search layer (already escaped, only <mark> tags): the one innerHTML. */
  const highlighted = (node, html) => {
    node.innerHTML = html;
    return node;
  };

  // ----- Rendering: mirrors Results and ErrorMessage in views.tsx -----

  const renderMonths = (state, result) => {
    const months = Object.entries(result.facets.date);
    if (months.length === 0 && !state.date) return null;
    const items = [
      h("li", null, h("a", {
        href: searchHref({ q: state.q, limit: state.limit }),
        "aria-current": state.date ? undefined : "page",
      }, "Toutes les dates")),
    ];
    for (const [month, count] of months) {
      items.push(h("li", null, h("a", {
        href: searchHref({ q: state.q, date: month, limit: state.limit }),
        "aria-current": state.date === month ? "page" : undefined,
      }, monthLabel(month) + " ", h("span", { class: "count" }, String(count)))));
    }
    if (state.date && !months.some(([month]) => month === state.date)) {
      items.push(h("li", null, h("a", {
        href: searchHref(Object.assign({}, state, { page: 1 })),
        "aria-current": "page",
      }, dateFilterLabel(state.date))));
    }
    return h("nav", { class: "months", "aria-label": "Filtrer par mois" }, h("ul", null, ...items));
  };

  const arrow = (glyph) => h("span", { "aria-hidden": "true" }, glyph);

  const renderPager = (state, result) => {
    const pages = Math.ceil(result.total / state.limit);
    if (pages <= 1) return null;
    const at = (page) => searchHref(Object.assign({}, state, { page }));
    return h("nav", { class: "pager", "aria-label": "Pages de résultats" },
      state.page > 1
        ? h("a", { href: at(state.page - 1), rel: "prev" }, arrow("←"), " Précédente")
        : h("span", { class: "pager-gap" }),
      h("span", { class: "pager-where" }, "Page " + state.page + " sur " + pages),
      state.page < pages
        ? h("a", { href: at(state.page + 1), rel: "next" }, "Suivante ", arrow("→"))
        : h("span", { class: "pager-gap" }));
  };

  const renderHit = (state, hit) =>
    h("li", { class: "hit" },
      h("h2", { class: "hit-title" },
        highlighted(h("a", { href: documentHref(hit.id, state.q) }), hit.titleHighlighted)),
      hit.date !== undefined
        ? h("p", { class: "hit-meta" }, h("time", { datetime: hit.date }, monthLabel(hit.date)))
        : null,
      highlighted(h("p", { class: "hit-snippet" }), hit.snippet));

  const renderResults = (state, result) => {
    const fragment = document.createDocumentFragment();
    fragment.append(h("h1", { class: "visually-hidden" }, "Résultats pour «\u00a0" + state.q + "\u00a0»"));
    if (result.suggestion !== undefined) {
      fragment.append(h("p", { class: "did-you-mean" }, "Vouliez-vous dire ",
        h("a", { href: searchHref({ q: result.suggestion, date: state.date, limit: state.limit }) },
          result.suggestion),
        "\u202f?"));
    }
    if (result.warnings && result.warnings.length > 0) {
      fragment.append(h("ul", { class: "warnings" }, ...result.warnings.map((w) => h("li", null, w))));
    }
    const months = renderMonths(state, result);
    if (months) fragment.append(months);
    if (result.hits.length > 0) {
      fragment.append(h("ol", { class: "hits", start: result.offset + 1 },
        ...result.hits.map((hit) => renderHit(state, hit))));
    } else {
      const empty = h("div", { class: "empty" }, h("h2", null, "Aucun résultat"));
      if (result.total > 0) {
        empty.append(h("p", null, "Cette page est au-delà des " + resultCount(result.total) + ". ",
          h("a", { href: searchHref(Object.assign({}, state, { page: 1 })) }, "Revenir à la première page")));
      } else {
        empty.append(h("p", null, "Aucun article ne correspond à «\u00a0" + state.q + "\u00a0»" +
          (state.date ? " pour " + dateFilterLabel(state.date) : "") +
          ". Vérifiez l’orthographe ou essayez des mots plus généraux."));
      }
      fragment.append(empty);
    }
    const pager = renderPager(state, result);
    if (pager) fragment.append(pager);
    return fragment;
  };

  const renderError = (message) =>
    h("div", { class: "error", role: "alert" },
      h("h2", null, "Cette recherche n’est pas valide"), h("p", null, message));

  // ----- The search box -----

  const form = document.getElementById("search-form");
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!form || !input || !list) return;
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const intro = document.getElementById("intro");
  const main = document.getElementById("contenu");
  const live = Boolean(results && status && intro && main);
  const dateField = form.querySelector("input[name=date]");
  const limitField = form.querySelector("input[name=limit]");

  let current = stateOf(location.search);
  let searchController = null;
  let typing = false;
  let timer = 0;

  const setForm = (state) => {
    if (dateField) {
      dateField.value = state.date;
      dateField.disabled = !state.date;
    }
    if (limitField) {
      limitField.value = String(state.limit);
      limitField.disabled = state.limit === PAGE_SIZE;
    }
  };

  const load = async (state) => {
    if (searchController) searchController.abort();
    searchController = null;
    if (state.q.trim() === "") {
      results.removeAttribute("aria-busy");
      results.replaceChildren();
      status.textContent = "";
      intro.hidden = false;
      return;
    }
    const controller = new AbortController();
    searchController = controller;
    results.setAttribute("aria-busy", "true");
    const params = new URLSearchParams({
      q: state.q,
      limit: String(state.limit),
      offset: String((state.page - 1) * state.limit),
      lang: "fr",
    });
    if (state.date) params.set("date", state.date);
    let outcome;
    try {
      const response = await fetch("/api/search?" + params.toString(), {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      const body = await response.json();
      outcome = response.ok
        ? { result: body }
        : { error: (body && body.error && body.error.message) || "La recherche a échoué." };
    } catch (error) {
      if (controller.signal.aborted) return;
      outcome = { error: "La recherche n’a pas abouti : le serveur ne répond pas." };
    }
    if (controller.signal.aborted || searchController !== controller) return;
    searchController = null;
    results.removeAttribute("aria-busy");
    intro.hidden = true;
    if (outcome.result) {
      results.replaceChildren(renderResults(state, outcome.result));
      status.textContent = statusText(outcome.result);
    } else {
      results.replaceChildren(renderError(outcome.error));
      status.textContent = "";
    }
  };

  /** Shows the state: the URL (push, replace or leave it), the title, the results. */
  const go = (state, mode) => {
    current = state;
    setForm(state);
    if (!live) {
      location.assign(searchHref(state));
      return Promise.resolve();
    }
    const href = new URL(searchHref(state), location.href).href;
    if (mode === "push" && href !== location.href) history.pushState(null, "", href);
    else if (mode !== "none" && href !== location.href) history.replaceState(null, "", href);
    document.title = state.q.trim() === "" ? "loupe · recherche" : state.q + " · loupe";
    return load(state);
  };

  // ----- Suggestions: an ARIA combobox -----

  let suggestController = null;
  let options = [];
  let active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "suggestions");
  input.setAttribute("aria-expanded", "false");

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  const setActive = (index) => {
    active = index;
    options.forEach((option, i) => {
      option.node.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].node.id);
      options[index].node.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const closeList = () => {
    if (suggestController) suggestController.abort();
    suggestController = null;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };

  const openList = () => {
    if (options.length === 0) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };

  const choose = (value) => {
    clearTimeout(timer);
    input.value = value;
    closeList();
    options = [];
    list.replaceChildren();
    const mode = typing ? "replace" : "push";
    typing = false;
    go(Object.assign({}, current, { q: value, page: 1 }), mode);
  };

  const showSuggestions = (head, words) => {
    options = words.map((word, i) => {
      const node = h("div", { id: "suggestion-" + i, role: "option", "aria-selected": "false" },
        head, h("span", { class: "completion" }, word));
      return { node, value: head + word };
    });
    options.forEach((option) => {
      // mousedown would move the focus out of the box and close the list before the click.
      option.node.addEventListener("mousedown", (event) => event.preventDefault());
      option.node.addEventListener("click", () => choose(option.value));
    });
    list.replaceChildren(...options.map((option) => option.node));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (options.length > 0) openList();
    else closeList();
  };

  const suggest = async (value) => {
    if (suggestController) suggestController.abort();
    suggestController = null;
    // Completes the last word being typed: not a phrase, an exclusion sign or a date: filter.
    const m = /(^|\s)-?([^\s"():]{2,})$/.exec(value);
    if (!m || document.activeElement !== input) {
      options = [];
      closeList();
      return;
    }
    const word = m[2];
    const head = value.slice(0, value.length - word.length);
    const controller = new AbortController();
    suggestController = controller;
    let words = [];
    try {
      const params = new URLSearchParams({ q: word, limit: "6" });
      const response = await fetch("/api/suggest?" + params.toString(), { signal: controller.signal });
      if (response.ok) words = (await response.json()).suggestions || [];
    } catch (error) {
      return;
    }
    if (controller.signal.aborted || input.value !== value) return;
    suggestController = null;
    showSuggestions(head, words.filter((w) => fold(w) !== fold(word)));
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const value = input.value;
      if (live) {
        const mode = typing ? "replace" : "push";
        typing = true;
        go(Object.assign({}, current, { q: value, page: 1 }), mode);
      }
      suggest(value);
    }, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (options.length === 0) return;
      event.preventDefault();
      if (!open) openList();
      const n = options.length;
      if (event.key === "ArrowDown") setActive(active + 1 >= n ? 0 : active + 1);
      else setActive(active <= 0 ? n - 1 : active - 1);
    } else if (event.key === "Enter") {
      if (open && active >= 0 && options[active]) {
        event.preventDefault();
        choose(options[active].value);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        closeList();
      }
    } else if (event.key === "Tab") {
      closeList();
    }
  });

  input.addEventListener("blur", () => {
    closeList();
    typing = false;
  });

  form.addEventListener("submit", (event) => {
    closeList();
    if (!live) return;
    event.preventDefault();
    clearTimeout(timer);
    const mode = typing ? "replace" : "push";
    typing = false;
    go(Object.assign({}, current, { q: input.value, page: 1 }), mode);
  });

  // "/" anywhere but in a text field goes to the search box.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  if (live) {
    // Links to other searches (pages, months, "did you mean", examples) load in place.
    main.addEventListener("click", (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || link.origin !== location.origin || link.pathname !== "/") return;
      event.preventDefault();
      const state = stateOf(link.search);
      input.value = state.q;
      typing = false;
      closeList();
      const fromPager = Boolean(link.closest(".pager"));
      go(state, "push").then(() => {
        if (fromPager) {
          main.focus({ preventScroll: true });
          window.scrollTo(0, 0);
        }
      });
    });

    window.addEventListener("popstate", () => {
      const state = stateOf(location.search);
      input.value = state.q;
      typing = false;
      closeList();
      go(state, "none");
    });
  } else if (location.hash === "#premier") {
    // The first match, centred; unless it is already in view with the title above it.
    const first = document.getElementById("premier");
    if (first) {
      const top = first.getBoundingClientRect().top + window.scrollY;
      if (top < window.innerHeight * 0.7) window.scrollTo(0, 0);
      else first.scrollIntoView({ block: "center" });
    }
  }
})();
`;
