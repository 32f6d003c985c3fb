/* The leaderboard table's view (search, filters, sort, columns, picked rows) and its address:
 * every view has a link, and the default view has the bare address. */

/* The comparison page takes 2 to 5 rows. */
export const PICK_MIN = 2;
export const PICK_MAX = 5;

/* The "Show" filters: [state key and address parameter, label, default]. */
export const SHOW = [
  ["flagged", "Show flagged", false],
  ["merged", "Show merges", true],
  ["moe", "Show MoE", true],
  ["gone", "Show models no longer on the Hub", false],
];

export function defaults(ds) {
  const visible = ds.columns.filter((c) => !c.hidden && c.group !== "raw").map((c) => c.name);
  return {
    q: "", type: null, prec: null, wt: null, size: null, chat: "any",
    flagged: false, merged: true, moe: true, gone: false, choice: false, raw: false, se: false,
    sort: ds.names.average, dir: -1, cols: visible, pick: [],
  };
}

export function readState(ds, params) {
  const s = defaults(ds);
  const list = (k) => (params.has(k) ? params.get(k).split(",").filter(Boolean) : null);
  // Not "q": Material's own search opens itself when the address has ?q=.
  if (params.has("search")) s.q = params.get("search");
  s.type = list("type");
  s.prec = list("prec");
  s.wt = list("wt");
  s.size = list("size");
  if (s.size) s.size = s.size.map((v) => (v === "unknown" ? "" : v));
  if (["yes", "no"].includes(params.get("chat"))) s.chat = params.get("chat");
  for (const [key] of SHOW) if (params.has(key)) s[key] = params.get(key) === "1";
  s.choice = params.get("choice") === "1";
  s.raw = params.get("raw") === "1";
  s.se = params.get("se") === "1";
  if (params.has("sort") && ds.has(params.get("sort"))) s.sort = params.get("sort");
  if (params.get("dir") === "asc") s.dir = 1;
  const cols = list("cols");
  if (cols) s.cols = cols.filter((c) => ds.has(c));
  const pick = list("compare");
  if (pick) s.pick = pick.filter((id, k) => ds.byName.has(id) && pick.indexOf(id) === k).slice(0, PICK_MAX);
  return s;
}

export function writeState(ds, s) {
  const d = defaults(ds);
  const p = new URLSearchParams();
  if (s.q) p.set("search", s.q);
  for (const k of ["type", "prec", "wt"]) if (s[k]) p.set(k, s[k].join(","));
  if (s.size) p.set("size", s.size.map((v) => v || "unknown").join(","));
  if (s.chat !== "any") p.set("chat", s.chat);
  for (const [key] of SHOW) if (s[key] !== d[key]) p.set(key, s[key] ? "1" : "0");
  if (s.choice) p.set("choice", "1");
  if (s.raw) p.set("raw", "1");
  if (s.se) p.set("se", "1");
  if (s.sort !== d.sort) p.set("sort", s.sort);
  if (s.dir !== d.dir) p.set("dir", s.dir > 0 ? "asc" : "desc");
  if (s.cols.join(",") !== d.cols.join(",")) p.set("cols", s.cols.join(","));
  if (s.pick.length) p.set("compare", s.pick.join(","));
  const qs = p.toString();
  const url = location.pathname + (qs ? "?" + qs : "") + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
}

/* Row indices in the order of one column; missing values last, ties in file order. */
export function sortOrder(ds, key, dir) {
  const i = ds.ci[key];
  const rows = ds.rows;
  const idx = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) idx[r] = r;
  idx.sort((a, b) => {
    const x = rows[a][i], y = rows[b][i];
    if (x === y) return a - b;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === "string") return dir * x.localeCompare(y);
    return dir * (x < y ? -1 : 1);
  });
  return idx;
}

/* The distinct values of a column, sorted: the choices of its filter. */
export function distinct(ds, name) {
  const seen = new Set();
  const i = ds.ci[name];
  for (const r of ds.rows) if (r[i] !== null) seen.add(r[i]);
  return [...seen].sort();
}
