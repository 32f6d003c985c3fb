/* How values read: by the column's kind and group (core/models/table.py's TableColumn). */

/* Sizes come in exact parameter counts divided by 1e9; a tiny model reads in millions. */
export function fmtParams(b) {
  if (b === null || b === undefined) return "";
  if (b >= 0.01) return b.toFixed(2);
  const m = b * 1000;
  return (m >= 1 ? m.toFixed(1) : m.toPrecision(2)) + " M";
}

/* "1.50 B (1,500,000,000)"; an adapter shows its base model's size. */
export function paramsText(b, isAdapter) {
  if (b === null || b === undefined) return null;
  const count = Math.round(b * 1e9).toLocaleString("en");
  const text = fmtParams(b) + (b >= 0.01 ? " B" : "") + " (" + count + ")";
  return isAdapter ? text + ", its base model's size" : text;
}

/* A float or a whole number (kind "integer": likes, ranks, generations). */
export function isNumber(col) {
  return col.kind === "number" || col.kind === "integer";
}

/* A formatter for the dataset's columns: a number with the decimals its column gives
   (scores, raw metrics, the CO₂ estimate), the same on every page; the parameter count reads
   in its own way. */
export function formatter(ds) {
  const N = ds.names;
  return function fmt(col, v) {
    if (v === null || v === undefined) return "";
    if (isNumber(col)) {
      if (col.name === N.params) return fmtParams(v);
      if (typeof col.digits === "number") return v.toFixed(col.digits);
      return String(v);
    }
    if (col.kind === "boolean") return v ? "✓" : "";
    if (col.kind === "date") return String(v).slice(0, 10);
    return String(v);
  };
}

/* "12.34 ± 0.56": the ± is one standard error; none where lm-eval gave none ("N/A"). */
export function withSE(fmt, col, v, se) {
  const text = fmt(col, v);
  if (!text || typeof se !== "number" || !isFinite(se)) return text;
  return text + " ± " + (col.group === "raw" ? se.toFixed(4) : se.toFixed(2));
}
