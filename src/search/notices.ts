/**
 * What the engine tells the person who typed a query: why it was refused, or what was done
 * with a part it could not take as written. Kept as data where it arises and worded only when
 * the answer is made, so the same query can be answered in English (the API's and the CLI's
 * language) or in French (the search page's).
 */
import type { Expected, FilterProblem } from "./filter/problem.js";

export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export type Notice =
  // Refusals (a QueryError).
  | { code: "query_too_long"; length: number; max: number }
  | { code: "bad_date"; parameter: string; value: string }
  | { code: "date_reversed"; parameter: string; value: string; from: string; to: string }
  | { code: "bad_integer"; parameter: string; min: number; max: number }
  | { code: "bad_filter"; problem: FilterProblem }
  | { code: "not_facetable"; attribute: string; allowed: string[] }
  | { code: "not_sortable"; attribute: string; allowed: string[] }
  | { code: "bad_sort"; value: string }
  // Warnings: the query was answered, differently from how it was written.
  | { code: "unclosed_quote" }
  | { code: "bad_slop"; value: string; used: number }
  | { code: "negated_date"; clause: string }
  | { code: "dates_disjoint"; clause: string }
  | { code: "no_word"; clause: string }
  | { code: "only_stopwords_excluded"; clause: string }
  | { code: "phrase_no_word"; phrase: string }
  | { code: "prefix_too_short"; clause: string; word: string; min: number }
  | { code: "query_cut"; max: number }
  | { code: "operator_ignored"; operator: "AND" | "OR" }
  | { code: "timed_out"; budgetMs: number };

type Wording = { [C in Notice["code"]]: (notice: Extract<Notice, { code: C }>) => string };

const ENGLISH: Wording = {
  query_too_long: (n) =>
    `the query is ${n.length} characters long; the limit is ${n.max}: shorten it`,
  bad_date: (n) =>
    `${n.parameter} '${n.value}' is not a month or a range of months: write 2020-01 or 2020-01..2020-03`,
  date_reversed: (n) =>
    `${n.parameter} '${n.value}' ends before it starts: write ${n.to}..${n.from}`,
  bad_integer: (n) => `${n.parameter} must be a whole number from ${n.min} to ${n.max}`,
  bad_filter: (n) => filterEnglish(n.problem),
  not_facetable: (n) =>
    `'${n.attribute}' is not a filterable attribute, so it has no facet: ${useOr(n.allowed, "use", "or", "none is declared; add it")} to filterableAttributes in loupe.json and index again`,
  not_sortable: (n) =>
    `'${n.attribute}' is not a sortable attribute: ${useOr(n.allowed, "use", "or", "none is declared; add it")} to sortableAttributes in loupe.json and index again`,
  bad_sort: (n) =>
    `'${n.value}' is not a sort: write attribute:asc or attribute:desc, several separated by commas`,
  unclosed_quote: () => "an opening quote had no closing quote: the phrase runs to the end",
  bad_slop: (n) =>
    `'~${n.value}' is not a slop from 0 to 99: the phrase was searched with ${n.used === 0 ? "its words side by side" : `~${n.used}`}`,
  negated_date: (n) =>
    `'${n.clause}' was ignored: a date filter cannot be excluded; write date:2020-02.. or date:..2019-12`,
  dates_disjoint: (n) =>
    `'${n.clause}' leaves no month in common with the query's other dates: nothing can match both; keep one`,
  no_word: (n) => `'${n.clause}' has no word in it and was ignored`,
  only_stopwords_excluded: (n) =>
    `'${n.clause}' excludes only stopwords, which every document has: it was ignored`,
  phrase_no_word: (n) => `the phrase "${n.phrase}" has no word in it and was ignored`,
  prefix_too_short: (n) =>
    `'${n.clause}' is too short for a prefix (${n.min} letters at least): '${n.word}' was searched as a word`,
  query_cut: (n) => `only the first ${n.max} words of the query were used`,
  operator_ignored: (n) =>
    `${n.operator} was read as an operator, not a word: every word is looked for, and documents holding them all come first (write -word to exclude one)`,
  timed_out: (n) =>
    `the search took longer than its ${n.budgetMs} ms budget: these are the best results found by then, and the total is a lower bound`,
};

// French typography: a no-break space inside « », a narrow one before : and ;.
const FRENCH: Wording = {
  query_too_long: (n) =>
    `la requête fait ${n.length} caractères, pour une limite de ${n.max}\u202f: raccourcissez-la`,
  bad_date: (n) =>
    `la date «\u00a0${n.value}\u00a0» n’est ni un mois ni une période\u202f: écrivez 2020-01 ou 2020-01..2020-03`,
  date_reversed: (n) =>
    `la période «\u00a0${n.value}\u00a0» finit avant de commencer\u202f: écrivez ${n.to}..${n.from}`,
  bad_integer: (n) => `${n.parameter} doit être un nombre entier de ${n.min} à ${n.max}`,
  bad_filter: (n) => filterFrench(n.problem),
  not_facetable: (n) =>
    `«\u00a0${n.attribute}\u00a0» n’est pas un attribut filtrable, il n’a donc pas de facette\u202f: ${useOr(n.allowed, "utilisez", "ou", "aucun n’est déclaré\u202f; ajoutez-le")} à filterableAttributes dans loupe.json et réindexez`,
  not_sortable: (n) =>
    `«\u00a0${n.attribute}\u00a0» n’est pas un attribut triable\u202f: ${useOr(n.allowed, "utilisez", "ou", "aucun n’est déclaré\u202f; ajoutez-le")} à sortableAttributes dans loupe.json et réindexez`,
  bad_sort: (n) =>
    `«\u00a0${n.value}\u00a0» n’est pas un tri\u202f: écrivez attribut:asc ou attribut:desc, plusieurs séparés par des virgules`,
  unclosed_quote: () =>
    "un guillemet ouvert n’a pas été fermé\u202f: l’expression va jusqu’à la fin de la requête",
  bad_slop: (n) =>
    `«\u00a0~${n.value}\u00a0» n’est pas un écart de 0 à 99\u202f: l’expression a été cherchée ${n.used === 0 ? "mots côte à côte" : `avec ~${n.used}`}`,
  negated_date: (n) =>
    `«\u00a0${n.clause}\u00a0» a été ignoré\u202f: un filtre de date ne peut pas être exclu\u202f; écrivez date:2020-02.. ou date:..2019-12`,
  dates_disjoint: (n) =>
    `«\u00a0${n.clause}\u00a0» n’a aucun mois en commun avec les autres dates de la recherche\u202f: rien ne peut répondre aux deux\u202f; n’en gardez qu’une`,
  no_word: (n) => `«\u00a0${n.clause}\u00a0» ne contient aucun mot et a été ignoré`,
  only_stopwords_excluded: (n) =>
    `«\u00a0${n.clause}\u00a0» n’exclut que des mots vides, présents dans tous les documents\u202f: il a été ignoré`,
  phrase_no_word: (n) =>
    `l’expression «\u00a0${n.phrase}\u00a0» ne contient aucun mot et a été ignorée`,
  prefix_too_short: (n) =>
    `«\u00a0${n.clause}\u00a0» est trop court pour un préfixe (${n.min} lettres au moins)\u202f: «\u00a0${n.word}\u00a0» a été cherché comme un mot`,
  query_cut: (n) => `seuls les ${n.max} premiers mots de la requête ont été pris en compte`,
  operator_ignored: (n) =>
    `${n.operator} a été lu comme un opérateur, pas comme un mot : tous les mots sont cherchés, et les documents qui les contiennent tous viennent en premier (écrivez -mot pour en exclure un)`,
  timed_out: (n) =>
    `la recherche a dépassé son budget de ${n.budgetMs}\u00a0ms\u202f: voici les meilleurs résultats trouvés jusque-là, et le total est un minimum`,
};

const WORDINGS: Record<Language, Wording> = { en: ENGLISH, fr: FRENCH };

export function describeNotice(notice: Notice, language: Language = "en"): string {
  const word = WORDINGS[language][notice.code] as (notice: Notice) => string;
  return word(notice);
}

/**
 * "use 'a' or 'b', or add it", or, when no attribute is declared, "none is declared; add it":
 * the sentence goes on with "to …Attributes in loupe.json".
 */
function useOr(names: readonly string[], use: string, or: string, none: string): string {
  if (names.length === 0) return none;
  const addIt = or === "or" ? "add it" : "ajoutez-le";
  return `${use} ${oneOf(names, or)}, ${or} ${addIt}`;
}

function oneOf(names: readonly string[], or: string): string {
  const quoted = names.map((name) => `'${name}'`);
  return quoted.length === 1
    ? quoted[0]!
    : `${quoted.slice(0, -1).join(", ")} ${or} ${quoted.at(-1)}`;
}

const EXPECTED_EN: Record<Expected, string> = {
  condition: "a condition such as category = sport",
  operator: "an operator (=, !=, >, >=, <, <=, TO, IN, NOT IN, EXISTS, IS NULL, IS EMPTY)",
  value: "a value (quote it, '…' or \"…\", if it holds spaces or is a keyword)",
  close: "a closing parenthesis ')'",
  closeBracket: "a comma or a closing bracket ']'",
  to: "TO, as in year 2000 TO 2010",
  rangeStart: "a value before TO, as in year 2000 TO 2010",
  nullOrEmpty: "NULL or EMPTY",
  connective: "AND, OR or the end of the filter",
};

const EXPECTED_FR: Record<Expected, string> = {
  condition: "une condition comme categorie = sport",
  operator: "un opérateur (=, !=, >, >=, <, <=, TO, IN, NOT IN, EXISTS, IS NULL, IS EMPTY)",
  value:
    "une valeur (entre guillemets, '…' ou \"…\", si elle contient des espaces ou est un mot-clé)",
  close: "une parenthèse fermante «\u00a0)\u00a0»",
  closeBracket: "une virgule ou un crochet fermant «\u00a0]\u00a0»",
  to: "TO, comme dans annee 2000 TO 2010",
  rangeStart: "une valeur avant TO, comme dans annee 2000 TO 2010",
  nullOrEmpty: "NULL ou EMPTY",
  connective: "AND, OR ou la fin du filtre",
};

function filterEnglish(problem: FilterProblem): string {
  switch (problem.kind) {
    case "syntax":
      return `filter: at character ${problem.position}, expected ${EXPECTED_EN[problem.expected]}, found ${problem.found === "" ? "the end" : `'${problem.found}'`}`;
    case "unclosed_quote":
      return `filter: the quote opened at character ${problem.position} is not closed: close it`;
    case "not_filterable":
      return `filter: '${problem.attribute}' (character ${problem.position}) is not a filterable attribute: ${useOr(problem.allowed, "use", "or", "none is declared; add it")} to filterableAttributes in loupe.json and index again`;
    case "too_deep":
      return `filter: parentheses and NOT nest deeper than ${problem.max} at character ${problem.position}: simplify it`;
    case "too_long":
      return `filter: it is ${problem.length} characters long; the limit is ${problem.max}: shorten it`;
    case "bad_date":
      return `filter: '${problem.value}' (character ${problem.position}) is no date: write a month (YYYY-MM), a day (YYYY-MM-DD) or a date-time that exists, or quote it to compare it as text`;
  }
}

function filterFrench(problem: FilterProblem): string {
  switch (problem.kind) {
    case "syntax":
      return `filtre\u202f: au caractère ${problem.position}, il faut ${EXPECTED_FR[problem.expected]}, et non ${problem.found === "" ? "la fin du filtre" : `«\u00a0${problem.found}\u00a0»`}`;
    case "unclosed_quote":
      return `filtre\u202f: le guillemet ouvert au caractère ${problem.position} n’est pas fermé\u202f: fermez-le`;
    case "not_filterable":
      return `filtre\u202f: «\u00a0${problem.attribute}\u00a0» (caractère ${problem.position}) n’est pas un attribut filtrable\u202f: ${useOr(problem.allowed, "utilisez", "ou", "aucun n’est déclaré\u202f; ajoutez-le")} à filterableAttributes dans loupe.json et réindexez`;
    case "too_deep":
      return `filtre\u202f: parenthèses et NOT imbriqués sur plus de ${problem.max} niveaux au caractère ${problem.position}\u202f: simplifiez-le`;
    case "too_long":
      return `filtre\u202f: il fait ${problem.length} caractères, pour une limite de ${problem.max}\u202f: raccourcissez-le`;
    case "bad_date":
      return `filtre\u202f: «\u00a0${problem.value}\u00a0» (caractère ${problem.position}) n’est pas une date\u202f: écrivez un mois (AAAA-MM), un jour (AAAA-MM-JJ) ou une date et une heure qui existent, ou mettez-la entre guillemets pour la comparer comme texte`;
  }
}
