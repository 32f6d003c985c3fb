/* What the table shows about a row beyond its cells: where a score stands in its column (the
 * cell's colour), and, for a model with several rows, which row is which and which is latest. */

/* Steps of the colour scale (leaderboard.css: .lb-heat-0 … .lb-heat-4, each readable in both
   palettes). */
const STEPS = 5;

/* Each score column's lowest and highest value, so that a cell's colour says where it stands in
   its column: the darkest is the column's best, whatever the benchmark's range. Columns whose
   values are all equal get no colour. */
export function heatScale(ds) {
  // One pass over the rows for every score column (50,000 rows: a few milliseconds).
  const cols = ds.columns.filter((c) => c.group === "score" || c.group === "raw").map((c) => ds.ci[c.name]);
  const k = cols.length;
  const lo = new Float64Array(k).fill(Infinity), hi = new Float64Array(k).fill(-Infinity);
  const rows = ds.rows;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let j = 0; j < k; j++) {
      const v = row[cols[j]];
      if (typeof v !== "number") continue;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const range = new Map();
  cols.forEach((i, j) => { if (hi[j] > lo[j]) range.set(ds.columns[i].name, [lo[j], hi[j] - lo[j]]); });
  return {
    has: (name) => range.has(name),
    cellClass(name, v) {
      if (typeof v !== "number") return "";
      const [low, span] = range.get(name);
      return " lb-heat-" + Math.min(STEPS - 1, Math.floor(((v - low) / span) * STEPS));
    },
  };
}

/* For every row: whether its model has other rows (multi), and whether it is at the model's
   latest commit (latest), where the model has rows at more than one commit. The latest commit is
   the one submitted last: the submission date that validation holds to the commit adding the
   request (within 60 minutes of git's time). The data marks no row as latest itself. */
export function modelRows(ds) {
  const N = ds.names;
  const iModel = ds.ci[N.model], iSha = ds.ci[N.sha], iDate = ds.ci[N.submitted];
  const rows = ds.rows, n = rows.length;
  // Models by first appearance: each row's model as a number, and per model its row count,
  // whether its rows differ in commit, and its last submitted commit.
  const ordinal = new Map(), of = new Int32Array(n);
  const count = [], first = [], mixed = [], sha = [], date = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    let m = ordinal.get(row[iModel]);
    const d = String(row[iDate] || "");
    if (m === undefined) {
      m = count.length;
      ordinal.set(row[iModel], m);
      count.push(0); first.push(row[iSha]); mixed.push(false); sha.push(row[iSha]); date.push(d);
    }
    of[r] = m;
    count[m]++;
    if (row[iSha] !== first[m]) mixed[m] = true;
    if (d > date[m]) { sha[m] = row[iSha]; date[m] = d; }
  }
  const multi = new Uint8Array(n), latest = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const m = of[r];
    if (count[m] < 2) continue;
    multi[r] = 1;
    if (mixed[m] && rows[r][iSha] === sha[m]) latest[r] = 1;
  }
  return { multi, latest };
}
