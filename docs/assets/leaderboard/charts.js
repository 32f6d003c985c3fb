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
