/**
 * Reading speed of each input format on the same text: the benchmark corpus written out as
 * `.txt` files, as HTML pages (a site's menu, scripts and footer around a `<main>`), as one
 * `.json` array and as one `.ndjson` file, then read back by `readCorpus` (walk, read, decode,
 * parse; no index). Prints MB/s of the bytes on disk and of the text they carry (the `.txt`
 * bytes), and checks that every format gives the `.txt` titles and bodies.
 *
 *   npx tsx bench/formats.ts [--runs 3] [--limit N] [--index]
 *
 * With `--index`, each folder is then indexed whole, once, as `loupe index --force` does
 * (`buildIndex`: read, analyse, build, write a generation): the full cost per format.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { readCorpus } from "../src/corpus/read.js";
import type { LoupeDocument } from "../src/corpus/types.js";
import { buildIndex } from "../src/index/index.js";
import { ensureCorpus } from "./corpus.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = option("runs", 3);
const LIMIT = option("limit", Number.POSITIVE_INFINITY);
const INDEX = args.includes("--index");

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** What a real site repeats on every page: about 2.5 KB of menu, banner, scripts and footer. */
const CHROME_TOP = `<header><a href="/">Service d'information</a><nav><ul>${Array.from(
  { length: 12 },
  (_, i) => `<li><a href="/rubrique-${i}.html">Rubrique ${i}</a></li>`,
).join(
  "",
)}</ul></nav><form role="search"><label>Rechercher</label><input name="q"><button>OK</button></form></header>
<div class="cookies" hidden>Ce site utilise des témoins. <button>J'accepte</button></div>`;
const CHROME_BOTTOM = `<aside><h2>À lire aussi</h2><ul><li><a href="/a.html">Une autre fiche</a></li><li><a href="/b.html">Encore une</a></li></ul></aside>
<footer><p>&copy; 2020 &middot; Mentions légales &middot; Accessibilité &middot; Plan du site</p></footer>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>
<script src="/js/site.js" defer></script>`;

function htmlPage(doc: LoupeDocument): string {
  const paragraphs = doc.body
    .split("\n\n")
    .map((p) => `<p>${p.split("\n").map(escapeHtml).join("<br>")}</p>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(doc.title)}</title>
<link rel="stylesheet" href="/css/site.css"><style>nav li{display:inline}</style>
</head><body>
${CHROME_TOP}
<main><h1>${escapeHtml(doc.title)}</h1>
${paragraphs}
</main>
${CHROME_BOTTOM}
</body></html>
`;
}

function folderBytes(files: string[]): number {
  return files.reduce((sum, f) => sum + statSync(f).size, 0);
}

async function main(): Promise<void> {
  const source = await readCorpus(join(ensureCorpus(), "docs"));
  const docs = source.documents.slice(0, LIMIT);
  const work = join(os.tmpdir(), `loupe-formats-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const dirs = {
    txt: join(work, "txt"),
    html: join(work, "html"),
    json: join(work, "json"),
    ndjson: join(work, "ndjson"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

  const files: Record<keyof typeof dirs, string[]> = { txt: [], html: [], json: [], ndjson: [] };
  for (const doc of docs) {
    const txt = join(dirs.txt, `${doc.id}.txt`);
    writeFileSync(txt, `${doc.title}\n\n${doc.body}\n`);
    files.txt.push(txt);
    const html = join(dirs.html, `${doc.id}.html`);
    writeFileSync(html, htmlPage(doc));
    files.html.push(html);
  }
  const records = docs.map((d) => ({
    id: d.id,
    title: d.title,
    body: d.body,
    source: d.id.split("-")[0],
  }));
  const json = join(dirs.json, "records.json");
  writeFileSync(json, `[\n${records.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`);
  files.json.push(json);
  const ndjson = join(dirs.ndjson, "records.ndjson");
  writeFileSync(ndjson, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  files.ndjson.push(ndjson);

  const textBytes = folderBytes(files.txt);
  const expected = new Map<string, { title: string; body: string }>();
  const times: Record<string, number[]> = { txt: [], html: [], json: [], ndjson: [] };
  const results: Record<string, LoupeDocument[]> = {};
  // Interleaved so that a burst of load on the shared machine hits every format alike.
  for (let run = 0; run < RUNS; run++) {
    for (const format of Object.keys(dirs) as Array<keyof typeof dirs>) {
      const started = performance.now();
      const read = await readCorpus(dirs[format]);
      times[format]?.push(performance.now() - started);
      results[format] = read.documents;
      if (read.skipped.length > 0) throw new Error(`${format}: ${read.skipped.length} skipped`);
    }
  }
  for (const d of results.txt ?? []) expected.set(d.id, { title: d.title, body: d.body });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `formats: ${docs.length} documents, ${(textBytes / 1e6).toFixed(1)} MB of text, median of ${RUNS} runs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    "| format | MB on disk | median s | MB/s on disk | MB/s of text | × .txt time | same title+body as .txt (runs of spaces as one) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const txtTime = median(times.txt ?? []);
  for (const format of Object.keys(dirs) as Array<keyof typeof dirs>) {
    const bytes = folderBytes(files[format]);
    const s = median(times[format] ?? []) / 1000;
    const same = (results[format] ?? []).filter((d) => {
      const e = expected.get(d.id);
      // HTML collapses runs of spaces as a browser shows them (4 fact sheets have double spaces);
      // the analysis chain gives the same tokens either way.
      const spaces = (t: string) => t.replace(/ {2,}/g, " ");
      return e !== undefined && e.title === d.title && spaces(e.body) === spaces(d.body);
    }).length;
    console.log(
      `| ${format} | ${(bytes / 1e6).toFixed(1)} | ${s.toFixed(2)} | ${(bytes / 1e6 / s).toFixed(1)} | ${(textBytes / 1e6 / s).toFixed(1)} | ${(s / (txtTime / 1000)).toFixed(2)} | ${same}/${docs.length} |`,
    );
  }
  if (INDEX) {
    console.log("\n| format | `loupe index --force` s | MB/s of text | × .txt time |");
    console.log("| --- | --- | --- | --- |");
    let txtIndex = 0;
    for (const format of Object.keys(dirs) as Array<keyof typeof dirs>) {
      const out = join(work, `index-${format}`);
      const started = performance.now();
      await buildIndex({ input: dirs[format], out, force: true });
      const s = (performance.now() - started) / 1000;
      if (format === "txt") txtIndex = s;
      console.log(
        `| ${format} | ${s.toFixed(2)} | ${(textBytes / 1e6 / s).toFixed(1)} | ${(s / txtIndex).toFixed(2)} |`,
      );
    }
  }
  rmSync(work, { recursive: true, force: true });
}

await main();
