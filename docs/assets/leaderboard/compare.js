/* The comparison page (compare/?ids=a,b,…): 2 to 5 rows side by side, a bar chart with each
 * score's 95% interval, each benchmark's difference from the first model and whether it is
 * within noise, and their provenance. Flagged rows say so wherever their name is. */
import { el, narrow, repoLink, scrollBox, section } from "./dom.js";
import { fetchJSON, loadDataset, modelHref, own, siteURL } from "./data.js";
import { formatter, withSE } from "./format.js";
import { barCanvas, chartLib, errorBars, Z95 } from "./charts.js";
import { PICK_MAX, PICK_MIN } from "./table-state.js";

const PALETTE = ["#3f51b5", "#e65100", "#00897b", "#c2185b", "#6d4c41"];

/* Within noise: the two 95% intervals overlap (suites/uncertainty.py within_noise). */
function noiseText(a, seA, b, seB) {
  if (a === null || b === null) return "—";
  if (typeof seA !== "number" || typeof seB !== "number") return "unknown (no standard error)";
  return Math.abs(a - b) <= Z95 * (seA + seB) ? "within noise" : "apart";
}

/* A model's name as a table header: it may wrap after its "/" (a long name would otherwise
   widen its column past the page), with a flag mark when the row is flagged. */
function nameCell(ds, r, prefix) {
  const N = ds.names;
  const [org, ...rest] = String(ds.get(r, N.model)).split("/");
  const cell = el("span", "", (prefix || "") + org + (rest.length ? "/" : ""));
  if (rest.length) cell.append(el("wbr"), rest.join("/"));
  if (ds.get(r, N.flagged)) cell.append(" ", flagMark(ds, r));
  return cell;
}

function flagMark(ds, r) {
  const why = "flagged: " + (ds.get(r, ds.names.flag_category) || "") + " (not ranked)";
  const mark = el("span", "lb-flag", "⚑");
  mark.title = why;
  mark.setAttribute("aria-label", why);
  return mark;
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
      td.append(el("span", "lb-nowrap", diff), " (" + noise + ")");
      td.dataset.noise = noise;
      tr.append(td);
    }
    tb.append(tr);
  }
  const tr = el("tr");
  tr.append(headCell("Benchmark"));
  for (const r of picked) tr.append(headCell(nameCell(ds, r)));
  // "Δ b": b − the first model, which the note above the table names.
  for (const [k, r] of picked.slice(1).entries()) {
    const th = headCell(nameCell(ds, r, "Δ "));
    th.title = names[k + 1] + " − " + names[0];
    th.classList.add("lb-diff");
    tr.append(th);
  }
  const thead = el("thead");
  thead.append(tr);
  t.append(thead, tb);
  return t;
}

function headCell(content) {
  const th = el("th");
  th.scope = "col";
  th.append(content);
  return th;
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
  const tr = el("tr");
  tr.append(headCell("Field"));
  for (const r of picked) tr.append(headCell(nameCell(ds, r)));
  const thead = el("thead");
  thead.append(tr);
  t.append(thead, tb);
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
    p.append(swatch, a, document.createTextNode(" (" + ds.get(r, N.precision) + ")"));
    if (ds.get(r, N.flagged)) p.append(" ", flagMark(ds, r), el("span", "lb-flag-note", " flagged: " + (ds.get(r, N.flag_category) || "")));
    if (k < picked.length - 1) p.append(" · ");
  });
  return p;
}

function barChart(host, ds, picked) {
  const N = ds.names;
  const canvas = barCanvas(host, "Normalized scores of the compared models, per benchmark, with 95% intervals as error bars; the table below has every value");
  const columns = ds.meta.benchmarks.concat([N.average]);
  const Chart = chartLib();
  return new Chart(canvas, {
    type: "bar",
    data: { labels: ds.meta.benchmarks.concat(["Average"]),
            datasets: picked.map((r, k) => ({
              label: ds.get(r, N.model) + " (" + ds.get(r, N.precision) + ")" + (ds.get(r, N.flagged) ? " ⚑ flagged" : ""),
              backgroundColor: PALETTE[k],
              data: columns.map((b) => ds.get(r, b)),
              errors: columns.map((b) => {
                const se = ds.get(r, ds.seName(b));
                return typeof se === "number" ? Z95 * se : null;
              }),
            })) },
    options: { responsive: true, aspectRatio: narrow() ? 1 : 2.4, scales: { y: { min: 0, max: 100 } },
               plugins: { legend: { display: true, position: "top" } } },
    plugins: [errorBars],
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
    host.append(el("p", "lb-note", "Normalized scores ± one standard error (the chart's error bars are 95% intervals, ± 1.96 standard errors). Each Δ column is a model's difference from " +
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
