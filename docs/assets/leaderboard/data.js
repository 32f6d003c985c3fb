/* The site's data files, fetched once per page load and shared by every page part.
 * Column names are never spelled here: data/table.json's meta.names maps what the code needs
 * (names.model, names.average…) to the published column, from the Python registry
 * (scripts/leaderboard/site/frontend.py). Every lookup keyed by data or by the address (a model
 * id, a column name, a type) goes through a Map, an object without a prototype, or own():
 * "?id=__proto__" must find nothing, not Object.prototype. */

const cache = Object.create(null);
const datasets = Object.create(null);

export function own(obj, key) {
  return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function fetchJSON(url) {
  if (!cache[url]) {
    cache[url] = fetch(url, { credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
    cache[url].catch(() => { delete cache[url]; });
  }
  return cache[url];
}

/* The site's root: Material's scope when it has one, else this page's folder. */
function scope() {
  return window.__md_scope || new URL(".", location.href);
}

export function siteURL(path) {
  return new URL(path, scope()).href;
}

export function modelHref(evalName) {
  return siteURL("model/?id=" + encodeURIComponent(evalName));
}

export function hubHref(name) {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
    ? "https://huggingface.co/" + name : null;
}

/* The table file as objects that are quick to filter. */
export class Dataset {
  constructor(json) {
    this.meta = json.meta;
    /* Column names by what the code uses them for: names.model, names.average… */
    this.names = Object.freeze(Object.assign(Object.create(null), json.meta.names));
    this.columns = json.columns;
    this.rows = json.rows;
    const ci = Object.create(null);
    json.columns.forEach((c, i) => { ci[c.name] = i; });
    this.ci = ci;
    const N = this.names;
    const n = this.rows.length;
    this.lowerNames = new Array(n);
    this.licenses = new Array(n);
    this.byName = new Map();
    const iName = ci[N.model], iAlias = ci[N.aliases], iLic = ci[N.license], iId = ci[N.id];
    for (let r = 0; r < n; r++) {
      const row = this.rows[r];
      const names = [String(row[iName]).toLowerCase()];
      if (row[iAlias]) for (const a of String(row[iAlias]).split(", ")) names.push(a.toLowerCase());
      this.lowerNames[r] = names;
      this.licenses[r] = String(row[iLic] || "").toLowerCase();
      this.byName.set(row[iId], r);
    }
  }

  get(r, name) {
    return this.rows[r][this.ci[name]];
  }

  has(name) {
    return name in this.ci;
  }

  column(name) {
    return this.columns[this.ci[name]];
  }

  /* The standard-error twin of a score column (table/bands.py, suites/uncertainty.py). */
  seName(name) {
    return own(this.meta.se, name);
  }

  /* The raw twin of a benchmark column. */
  rawName(name) {
    return own(this.meta.raw, name);
  }
}

export function loadDataset(url) {
  return fetchJSON(url).then((json) => {
    if (!datasets[url]) datasets[url] = new Dataset(json);
    return datasets[url];
  });
}
