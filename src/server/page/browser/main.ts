/**
 * The page's one script, bundled by esbuild (scripts/build-browser.mjs) and served as
 * /assets/<hash>/app.js (assets.ts).
 *
 * The page works without it. With it:
 * - results update as you type (debounced, stale requests aborted), fetched from /api/search and
 *   rendered by the server's own components (render.tsx); the URL follows (pushState for a new
 *   search, replaceState while typing, pushState again after a pause to read), so Back and
 *   reload work;
 * - an ARIA combobox lists completions of the last word from /api/suggest (↑ ↓ Enter Escape);
 * - "/" focuses the search box; on a document, the first match is scrolled into view.
 */
import type { SearchResultJson } from "../../present.js";
import { asksForResults, PAGE_SIZE, type PageState, searchHref } from "../format.js";
import { statusText } from "../views.js";
import { errorHtml, resultsHtml } from "./render.js";
import { refusalMessage, searchUrl, stateOf, suggestUrl } from "./requests.js";

const DEBOUNCE_MS = 150;
/**
 * A live search shown this long before the next keystroke was read: the typing that follows
 * starts a history entry of its own, so that Back returns to it. Replaced, as every live
 * search after the first was, it was lost (QA).
 */
const READ_MS = 3000;

type Mode = "push" | "replace" | "none";
type Outcome =
  | { result: SearchResultJson }
  | { error: string; heading?: string; retryAfterSeconds?: number; parameter?: string };

/** The results of one query, or the refusal to show, from the API (in French). */
async function fetchResults(
  state: PageState,
  facets: readonly string[],
  signal: AbortSignal,
): Promise<Outcome> {
  const response = await fetch(searchUrl(state, facets), {
    signal,
    headers: { Accept: "application/json" },
  });
  const body: unknown = await response.json();
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  // Too many requests, or a full queue: the server is busy, the query is fine (the API says so
  // in English; the page in French), and it is tried again once the server says it may be.
  // Not a search that killed its thread (`search_abandoned`): it would kill another.
  if (code === "rate_limited" || code === "overloaded") {
    const retry = Number(response.headers.get("Retry-After") ?? "1");
    return {
      heading: "Le serveur est occupé",
      error:
        code === "rate_limited"
          ? "Trop de recherches depuis cette adresse en peu de temps\u202f: la recherche reprend dans un instant."
          : "Trop de recherches attendent leur tour\u202f: la recherche reprend dans un instant.",
      retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? Math.min(retry, 10) : 1,
    };
  }
  if (response.ok) return { result: body as SearchResultJson };
  // Only a 4xx is the query's fault; a 5xx (an error, a lost thread, no index) is the server's,
  // and was shown as « Cette recherche n’est pas valide » with the API's English (QA).
  if (response.status >= 500) return SERVER_FAILED;
  const parameter = (body as { error?: { parameter?: unknown } } | null)?.error?.parameter;
  return {
    error: refusalMessage(body),
    ...(typeof parameter === "string" && { parameter }),
  };
}

/** What the page says when the server fails, not the query: no answer, or a 5xx. */
const SERVER_FAILED: Outcome = {
  heading: "La recherche n’a pas abouti",
  error: "Le serveur n’a pas pu répondre\u202f: la recherche reprend dans un instant.",
  // Tried again once, as a busy server's; and no way out of a filter, which is not at fault.
  retryAfterSeconds: 3,
};

/**
 * Completions of `word` from the vocabulary, weighed by the words typed before it (`context`,
 * sent with it: the server ranks first what follows them in the collection); the words alone,
 * without the context. None when the server cannot say.
 */
async function fetchSuggestions(
  context: string,
  word: string,
  signal: AbortSignal,
): Promise<string[]> {
  const response = await fetch(suggestUrl(context + word), { signal });
  if (!response.ok) return [];
  const body = (await response.json()) as { suggestions?: unknown };
  if (!Array.isArray(body.suggestions)) return [];
  return body.suggestions
    .filter((s): s is string => typeof s === "string" && s.startsWith(context))
    .map((s) => s.slice(context.length));
}

/**
 * The words before the one being completed that the server weighs it by: the last few, within
 * the completion's 100 characters. The page sent the last word alone, and `carte gr` listed
 * « carte groupe » where the server, asked `carte gr`, put « carte grise » first (QA).
 */
function contextOf(head: string, word: string): string {
  const room = 100 - word.length;
  if (room <= 0) return "";
  const tail = head.slice(-Math.min(room, 60));
  // Whole words only: from the first space of a cut tail.
  return tail.length < head.length ? tail.slice(tail.search(/\s/) + 1) : tail;
}

const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

function start(): void {
  const form = document.getElementById("search-form");
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!(form instanceof HTMLFormElement) || !(input instanceof HTMLInputElement) || !list) return;
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const intro = document.getElementById("intro");
  const main = document.getElementById("contenu");
  const dateField = form.querySelector<HTMLInputElement>("input[name=date]");
  const filterField = form.querySelector<HTMLInputElement>("input[name=filter]");
  const facets = (form.dataset.facets ?? "").split(",").filter((name) => name !== "");
  const limitField = form.querySelector<HTMLInputElement>("input[name=limit]");
  const page = results && status && intro && main ? { results, status, intro, main } : undefined;

  let current = stateOf(location.search);
  // The server's page leaves a filter or date it refused out of its form: so does the script.
  if (current.filter && filterField?.disabled) current = { ...current, filter: undefined };
  if (current.date && dateField?.disabled) current = { ...current, date: undefined };
  let searchController: AbortController | null = null;
  let typing = false;
  /** When the last live search was asked for (`performance.now()`). */
  let typedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The state last retried after a busy server's answer: retried once, not in a loop.
  let retried: PageState | undefined;

  const setForm = (state: PageState): void => {
    if (dateField) {
      dateField.value = state.date ?? "";
      dateField.disabled = !state.date;
    }
    if (filterField) {
      filterField.value = state.filter ?? "";
      filterField.disabled = !state.filter;
    }
    if (limitField) {
      limitField.value = String(state.limit);
      limitField.disabled = state.limit === PAGE_SIZE;
    }
  };

  const load = async (state: PageState): Promise<void> => {
    if (!page) return;
    searchController?.abort();
    searchController = null;
    if (!asksForResults(state)) {
      page.results.removeAttribute("aria-busy");
      page.results.replaceChildren();
      page.status.textContent = "";
      page.intro.hidden = false;
      return;
    }
    const controller = new AbortController();
    searchController = controller;
    page.results.setAttribute("aria-busy", "true");
    let outcome: Outcome;
    try {
      outcome = await fetchResults(state, facets, controller.signal);
    } catch {
      // No answer, or one that is not JSON (a proxy's HTML page).
      if (controller.signal.aborted) return;
      outcome = SERVER_FAILED;
    }
    if (controller.signal.aborted || searchController !== controller) return;
    searchController = null;
    page.results.removeAttribute("aria-busy");
    page.intro.hidden = true;
    // The one innerHTML: markup rendered by views.tsx, where hono/jsx escapes every value.
    if ("result" in outcome) {
      page.results.innerHTML = resultsHtml(state, outcome.result);
      page.status.textContent = statusText(outcome.result);
    } else {
      // A refused query shows the ways out of its filter or date; a busy server's does not.
      page.results.innerHTML = errorHtml(
        outcome.error,
        outcome.heading,
        outcome.retryAfterSeconds === undefined ? state : undefined,
      );
      page.status.textContent = "";
      // A refused filter or date is not sent again with the next query (the server's page
      // disables its field the same way).
      if (outcome.parameter === "filter" || outcome.parameter === "date") {
        current = { ...current, [outcome.parameter]: undefined };
        setForm(current);
      }
      const wait = outcome.retryAfterSeconds;
      if (wait !== undefined && retried !== state) {
        retried = state;
        setTimeout(() => {
          // Only if nothing else was asked for meanwhile.
          if (current === state) void load(state);
        }, wait * 1000);
      }
    }
  };

  /** Shows the state: the URL (push, replace or leave it), the title, the results. */
  const go = (state: PageState, mode: Mode): Promise<void> => {
    current = state;
    setForm(state);
    if (!page) {
      location.assign(searchHref(state));
      return Promise.resolve();
    }
    const href = new URL(searchHref(state), location.href).href;
    if (mode === "push" && href !== location.href) history.pushState(null, "", href);
    else if (mode !== "none" && href !== location.href) history.replaceState(null, "", href);
    document.title = state.q.trim() === "" ? "loupe · recherche" : `${state.q} · loupe`;
    return load(state);
  };

  // ----- Suggestions: an ARIA combobox -----

  let suggestController: AbortController | null = null;
  /** The text the list was dismissed on (Escape): no completion of it opens the list again. */
  let dismissed: string | undefined;
  let options: Array<{ node: HTMLElement; value: string }> = [];
  let active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "suggestions");
  input.setAttribute("aria-expanded", "false");

  const setActive = (index: number): void => {
    active = index;
    options.forEach((option, i) => {
      option.node.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    const chosen = options[index];
    if (index >= 0 && chosen) {
      input.setAttribute("aria-activedescendant", chosen.node.id);
      chosen.node.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const closeList = (): void => {
    suggestController?.abort();
    suggestController = null;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };

  const openList = (): void => {
    if (options.length === 0) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };

  const searchFor = (q: string): Promise<void> => {
    // A live search read for a while stays in history whichever way the next one comes: a
    // completion chosen or Enter pressed replaced it (QA), as typing did before READ_MS.
    const mode = typing && performance.now() - typedAt < READ_MS ? "replace" : "push";
    typing = false;
    return go({ ...current, q, page: 1 }, mode);
  };

  const choose = (value: string): void => {
    clearTimeout(timer);
    input.value = value;
    closeList();
    options = [];
    list.replaceChildren();
    void searchFor(value);
  };

  const optionNode = (id: string, head: string, word: string): HTMLElement => {
    const node = document.createElement("div");
    node.id = id;
    node.setAttribute("role", "option");
    node.setAttribute("aria-selected", "false");
    const completion = document.createElement("span");
    completion.className = "completion";
    completion.textContent = word;
    node.append(head, completion);
    return node;
  };

  const showSuggestions = (head: string, words: string[]): void => {
    options = words.map((word, i) => ({
      node: optionNode(`suggestion-${i}`, head, word),
      value: head + word,
    }));
    for (const option of options) {
      // mousedown would move the focus out of the box and close the list before the click.
      option.node.addEventListener("mousedown", (event) => event.preventDefault());
      option.node.addEventListener("click", () => choose(option.value));
    }
    list.replaceChildren(...options.map((option) => option.node));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (options.length > 0) openList();
    else closeList();
  };

  const suggest = async (value: string): Promise<void> => {
    suggestController?.abort();
    suggestController = null;
    // Completes the last word being typed: not a phrase, an exclusion sign or a date: filter.
    // Past 64 letters no word is worth completing (the server refuses 100 characters).
    const word = /(^|\s)-?([^\s"():]{2,64})$/.exec(value)?.[2];
    if (word === undefined || document.activeElement !== input || value === dismissed) {
      options = [];
      closeList();
      return;
    }
    const head = value.slice(0, value.length - word.length);
    const controller = new AbortController();
    suggestController = controller;
    let words: string[];
    try {
      words = await fetchSuggestions(contextOf(head, word), word, controller.signal);
    } catch {
      return;
    }
    if (controller.signal.aborted || input.value !== value) return;
    suggestController = null;
    showSuggestions(
      head,
      words.filter((w) => fold(w) !== fold(word)),
    );
  };

  // An accent typed with a dead key (^, ¨) is composed: `f^` is no query to search for, and
  // searching it showed « Aucun résultat » until the letter came (QA). The search waits for
  // the composition's end, which fires an input event of its own.
  let composing = false;
  input.addEventListener("compositionstart", () => {
    composing = true;
    clearTimeout(timer);
  });
  input.addEventListener("compositionend", () => {
    composing = false;
    input.dispatchEvent(new Event("input"));
  });
  input.addEventListener("input", (event) => {
    if (composing || (event as InputEvent).isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const value = input.value;
      if (page) {
        const now = performance.now();
        const mode = typing && now - typedAt < READ_MS ? "replace" : "push";
        typing = true;
        typedAt = now;
        void go({ ...current, q: value, page: 1 }, mode);
      }
      void suggest(value);
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
      const chosen = options[active];
      if (open && active >= 0 && chosen) {
        event.preventDefault();
        choose(chosen.value);
      }
    } else if (event.key === "Escape") {
      // Until the next keystroke: a completion asked for just before came back and opened the
      // list again (QA).
      dismissed = input.value;
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
    if (!page) return;
    event.preventDefault();
    clearTimeout(timer);
    void searchFor(input.value);
  });

  // "/" anywhere but in a text field goes to the search box.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented) return;
    const target = event.target;
    if (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    )
      return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  if (page) {
    // Links to other searches (pages, months, "did you mean", examples) load in place.
    page.main.addEventListener("click", (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link =
        event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[href]") : null;
      if (!link || link.origin !== location.origin || link.pathname !== "/") return;
      event.preventDefault();
      const state = stateOf(link.search);
      input.value = state.q;
      typing = false;
      closeList();
      const fromPager = link.closest(".pager") !== null;
      void go(state, "push").then(() => {
        if (fromPager) {
          page.main.focus({ preventScroll: true });
          window.scrollTo(0, 0);
        } else if (!link.isConnected) {
          // The link was in the results just replaced ("did you mean", a month, a facet): the
          // focus fell to the page's body, and a keyboard user started again from the top (QA).
          page.main.focus({ preventScroll: true });
        }
      });
    });

    window.addEventListener("popstate", () => {
      const state = stateOf(location.search);
      input.value = state.q;
      typing = false;
      closeList();
      void go(state, "none");
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
}

start();
