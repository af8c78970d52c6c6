import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseHtmlDocument } from "../../src/corpus/html.js";
import { readCorpus } from "../../src/corpus/read.js";

const SITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/site-fr");

const page = (body: string, headExtra = "", htmlAttrs = ' lang="fr"') =>
  `<!DOCTYPE html><html${htmlAttrs}><head><meta charset="utf-8">${headExtra}</head><body>${body}</body></html>`;
const read = (html: string, source = "a.html") => parseHtmlDocument(html, source).document;

describe("HTML title", () => {
  it("takes <title>, entities decoded and whitespace collapsed", () => {
    const doc = read(
      page("<main><p>Texte.</p></main>", "<title>\n L&rsquo;OTAN &amp; l&#x2019;Irak </title>"),
    );
    expect(doc.title).toBe("L’OTAN & l’Irak");
  });

  it("falls back to og:title, then to the first <h1> of the content", () => {
    const og = read(
      page("<main><h1>Titre h1</h1><p>T.</p></main>", '<meta property="og:title" content="OG">'),
    );
    expect(og.title).toBe("OG");
    const h1 = read(
      page("<header><h1>Logo du site</h1></header><main><h1>Le vrai titre</h1><p>T.</p></main>"),
    );
    expect(h1.title).toBe("Le vrai titre");
  });

  it("does not take an <svg> <title> in the body for the page's", () => {
    const doc = read(page("<main><svg><title>icône</title></svg><h1>Titre</h1><p>T.</p></main>"));
    expect(doc.title).toBe("Titre");
  });

  it("keeps the <h1> that repeats the title out of the body, not one that differs", () => {
    const same = read(page("<main><h1>Titre</h1><p>Texte.</p></main>", "<title>Titre</title>"));
    expect(same.body).toBe("Texte.");
    const other = read(page("<main><h1>Autre</h1><p>Texte.</p></main>", "<title>Titre</title>"));
    expect(other.body).toBe("Autre\n\nTexte.");
  });
});

describe("HTML main content", () => {
  const chrome =
    "<header>En-tête</header><nav>Menu</nav><aside>Pub</aside><footer>Pied</footer><script>var x = '</p>';</script>";

  it("reads <main> when there is one", () => {
    expect(read(page(`${chrome}<main><p>Contenu.</p></main><p>Hors main.</p>`)).body).toBe(
      "Contenu.",
    );
  });

  it("reads every outermost <article> when there is no <main>", () => {
    const doc = read(
      page(
        `${chrome}<article><p>Un.</p><article><p>Deux.</p></article></article><article><p>Trois.</p></article>`,
      ),
    );
    expect(doc.body).toBe("Un.\n\nDeux.\n\nTrois.");
  });

  it("reads [role=main] when there is neither", () => {
    expect(read(page(`${chrome}<div role="main"><p>Rôle.</p></div><p>Ailleurs.</p>`)).body).toBe(
      "Rôle.",
    );
  });

  it("else reads the body without header, nav, aside, footer, scripts and forms", () => {
    const doc = read(
      page(
        `${chrome}<p>Corps.</p><style>p{}</style><template><p>Modèle</p></template><noscript>JS</noscript><form><label>Champ</label><input></form><p>Fin.</p>`,
      ),
    );
    expect(doc.body).toBe("Corps.\n\nFin.");
  });

  it("reads a page wrapped in one <form> (ASP.NET), not an ordinary form beside it", () => {
    const doc = read(
      page(
        '<form action="/page.aspx"><header>Site</header><h1>Démarches</h1><p>Le texte.</p><input type="hidden" name="__VIEWSTATE"></form><form><label>Courriel</label></form>',
      ),
    );
    expect(doc).toMatchObject({ title: "Démarches", body: "Le texte." });
  });

  it("leaves out a <dialog> that is not open", () => {
    expect(read(page("<main><dialog>Fermé</dialog><dialog open>Ouvert</dialog></main>")).body).toBe(
      "Ouvert",
    );
  });

  it("leaves out hidden elements, but not hidden=until-found", () => {
    const doc = read(
      page(
        '<main><p hidden>a</p><p aria-hidden="true">b</p><p style="color:red; display : none">c</p><p style="visibility:hidden">d</p><p hidden="until-found">Trouvable.</p><p aria-hidden="false">Visible.</p></main>',
      ),
    );
    expect(doc.body).toBe("Trouvable.\n\nVisible.");
  });

  it("lets data-loupe-body and data-loupe-ignore override the rules", () => {
    const result = parseHtmlDocument(
      page(
        "<main><p>Main.</p></main><div data-loupe-body><p>Choisi.</p><p data-loupe-ignore>Ignoré.</p><p data-loupe-body>Une fois.</p></div><aside data-loupe-body>Aussi.</aside>",
      ),
      "a.html",
    );
    expect(result.document.body).toBe("Choisi.\n\nUne fois.\n\nAussi.");
    expect(result.markedBody).toBe(true);
    expect(parseHtmlDocument(page("<p>x</p>"), "a.html").markedBody).toBe(false);
  });

  it("breaks paragraphs at blocks, lines at <br>, keeps inline text together", () => {
    const doc = read(
      page(
        "<main><h2>Partie</h2><p>Un <em>mot</em><span>collé</span><br>ligne</p><ul><li>un<li>deux</ul><table><tr><td>a<td>b<tr><td>c</table><div>bloc<p>implicite</div></main>",
      ),
    );
    expect(doc.body).toBe(
      "Partie\n\nUn motcollé\nligne\n\nun\n\ndeux\n\na b\nc\n\nbloc\n\nimplicite",
    );
  });

  it("keeps the line breaks of <pre> and the no-break spaces of French typography", () => {
    const doc = read(
      page("<main><pre>ligne 1\nligne 2</pre><p>Quoi&nbsp;? «&#8239;oui&#8239;»</p></main>"),
    );
    expect(doc.body).toBe("ligne 1\nligne 2\n\nQuoi\u00a0? «\u202foui\u202f»");
  });

  it("reads misnested markup as a browser does", () => {
    // The text before the <p> closes the <b>: a browser shows "1" bold then "2" in a paragraph.
    expect(read(page("<main><b>1<p>2</b>3</p></main>")).body).toBe("1\n\n23");
  });
});

describe("HTML metadata", () => {
  it("reads description, lang and the date of article:published_time", () => {
    const doc = read(
      page(
        "<main><p>T.</p><time datetime='2019-05-01'>x</time></main>",
        '<meta name="description" content="Résumé &amp; plus"><meta property="article:published_time" content="2020-02-13T09:00:00-05:00">',
        ' lang="fr-CA"',
      ),
    );
    expect(doc).toMatchObject({
      description: "Résumé & plus",
      lang: "fr-CA",
      date: "2020-02",
      day: "2020-02-13",
    });
  });

  it("takes the first <time datetime> of the content, not the footer's", () => {
    const doc = read(
      page(
        '<main><p>Publié le <time datetime="2020-01">janvier</time>.</p></main><footer><time datetime="2018-03-04">©</time></footer>',
      ),
    );
    expect(doc).toMatchObject({ date: "2020-01" });
    expect(doc.day).toBeUndefined();
    // A <time> inside a sentence is text; a line holding only a <time> is the date line.
    expect(doc.body).toBe("Publié le janvier.");
    const line = read(
      page('<main><p><time datetime="2020-01-07">7 janvier</time></p><p>T.</p></main>'),
    );
    expect(line).toMatchObject({ body: "T.", day: "2020-01-07" });
  });

  it("ignores impossible or partial dates", () => {
    expect(
      read(page('<main><time datetime="2020-13-01">x</time><p>T.</p></main>')).date,
    ).toBeUndefined();
    expect(
      read(page('<main><time datetime="10:30">x</time><p>T.</p></main>')).date,
    ).toBeUndefined();
    const feb30 = read(page('<main><time datetime="2020-02-30">x</time><p>T.</p></main>'));
    expect(feb30.date).toBe("2020-02");
    expect(feb30.day).toBeUndefined();
  });

  it("makes the id from the path without extension and keeps the URL with it", () => {
    const doc = read(page("<p>T.</p>"), path.join("guide", "chapitre-1.htm"));
    expect(doc).toMatchObject({
      id: "guide/chapitre-1",
      url: "guide/chapitre-1.htm",
      format: "html",
    });
  });
});

describe("a French site as HTML and as clean text", () => {
  const BOILERPLATE = [
    "Abonnez-vous",
    "infolettre",
    "Accueil",
    "Opinions et chroniques",
    "Rechercher sur le site",
    "témoins",
    "Activez JavaScript",
    "Tous droits réservés",
    "Mentions légales",
    "confidentialité",
    "Les plus lus",
    "Partager sur",
    "Publicité",
    "Dossiers",
    "Commentaires",
    "Version imprimable",
    "Modèle de commentaire",
    "dataLayer",
    "45eNord.ca —",
    "Temps de lecture",
    "Par la rédaction",
  ];

  it("never indexes the shared menu, scripts, banners, forms or footer", async () => {
    const { documents, skipped } = await readCorpus(path.join(SITE, "html"));
    expect(skipped).toEqual([]);
    expect(documents).toHaveLength(5);
    for (const doc of documents) {
      // Every page of the site carries all of these in its markup: none may reach the index.
      const raw = readFileSync(path.join(SITE, "html", doc.source), "utf8");
      expect(raw).toContain("Mentions légales");
      for (const phrase of BOILERPLATE) {
        expect(`${doc.title}\n${doc.body}`, `${doc.id}: ${phrase}`).not.toContain(phrase);
      }
    }
  });

  it("gives the same ids, titles, bodies and dates as the same collection in .txt", async () => {
    const html = await readCorpus(path.join(SITE, "html"));
    const text = await readCorpus(path.join(SITE, "txt"));
    const view = (docs: typeof html.documents) =>
      docs.map(({ id, title, body, date }) => ({ id, title, body, date }));
    expect(view(html.documents)).toEqual(view(text.documents));
    expect(text.documents.map((d) => d.id)).toEqual([
      "index",
      "otan/mission-renforcee",
      "otan/retrait-personnel",
      "otan/reunion-bruxelles",
      "otan/suspension-entrainement",
    ]);
  });

  it("keeps each page's URL, language, description and full date", async () => {
    const { documents } = await readCorpus(path.join(SITE, "html"));
    const byId = new Map(documents.map((d) => [d.id, d]));
    expect(byId.get("otan/reunion-bruxelles")).toMatchObject({
      url: "otan/reunion-bruxelles.html",
      lang: "fr-CA",
      description: "Réunion des ministres de la Défense de l’OTAN à Bruxelles",
      day: "2020-02-11",
    });
    expect(byId.get("otan/suspension-entrainement")?.day).toBe("2020-01-04");
    expect(byId.get("otan/mission-renforcee")?.day).toBe("2020-02-13");
  });
});
