import lunr from "lunr";
import registerFrench from "lunr-languages/lunr.fr.js";
import registerStemmerSupport from "lunr-languages/lunr.stemmer.support.js";
import type { BenchEngine } from "./types.js";

function frenchPlugin(): lunr.Builder.Plugin {
  // lunr-languages registers itself on the lunr object it is given; the `fr` plugin needs the
  // stemmer support registered first.
  if (!Reflect.has(lunr, "stemmerSupport")) registerStemmerSupport(lunr);
  if (!Reflect.has(lunr, "fr")) registerFrench(lunr);
  const fr: unknown = Reflect.get(lunr, "fr");
  if (typeof fr !== "function") throw new Error("lunr-languages: lunr.fr was not registered");
  return fr as lunr.Builder.Plugin;
}

export function createLunr(): BenchEngine {
  const fr = frenchPlugin();
  let index: lunr.Index | undefined;
  return {
    name: "lunr",
    config:
      "Lunr 2 + lunr-languages fr (index pipeline: trimmer, French stopwords, accent fold, " +
      "Snowball French; search pipeline: trimmer, accent fold, stemmer); lunr's tokenizer " +
      "(whitespace and hyphen; elisions like l'instruction stay one token); field boost title " +
      "2; BM25 k1 1.2 b 0.75 (lunr defaults); queries go through index.query() with one " +
      "optional term per token (OR), never the query-string parser, so +-:~^* in text cannot " +
      "throw",
    build(docs) {
      index = lunr(function () {
        this.use(fr);
        this.ref("id");
        this.field("title", { boost: 2 });
        this.field("body");
        for (const d of docs) this.add({ id: d.id, title: d.title, body: d.body });
      });
    },
    search(query, limit) {
      if (!index) throw new Error("lunr: search before build");
      // `*` inside a term would become a wildcard in TokenSet.fromString; drop it. Tokens with
      // no letter or digit would be trimmed to "" by the search pipeline.
      const terms = lunr
        .tokenizer(query)
        .map((t) => t.toString().replace(/\*/g, ""))
        .filter((t) => /[\p{L}\p{N}]/u.test(t));
      if (terms.length === 0) return [];
      return index
        .query((q) => {
          for (const term of terms) q.term(term, { presence: lunr.Query.presence.OPTIONAL });
        })
        .slice(0, limit)
        .map((r) => r.ref);
    },
    serialize() {
      if (!index) throw new Error("lunr: serialize before build");
      return JSON.stringify(index);
    },
    load(data) {
      // Loading needs the French pipeline functions registered, which frenchPlugin() did.
      index = lunr.Index.load(JSON.parse(data));
    },
  };
}
