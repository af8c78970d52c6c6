// snowball-stemmer.jsx ships no types; only the French CommonJS build is used by the bench.
declare module "snowball-stemmer.jsx/dest/french-stemmer.common.js" {
  export class FrenchStemmer {
    stemWord(word: string): string;
  }
}
