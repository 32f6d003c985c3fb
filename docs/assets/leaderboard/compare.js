/* The comparison page (compare/?ids=a,b,…): 2 to 5 rows side by side, a bar chart, each
 * benchmark's difference from the first model and whether it is within noise, and their
 * provenance. */
import { el, headRow, narrow, repoLink, scrollBox, section } from "./dom.js";
import { fetchJSON, loadDataset, modelHref, own, siteURL } from "./data.js";
import { formatter, withSE } from "./format.js";
import { barCanvas, chartLib } from "./charts.js";
import { PICK_MAX, PICK_MIN } from "./table-state.js";

const PALETTE = ["#3f51b5", "#e65100", "#00897b", "#c2185b", "#6d4c41"];
/* Within noise: the two 95% intervals overlap (suites/uncertainty.py within_noise). */
const Z95 = 1.959963984540054;

function noiseText(a, seA, b, seB) {
  if (a === null || b === null) return "—";
  if (typeof seA !== "number" || typeof seB !== "number") return "unknown (no standard error)";
  return Math.abs(a - b) <= Z95 * (seA + seB) ? "within noise" : "apart";
}

function compareIds(ds) {
  const raw = (new URLSearchParams(location.search).get("ids") || "").split(",");
  return raw.filter((id, k) => id && ds.byName.has(id) && raw.indexOf(id) === k).slice(0, PICK_MAX);
}

/* One row per benchmark (and the Average): each model's score ± SE, then each other model's
   difference from the first, and whether the two are within noise. */
function compareScores(ds, picked) {
  const N = ds.names;
  const fmt = formatter(ds);
  const names = picked.map((r) => ds.get(r, N.model));
  const head = ["Benchmark"].concat(names, picked.slice(1).map((r, k) => names[k + 1] + " − " + names[0]));
  const t = el("table", "lb-compare-scores");
  const tb = el("tbody");
  for (const b of ds.meta.benchmarks.concat([N.average])) {
    const tr = el("tr");
    const th = el("th", "", b === N.average ? "Average" : b);
    th.scope = "row";
    tr.append(th);
    const col = ds.column(b), se = ds.seName(b);
    for (const r of picked) tr.append(el("td", "lb-num", withSE(fmt, col, ds.get(r, b), ds.get(r, se)) || "—"));
    const a = ds.get(picked[0], b), seA = ds.get(picked[0], se);
    for (const r of picked.slice(1)) {
      const v = ds.get(r, b), td = el("td", "lb-num lb-diff");
      const diff = a === null || v === null ? "—" : (v - a >= 0 ? "+" : "−") + Math.abs(v - a).toFixed(2);
      const noise = noiseText(a, seA, v, ds.get(r, se));
      td.textContent = diff + " (" + noise + ")";
      td.dataset.noise = noise;
      tr.append(td);
    }
    tb.append(tr);
  }
  t.append(headRow(head), tb);
  return t;
}

/* The fields of meta.compare side by side: from the table's file, or from provenance.json. */
function compareProvenance(ds, picked, prov) {
  const N = ds.names;
  const t = el("table", "lb-compare-prov");
  const tb = el("tbody");
  for (const field of ds.meta.compare) {
    const tr = el("tr");
    const th = el("th", "", field);
    th.scope = "row";
    tr.append(th);
    for (const r of picked) {
      const id = ds.get(r, N.id);
      const v = ds.has(field) ? ds.get(r, field) : (own(prov.rows, id) || [])[prov.columns.indexOf(field)];
      const td = el("td");
      if (field === N.request_file || field === N.result_file) td.append(repoLink(ds.meta.repo_url, v));
      else if (field === N.chat) td.textContent = v ? "with" : "without";
      else td.textContent = v === null || v === undefined ? "—" : String(v);
      tr.append(td);
    }
    tb.append(tr);
  }
  t.append(headRow(["Field"].concat(picked.map((r) => ds.get(r, N.model)))), tb);
  return t;
}

function intro(ds, picked) {
  const N = ds.names;
  const p = el("p", "lb-compare-intro");
  picked.forEach((r, k) => {
    const a = el("a", "", ds.get(r, N.model));
    a.href = modelHref(ds.get(r, N.id));
    const swatch = el("span", "lb-swatch");
    swatch.style.background = PALETTE[k];
    swatch.setAttribute("aria-hidden", "true");
    p.append(swatch, a, document.createTextNode(" (" + ds.get(r, N.precision) + ")" + (k < picked.length - 1 ? " · " : "")));
  });
  return p;
}

function barChart(host, ds, picked) {
  const N = ds.names;
  const canvas = barCanvas(host, "Normalized scores of the compared models, per benchmark; the table below has every value");
  const columns = ds.meta.benchmarks.concat([N.average]);
  const Chart = chartLib();
  return new Chart(canvas, {
    type: "bar",
    data: { labels: ds.meta.benchmarks.concat(["Average"]),
            datasets: picked.map((r, k) => ({
              label: ds.get(r, N.model) + " (" + ds.get(r, N.precision) + ")", backgroundColor: PALETTE[k],
              data: columns.map((b) => ds.get(r, b)),
            })) },
    options: { responsive: true, aspectRatio: narrow() ? 1 : 2.4, scales: { y: { min: 0, max: 100 } },
               plugins: { legend: { display: true, position: "top" } } },
  });
}

export function mountCompare(host) {
  let chart = null, alive = true;
  Promise.all([
    loadDataset(siteURL(host.dataset.src)),
    fetchJSON(siteURL(host.dataset.provenance)),
  ]).then(([ds, prov]) => {
    if (!alive) return;
    const N = ds.names;
    host.replaceChildren();
    const picked = compareIds(ds).map((id) => ds.byName.get(id));
    const back = el("a", "", "back to the leaderboard");
    back.href = siteURL("") + (picked.length ? "?compare=" + encodeURIComponent(picked.map((r) => ds.get(r, N.id)).join(",")) : "");
    if (picked.length < PICK_MIN) {
      const p = el("p", "lb-missing", "Pick " + PICK_MIN + " to " + PICK_MAX + " rows to compare: tick their boxes in the table, then press “Compare”. ");
      p.append(back);
      host.append(p);
      host.dataset.ready = "1";
      return;
    }
    host.append(intro(ds, picked));
    chart = barChart(host, ds, picked);
    section(host, "Scores");
    host.append(el("p", "lb-note", "Normalized scores ± one standard error. Differences are against " +
      ds.get(picked[0], N.model) + "; “within noise” means the two 95% intervals overlap (the About page explains the method)."));
    host.append(scrollBox(compareScores(ds, picked), "Scores"));
    section(host, "Provenance");
    host.append(scrollBox(compareProvenance(ds, picked, prov), "Provenance"));
    const p2 = el("p");
    p2.append(back);
    host.append(p2);
    host.dataset.ready = "1";
  }).catch((err) => { host.textContent = "Could not load the comparison: " + err.message; throw err; });
  return () => { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
}
