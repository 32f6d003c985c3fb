/* The table's "Export CSV": the rows and columns shown, in the order shown, with their rank. */
import { el } from "./dom.js";

/* One CSV cell; text that a spreadsheet would run as a formula gets a leading "'" (the same
   rule as table/exports.py's csv_cell). */
export function csvCell(v) {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+@\t\r-]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function exportCSV(ds, cols, rows, rank) {
  const names = ["Rank"].concat(cols.map((c) => c.key));
  const lines = [names.map(csvCell).join(",")];
  for (const r of rows) {
    const cells = [rank[r] || null];
    for (const c of cols) cells.push(ds.rows[r][ds.ci[c.key]]);
    lines.push(cells.map(csvCell).join(","));
  }
  const blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
  const a = el("a");
  a.href = URL.createObjectURL(blob);
  a.download = "leaderboard.csv";
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
