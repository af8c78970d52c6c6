/**
 * The page's one stylesheet, served as /assets/<hash>/app.css (assets.ts). System fonts only;
 * light and dark schemes follow `prefers-color-scheme`. Text colours keep a contrast of at
 * least 4.5:1 on their background in both schemes.
 */
export const APP_CSS = `:root {
  color-scheme: light dark;
  --bg: #f8f7f4;
  --surface: #ffffff;
  --text: #1d2025;
  --muted: #575e67;
  --border: #dedbd3;
  --accent: #1d5bbf;
  --accent-strong: #123f8a;
  --accent-soft: #e6eefb;
  --mark-bg: #ffdf5d;
  --mark-text: #1d2025;
  --focus: #1d5bbf;
  --error-bg: #fcebe9;
  --error-line: #b42318;
  --error-text: #7a1a10;
  --shadow: 0 6px 24px rgba(20, 24, 30, 0.12);
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #131519;
    --surface: #1b1e23;
    --text: #e7e5e1;
    --muted: #a9afb8;
    --border: #30353c;
    --accent: #8db6ff;
    --accent-strong: #b5d0ff;
    --accent-soft: #1e2a3f;
    --mark-bg: #f2cd4f;
    --mark-text: #131519;
    --focus: #8db6ff;
    --error-bg: #3a1d1a;
    --error-line: #ff8a7a;
    --error-text: #ffd3cc;
    --shadow: 0 6px 24px rgba(0, 0, 0, 0.5);
  }
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  background: var(--bg);
  color: var(--text);
  font-family: var(--sans);
  font-size: 1rem;
  line-height: 1.55;
  overflow-wrap: break-word;
}

a {
  color: var(--accent);
  text-underline-offset: 0.18em;
}

a:hover {
  color: var(--accent-strong);
}

:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
  border-radius: 3px;
}

main:focus {
  outline: none;
}

code {
  font-family: var(--mono);
  font-size: 0.9em;
  padding: 0.05em 0.3em;
  border-radius: 4px;
  background: var(--accent-soft);
}

mark {
  background: var(--mark-bg);
  color: var(--mark-text);
  padding: 0 0.12em;
  border-radius: 3px;
  -webkit-box-decoration-break: clone;
  box-decoration-break: clone;
}

search {
  display: block;
}

[hidden] {
  display: none !important;
}

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}

.skip {
  position: absolute;
  left: 0.5rem;
  top: 0.5rem;
  z-index: 10;
  padding: 0.5rem 0.9rem;
  background: var(--surface);
  border-radius: 6px;
  transform: translateY(-200%);
}

.skip:focus {
  transform: none;
  box-shadow: var(--shadow);
}

/* Masthead and search form */

.masthead {
  background: var(--surface);
  border-bottom: 1px solid var(--border);
}

.masthead-inner,
.main,
.site-footer p {
  width: 100%;
  max-width: 48rem;
  margin: 0 auto;
  padding-left: 1.25rem;
  padding-right: 1.25rem;
}

.masthead-inner {
  padding-top: 1.1rem;
  padding-bottom: 0.9rem;
}

.brand {
  display: inline-block;
  margin-bottom: 0.55rem;
  font-size: 1.35rem;
  font-weight: 700;
  letter-spacing: -0.01em;
  color: var(--text);
  text-decoration: none;
}

.brand {
  position: relative;
  padding-left: 1.1em;
}

/* A magnifying glass: a ring and its handle. */
.brand::before,
.brand::after {
  content: "";
  position: absolute;
}

.brand::before {
  left: 0;
  top: 0.3em;
  width: 0.62em;
  height: 0.62em;
  border: 0.13em solid var(--accent);
  border-radius: 50%;
}

.brand::after {
  left: 0.55em;
  top: 0.93em;
  width: 0.32em;
  height: 0.14em;
  background: var(--accent);
  border-radius: 0.07em;
  transform: rotate(45deg);
  transform-origin: 0 50%;
}

.search-label {
  display: block;
  margin-bottom: 0.3rem;
  font-size: 0.875rem;
  color: var(--muted);
}

.search-row {
  display: flex;
  gap: 0.5rem;
}

.search-field {
  position: relative;
  flex: 1 1 auto;
  min-width: 0;
}

.search input[type="search"] {
  width: 100%;
  height: 2.75rem;
  padding: 0 0.9rem;
  font: inherit;
  font-size: 1.0625rem;
  color: var(--text);
  background: var(--bg);
  border: 1px solid var(--border);
  border-radius: 8px;
}

.search input[type="search"]:focus {
  border-color: var(--accent);
  background: var(--surface);
  outline: 3px solid var(--accent-soft);
  outline-offset: 0;
}

.search input[type="search"]:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 1px;
}

.search input::placeholder {
  color: var(--muted);
  opacity: 1;
}

.search button {
  flex: 0 0 auto;
  height: 2.75rem;
  padding: 0 1.1rem;
  font: inherit;
  font-weight: 600;
  color: #ffffff;
  background: #1d5bbf;
  border: 1px solid #1d5bbf;
  border-radius: 8px;
  cursor: pointer;
}

.search button:hover {
  background: #123f8a;
  border-color: #123f8a;
}

.search-help {
  margin: 0.45rem 0 0;
  font-size: 0.8125rem;
  color: var(--muted);
}

.suggestions {
  position: absolute;
  z-index: 5;
  top: calc(100% + 4px);
  left: 0;
  right: 0;
  margin: 0;
  padding: 0.3rem 0;
  list-style: none;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 8px;
  box-shadow: var(--shadow);
}

.suggestions [role="option"] {
  padding: 0.45rem 0.9rem;
  cursor: pointer;
}

.suggestions [role="option"]:hover {
  background: var(--accent-soft);
}

.suggestions [aria-selected="true"] {
  background: var(--accent-soft);
  box-shadow: inset 3px 0 0 var(--accent);
}

.suggestions .completion {
  font-weight: 600;
}

/* Results */

.main {
  flex: 1 0 auto;
  padding-top: 1.1rem;
  padding-bottom: 2.5rem;
}

.status {
  margin: 0 0 0.9rem;
  min-height: 1.4em;
  font-size: 0.875rem;
  color: var(--muted);
}

.status:empty {
  min-height: 0;
  margin: 0;
}

.results[aria-busy="true"] {
  opacity: 0.65;
  transition: opacity 0.15s ease 0.1s;
}

.did-you-mean {
  margin: 0 0 1rem;
  font-size: 1.0625rem;
}

.did-you-mean a {
  font-weight: 600;
  font-style: italic;
}

.warnings {
  margin: 0 0 1rem;
  padding: 0.6rem 0.9rem 0.6rem 2rem;
  font-size: 0.875rem;
  color: var(--muted);
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 8px;
}

.months ul,
.facets ul {
  display: flex;
  flex-wrap: wrap;
  gap: 0.4rem;
  margin: 0 0 1.4rem;
  padding: 0;
  list-style: none;
}

.months a,
.facets a {
  display: inline-block;
  padding: 0.25rem 0.75rem;
  font-size: 0.875rem;
  color: var(--text);
  text-decoration: none;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 999px;
}

.months a:hover,
.facets a:hover {
  border-color: var(--accent);
  color: var(--accent-strong);
}

.months a[aria-current="page"],
.facets a[aria-current="page"] {
  color: var(--accent-strong);
  background: var(--accent-soft);
  border-color: var(--accent);
  font-weight: 600;
}

.months .count,
.facets .count {
  margin-left: 0.2em;
  color: var(--muted);
  font-variant-numeric: tabular-nums;
}

.facet-name {
  margin: 0 0 0.4rem;
  font-size: 0.875rem;
  font-weight: 600;
  color: var(--muted);
}

.facet-filter {
  margin: 0 0 1rem;
  font-size: 0.875rem;
}

.hits {
  margin: 0;
  padding: 0;
  list-style: none;
}

.hit {
  padding: 1.1rem 0 1.2rem;
  border-top: 1px solid var(--border);
}

.hit:first-child {
  border-top: 0;
  padding-top: 0.2rem;
}

.hit-title {
  margin: 0;
  font-size: 1.1875rem;
  font-weight: 600;
  line-height: 1.35;
  letter-spacing: -0.005em;
}

.hit-title a {
  text-decoration: none;
}

.hit-title a:hover {
  text-decoration: underline;
}

.hit-meta {
  margin: 0.3rem 0 0;
  font-size: 0.8125rem;
  color: var(--muted);
}

.hit-snippet {
  margin: 0.4rem 0 0;
  line-height: 1.6;
}

.pager {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1rem;
  margin-top: 1rem;
  padding-top: 1.1rem;
  border-top: 1px solid var(--border);
}

.pager a {
  padding: 0.45rem 0.9rem;
  font-weight: 600;
  text-decoration: none;
  border: 1px solid var(--border);
  border-radius: 8px;
  background: var(--surface);
}

.pager a:hover {
  border-color: var(--accent);
}

.pager-where {
  font-size: 0.875rem;
  color: var(--muted);
}

.pager-gap {
  min-width: 1px;
}

.empty,
.error,
.message {
  padding: 1.2rem 1.3rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 10px;
}

.empty h2,
.error h2,
.message h1 {
  margin: 0 0 0.4rem;
  font-size: 1.2rem;
}

.empty p,
.error p,
.message p {
  margin: 0.4rem 0 0;
}

.error {
  color: var(--error-text);
  background: var(--error-bg);
  border-color: var(--error-line);
  border-left-width: 4px;
}

/* The empty state */

.intro h1 {
  margin: 0.6rem 0 0.6rem;
  font-size: 1.6rem;
  line-height: 1.25;
  letter-spacing: -0.01em;
}

.intro p {
  max-width: 38rem;
  color: var(--muted);
}

.examples {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
  margin: 0.5rem 0 0;
  padding: 0;
  list-style: none;
}

.examples a {
  display: inline-block;
  padding: 0.4rem 0.9rem;
  text-decoration: none;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 999px;
}

.examples a:hover {
  border-color: var(--accent);
}

/* One document */

.back {
  margin: 0 0 1.2rem;
  font-size: 0.9375rem;
}

.document-title {
  margin: 0 0 0.5rem;
  font-size: 1.65rem;
  line-height: 1.25;
  letter-spacing: -0.01em;
}

.document-meta {
  margin: 0 0 1.6rem;
  font-size: 0.875rem;
  color: var(--muted);
}

.document-body {
  max-width: 40rem;
  font-size: 1.0625rem;
  line-height: 1.7;
  white-space: pre-line;
}

.document-body mark {
  scroll-margin-top: 35vh;
}

.site-footer {
  border-top: 1px solid var(--border);
}

.site-footer p {
  margin: 0 auto;
  padding-top: 1rem;
  padding-bottom: 1.2rem;
  font-size: 0.8125rem;
  color: var(--muted);
}

@media (max-width: 30rem) {
  .masthead-inner,
  .main,
  .site-footer p {
    padding-left: 1rem;
    padding-right: 1rem;
  }

  .search button {
    padding: 0 0.8rem;
  }

  .hit-title {
    font-size: 1.0625rem;
  }

  .document-title {
    font-size: 1.35rem;
  }
}

@media (prefers-reduced-motion: reduce) {
  * {
    transition: none !important;
    scroll-behavior: auto !important;
  }
}
`;
