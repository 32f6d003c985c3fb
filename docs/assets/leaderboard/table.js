/* The leaderboard table: the controls (table-controls.js) over a windowed grid (grid.js), the
 * rank among the rows shown, the rows picked for the comparison page, and the address that
 * follows the view (table-state.js). Scores are coloured by their place in their column
 * (rows-info.js), and a model with several rows shows each row's commit, the latest marked. */
import { exportCSV } from "./csv.js";
import { el, extLink, isHttp, narrow } from "./dom.js";
import { loadDataset, modelHref, siteURL } from "./data.js";
import { formatter, isNumber, withSE } from "./format.js";
import { Grid } from "./grid.js";
import { matchesLower, parse } from "./search.js";
import { buildControls } from "./table-controls.js";
import { PICK_MAX, PICK_MIN, readState, sortOrder, writeState } from "./table-state.js";
import { heatScale, modelRows } from "./rows-info.js";

export function mountTable(host) {
  let alive = true;
  let grid = null, skip = null;
  const loading = el("p", "lb-loading", "Loading the leaderboard…");
  host.append(loading);
  loadDataset(siteURL(host.dataset.src)).then((ds) => {
    if (!alive) return;
    loading.remove();
    grid = buildTable(host, ds);
    skip = skipLink(grid);
    host.dataset.ready = "1";
    performance.mark("lb-table-ready");
  }).catch((err) => {
    loading.textContent = "Could not load the table: " + err.message;
    throw err;
  });
  return () => {
    alive = false;
    if (grid) grid.destroy();
    if (skip) skip.remove();
    host.replaceChildren();
    delete host.dataset.ready;
  };
}

/* "Skip to the leaderboard table": the first stop of the Tab key on this page, before
   Material's "Skip to content". It lands on the first column header, inside the table's box: one
   more Tab reaches the next header, Enter sorts, the arrow keys scroll the box. */
function skipLink(grid) {
  const where = document.querySelector("[data-md-component=skip]");
  if (!where) return null;
  const a = el("a", "md-skip lb-skip", "Skip to the leaderboard table");
  a.href = "#" + grid.scroller.id;
  a.addEventListener("click", (ev) => {
    // Not a navigation: Material's instant loading would otherwise take the same-page link,
    // draw the page again, and leave the focus on nothing.
    ev.preventDefault();
    ev.stopPropagation();
    grid.scroller.scrollIntoView({ block: "start" });
    const head = grid.scroller.querySelector("th[tabindex]") || grid.scroller;
    head.focus({ preventScroll: true });
  });
  where.prepend(a);
  return a;
}

function buildTable(host, ds) {
  const N = ds.names;
  const ci = ds.ci;
  const rows = ds.rows;
  const n = rows.length;
  const fmt = formatter(ds);
  // The filtered columns' positions, looked up once: passes() runs for every row on every
  // keystroke.
  const iFlagged = ci[N.flagged], iMerged = ci[N.merged], iMoe = ci[N.moe], iAvailable = ci[N.available];
  const iHighlight = ci[N.highlight], iChat = ci[N.chat], iType = ci[N.type], iPrecision = ci[N.precision];
  const iWeightType = ci[N.weight_type], iSizeClass = ci[N.size_class];
  const benchmarks = ds.meta.benchmarks;
  const state = readState(ds, new URLSearchParams(location.search));
  const tablePath = location.pathname;
  let urlTimer = 0;
  let order = sortOrder(ds, state.sort, state.dir);
  const byAverage = state.sort === N.average && state.dir < 0 ? order : sortOrder(ds, N.average, -1);
  const rank = new Int32Array(n);
  let filtered = [];

  const { controls, count, compare, exportBtn, sync } = buildControls(ds, state, update);
  host.append(controls);
  const models = modelRows(ds);
  const heat = heatScale(ds);
  const gridHost = el("div", "lb-grid-host");
  // Said beside the count when columns lie to the right, out of view (on a phone, most do).
  const more = el("span", "lb-more", "⇆ more columns");
  more.title = "The table scrolls sideways: more columns lie to the right";
  more.hidden = true;
  count.before(more);
  const empty = el("p", "lb-empty");
  empty.setAttribute("role", "status");
  empty.hidden = true;
  host.append(gridHost, empty);
  const grid = new Grid(gridHost, {
    label: "Leaderboard",
    rowHeight: 34,
    fitRows: true,
    onSort(key) {
      if (state.sort === key) state.dir = -state.dir;
      else { state.sort = key; state.dir = ds.column(key).kind === "text" ? 1 : -1; }
      order = sortOrder(ds, state.sort, state.dir);
      update(true);
    },
    rowClass: (r) => (rows[r][iFlagged] ? "lb-flagged" : ""),
    onSideways(further) { more.hidden = !further; },
  });
  grid.scroller.id = "lb-grid";

  function gridColumns() {
    // On a phone, rank, model and average fit the first screen; the rest scrolls sideways.
    const small = narrow();
    const out = [
      { key: "#", label: "#", width: small ? 62 : 80, sortable: false, className: "lb-num", volatile: true, pinned: true,
        title: "Rank by average among the rows shown; flagged rows are not ranked. Tick 2 to 5 rows to compare them",
        render: renderRank },
      { key: N.emoji, label: N.emoji, width: small ? 36 : 40, title: ds.column(N.emoji).description, className: "lb-type",
        pinned: true, render(r, td) { td.textContent = rows[r][ci[N.emoji]]; td.title = rows[r][ci[N.type]]; } },
      { key: N.model, label: N.model, width: small ? 150 : 340, title: ds.column(N.model).description,
        pinned: true, className: "lb-model", render: renderModel },
    ];
    for (const name of state.cols) {
      if (name === N.emoji || name === N.model || !ds.has(name)) continue;
      const shown = state.raw && benchmarks.includes(name) ? ds.rawName(name) : name;
      const col = ds.column(shown);
      const i = ci[shown];
      const se = state.se ? ci[ds.seName(shown)] : undefined;
      const width = col.kind === "text" ? (name === N.sha ? 330 : 150)
        : small ? Math.max(80, shown.length * 8 + 24) : Math.max(90, shown.length * 9 + 24);
      out.push({
        key: shown, label: shown, title: col.description,
        width: se === undefined ? width : Math.max(width, 130),
        className: isNumber(col) ? "lb-num" : "",
        cellClass: heat.has(shown) ? (r) => heat.cellClass(shown, rows[r][i]) : undefined,
        render: se === undefined ? (r, td) => { td.textContent = fmt(col, rows[r][i]); }
          : (r, td) => { td.textContent = withSE(fmt, col, rows[r][i], rows[r][se]); },
      });
    }
    return out;
  }

  /* The rank, after the box that picks the row for the comparison page. Both are redrawn on
     every refresh: the rank follows the filter, the box the selection. */
  function renderRank(r, td) {
    let box = td.firstChild, num = td.lastChild;
    if (!box || box.nodeName !== "INPUT") {
      box = el("input", "lb-pick");
      box.type = "checkbox";
      num = el("span", "lb-rank");
      td.replaceChildren(box, num);
    }
    const row = rows[r];
    const id = row[ci[N.id]];
    const on = state.pick.includes(id);
    box.value = id;
    box.checked = on;
    box.disabled = !on && state.pick.length >= PICK_MAX;
    box.setAttribute("aria-label", "Compare " + row[ci[N.model]] + " (" + row[ci[N.precision]] +
      ", " + String(row[ci[N.sha]]).slice(0, 7) + ")");
    num.textContent = rank[r] || "—";
  }

  function renderModel(r, td) {
    const row = rows[r];
    td.replaceChildren();
    const a = el("a", "lb-model-link", row[ci[N.model]]);
    a.href = modelHref(row[ci[N.id]]);
    td.append(a);
    if (row[ci[N.flagged]]) {
      const why = "flagged: " + (row[ci[N.flag_category]] || "");
      const discussion = row[ci[N.flag_discussion]];
      // One look for every flag, linked to its discussion or not (automatic flags have none).
      const flag = isHttp(discussion) ? extLink(discussion, "⚑") : el("span", "", "⚑");
      flag.title = why;
      flag.setAttribute("aria-label", why);
      flag.classList.add("lb-flag");
      td.append(document.createTextNode(" "), flag);
    }
    td.title = row[ci[N.model]];
    // Two commits in the same precision would otherwise read as the same line.
    if (models.multi[r]) {
      const sha = String(row[ci[N.sha]]);
      const info = el("span", "lb-rowinfo");
      const code = el("code", "lb-sha", sha.slice(0, 7));
      code.title = "commit " + sha;
      info.append(code);
      if (models.latest[r]) {
        const mark = el("span", "lb-latest", "latest");
        mark.title = "The most recently submitted commit of this model";
        info.append(" ", mark);
      }
      td.append(info);
      td.title += " @ " + sha.slice(0, 12) + (models.latest[r] ? " (latest)" : "");
    }
  }

  function showCompare() {
    const k = state.pick.length;
    const ready = k >= PICK_MIN;
    compare.textContent = ready ? "Compare " + k + " models"
      : "Compare: tick " + PICK_MIN + "–" + PICK_MAX + " rows" + (k ? " (" + k + " ticked)" : "");
    if (ready) {
      compare.href = siteURL("compare/?ids=" + encodeURIComponent(state.pick.join(",")));
      compare.removeAttribute("aria-disabled");
    } else {
      compare.removeAttribute("href");
      compare.setAttribute("aria-disabled", "true");
    }
  }

  /* The address follows the view, a moment later: replaceState on every keystroke is
     measurably slow, and only the settled view needs to be in a link. The write is skipped
     once the table is gone: after instant navigation to a model page, a late write would
     replace that page's address with the table's state. */
  function writeLater() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      if (host.isConnected && location.pathname === tablePath) writeState(ds, state);
    }, 150);
  }

  gridHost.addEventListener("change", (ev) => {
    const box = ev.target;
    if (!box.classList || !box.classList.contains("lb-pick")) return;
    const rest = state.pick.filter((id) => id !== box.value);
    if (box.checked && rest.length < PICK_MAX) rest.push(box.value);
    state.pick = rest;
    showCompare();
    grid.renderRows(true);
    writeLater();
  });

  function passes(r, q) {
    const row = rows[r];
    if (!state.flagged && row[iFlagged]) return false;
    if (!state.merged && row[iMerged]) return false;
    if (!state.moe && row[iMoe]) return false;
    if (!state.gone && !row[iAvailable]) return false;
    if (state.choice && !row[iHighlight]) return false;
    if (state.chat !== "any" && row[iChat] !== (state.chat === "yes")) return false;
    if (state.type && !state.type.includes(row[iType])) return false;
    if (state.prec && !state.prec.includes(row[iPrecision])) return false;
    if (state.wt && !state.wt.includes(row[iWeightType])) return false;
    if (state.size && !state.size.includes(row[iSizeClass] || "")) return false;
    return q.empty || matchesLower(q, ds.lowerNames[r], ds.licenses[r]);
  }

  function update(columnsChanged) {
    const q = parse(state.q);
    const keep = new Uint8Array(n);
    for (let k = 0; k < n; k++) keep[k] = passes(k, q) ? 1 : 0;
    // Flagged rows are shown when asked for, but never ranked: their model page says so too.
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const r = byAverage[k];
      if (keep[r]) rank[r] = rows[r][iFlagged] ? 0 : ++pos;
    }
    filtered = [];
    for (let k = 0; k < n; k++) if (keep[order[k]]) filtered.push(order[k]);
    count.textContent = filtered.length.toLocaleString("en") + " of " + n.toLocaleString("en") + " rows";
    count.dataset.count = filtered.length;
    if (columnsChanged) grid.setColumns(gridColumns(), state.sort, state.dir);
    grid.setRows(filtered, false);
    showEmpty(q);
    writeLater();
  }

  /* An empty table says why, and what would bring rows back. */
  function showEmpty(q) {
    empty.hidden = filtered.length > 0;
    if (!empty.hidden) empty.replaceChildren(...emptyReason(q));
  }

  function emptyReason(q) {
    if (!n) return ["No model has been evaluated yet. The queue page shows what is waiting."];
    const out = [];
    if (state.choice && !rows.some((row) => row[ci[N.highlight]])) {
      out.push("No model is a maintainer's choice yet. ");
    } else {
      out.push(q.empty ? "No rows pass these filters. " : "No rows match “" + state.q + "” with these filters. ");
    }
    let flaggedOnly = 0;
    if (!state.flagged) {
      state.flagged = true;
      for (let k = 0; k < n; k++) if (rows[k][iFlagged] && passes(k, q)) flaggedOnly++;
      state.flagged = false;
    }
    if (flaggedOnly) {
      const show = el("button", "lb-linkbutton", "show flagged rows");
      show.type = "button";
      show.addEventListener("click", () => {
        state.flagged = true;
        host.querySelector("input[name=flagged]").checked = true;
        sync();
        update(false);
      });
      out.push(flaggedOnly + " flagged " + (flaggedOnly === 1 ? "row matches" : "rows match") +
        ", hidden by default: ", show, ". ");
    }
    const reset = el("a", "", "Reset the view");
    reset.href = location.pathname;
    out.push(reset, " to see every row.");
    return out;
  }

  showCompare();
  exportBtn.addEventListener("click", () => exportCSV(ds, gridColumns().slice(1), filtered, rank));
  update(true);
  return grid;
}
