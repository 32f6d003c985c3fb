/* Material's header search finds pages; a reader typing a model's name there wants the model.
 * Above the page results, say how many models match and link to the table filtered by the term. */
import { el } from "./dom.js";
import { loadDataset, siteURL } from "./data.js";
import { matchesLower, parse } from "./search.js";

/* The header is not swapped by instant navigation: this runs once per page load (the input is
   marked so that a second call does nothing). */
export function mountSearchHint() {
  const input = document.querySelector(".md-search__input");
  const result = document.querySelector(".md-search-result");
  if (!input || !result || input.dataset.lbHint) return;
  input.dataset.lbHint = "1";
  input.placeholder = "Search pages and models";
  const hint = el("p", "lb-search-hint");
  hint.id = "lb-search-hint";
  hint.hidden = true;
  result.insertBefore(hint, result.firstChild);
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 120);
  });

  function show() {
    const term = input.value.trim();
    if (!term) { hint.hidden = true; return; }
    loadDataset(siteURL("data/table.json")).then((ds) => {
      if (input.value.trim() !== term) return;
      const query = parse(term);
      let hits = 0;
      for (let r = 0; r < ds.rows.length; r++) {
        if (matchesLower(query, ds.lowerNames[r], ds.licenses[r])) hits++;
      }
      const link = el("a", "", hits ? "show " + (hits === 1 ? "it" : "them") + " in the table" : "open the table");
      link.href = siteURL("") + "?search=" + encodeURIComponent(term) + (hits ? "&flagged=1&gone=1" : "");
      hint.replaceChildren(
        hits ? hits.toLocaleString("en") + (hits === 1 ? " model matches" : " models match") + " “" + term + "”: "
          : "No model's name matches “" + term + "”: ",
        link, ". The results below are the site's pages.");
      hint.dataset.count = hits;
      hint.hidden = false;
    }).catch(() => { hint.hidden = true; });
  }
}
