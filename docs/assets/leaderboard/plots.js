/* The Plots page: average score against parameter count, one colour per model type. */
import { el, narrow } from "./dom.js";
import { loadDataset, modelHref, own, siteURL } from "./data.js";
import { fmtParams } from "./format.js";
import { chartLib, chartTheme, logRange, typeColor } from "./charts.js";

export function mountPlot(host) {
  let chart = null, alive = true;
  loadDataset(siteURL(host.dataset.src)).then((ds) => {
    if (!alive) return;
    const N = ds.names, ci = ds.ci;
    chartTheme();
    const sets = Object.create(null);
    let lo = Infinity, hi = 0;
    ds.rows.forEach((row, r) => {
      const p = row[ci[N.params]], avg = row[ci[N.average]];
      if (row[ci[N.flagged]] || p === null || avg === null || !(p > 0)) return;
      const t = row[ci[N.type]];
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
      (sets[t] = sets[t] || []).push({ x: p, y: avg, r });
    });
    const datasets = Object.keys(sets).sort().map((t) => ({
      label: (own(ds.meta.types, t) || "❓") + " " + t, data: sets[t], pointRadius: 4,
      backgroundColor: typeColor(ds.meta, t), borderColor: typeColor(ds.meta, t),
    }));
    const points = datasets.reduce((a, d) => a + d.data.length, 0);
    host.dataset.points = points;
    const canvas = host.querySelector("canvas");
    if (!points) {
      if (canvas) canvas.hidden = true;
      host.append(el("p", "lb-empty", "Nothing to plot yet: no unflagged model has both a parameter count " +
        "and a score. Points appear as evaluations finish."));
      host.dataset.ready = "1";
      return;
    }
    const range = logRange(lo, hi);
    const Chart = chartLib();
    chart = new Chart(canvas, {
      type: "scatter",
      data: { datasets },
      options: {
        responsive: true, aspectRatio: narrow() ? 1 : 1.8, parsing: false, normalized: true,
        scales: {
          x: { type: "logarithmic", min: range[0], max: range[1],
               title: { display: true, text: "Parameters (log scale)" },
               // Powers of ten only, all in one unit: millions when the largest is small.
               ticks: { callback(v) {
                 const e = Math.log10(v);
                 if (Math.abs(e - Math.round(e)) > 1e-9) return "";
                 return range[1] <= 0.01 ? Number((v * 1e3).toPrecision(3)) + " M" : Number(v.toPrecision(3)) + " B";
               } } },
          y: { title: { display: true, text: "Average score" }, min: 0, suggestedMax: 100 },
        },
        plugins: {
          legend: { display: true, position: "top" },
          tooltip: { callbacks: { label(ctx) {
            const r = ctx.raw.r;
            const size = fmtParams(ctx.raw.x);
            return ds.get(r, N.model) + " (" + ds.get(r, N.precision) + "): " + ctx.raw.y.toFixed(2) +
              " at " + size + (/M$/.test(size) ? "" : " B");
          } } },
        },
        onClick(ev, items) {
          if (items.length) {
            const pt = datasets[items[0].datasetIndex].data[items[0].index];
            location.href = modelHref(ds.get(pt.r, N.id));
          }
        },
      },
    });
    host.dataset.ready = "1";
  });
  return () => { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
}
