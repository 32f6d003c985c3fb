/* A windowed table: only the rows in view (plus a margin) are in the DOM, so 50,000 rows scroll
 * and filter as fast as 50. Hand-written rather than a library because the measured libraries
 * (AG Grid 36: 112 ms / 153 ms per keystroke at 10k / 50k rows, first render 1.9 s at 10k;
 * Tabulator 6.5: 216 / 318 ms) miss this site's goals (< 100 ms, < 150 ms, < 1.5 s), and what the
 * site needs of a grid (fixed-height rows, sticky header, pinned first columns, sortable headers)
 * is small.
 * Cells are filled through the caller's render functions, which must use textContent and
 * createElement only: no data ever goes through innerHTML. */
import { el } from "./dom.js";

function spacer(height, span) {
  const tr = el("tr", "lb-grid__spacer");
  tr.setAttribute("aria-hidden", "true");
  const td = el("td");
  td.colSpan = Math.max(1, span);
  td.style.height = height + "px";
  tr.append(td);
  return tr;
}

/* columns: [{key, label, title, width, className, volatile, sortable, pinned, cellClass(rowIndex),
 * render(rowIndex, td)}]; a volatile column (the rank) is redrawn on every refresh, the others
 * only when a row changes; pinned columns (the first ones) stay in view when the table scrolls
 * sideways; cellClass adds a class to a cell (a score's colour), next to the column's own.
 * options: {label, rowHeight, onSort(key), rowClass(rowIndex), fitRows, onSideways(more)}; with
 * fitRows the
 * table is as tall as its rows, up to the stylesheet's max-height, instead of a fixed box
 * that stays mostly empty when a filter leaves a few rows. */
export class Grid {
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.rowHeight = options.rowHeight || 34;
    this.rows = [];
    this.columns = [];
    this.sortKey = null;
    this.sortDir = -1;
    this.scroller = el("div", "lb-grid");
    this.scroller.setAttribute("role", "region");
    this.scroller.setAttribute("aria-label", options.label || "table");
    this.scroller.tabIndex = 0;
    this.table = el("table", "lb-grid__table");
    this.colgroup = el("colgroup");
    this.thead = el("thead");
    this.tbody = el("tbody");
    this.table.append(this.colgroup, this.thead, this.tbody);
    this.scroller.append(this.table);
    container.append(this.scroller);
    this._frame = 0;
    this._first = -1;
    this._last = -1;
    this._sideLeft = 0;
    this._onScroll = () => {
      this._top = this.scroller.scrollTop;
      const left = this.scroller.scrollLeft;
      const sideways = left !== this._sideLeft;
      this._sideLeft = left;
      if (sideways) this._sideways();
      if (this._frame) return;
      this._frame = requestAnimationFrame(() => { this._frame = 0; this.renderRows(false); });
    };
    this.scroller.addEventListener("scroll", this._onScroll, { passive: true });
    // The viewport's height, kept up to date without reading layout on every redraw (a read
    // after the count's text changed would force a synchronous layout on each keystroke).
    this._view = 0;
    this._top = 0;
    this._resize = new ResizeObserver((entries) => {
      this._view = entries[0].contentRect.height;
      this.renderRows(false);
      this._sideways();
    });
    this._resize.observe(this.scroller);
  }

  setColumns(columns, sortKey, sortDir) {
    // The header is drawn again (a new sort arrow, new columns): a keyboard user who sorted
    // with Enter stays on the header they pressed, not on <body>.
    const active = document.activeElement;
    const focused = active && this.thead.contains(active) ? active.dataset.key : null;
    this.columns = columns;
    this.sortKey = sortKey;
    this.sortDir = sortDir;
    this.colgroup.replaceChildren();
    const tr = el("tr");
    let total = 0;
    const lastPinned = columns.reduce((k, c, i) => (c.pinned ? i : k), -1);
    columns.forEach((c, i) => {
      // A pinned cell's class and offset, shared by the header and every row (renderRows).
      c._cls = (c.className || "") + (c.pinned ? " lb-pin" + (i === lastPinned ? " lb-pin--last" : "") : "");
      c._left = c.pinned ? total : null;
      total += c.width;
    });
    total = 0;
    for (const c of columns) {
      const col = el("col");
      col.style.width = c.width + "px";
      total += c.width;
      this.colgroup.append(col);
      const th = el("th", c._cls);
      if (c._left !== null) th.style.left = c._left + "px";
      th.scope = "col";
      if (c.title) th.title = c.title;
      th.append(el("span", "lb-grid__label", c.label));
      if (c.sortable !== false) {
        th.classList.add("lb-grid__sortable");
        th.tabIndex = 0;
        th.dataset.key = c.key;
        const sorted = c.key === sortKey;
        th.setAttribute("aria-sort", sorted ? (sortDir < 0 ? "descending" : "ascending") : "none");
        if (sorted) th.append(el("span", "lb-grid__arrow", sortDir < 0 ? " ▼" : " ▲"));
        const go = () => this.options.onSort(c.key);
        th.addEventListener("click", go);
        th.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); }
        });
      }
      tr.append(th);
    }
    this.table.style.width = total + "px";
    this.thead.replaceChildren(tr);
    if (focused) {
      for (const th of tr.children) if (th.dataset.key === focused) th.focus({ preventScroll: true });
    }
    // Measured once per set of columns, not per redraw (see _view above).
    this._headHeight = this.thead.offsetHeight || this.rowHeight;
    this._barHeight = Math.max(0, this.scroller.offsetHeight - this.scroller.clientHeight);
    this._topSpacer = null; // new columns: new rows
    this.renderRows(true);
    this._sideways();
  }

  /* Whether more columns lie to the right (the box then says so: on a phone most of the table
     is there) and whether the table has scrolled sideways (the pinned columns cast a shadow). */
  _sideways() {
    const s = this.scroller;
    const more = s.scrollWidth - s.clientWidth - s.scrollLeft > 2;
    this.container.classList.toggle("lb-grid-host--more", more);
    this.container.classList.toggle("lb-grid-host--scrolled", s.scrollLeft > 0);
    if (this.options.onSideways && more !== this._more) this.options.onSideways(more);
    this._more = more;
  }

  setRows(rows, keepScroll) {
    this.rows = rows;
    if (this.options.fitRows) {
      // The scrollbar's height too, so that the last row is never hidden under it.
      const fit = this._headHeight + rows.length * this.rowHeight + this._barHeight + 2;
      this.scroller.style.height = fit + "px";
    }
    if (!keepScroll && this._top !== 0) {
      this.scroller.scrollTop = 0;
      this._top = 0;
    }
    this.renderRows(true);
  }

  /* Rows are recycled: the same <tr>/<td> elements are refilled as the view scrolls or the
   * filter changes. Creating fresh rows cost ~30 ms of style and layout per redraw inside a
   * Material page; refilling cells costs a few. Render functions must therefore set a cell's
   * whole content (textContent, or replaceChildren first). */
  renderRows(force) {
    const h = this.rowHeight;
    const view = this._view || 600;
    const n = this.rows.length;
    const first = Math.max(0, Math.floor(this._top / h) - 4);
    const last = Math.min(n, first + Math.ceil(view / h) + 8);
    if (!force && first === this._first && last === this._last) return;
    this._first = first;
    this._last = last;
    const cols = this.columns;
    if (!this._topSpacer) {
      this._topSpacer = spacer(0, cols.length);
      this._bottomSpacer = spacer(0, cols.length);
      this.tbody.replaceChildren(this._topSpacer, this._bottomSpacer);
      this._pool = [];
      this._attached = 0;
    }
    const count = last - first;
    while (this._pool.length < count) {
      const tr = el("tr");
      tr.style.height = h + "px";
      for (const c of cols) {
        const td = el("td", c._cls);
        if (c._left !== null) td.style.left = c._left + "px";
        tr.append(td);
      }
      this._pool.push(tr);
    }
    for (let i = this._attached; i < count; i++) this.tbody.insertBefore(this._pool[i], this._bottomSpacer);
    for (let i = count; i < this._attached; i++) this._pool[i].remove();
    this._attached = count;
    this._topSpacer.firstChild.style.height = first * h + "px";
    this._bottomSpacer.firstChild.style.height = (n - last) * h + "px";
    for (let i = 0; i < count; i++) {
      const r = this.rows[first + i];
      const row = this._pool[i];
      const extra = this.options.rowClass ? this.options.rowClass(r) : "";
      if (row.className !== extra) row.className = extra;
      const cells = row.children;
      // A row's data never changes, so a <tr> already showing row r only refills the columns
      // that depend on the view (the rank).
      const same = row._r === r;
      row._r = r;
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j];
        if (same && !c.volatile) continue;
        c.render(r, cells[j], first + i);
        if (c.cellClass) {
          const cls = c._cls + c.cellClass(r);
          if (cells[j].className !== cls) cells[j].className = cls;
        }
      }
    }
  }

  destroy() {
    this._resize.disconnect();
    this.scroller.removeEventListener("scroll", this._onScroll);
    if (this._frame) cancelAnimationFrame(this._frame);
    this.scroller.remove();
  }
}
