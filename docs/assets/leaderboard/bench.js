/* The Performance page: each figure measured at several sizes is a curve, one chart per unit,
 * both axes logarithmic, so that linear growth reads as a straight line. The figures come in
 * the element's data-figures attribute (site/templates/parts.md.j2): not in an inline script,
 * which Material's instant navigation would run again as code, without its id. */
import { chartLib, chartTheme } from "./charts.js";

const PALETTE = ["#3f51b5", "#e91e63", "#009688", "#ff9800", "#9c27b0", "#795548", "#607d8b"];

export function mountBench(host) {
  const charts = [];
  const figures = JSON.parse(host.dataset.figures);
  const series = new Map();
  for (const f of figures) {
    if (f.size === null || f.size === undefined || !(f.value > 0)) continue;
    const key = f.unit + "\u0000" + f.area + ": " + f.name;
    if (!series.has(key)) series.set(key, []);
    series.get(key).push({ x: f.size, y: f.value });
  }
  const byUnit = new Map();
  for (const key of [...series.keys()].sort()) {
    const points = series.get(key);
    if (points.length < 2) continue;
    const [unit, label] = key.split("\u0000");
    if (!byUnit.has(unit)) byUnit.set(unit, []);
    byUnit.get(unit).push({ label, data: points.sort((a, b) => a.x - b.x), showLine: true, pointRadius: 3 });
  }
  chartTheme();
  const Chart = chartLib();
  for (const [unit, datasets] of byUnit) {
    datasets.forEach((d, i) => { d.borderColor = d.backgroundColor = PALETTE[i % PALETTE.length]; });
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Scaling curves in " + unit);
    host.append(canvas);
    charts.push(new Chart(canvas, {
      type: "scatter",
      data: { datasets },
      options: {
        responsive: true, aspectRatio: 2.2, parsing: false,
        scales: {
          x: { type: "logarithmic", title: { display: true, text: "size (models or requests), log scale" } },
          y: { type: "logarithmic", title: { display: true, text: unit + ", log scale" } },
        },
      },
    }));
  }
  host.dataset.charts = String(charts.length);
  host.dataset.ready = "1";
  return () => { for (const c of charts) c.destroy(); delete host.dataset.ready; };
}
