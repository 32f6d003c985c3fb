/* The leaderboard's search syntax, the same rules as scripts/leaderboard/table/search.py (both
 * are tested against tests/site/search_cases.json). Terms are separated by ";". A plain term is a
 * case-insensitive substring of the model's name or a former name (OR-ed); a "Hub License:" term
 * a substring of the license (OR-ed); with both kinds, a row must match one of each. */

const PREFIX = "hub license:";

export function parse(text) {
  const names = [], licenses = [];
  for (const raw of String(text || "").split(";")) {
    const term = raw.trim();
    if (term.toLowerCase().startsWith(PREFIX)) {
      const value = term.slice(PREFIX.length).trim().toLowerCase();
      if (value) licenses.push(value);
    } else if (term) {
      names.push(term.toLowerCase());
    }
  }
  return { names, licenses, empty: !names.length && !licenses.length };
}

/* names: lower-cased names of the row; license: lower-cased license ("" when none). Plain
   loops: the table calls this for every row on every keystroke. */
export function matchesLower(query, names, license) {
  if (query.names.length && !anyIncludes(names, query.names)) return false;
  if (query.licenses.length) return anyIncludes([license], query.licenses);
  return true;
}

function anyIncludes(texts, terms) {
  for (let i = 0; i < terms.length; i++) {
    for (let j = 0; j < texts.length; j++) {
      if (texts[j].indexOf(terms[i]) !== -1) return true;
    }
  }
  return false;
}

export function matches(query, names, license) {
  return matchesLower(
    query,
    names.map((n) => String(n).toLowerCase()),
    String(license || "").toLowerCase()
  );
}
