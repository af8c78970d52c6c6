/**
 * The search page and the document view, rendered on the server with hono/jsx: everything works
 * with JavaScript off. hono/jsx escapes every value; marked text goes through trusted.ts and
 * nowhere else.
 *
 * The browser script (browser/) renders `Results` and `ErrorMessage` from this very module, from
 * the API's JSON: no Node module may be imported here.
 */
import type { Child } from "hono/jsx";
import type { DocumentView } from "../../search/types.js";
import type { SearchResultJson } from "../present.js";
import {
  dateFilterLabel,
  dateFilterPhrase,
  documentHref,
  duration,
  facetCondition,
  monthLabel,
  number,
  PAGE_SIZE,
  type PageState,
  resultCount,
  searchHref,
  withCondition,
  withoutCondition,
} from "./format.js";
import { marked } from "./trusted.js";

export interface AssetUrls {
  css: string;
  js: string;
}

export const EXAMPLE_QUERIES = ["hélicoptères", '"État islamique"', "Stoltenberg", "OTAN Irak"];

/** A magnifying glass, as a data: URL (allowed by the CSP's img-src), so /favicon.ico is never asked for. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Ccircle cx='13' cy='13' r='9' fill='none' stroke='%232f6fd6' stroke-width='4'/%3E%3Cpath d='M20 20l9 9' stroke='%232f6fd6' stroke-width='4' stroke-linecap='round'/%3E%3C/svg%3E";

function Layout(props: { title: string; assets: AssetUrls; page: string; children: Child }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title}</title>
        <link rel="icon" href={FAVICON} />
        <link rel="stylesheet" href={props.assets.css} />
        <script src={props.assets.js} defer></script>
      </head>
      <body data-page={props.page}>
        <a class="skip" href="#contenu">
          Aller au contenu
        </a>
        {props.children}
        <footer class="site-footer">
          <p>
            loupe · recherche plein texte en français · <a href="/openapi.json">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

function SearchForm(props: {
  q: string;
  date?: string | undefined;
  filter?: string | undefined;
  limit: number;
  /** The facets the page shows, for the script to ask the API for the same. */
  facets?: readonly string[];
}) {
  return (
    <header class="masthead">
      <div class="masthead-inner">
        <a class="brand" href="/" aria-label="loupe, accueil">
          loupe
        </a>
        <search>
          <form
            id="search-form"
            class="search"
            action="/"
            method="get"
            data-facets={
              props.facets && props.facets.length > 0 ? props.facets.join(",") : undefined
            }
          >
            <label class="search-label" for="q">
              Rechercher dans les documents
            </label>
            <div class="search-row">
              <div class="search-field">
                <input
                  id="q"
                  name="q"
                  type="search"
                  value={props.q}
                  maxlength={500}
                  autocomplete="off"
                  autocapitalize="off"
                  spellcheck={false}
                  placeholder={'Ex. : un mot, "une expression exacte"'}
                  aria-describedby="search-help"
                />
                <div
                  id="suggestions"
                  class="suggestions"
                  role="listbox"
                  aria-label="Suggestions"
                  hidden
                ></div>
              </div>
              <button type="submit">Rechercher</button>
            </div>
            <p id="search-help" class="search-help">
              Guillemets pour une expression exacte ; <code>date:2020-01</code> pour un mois.
            </p>
            <input type="hidden" name="date" value={props.date ?? ""} disabled={!props.date} />
            <input
              type="hidden"
              name="filter"
              value={props.filter ?? ""}
              disabled={!props.filter}
            />
            <input
              type="hidden"
              name="limit"
              value={String(props.limit)}
              disabled={props.limit === PAGE_SIZE}
            />
          </form>
        </search>
      </div>
    </header>
  );
}

export function Intro(props: { hidden?: boolean; examples?: readonly string[] }) {
  const examples = props.examples ?? EXAMPLE_QUERIES;
  return (
    <section id="intro" class="intro" hidden={props.hidden ?? false} aria-labelledby="intro-title">
      <h1 id="intro-title">Cherchez dans les documents</h1>
      <p>
        loupe lit le français : elle retrouve <em>hélicoptère</em> quand vous tapez{" "}
        <em>helicopteres</em>, ignore les accents et les mots vides, et surligne chaque occurrence.
      </p>
      {examples.length > 0 ? <p>Quelques exemples :</p> : null}
      <ul class="examples">
        {examples.map((query) => (
          <li>
            <a href={searchHref({ q: query })}>{query}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export interface ResultsProps {
  state: PageState;
  /** The API's answer: what the server gives the view, and what the browser fetched. */
  result: SearchResultJson;
}

function Months(props: ResultsProps) {
  const { state, result } = props;
  const months = Object.entries(result.facets.date);
  if (months.length === 0 && !state.date) return null;
  const known = new Set(months.map(([month]) => month));
  return (
    <nav class="months" aria-label="Filtrer par mois">
      <ul>
        <li>
          <a
            href={searchHref({ q: state.q, filter: state.filter, limit: state.limit })}
            aria-current={state.date ? undefined : "page"}
          >
            Toutes les dates
          </a>
        </li>
        {months.map(([month, count]) => (
          <li>
            <a
              href={searchHref({
                q: state.q,
                date: month,
                filter: state.filter,
                limit: state.limit,
              })}
              aria-current={state.date === month ? "page" : undefined}
            >
              {monthLabel(month)} <span class="count">{count}</span>
            </a>
          </li>
        ))}
        {state.date && !known.has(state.date) ? (
          <li>
            <a href={searchHref({ ...state, page: 1 })} aria-current="page">
              {dateFilterLabel(state.date)}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/**
 * The declared facets (filterable attributes other than the date, which has its months) as
 * plain links: a value narrows the filter to it, a chosen value's link takes it off, "Retirer
 * le filtre" removes the whole filter. No script needed.
 */
function Facets(props: ResultsProps) {
  const { state, result } = props;
  const facets = Object.entries(result.facetDistribution ?? {}).filter(
    ([attribute, counts]) => attribute !== "date" && Object.keys(counts).length > 0,
  );
  if (facets.length === 0 && !state.filter) return null;
  const base = { q: state.q, date: state.date, limit: state.limit };
  return (
    <nav class="facets" aria-label="Filtrer">
      {state.filter ? (
        <p class="facet-filter">
          Filtre : <code>{state.filter}</code> <a href={searchHref(base)}>Retirer le filtre</a>
        </p>
      ) : null}
      {facets.map(([attribute, counts]) => (
        <div class="facet">
          <h2 class="facet-name">{attribute}</h2>
          <ul>
            {facetValues(counts).map(([value, count]) => {
              const condition = facetCondition(attribute, value);
              const chosen = state.filter?.includes(condition) === true;
              // A chosen value's link takes it off again.
              const filter =
                chosen && state.filter !== undefined
                  ? withoutCondition(state.filter, condition)
                  : withCondition(state.filter, condition);
              return (
                <li>
                  <a
                    href={searchHref({ ...base, filter })}
                    aria-current={chosen ? "page" : undefined}
                  >
                    {valueLabel(value)} <span class="count">{count}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/**
 * A facet's values in the order a French reader looks for them: numbers by value (a JSON object
 * puts integer keys first, `5, 7, 12.5, 4.5`), words in French order (« Émile » among the E).
 */
const FRENCH_ORDER = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });

function facetValues(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts).sort(([a], [b]) => {
    // The collator reads `4.25` as 4 then 25: numbers are compared as numbers, before words.
    const x = a.trim() === "" ? Number.NaN : Number(a);
    const y = b.trim() === "" ? Number.NaN : Number(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
    if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
    return FRENCH_ORDER.compare(valueLabel(a), valueLabel(b));
  });
}

/** A value as a chip shows it: booleans in French, an empty string as such. */
function valueLabel(value: string): string {
  if (value === "true") return "oui";
  if (value === "false") return "non";
  return value.trim() === "" ? "(vide)" : value;
}

function Pager(props: ResultsProps) {
  const { state, result } = props;
  const pages = Math.ceil(result.total / state.limit);
  if (pages <= 1) return null;
  const at = (page: number) => searchHref({ ...state, page });
  // Past the last page (an old link, a hand-made URL): the way back goes to the last page, not
  // to the empty one before this one.
  const past = state.page > pages;
  return (
    <nav class="pager" aria-label="Pages de résultats">
      {state.page > 1 ? (
        <a href={at(past ? pages : state.page - 1)} rel="prev">
          <span aria-hidden="true">←</span> {past ? "Dernière page" : "Précédente"}
        </a>
      ) : (
        <span class="pager-gap"></span>
      )}
      <span class="pager-where">
        {past ? `Au-delà de la dernière page (${pages})` : `Page ${state.page} sur ${pages}`}
      </span>
      {state.page < pages ? (
        <a href={at(state.page + 1)} rel="next">
          Suivante <span aria-hidden="true">→</span>
        </a>
      ) : (
        <span class="pager-gap"></span>
      )}
    </nav>
  );
}

/** What goes in `#results` for a query: the client renders the very same markup. */
export function Results(props: ResultsProps) {
  const { state, result } = props;
  return (
    <>
      <h1 class="visually-hidden">
        {state.q.trim() === "" ? "Résultats du filtre" : `Résultats pour «\u00a0${state.q}\u00a0»`}
      </h1>
      {result.suggestion !== undefined ? (
        <p class="did-you-mean">
          Vouliez-vous dire{" "}
          <a
            href={searchHref({
              q: result.suggestion,
              date: state.date,
              filter: state.filter,
              limit: state.limit,
            })}
          >
            {result.suggestion}
          </a>
          {"\u202f?"}
        </p>
      ) : null}
      {result.warnings && result.warnings.length > 0 ? (
        <ul class="warnings">
          {result.warnings.map((warning) => (
            <li>{asSentence(warning)}</li>
          ))}
        </ul>
      ) : null}
      <Months {...props} />
      <Facets {...props} />
      {result.hits.length > 0 ? (
        <ol class="hits" start={result.offset + 1}>
          {result.hits.map((hit) => (
            <li class="hit">
              <h2 class="hit-title">
                <a href={documentHref(hit.id, state)}>{marked(hit.title, hit.titleMarks)}</a>
              </h2>
              {hit.date !== undefined ? (
                <p class="hit-meta">
                  <time datetime={hit.date}>{monthLabel(hit.date)}</time>
                </p>
              ) : null}
              <p class="hit-snippet">{marked(hit.snippetText, hit.snippetMarks)}</p>
            </li>
          ))}
        </ol>
      ) : (
        <div class="empty">
          <h2>Aucun résultat</h2>
          {result.total > 0 ? (
            <p>
              {result.total === 1
                ? "Cette page est au-delà de l’unique résultat."
                : `Cette page est au-delà des ${resultCount(result.total)}.`}{" "}
              <a href={searchHref({ ...state, page: 1 })}>Revenir à la première page</a>
            </p>
          ) : (
            <p>
              {`Aucun document ne correspond à ${
                state.q.trim() === "" ? "ce filtre" : `«\u00a0${state.q}\u00a0»`
              }${state.q.trim() !== "" && state.filter ? " avec ce filtre" : ""}${
                state.date ? ` ${dateFilterPhrase(state.date)}` : ""
              }. Vérifiez l’orthographe ou essayez des mots plus généraux.`}
            </p>
          )}
        </div>
      )}
      <Pager {...props} />
    </>
  );
}

/**
 * An engine's notice or refusal as a sentence on the page: a capital first, a full stop last.
 * The API says them as clauses (« un guillemet ouvert n’a pas été fermé : … »), which the page
 * showed as they came (QA).
 */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const capital = trimmed.charAt(0).toLocaleUpperCase("fr") + trimmed.slice(1);
  return /[.!?…»)]$/u.test(capital) ? capital : `${capital}.`;
}

export function ErrorMessage(props: {
  message: string;
  heading?: string;
  /** The search refused: ways out of a bad filter or date, which the form would resend. */
  state?: PageState;
}) {
  const { state } = props;
  return (
    <div class="error" role="alert">
      <h2>{props.heading ?? "Cette recherche n’est pas valide"}</h2>
      <p>{asSentence(props.message)}</p>
      {state?.filter || state?.date ? (
        <ul class="error-ways">
          {state.filter ? (
            <li>
              <a href={searchHref({ ...state, filter: undefined, page: 1 })}>
                Chercher sans le filtre
              </a>
            </li>
          ) : null}
          {state.date ? (
            <li>
              <a href={searchHref({ ...state, date: undefined, page: 1 })}>Chercher sans la date</a>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

/** The text of the live region: "3 résultats (2 ms)". */
export function statusText(result: Pick<SearchResultJson, "total" | "tookMs">): string {
  return result.total === 0
    ? "Aucun résultat"
    : `${resultCount(result.total)} ${duration(result.tookMs)}`;
}

export type SearchOutcome =
  | { kind: "empty" }
  | { kind: "results"; result: SearchResultJson }
  | { kind: "error"; message: string; parameter?: string | undefined };

export function SearchPage(props: {
  assets: AssetUrls;
  state: ResultsProps["state"];
  outcome: SearchOutcome;
  /** The facets asked of the engine, for the script to ask the same. */
  facets?: readonly string[];
  /** The intro's example queries (the seeds' by default). */
  examples?: readonly string[];
}) {
  const { state, outcome } = props;
  const title = state.q.trim() === "" ? "loupe · recherche" : `${state.q} · loupe`;
  return (
    <Layout title={title} assets={props.assets} page="search">
      <SearchForm
        q={state.q}
        // A refused filter or date is not sent again with the next query typed.
        date={outcome.kind === "error" && outcome.parameter === "date" ? undefined : state.date}
        filter={
          outcome.kind === "error" && outcome.parameter === "filter" ? undefined : state.filter
        }
        limit={state.limit}
        {...(props.facets !== undefined && { facets: props.facets })}
      />
      <main id="contenu" class="main" tabindex={-1}>
        <p id="status" class="status" role="status" aria-live="polite">
          {outcome.kind === "results" ? statusText(outcome.result) : ""}
        </p>
        <Intro
          hidden={outcome.kind !== "empty"}
          {...(props.examples !== undefined && { examples: props.examples })}
        />
        <div id="results" class="results">
          {outcome.kind === "results" ? <Results state={state} result={outcome.result} /> : null}
          {outcome.kind === "error" ? (
            <ErrorMessage message={outcome.message} state={state} />
          ) : null}
        </div>
      </main>
    </Layout>
  );
}

export function DocumentPage(props: { assets: AssetUrls; view: DocumentView; state: PageState }) {
  const { view, state } = props;
  const { q } = state;
  const marks = view.highlights?.length ?? 0;
  // The first match of the body is the #premier target; the title's when the body has none.
  const anchorInBody = marks > 0;
  return (
    <Layout title={`${view.title} · loupe`} assets={props.assets} page="document">
      <SearchForm q={q} date={state.date} filter={state.filter} limit={state.limit} />
      <main id="contenu" class="main" tabindex={-1}>
        <p class="back">
          <a href={searchHref(state)}>
            <span aria-hidden="true">←</span>{" "}
            {q.trim() === "" ? "Retour à la recherche" : "Retour aux résultats"}
          </a>
        </p>
        <article class="document">
          <h1 class="document-title">
            {view.titleMarks === undefined
              ? view.title
              : marked(view.title, view.titleMarks, anchorInBody ? undefined : "premier")}
          </h1>
          <p class="document-meta">
            {[
              view.date !== undefined ? monthLabel(view.date) : undefined,
              view.dateline,
              // A no-break space between a number and its unit, as French sets them.
              `${view.readingMinutes}\u00a0min de lecture`,
              q.trim() !== ""
                ? view.highlightsTruncated === true
                  ? `plus de ${number(marks)} occurrences dans le texte (les ${number(marks)} premières surlignées)`
                  : `${marks} occurrence${marks > 1 ? "s" : ""} dans le texte`
                : undefined,
            ]
              .filter((part) => part !== undefined)
              .join(" · ")}
          </p>
          <div class="document-body">
            {view.highlights === undefined
              ? view.body
              : marked(view.body, view.highlights, anchorInBody ? "premier" : undefined)}
          </div>
        </article>
      </main>
    </Layout>
  );
}

export function MessagePage(props: {
  assets: AssetUrls;
  title: string;
  heading: string;
  children: Child;
}) {
  return (
    <Layout title={`${props.title} · loupe`} assets={props.assets} page="message">
      <SearchForm q="" limit={PAGE_SIZE} />
      <main id="contenu" class="main" tabindex={-1}>
        <div class="message">
          <h1>{props.heading}</h1>
          {props.children}
        </div>
      </main>
    </Layout>
  );
}
