/* Chart.js, vendored (docs/assets/vendor/) and loaded as a classic script, so it is window.Chart
 * by the time any module runs: module scripts are deferred until the page is parsed. */
import { el } from "./dom.js";
import { own } from "./data.js";

/* One colour per model type, in the order of meta.types (core/models/request.py's ModelType:
   pretrained, continuously pretrained, fine-tuned, chat, merge, multimodal). */
const TYPE_PALETTE = ["#2e7d32", "#66bb6a", "#ef6c00", "#1e88e5", "#8e24aa", "#d81b60"];
const UNKNOWN_TYPE = "#757575";

export function chartLib() {
  return window.Chart;
}

export function typeColor(meta, type) {
  if (own(meta.types, type) === undefined) return UNKNOWN_TYPE;
  return TYPE_PALETTE[Object.keys(meta.types).indexOf(type)] || UNKNOWN_TYPE;
}

/* The chart colours of the current theme (light or dark palette). */
export function chartTheme() {
  const css = getComputedStyle(document.body);
  const defaults = chartLib().defaults;
  defaults.color = css.getPropertyValue("--md-default-fg-color--light").trim() || "#666";
  defaults.borderColor = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
  defaults.animation = false;
}

/* A bar chart's canvas in its sized box, announced as an image with a label (its numbers are
   in a table beside it), with the chart colours of the current theme. */
export function barCanvas(host, label) {
  const box = el("div", "lb-bars");
  const canvas = el("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  box.append(canvas);
  host.append(box);
  chartTheme();
  return canvas;
}

/* The powers of ten around [lo, hi], so that the log axis fits the data, however small. */
export function logRange(lo, hi) {
  const min = Math.pow(10, Math.floor(Math.log10(lo)));
  const max = Math.pow(10, Math.ceil(Math.log10(hi)));
  return max > min ? [min, max] : [min / 10, max * 10];
}

/* 95% intervals: a score ± 1.96 standard errors (suites/uncertainty.py's Z95). */
export const Z95 = 1.959963984540054;

/* A Chart.js plugin that draws error bars on a bar chart: each dataset's ``errors`` holds the
   half-width of each bar's interval (null for none). Chart.js has no error bars of its own, and
   a plugin from a CDN is out of the question (the site loads nothing from elsewhere). */
export const errorBars = {
  id: "lbErrorBars",
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    const across = chart.options.indexAxis === "y";
    const scale = across ? chart.scales.x : chart.scales.y;
    ctx.save();
    ctx.strokeStyle = chartLib().defaults.color;
    ctx.lineWidth = 1.5;
    chart.data.datasets.forEach((d, di) => {
      if (!d.errors || !chart.isDatasetVisible(di)) return;
      chart.getDatasetMeta(di).data.forEach((bar, k) => {
        const v = d.data[k], e = d.errors[k];
        if (typeof v !== "number" || typeof e !== "number" || !isFinite(e)) return;
        const lo = scale.getPixelForValue(Math.max(scale.min, v - e));
        const hi = scale.getPixelForValue(Math.min(scale.max, v + e));
        const at = across ? bar.y : bar.x;
        const cap = Math.max(2, Math.min(6, (across ? bar.height : bar.width) / 4));
        ctx.beginPath();
        for (const [a, b, c, f] of [[lo, at, hi, at], [lo, at - cap, lo, at + cap], [hi, at - cap, hi, at + cap]]) {
          if (across) { ctx.moveTo(a, b); ctx.lineTo(c, f); } else { ctx.moveTo(b, a); ctx.lineTo(f, c); }
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};
