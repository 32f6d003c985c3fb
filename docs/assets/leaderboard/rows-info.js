/* What the table shows about a row beyond its cells: where a score stands in its column (the
 * cell's colour), and, for a model with several rows, which row is which and which is latest. */

/* Steps of the colour scale (leaderboard.css: .lb-heat-0 … .lb-heat-4, each readable in both
   palettes). */
const STEPS = 5;

/* Each score column's lowest and highest value, so that a cell's colour says where it stands in
   its column: the darkest is the column's best, whatever the benchmark's range. Columns whose
   values are all equal get no colour. */
export function heatScale(ds) {
  const range = new Map();
  for (const c of ds.columns) {
    if (c.group !== "score" && c.group !== "raw") continue;
    const i = ds.ci[c.name];
    let lo = Infinity, hi = -Infinity;
    for (const row of ds.rows) {
      const v = row[i];
      if (typeof v !== "number") continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi > lo) range.set(c.name, [lo, hi - lo]);
  }
  return {
    has: (name) => range.has(name),
    cellClass(name, v) {
      if (typeof v !== "number") return "";
      const [lo, span] = range.get(name);
      return " lb-heat-" + Math.min(STEPS - 1, Math.floor(((v - lo) / span) * STEPS));
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
  const n = ds.rows.length;
  const byModel = new Map();
  for (let r = 0; r < n; r++) {
    const row = ds.rows[r];
    const m = byModel.get(row[iModel]);
    const date = String(row[iDate] || "");
    if (!m) {
      byModel.set(row[iModel], { count: 1, first: row[iSha], mixed: false, sha: row[iSha], date });
      continue;
    }
    m.count++;
    if (row[iSha] !== m.first) m.mixed = true;
    if (date > m.date) { m.sha = row[iSha]; m.date = date; }
  }
  const multi = new Uint8Array(n), latest = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const m = byModel.get(ds.rows[r][iModel]);
    if (m.count < 2) continue;
    multi[r] = 1;
    if (m.mixed && ds.rows[r][iSha] === m.sha) latest[r] = 1;
  }
  return { multi, latest };
}
