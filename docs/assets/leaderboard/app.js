/* Mounts the site's interactive parts (leaderboard table, model page, plot) on every page view.
 * Material's instant navigation swaps pages without reloading scripts, so everything is mounted
 * from Material's document$ and the previous page's instances are destroyed first.
 * Security: data from requests, cards and curation files only ever reaches the DOM through
 * textContent and attribute setters; links are made only from http(s) URLs. Every lookup keyed
 * by data or by the address (a model id, a column name, a type) goes through a Map, an object
 * without a prototype, or own(): "?id=__proto__" must find nothing, not Object.prototype. */
(function () {
  "use strict";
  var el = window.LBel;
  var cache = Object.create(null);
  var mounted = [];

  function own(obj, key) {
    return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  /* Sizes come in exact parameter counts divided by 1e9; a tiny model reads in millions. */
  function fmtParams(b) {
    if (b === null || b === undefined) return "";
    if (b >= 0.01) return b.toFixed(2);
    var m = b * 1000;
    return (m >= 1 ? m.toFixed(1) : m.toPrecision(2)) + " M";
  }

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function scope() {
    return window.__md_scope || new URL(".", location.href);
  }

  function siteURL(path) {
    return new URL(path, scope()).href;
  }

  function isHttp(url) {
    return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/.test(url);
  }

  function extLink(url, text) {
    if (!isHttp(url)) return document.createTextNode(text);
    var a = el("a", "", text);
    a.href = url;
    a.rel = "nofollow noopener";
    return a;
  }

  function modelHref(evalName) {
    return siteURL("model/?id=" + encodeURIComponent(evalName));
  }

  function hubHref(name) {
    return /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
      ? "https://huggingface.co/" + name : null;
  }

  /* The table file as objects that are quick to filter. */
  function Dataset(json) {
    this.meta = json.meta;
    this.columns = json.columns;
    this.rows = json.rows;
    var ci = Object.create(null);
    json.columns.forEach(function (c, i) { ci[c.name] = i; });
    this.ci = ci;
    var n = this.rows.length;
    this.names = new Array(n);
    this.licenses = new Array(n);
    var iName = ci.Model, iAlias = ci.Aliases, iLic = ci["Hub License"];
    for (var r = 0; r < n; r++) {
      var row = this.rows[r];
      var names = [String(row[iName]).toLowerCase()];
      if (row[iAlias]) String(row[iAlias]).split(", ").forEach(function (a) { names.push(a.toLowerCase()); });
      this.names[r] = names;
      this.licenses[r] = String(row[iLic] || "").toLowerCase();
    }
    this.byName = new Map();
    for (r = 0; r < n; r++) this.byName.set(this.rows[r][ci.eval_name], r);
  }
  Dataset.prototype.get = function (r, name) { return this.rows[r][this.ci[name]]; };

  var datasets = Object.create(null);
  function loadDataset(url) {
    return fetchJSON(url).then(function (json) {
      if (!datasets[url]) datasets[url] = new Dataset(json);
      return datasets[url];
    });
  }

  function fmt(col, v) {
    if (v === null || v === undefined) return "";
    if (col.kind === "number") {
      if (col.name === "#Params (B)") return fmtParams(v);
      if (col.group === "raw") return v.toFixed(4);
      if (col.group === "score" || col.name === "CO₂ cost (kg)") return v.toFixed(2);
      return String(v);
    }
    if (col.kind === "boolean") return v ? "✓" : "";
    if (col.kind === "date") return String(v).slice(0, 10);
    return String(v);
  }

  /* The standard-error twin of a score column (table/bands.py, suites/uncertainty.py). */
  function seName(name) {
    return name === "Average ⬆️" ? "Average SE" : name + " SE";
  }

  /* "12.34 ± 0.56": the ± is one standard error; none where lm-eval gave none ("N/A"). */
  function withSE(col, v, se) {
    var text = fmt(col, v);
    if (!text || typeof se !== "number" || !isFinite(se)) return text;
    return text + " ± " + (col.group === "raw" ? se.toFixed(4) : se.toFixed(2));
  }

  /* ------------------------------------------------------------------ the leaderboard table */

  var SIZES = [["Edge", "Edge 0–3B"], ["Consumer", "Consumer 3–7B"], ["Mid-range", "Mid-range 7–65B"],
               ["GPU-rich", "GPU-rich 65B+"], ["", "Unknown size"]];
  /* The comparison page takes 2 to 5 rows. */
  var PICK_MIN = 2, PICK_MAX = 5;
  var SHOW = [["flagged", "Show flagged", false], ["merged", "Show merges", true],
              ["moe", "Show MoE", true], ["gone", "Show models no longer on the Hub", false]];

  function defaults(ds) {
    var visible = ds.columns.filter(function (c) { return !c.hidden && c.group !== "raw"; })
      .map(function (c) { return c.name; });
    return {
      q: "", type: null, prec: null, wt: null, size: null, chat: "any",
      flagged: false, merged: true, moe: true, gone: false, choice: false, raw: false, se: false,
      sort: "Average ⬆️", dir: -1, cols: visible, pick: []
    };
  }

  function distinct(ds, name) {
    var seen = Object.create(null), out = [];
    var i = ds.ci[name];
    ds.rows.forEach(function (r) { if (r[i] !== null && !seen[r[i]]) { seen[r[i]] = 1; out.push(r[i]); } });
    return out.sort();
  }

  function readState(ds, params) {
    var s = defaults(ds);
    var list = function (k) { return params.has(k) ? params.get(k).split(",").filter(Boolean) : null; };
    // Not "q": Material's own search opens itself when the address has ?q=.
    if (params.has("search")) s.q = params.get("search");
    s.type = list("type"); s.prec = list("prec"); s.wt = list("wt"); s.size = list("size");
    if (s.size) s.size = s.size.map(function (v) { return v === "unknown" ? "" : v; });
    if (["yes", "no"].indexOf(params.get("chat")) !== -1) s.chat = params.get("chat");
    SHOW.forEach(function (x) { if (params.has(x[0])) s[x[0]] = params.get(x[0]) === "1"; });
    s.choice = params.get("choice") === "1";
    s.raw = params.get("raw") === "1";
    s.se = params.get("se") === "1";
    if (params.has("sort") && params.get("sort") in ds.ci) s.sort = params.get("sort");
    if (params.get("dir") === "asc") s.dir = 1;
    var cols = list("cols");
    if (cols) s.cols = cols.filter(function (c) { return c in ds.ci; });
    var pick = list("compare");
    if (pick) s.pick = pick.filter(function (id, k) { return ds.byName.has(id) && pick.indexOf(id) === k; }).slice(0, PICK_MAX);
    return s;
  }

  function writeState(ds, s) {
    var d = defaults(ds);
    var p = new URLSearchParams();
    if (s.q) p.set("search", s.q);
    ["type", "prec", "wt"].forEach(function (k) { if (s[k]) p.set(k, s[k].join(",")); });
    if (s.size) p.set("size", s.size.map(function (v) { return v || "unknown"; }).join(","));
    if (s.chat !== "any") p.set("chat", s.chat);
    SHOW.forEach(function (x) { if (s[x[0]] !== d[x[0]]) p.set(x[0], s[x[0]] ? "1" : "0"); });
    if (s.choice) p.set("choice", "1");
    if (s.raw) p.set("raw", "1");
    if (s.se) p.set("se", "1");
    if (s.sort !== d.sort) p.set("sort", s.sort);
    if (s.dir !== d.dir) p.set("dir", s.dir > 0 ? "asc" : "desc");
    if (s.cols.join(",") !== d.cols.join(",")) p.set("cols", s.cols.join(","));
    if (s.pick.length) p.set("compare", s.pick.join(","));
    var qs = p.toString();
    var url = location.pathname + (qs ? "?" + qs : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
  }

  function sortOrder(ds, key, dir) {
    var i = ds.ci[key];
    var rows = ds.rows;
    var idx = new Array(rows.length);
    for (var r = 0; r < rows.length; r++) idx[r] = r;
    idx.sort(function (a, b) {
      var x = rows[a][i], y = rows[b][i];
      if (x === y) return a - b;
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === "string") return dir * x.localeCompare(y);
      return dir * (x < y ? -1 : 1);
    });
    return idx;
  }

  function mountTable(host) {
    var alive = true;
    var grid = null;
    var loading = el("p", "lb-loading", "Loading the leaderboard…");
    host.append(loading);
    loadDataset(siteURL(host.dataset.src)).then(function (ds) {
      if (!alive) return;
      loading.remove();
      buildTable(host, ds, function (g) { grid = g; });
      host.dataset.ready = "1";
      performance.mark("lb-table-ready");
    }).catch(function (err) {
      loading.textContent = "Could not load the table: " + err.message;
      throw err;
    });
    return function () {
      alive = false;
      if (grid) grid.destroy();
      host.replaceChildren();
      delete host.dataset.ready;
    };
  }

  function buildTable(host, ds, setGrid) {
    var state = readState(ds, new URLSearchParams(location.search));
    var benchmarks = ds.meta.benchmarks;
    var colsByName = Object.create(null);
    ds.columns.forEach(function (c) { colsByName[c.name] = c; });
    var ci = ds.ci;
    var n = ds.rows.length;

    // Controls --------------------------------------------------------------------------
    var controls = el("div", "lb-controls");
    var searchBox = el("input", "lb-search md-input");
    searchBox.type = "search";
    searchBox.id = "lb-search";
    // Not the header's search, which finds pages: this one filters the table's rows.
    searchBox.placeholder = "Filter models: name; other name; Hub License: mit";
    searchBox.setAttribute("aria-label", "Filter the table's models");
    searchBox.setAttribute("aria-describedby", "lb-search-help");
    searchBox.value = state.q;
    var help = el("p", "lb-help", "Separate terms with “;”. Names are OR-ed; “Hub License: …” terms match the license; with both, a row needs one of each.");
    help.id = "lb-search-help";
    controls.append(searchBox, help);

    // The filters fold away: on a phone they would fill the first screen before any score.
    var filterBox = el("details", "lb-filterbox");
    filterBox.open = !narrow();
    var summary = el("summary", "lb-filterbox__summary", "Filters");
    var filters = el("div", "lb-filters");
    filterBox.append(summary, filters);
    function checkGroup(title, key, values, labels) {
      var fs = el("fieldset", "lb-fieldset");
      fs.dataset.filter = key;
      fs.append(el("legend", "", title));
      values.forEach(function (v, i) {
        var label = el("label", "lb-check");
        var box = el("input");
        box.type = "checkbox";
        box.value = v;
        box.checked = !state[key] || state[key].indexOf(v) !== -1;
        box.addEventListener("change", function () {
          var on = Array.prototype.filter.call(fs.querySelectorAll("input"), function (b) { return b.checked; })
            .map(function (b) { return b.value; });
          state[key] = on.length === values.length ? null : on;
          update(false);
        });
        label.append(box, document.createTextNode(" " + (labels ? labels[i] : v)));
        fs.append(label);
      });
      filters.append(fs);
    }
    var types = Object.keys(ds.meta.types);
    checkGroup("Type", "type", types, types.map(function (t) { return ds.meta.types[t] + " " + t; }));
    checkGroup("Precision", "prec", distinct(ds, "Precision"));
    checkGroup("Weight type", "wt", distinct(ds, "Weight type"));
    checkGroup("Size", "size", SIZES.map(function (x) { return x[0]; }), SIZES.map(function (x) { return x[1]; }));

    var other = el("fieldset", "lb-fieldset");
    other.append(el("legend", "", "Show"));
    var chatLabel = el("label", "lb-check", "Chat template ");
    var chat = el("select");
    chat.id = "lb-chat";
    [["any", "with or without"], ["yes", "with"], ["no", "without"]].forEach(function (o) {
      var opt = el("option", "", o[1]);
      opt.value = o[0];
      chat.append(opt);
    });
    chat.value = state.chat;
    chat.addEventListener("change", function () { state.chat = chat.value; update(false); });
    chatLabel.append(chat);
    other.append(chatLabel);
    SHOW.forEach(function (x) {
      var label = el("label", "lb-check");
      var box = el("input");
      box.type = "checkbox";
      box.name = x[0];
      box.checked = state[x[0]];
      box.addEventListener("change", function () { state[x[0]] = box.checked; update(false); });
      label.append(box, document.createTextNode(" " + x[1]));
      other.append(label);
    });
    var choiceLabel = el("label", "lb-check");
    var choice = el("input");
    choice.type = "checkbox";
    choice.name = "choice";
    choice.checked = state.choice;
    choice.addEventListener("change", function () { state.choice = choice.checked; update(false); });
    choiceLabel.append(choice, document.createTextNode(" Only maintainer's choice"));
    other.append(choiceLabel);
    filters.append(other);
    controls.append(filterBox);

    // View bar: raw/normalized, columns, export, count.
    var bar = el("div", "lb-bar");
    var mode = el("div", "lb-mode");
    mode.setAttribute("role", "radiogroup");
    mode.setAttribute("aria-label", "Scores");
    [["norm", "Normalized"], ["raw", "Raw"]].forEach(function (m) {
      var label = el("label", "lb-check");
      var r = el("input");
      r.type = "radio";
      r.name = "lb-mode";
      r.value = m[0];
      r.checked = (m[0] === "raw") === state.raw;
      r.addEventListener("change", function () { state.raw = r.value === "raw"; update(true); });
      label.append(r, document.createTextNode(" " + m[1]));
      mode.append(label);
    });
    var seLabel = el("label", "lb-check lb-se-toggle");
    var seBox = el("input");
    seBox.type = "checkbox";
    seBox.name = "se";
    seBox.checked = state.se;
    seBox.addEventListener("change", function () { state.se = seBox.checked; update(true); });
    seLabel.title = "Show each score's standard error; the About page says how it is computed";
    seLabel.append(seBox, document.createTextNode(" ± standard error"));
    var chooser = el("div", "lb-columns");
    var toggle = el("button", "md-button", "Columns");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var list = el("div", "lb-columns__list");
    list.hidden = true;
    function showList(open) {
      list.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
    }
    toggle.addEventListener("click", function () { showList(list.hidden); });
    chooser.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { showList(false); toggle.focus(); }
    });
    chooser.addEventListener("focusout", function (ev) {
      if (!chooser.contains(ev.relatedTarget)) showList(false);
    });
    chooser.append(toggle);
    ds.columns.forEach(function (c) {
      if (c.group === "raw" || c.group === "stderr" || c.name === "T" || c.name === "Model") return;
      var label = el("label", "lb-check");
      var box = el("input");
      box.type = "checkbox";
      box.value = c.name;
      box.checked = state.cols.indexOf(c.name) !== -1;
      box.addEventListener("change", function () {
        var order = ds.columns.map(function (x) { return x.name; });
        var set = state.cols.filter(function (x) { return x !== c.name; });
        if (box.checked) set.push(c.name);
        state.cols = order.filter(function (x) { return set.indexOf(x) !== -1; });
        update(true);
      });
      label.title = c.description;
      label.append(box, document.createTextNode(" " + c.name));
      list.append(label);
    });
    chooser.append(list);
    var exportBtn = el("button", "md-button lb-export", "Export CSV");
    exportBtn.type = "button";
    var reset = el("a", "lb-reset", "Reset view");
    reset.href = location.pathname;
    var count = el("span", "lb-count");
    count.id = "lb-count";
    count.setAttribute("aria-live", "polite");
    var compare = el("a", "md-button lb-compare");
    compare.id = "lb-compare-link";
    bar.append(mode, seLabel, chooser, exportBtn, compare, reset, count);
    controls.append(bar);

    var legend = el("p", "lb-legend");
    types.forEach(function (t) { legend.append(el("span", "", ds.meta.types[t] + " " + t)); });
    legend.append(el("span", "lb-flag-legend", "⚑ flagged (not ranked)"));
    controls.append(legend);
    host.append(controls);

    // Grid --------------------------------------------------------------------------------
    var gridHost = el("div", "lb-grid-host");
    var empty = el("p", "lb-empty");
    empty.setAttribute("role", "status");
    empty.hidden = true;
    host.append(gridHost, empty);
    var grid = new window.LBGrid(gridHost, {
      label: "Leaderboard",
      rowHeight: 34,
      fitRows: true,
      onSort: function (key) {
        if (state.sort === key) state.dir = -state.dir;
        else { state.sort = key; state.dir = colsByName[key].kind === "text" ? 1 : -1; }
        order = sortOrder(ds, state.sort, state.dir);
        update(true);
      },
      rowClass: function (r) { return ds.rows[r][ci.Flagged] ? "lb-flagged" : ""; }
    });
    setGrid(grid);

    var order = sortOrder(ds, state.sort, state.dir);
    var byAverage = state.sort === "Average ⬆️" && state.dir < 0 ? order : sortOrder(ds, "Average ⬆️", -1);
    var rank = new Int32Array(n);
    var filtered = [];

    function gridColumns() {
      // On a phone, rank, model and average fit the first screen; the rest scrolls sideways.
      var small = narrow();
      var out = [{ key: "#", label: "#", width: small ? 62 : 80, sortable: false, className: "lb-num", volatile: true,
                   title: "Rank by average among the rows shown; flagged rows are not ranked. Tick 2 to 5 rows to compare them",
                   render: renderRank },
                 { key: "T", label: "T", width: small ? 36 : 40, title: colsByName.T.description, className: "lb-type",
                   render: function (r, td) { td.textContent = ds.rows[r][ci.T]; td.title = ds.rows[r][ci.Type]; } },
                 { key: "Model", label: "Model", width: small ? 150 : 340, title: colsByName.Model.description,
                   render: renderModel }];
      state.cols.forEach(function (name) {
        if (name === "T" || name === "Model" || !(name in ci)) return;
        var shown = state.raw && benchmarks.indexOf(name) !== -1 ? name + " Raw" : name;
        var col = colsByName[shown];
        var i = ci[shown];
        var se = state.se ? ci[seName(shown)] : undefined;
        var width = col.kind === "text" ? (name === "Model sha" ? 330 : 150)
          : small ? Math.max(80, shown.length * 8 + 24) : Math.max(90, shown.length * 9 + 24);
        out.push({
          key: shown, label: shown, title: col.description,
          width: se === undefined ? width : Math.max(width, 130),
          className: col.kind === "number" ? "lb-num" : "",
          render: se === undefined ? function (r, td) { td.textContent = fmt(col, ds.rows[r][i]); }
            : function (r, td) { td.textContent = withSE(col, ds.rows[r][i], ds.rows[r][se]); }
        });
      });
      return out;
    }

    /* The rank, after the box that picks the row for the comparison page. Both are redrawn on
       every refresh: the rank follows the filter, the box the selection. */
    function renderRank(r, td) {
      var box = td.firstChild, num = td.lastChild;
      if (!box || box.nodeName !== "INPUT") {
        box = el("input", "lb-pick");
        box.type = "checkbox";
        num = el("span", "lb-rank");
        td.replaceChildren(box, num);
      }
      var id = ds.rows[r][ci.eval_name];
      var on = state.pick.indexOf(id) !== -1;
      box.value = id;
      box.checked = on;
      box.disabled = !on && state.pick.length >= PICK_MAX;
      box.setAttribute("aria-label", "Compare " + ds.rows[r][ci.Model] + " (" + ds.rows[r][ci.Precision] +
        ", " + String(ds.rows[r][ci["Model sha"]]).slice(0, 7) + ")");
      num.textContent = rank[r] || "—";
    }

    function showCompare() {
      var k = state.pick.length;
      var ready = k >= PICK_MIN;
      compare.textContent = ready ? "Compare " + k + " models" : "Compare: tick " + PICK_MIN + "–" + PICK_MAX + " rows" + (k ? " (" + k + " ticked)" : "");
      if (ready) {
        compare.href = siteURL("compare/?ids=" + encodeURIComponent(state.pick.join(",")));
        compare.removeAttribute("aria-disabled");
      } else {
        compare.removeAttribute("href");
        compare.setAttribute("aria-disabled", "true");
      }
    }

    gridHost.addEventListener("change", function (ev) {
      var box = ev.target;
      if (!box.classList || !box.classList.contains("lb-pick")) return;
      var rest = state.pick.filter(function (id) { return id !== box.value; });
      if (box.checked && rest.length < PICK_MAX) rest.push(box.value);
      state.pick = rest;
      showCompare();
      grid.renderRows(true);
      clearTimeout(urlTimer);
      urlTimer = setTimeout(function () {
        if (host.isConnected && location.pathname === tablePath) writeState(ds, state);
      }, 150);
    });

    function renderModel(r, td) {
      var row = ds.rows[r];
      td.replaceChildren();
      var a = el("a", "lb-model-link", row[ci.Model]);
      a.href = modelHref(row[ci.eval_name]);
      td.append(a);
      if (row[ci.Flagged]) {
        var why = "flagged: " + (row[ci["Flag category"]] || "");
        // One look for every flag, linked to its discussion or not (automatic flags have none).
        var flag = isHttp(row[ci["Flag discussion"]]) ? extLink(row[ci["Flag discussion"]], "⚑")
          : el("span", "", "⚑");
        flag.title = why;
        flag.setAttribute("aria-label", why);
        flag.classList.add("lb-flag");
        td.append(document.createTextNode(" "), flag);
      }
      td.title = row[ci.Model];
    }

    function passes(r, q) {
      var row = ds.rows[r];
      if (!state.flagged && row[ci.Flagged]) return false;
      if (!state.merged && row[ci.Merged]) return false;
      if (!state.moe && row[ci.MoE]) return false;
      if (!state.gone && !row[ci["Available on the hub"]]) return false;
      if (state.choice && !row[ci["Maintainer's Highlight"]]) return false;
      if (state.chat !== "any" && row[ci["Chat Template"]] !== (state.chat === "yes")) return false;
      if (state.type && state.type.indexOf(row[ci.Type]) === -1) return false;
      if (state.prec && state.prec.indexOf(row[ci.Precision]) === -1) return false;
      if (state.wt && state.wt.indexOf(row[ci["Weight type"]]) === -1) return false;
      if (state.size && state.size.indexOf(row[ci["Size class"]] || "") === -1) return false;
      return q.empty || window.LBSearch.matchesLower(q, ds.names[r], ds.licenses[r]);
    }

    function update(columnsChanged) {
      var q = window.LBSearch.parse(state.q);
      var keep = new Uint8Array(n);
      for (var k = 0; k < n; k++) keep[k] = passes(k, q) ? 1 : 0;
      // Flagged rows are shown when asked for, but never ranked: their model page says so too.
      var pos = 0;
      for (k = 0; k < n; k++) {
        var r = byAverage[k];
        if (keep[r]) rank[r] = ds.rows[r][ci.Flagged] ? 0 : ++pos;
      }
      filtered = [];
      for (k = 0; k < n; k++) if (keep[order[k]]) filtered.push(order[k]);
      count.textContent = filtered.length.toLocaleString("en") + " of " + n.toLocaleString("en") + " rows";
      count.dataset.count = filtered.length;
      if (columnsChanged) grid.setColumns(gridColumns(), state.sort, state.dir);
      grid.setRows(filtered, false);
      showEmpty(q);
      // The address follows the view, a moment later: replaceState on every keystroke is
      // measurably slow, and only the settled view needs to be in a link.
      // The write is skipped once the table is gone: after instant navigation to a model
      // page, a late write would replace that page's address with the table's state.
      clearTimeout(urlTimer);
      urlTimer = setTimeout(function () {
        if (host.isConnected && location.pathname === tablePath) writeState(ds, state);
      }, 150);
    }
    var urlTimer = 0, tablePath = location.pathname;

    /* An empty table says why, and what would bring rows back. */
    function showEmpty(q) {
      empty.hidden = filtered.length > 0;
      if (!empty.hidden) empty.replaceChildren.apply(empty, emptyReason(q));
    }

    function emptyReason(q) {
      var out = [];
      if (!n) return ["No model has been evaluated yet. The queue page shows what is waiting."];
      if (state.choice && !ds.rows.some(function (row) { return row[ci["Maintainer's Highlight"]]; })) {
        out.push("No model is a maintainer's choice yet. ");
      } else {
        out.push(q.empty ? "No rows pass these filters. " : "No rows match “" + state.q + "” with these filters. ");
      }
      var flaggedOnly = 0;
      if (!state.flagged) {
        state.flagged = true;
        for (var k = 0; k < n; k++) if (ds.rows[k][ci.Flagged] && passes(k, q)) flaggedOnly++;
        state.flagged = false;
      }
      if (flaggedOnly) {
        var show = el("button", "lb-linkbutton", "show flagged rows");
        show.type = "button";
        show.addEventListener("click", function () {
          state.flagged = true;
          host.querySelector("input[name=flagged]").checked = true;
          update(false);
        });
        out.push(flaggedOnly + " flagged " + (flaggedOnly === 1 ? "row matches" : "rows match") +
          ", hidden by default: ", show, ". ");
      }
      var reset = el("a", "", "Reset the view");
      reset.href = location.pathname;
      out.push(reset, " to see every row.");
      return out;
    }

    searchBox.addEventListener("input", function () { state.q = searchBox.value; update(false); });
    showCompare();
    exportBtn.addEventListener("click", function () { exportCSV(ds, gridColumns().slice(1), filtered, rank); });
    update(true);
  }

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    var s = String(v);
    if (typeof v === "string" && /^[=+@\t\r-]/.test(s)) s = "'" + s; // spreadsheet formula injection
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function narrow() {
    return window.matchMedia("(max-width: 600px)").matches;
  }

  function exportCSV(ds, cols, rows, rank) {
    var names = ["Rank"].concat(cols.map(function (c) { return c.key; }));
    var lines = [names.map(csvCell).join(",")];
    rows.forEach(function (r) {
      var cells = [rank[r] || null];
      cols.forEach(function (c) { cells.push(ds.rows[r][ds.ci[c.key]]); });
      lines.push(cells.map(csvCell).join(","));
    });
    var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "leaderboard.csv";
    document.body.append(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* ------------------------------------------------------------------ charts */

  var TYPE_COLORS = {
    "pretrained": "#2e7d32", "continuously-pretrained": "#66bb6a", "fine-tuned": "#ef6c00",
    "chat": "#1e88e5", "merge": "#8e24aa", "multimodal": "#d81b60"
  };

  // A bar chart's canvas in its sized box, announced as an image with a label (its numbers are
  // in a table beside it), with the chart colours of the current theme.
  function barCanvas(host, label) {
    var box = el("div", "lb-bars");
    var canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    box.append(canvas);
    host.append(box);
    chartTheme();
    return canvas;
  }

  function chartTheme() {
    var css = getComputedStyle(document.body);
    window.Chart.defaults.color = css.getPropertyValue("--md-default-fg-color--light").trim() || "#666";
    window.Chart.defaults.borderColor = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
    window.Chart.defaults.animation = false;
  }

  function typeColor(t) {
    return own(TYPE_COLORS, t) || "#757575";
  }

  /* The powers of ten around [lo, hi], so that the log axis fits the data, however small. */
  function logRange(lo, hi) {
    var min = Math.pow(10, Math.floor(Math.log10(lo)));
    var max = Math.pow(10, Math.ceil(Math.log10(hi)));
    return max > min ? [min, max] : [min / 10, max * 10];
  }

  function mountPlot(host) {
    var chart = null, alive = true;
    loadDataset(siteURL(host.dataset.src)).then(function (ds) {
      if (!alive) return;
      chartTheme();
      var sets = Object.create(null), lo = Infinity, hi = 0;
      ds.rows.forEach(function (row, r) {
        var p = row[ds.ci["#Params (B)"]], avg = row[ds.ci["Average ⬆️"]];
        if (row[ds.ci.Flagged] || p === null || avg === null || !(p > 0)) return;
        var t = row[ds.ci.Type];
        lo = Math.min(lo, p); hi = Math.max(hi, p);
        (sets[t] = sets[t] || []).push({ x: p, y: avg, r: r });
      });
      var datasets = Object.keys(sets).sort().map(function (t) {
        return { label: (own(ds.meta.types, t) || "❓") + " " + t, data: sets[t], pointRadius: 4,
                 backgroundColor: typeColor(t), borderColor: typeColor(t) };
      });
      var points = datasets.reduce(function (a, d) { return a + d.data.length; }, 0);
      host.dataset.points = points;
      if (!points) {
        var canvasEl = host.querySelector("canvas");
        if (canvasEl) canvasEl.hidden = true;
        host.append(el("p", "lb-empty", "Nothing to plot yet: no unflagged model has both a parameter count " +
          "and a score. Points appear as evaluations finish."));
        host.dataset.ready = "1";
        return;
      }
      var range = logRange(lo, hi);
      var canvas = host.querySelector("canvas");
      chart = new window.Chart(canvas, {
        type: "scatter",
        data: { datasets: datasets },
        options: {
          responsive: true, aspectRatio: narrow() ? 1 : 1.8, parsing: false, normalized: true,
          scales: {
            x: { type: "logarithmic", min: range[0], max: range[1],
                 title: { display: true, text: "Parameters (log scale)" },
                 // Powers of ten only, all in one unit: millions when the largest is small.
                 ticks: { callback: function (v) {
                   var e = Math.log10(v);
                   if (Math.abs(e - Math.round(e)) > 1e-9) return "";
                   return range[1] <= 0.01 ? Number((v * 1e3).toPrecision(3)) + " M" : Number(v.toPrecision(3)) + " B";
                 } } },
            y: { title: { display: true, text: "Average score" }, min: 0, suggestedMax: 100 }
          },
          plugins: {
            legend: { display: true, position: "top" },
            tooltip: { callbacks: { label: function (ctx) {
              var r = ctx.raw.r;
              var size = fmtParams(ctx.raw.x);
              return ds.get(r, "Model") + " (" + ds.get(r, "Precision") + "): " + ctx.raw.y.toFixed(2) +
                " at " + size + (/M$/.test(size) ? "" : " B");
            } } }
          },
          onClick: function (ev, items) {
            if (items.length) {
              var pt = datasets[items[0].datasetIndex].data[items[0].index];
              location.href = modelHref(ds.get(pt.r, "eval_name"));
            }
          }
        }
      });
      host.dataset.ready = "1";
    });
    return function () { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
  }

  /* ------------------------------------------------------------------ the model page */

  function section(host, title) {
    host.append(el("h2", "", title));
  }

  function kvTable(pairs) {
    var t = el("table");
    var body = el("tbody");
    pairs.forEach(function (p) {
      var tr = el("tr");
      tr.append(el("th", "", p[0]));
      var td = el("td");
      if (p[1] instanceof Node) td.append(p[1]); else td.textContent = p[1] === null || p[1] === undefined ? "—" : String(p[1]);
      tr.append(td);
      body.append(tr);
    });
    t.append(body);
    return t;
  }

  function repoLink(repoUrl, path) {
    if (!path) return "—";
    if (isHttp(repoUrl)) return extLink(repoUrl.replace(/\/$/, "") + "/blob/main/" + path, path);
    var c = el("code", "", path);
    return c;
  }

  function columnOf(ds, name) {
    return ds.columns[ds.ci[name]];
  }

  /* Which models this one cannot be told apart from: its rank band (table/bands.py). */
  function bandNote(ds, r) {
    var band = ds.get(r, "Rank band");
    var p = el("p", "lb-band");
    if (band === null || band === undefined) {
      p.textContent = ds.get(r, "Flagged") ? "" : "No rank band: lm-eval gave no standard error for every score of this row, so its average has no ± either.";
      return p;
    }
    var same = 0;
    ds.rows.forEach(function (row) { if (row[ds.ci["Rank band"]] === band) same++; });
    p.textContent = "Rank band " + band + ": " + (same === 1 ? "no other model's average is within noise of this band's top model."
      : (same - 1) + " other " + (same === 2 ? "model shares" : "models share") + " it, with averages within noise (overlapping 95% intervals) of the band's top model. ");
    var about = el("a", "", "How bands are made");
    about.href = siteURL("about/#uncertainty");
    p.append(about);
    return p;
  }

  /* The row an old model-page id now lives at, after a rename: the id is the old name with
     '/' as '_', then the row's own precision_sha_chat suffix, and the old name is among the
     row's Aliases. */
  function renamedTo(ds, id) {
    for (var r = 0; r < ds.rows.length; r++) {
      var aliases = String(ds.get(r, "Aliases") || "");
      if (!aliases) continue;
      var current = String(ds.get(r, "eval_name")), model = String(ds.get(r, "Model"));
      var suffix = current.slice(model.length);
      var olds = aliases.split(", ");
      for (var k = 0; k < olds.length; k++) {
        if (olds[k] && id === olds[k].replace("/", "_") + suffix) return current;
      }
    }
    return null;
  }

  /* An id with no row: what the queue knows of it (removed, and why), else a plain "no row". */
  function missing(host, id, queue) {
    var entry = null;
    (Array.isArray(queue) ? queue : []).forEach(function (e) {
      if (e && e.removed_reason && queueEvalName(e) === id) entry = e;
    });
    var p = el("p", "lb-missing");
    if (entry) {
      p.append("“" + entry.model + "” (" + entry.precision + ", commit " + String(entry.revision).slice(0, 12) +
        ") was removed from the leaderboard" + (entry.removed_at ? " on " + String(entry.removed_at).slice(0, 10) : "") +
        ": " + entry.removed_reason + ". Its request file stays in the repository: ");
      p.append(el("code", "", entry.request), ". ");
    } else {
      p.append("No leaderboard row is called “" + id + "”, and the queue has no removed request by that name. " +
        "Check the address, or search the table: ");
    }
    var back = el("a", "", "back to the leaderboard");
    back.href = siteURL("");
    p.append(back);
    host.append(p);
  }

  /* The row id of a queue entry: the same rule as eval_name in scripts/leaderboard/table/rows.py. */
  function queueEvalName(e) {
    return String(e.model).replace("/", "_") + "_" + e.precision + "_" + String(e.revision).slice(0, 7) +
      "_" + (e.use_chat_template ? "chat" : "nochat");
  }

  function paramsText(b, weightType) {
    if (b === null || b === undefined) return null;
    var count = Math.round(b * 1e9).toLocaleString("en");
    var text = fmtParams(b) + (b >= 0.01 ? " B" : "") + " (" + count + ")";
    return weightType === "Adapter" ? text + ", its base model's size" : text;
  }

  /* Per-sample outputs: a link when they are on the Hub; where they are kept, otherwise. */
  function detailsCell(details) {
    if (!details) return null;
    if (isHttp(details)) return extLink(details, details);
    var box = el("span");
    box.append(el("code", "", details), " in the runner's checkout: the local details store " +
      "keeps them on the runner's disk, outside git and this site. Ask its operator for the " +
      "files (in the demo: demo/leaderboard/" + details + "), or set settings.details to a Hub " +
      "dataset to publish and link them.");
    return box;
  }

  /* Issue 27: "attested" (linking GitHub's page of the signed attestation) or "not attested". */
  function attestationCell(url) {
    if (!url) return "not attested";
    var box = el("span", "", "attested: ");
    box.append(isHttp(url) ? extLink(url, "the signed attestation") : el("code", "", url));
    return box;
  }

  /* The command in full (it wraps, never scrolls out of sight), a copy button, and the Hub
     it needs when the model files did not come from huggingface.co. */
  function reproduceBlock(command) {
    var box = el("div", "lb-reproduce");
    var pre = el("pre", "lb-reproduce__cmd"), code = el("code", "", command || "—");
    pre.append(code);
    var copy = el("button", "md-button lb-copy", "Copy command");
    copy.type = "button";
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(command).then(done, function () { copy.textContent = "Select the text to copy"; });
      } else copy.textContent = "Select the text to copy";
    });
    box.append(pre, copy);
    var hub = /^export HF_ENDPOINT=(\S+)/.exec(command);
    if (hub) {
      var port = /:(\d+)\/?$/.exec(hub[1]);
      var note = el("p", "lb-note", "The model files came from the Hub at " + hub[1] + ", not huggingface.co " +
        "(HF_ENDPOINT): the command needs that Hub running. For the demo's models, serve the demo's local Hub first: ");
      note.append(el("code", "", "leaderboard devhub serve --root demo/hub" + (port ? " --port " + port[1] : "") + " &"));
      box.append(note);
    }
    return box;
  }

  function mountModel(host) {
    var chart = null, alive = true;
    var id = new URLSearchParams(location.search).get("id") || "";
    Promise.all([
      loadDataset(siteURL(host.dataset.src)),
      fetchJSON(siteURL(host.dataset.provenance))
    ]).then(function (res) {
      if (!alive) return;
      var ds = res[0], prov = res[1];
      host.replaceChildren();
      var r = ds.byName.get(id);
      var h1 = document.querySelector(".md-content h1");
      if (r === undefined) {
        var moved = renamedTo(ds, id);
        if (moved) {
          // A renamed model keeps its old links working: the old row id names the old model.
          location.replace(siteURL("model/") + "?id=" + encodeURIComponent(moved));
          return;
        }
        return fetchJSON(siteURL(host.dataset.queue)).catch(function () { return []; }).then(function (queue) {
          if (!alive) return;
          missing(host, id, queue);
          host.dataset.ready = "1";
        });
      }
      var g = function (name) { return ds.get(r, name); };
      var name = g("Model");
      if (h1) h1.textContent = g("T") + " " + name;
      document.title = name + " - " + (ds.meta.title || "Leaderboard");

      var head = el("p", "lb-model-head");
      head.append(document.createTextNode(g("Type") + " · " + g("Precision") + " · commit " + String(g("Model sha")).slice(0, 12) +
        (g("Chat Template") ? " · with chat template" : " · without chat template") + " · "));
      head.append(extLink(hubHref(name), "on the Hub"));
      host.append(head);
      if (g("Flagged")) {
        var warn = el("div", "admonition warning lb-flag-box");
        warn.append(el("p", "admonition-title", "Flagged: " + (g("Flag category") || "")));
        var p = el("p");
        if (isHttp(g("Flag discussion"))) { p.append("See the discussion: "); p.append(extLink(g("Flag discussion"), g("Flag discussion"))); }
        else p.textContent = "Flagged automatically: the model card calls it a merge, but its declared type is " + g("Type") + ".";
        warn.append(p);
        host.append(warn);
      }

      section(host, "Scores");
      var unflagged = function (key) {
        var v = g(key), total = 0;
        ds.rows.forEach(function (row) { if (!row[ds.ci.Flagged] && row[ds.ci[key]] === v) total++; });
        return total;
      };
      var ranks = el("p", "lb-ranks");
      ranks.textContent = g("Flagged") ? "Flagged rows are not ranked." :
        "Rank " + g("Rank in type") + " of " + unflagged("Type") + " among " + g("Type") + " models; rank " +
        (g("Rank in size class") === null ? "—" : g("Rank in size class") + " of " + unflagged("Size class")) +
        " in its size class (" + (g("Size class") || "unknown size") + ").";
      host.append(ranks);
      host.append(bandNote(ds, r));
      var st = el("table");
      var thead = el("thead"), tr = el("tr");
      ["Benchmark", "Normalized (0–100) ± SE", "Raw (0–1) ± SE"].forEach(function (h) { tr.append(el("th", "", h)); });
      thead.append(tr);
      var tb = el("tbody");
      var cell = function (name) {
        var text = withSE(columnOf(ds, name), g(name), g(seName(name)));
        return el("td", "lb-num", text || "—");
      };
      ds.meta.benchmarks.forEach(function (b) {
        var row = el("tr");
        row.append(el("td", "", b), cell(b), cell(b + " Raw"));
        tb.append(row);
      });
      var avg = el("tr", "lb-avg");
      avg.append(el("td", "", "Average"), cell("Average ⬆️"), el("td"));
      tb.append(avg);
      st.append(thead, tb);
      // Material lets a wide table scroll sideways on a phone; a keyboard must reach it to scroll.
      st.tabIndex = 0;
      st.setAttribute("aria-label", "Scores (scrolls sideways on a small screen)");
      host.append(st);
      var canvas = barCanvas(host, "Normalized scores");
      chart = new window.Chart(canvas, {
        type: "bar",
        data: { labels: ds.meta.benchmarks.concat(["Average"]),
                datasets: [{ label: "Normalized score", data: ds.meta.benchmarks.map(g).concat([g("Average ⬆️")]),
                             backgroundColor: typeColor(g("Type")) }] },
        options: { indexAxis: "y", responsive: true, aspectRatio: 3, scales: { x: { min: 0, max: 100 } },
                   plugins: { legend: { display: false } } }
      });

      section(host, "Other rows of this model");
      var others = [];
      ds.rows.forEach(function (row, k) { if (k !== r && row[ds.ci.Model] === name) others.push(k); });
      if (!others.length) host.append(el("p", "", "None: this is its only evaluation."));
      else {
        var ul = el("ul", "lb-others");
        others.forEach(function (k) {
          var li = el("li"), a = el("a");
          var o = function (c) { return ds.get(k, c); };
          a.href = modelHref(o("eval_name"));
          a.textContent = o("Precision") + " · " + String(o("Model sha")).slice(0, 12) + (o("Chat Template") ? " · chat template" : "");
          li.append(a, document.createTextNode(" — average " + (o("Average ⬆️") === null ? "—" : o("Average ⬆️").toFixed(2)) +
            (o("Flagged") ? " (flagged)" : "")));
          ul.append(li);
        });
        host.append(ul);
      }

      section(host, "Provenance");
      var pv = {};
      var pr = own(prov.rows, id) || [];
      prov.columns.forEach(function (c, i) { pv[c] = pr[i]; });
      var cmd = reproduceBlock(pv.Reproduce || "");
      host.append(kvTable([
        ["Request file", repoLink(ds.meta.repo_url, pv["Request file"])],
        ["Result file", repoLink(ds.meta.repo_url, pv["Result file"])],
        ["Attempt", pv.Attempt],
        ["Suite", (pv.Suite || "") + " version " + (pv["Suite version"] || "?")],
        ["lm-eval version", pv["lm-eval version"]],
        ["Evaluated at (UTC)", pv["Evaluated at"]],
        ["Submitter", pv.Submitter],
        ["Ran on", [pv.Device, pv["Batch size"] ? "batch size " + pv["Batch size"] : null]
          .filter(Boolean).join(", ") || null],
        ["Details (per-sample outputs)", detailsCell(pv.Details)],
        ["Signature", attestationCell(pv.Attestation)]
      ]));
      host.append(el("h3", "", "Reproduce with plain lm_eval"), cmd);
      if (pv.Verify) {
        host.append(el("h3", "", "Check the signature (GitHub CLI, in a clone of the repository)"),
          reproduceBlock(pv.Verify),
          el("p", "lb-note", "It proves the result file came, byte for byte, from this repository's " +
            "evaluate workflow in the run its attestation names; not that the evaluation itself " +
            "was honest, ran on the declared hardware, or that the tasks were uncontaminated."));
      }

      section(host, "Hub facts at evaluation time");
      host.append(kvTable([
        ["License", g("Hub License")], ["Parameters", paramsText(g("#Params (B)"), g("Weight type"))],
        ["Architecture", g("Architecture")],
        ["Weight type", g("Weight type")], ["Base model", g("Base Model")], ["Generation", g("Generation")],
        ["Merged", g("Merged") ? "yes" : "no"], ["MoE", g("MoE") ? "yes" : "no"], ["Likes", g("Hub ❤️")],
        ["Available on the Hub", g("Available on the hub") ? "yes" : "no"],
        ["Uploaded to the Hub", g("Upload To Hub Date")], ["Submitted", g("Submission Date")],
        ["Maintainer's choice", g("Maintainer's Highlight") ? "yes" : "no"],
        ["Former names", g("Aliases")], ["CO₂ cost (kg, estimate)", g("CO₂ cost (kg)")]
      ]));
      host.dataset.ready = "1";
    }).catch(function (err) { host.textContent = "Could not load the model: " + err.message; throw err; });
    return function () { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
  }

  /* ------------------------------------------------------------------ the comparison page */

  var PALETTE = ["#3f51b5", "#e65100", "#00897b", "#c2185b", "#6d4c41"];
  /* Within noise: the two 95% intervals overlap (suites/uncertainty.py within_noise). */
  var Z95 = 1.959963984540054;

  function noiseText(a, seA, b, seB) {
    if (a === null || b === null) return "—";
    if (typeof seA !== "number" || typeof seB !== "number") return "unknown (no standard error)";
    return Math.abs(a - b) <= Z95 * (seA + seB) ? "within noise" : "apart";
  }

  function compareIds(ds) {
    var raw = (new URLSearchParams(location.search).get("ids") || "").split(",");
    return raw.filter(function (id, k) { return id && ds.byName.has(id) && raw.indexOf(id) === k; })
      .slice(0, PICK_MAX);
  }

  function headRow(cells) {
    var tr = el("tr");
    cells.forEach(function (c) { var th = el("th", "", c); th.scope = "col"; tr.append(th); });
    var thead = el("thead");
    thead.append(tr);
    return thead;
  }

  /* One row per benchmark (and the Average): each model's score ± SE, then each other model's
     difference from the first, and whether the two are within noise. */
  function compareScores(ds, picked) {
    var names = picked.map(function (r) { return ds.get(r, "Model"); });
    var head = ["Benchmark"].concat(names);
    picked.slice(1).forEach(function (r, k) { head.push(names[k + 1] + " − " + names[0]); });
    var t = el("table", "lb-compare-scores");
    var tb = el("tbody");
    ds.meta.benchmarks.concat(["Average ⬆️"]).forEach(function (b) {
      var tr = el("tr");
      var th = el("th", "", b === "Average ⬆️" ? "Average" : b);
      th.scope = "row";
      tr.append(th);
      var col = columnOf(ds, b);
      picked.forEach(function (r) { tr.append(el("td", "lb-num", withSE(col, ds.get(r, b), ds.get(r, seName(b))) || "—")); });
      var a = ds.get(picked[0], b), seA = ds.get(picked[0], seName(b));
      picked.slice(1).forEach(function (r) {
        var v = ds.get(r, b), td = el("td", "lb-num lb-diff");
        var diff = a === null || v === null ? "—" : (v - a >= 0 ? "+" : "−") + Math.abs(v - a).toFixed(2);
        var noise = noiseText(a, seA, v, ds.get(r, seName(b)));
        td.textContent = diff + " (" + noise + ")";
        td.dataset.noise = noise;
        tr.append(td);
      });
      tb.append(tr);
    });
    t.append(headRow(head), tb);
    return t;
  }

  var COMPARE_PROVENANCE = ["Precision", "Model sha", "Chat Template", "Rank band", "Suite", "Suite version",
    "lm-eval version", "Evaluated at", "Device", "Batch size", "Submitter", "Request file", "Result file", "Attempt"];

  function compareProvenance(ds, picked, prov) {
    var t = el("table", "lb-compare-prov");
    var tb = el("tbody");
    COMPARE_PROVENANCE.forEach(function (field) {
      var tr = el("tr");
      var th = el("th", "", field);
      th.scope = "row";
      tr.append(th);
      picked.forEach(function (r) {
        var id = ds.get(r, "eval_name");
        var v = field in ds.ci ? ds.get(r, field) : (own(prov.rows, id) || [])[prov.columns.indexOf(field)];
        var td = el("td");
        if (field === "Request file" || field === "Result file") td.append(repoLink(ds.meta.repo_url, v));
        else if (field === "Chat Template") td.textContent = v ? "with" : "without";
        else td.textContent = v === null || v === undefined ? "—" : String(v);
        tr.append(td);
      });
      tb.append(tr);
    });
    t.append(headRow(["Field"].concat(picked.map(function (r) { return ds.get(r, "Model"); }))), tb);
    return t;
  }

  /* Wide tables scroll sideways on a phone; a keyboard must reach the box to scroll it. */
  function scrollBox(child, label) {
    var box = el("div", "lb-scroll");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", label + " (scrolls sideways)");
    box.append(child);
    return box;
  }

  function mountCompare(host) {
    var chart = null, alive = true;
    Promise.all([
      loadDataset(siteURL(host.dataset.src)),
      fetchJSON(siteURL(host.dataset.provenance))
    ]).then(function (res) {
      if (!alive) return;
      var ds = res[0], prov = res[1];
      host.replaceChildren();
      var picked = compareIds(ds).map(function (id) { return ds.byName.get(id); });
      var back = el("a", "", "back to the leaderboard");
      back.href = siteURL("") + (picked.length ? "?compare=" + encodeURIComponent(picked.map(function (r) {
        return ds.get(r, "eval_name"); }).join(",")) : "");
      if (picked.length < PICK_MIN) {
        var p = el("p", "lb-missing", "Pick " + PICK_MIN + " to " + PICK_MAX + " rows to compare: tick their boxes in the table, then press “Compare”. ");
        p.append(back);
        host.append(p);
        host.dataset.ready = "1";
        return;
      }
      var intro = el("p", "lb-compare-intro");
      picked.forEach(function (r, k) {
        var a = el("a", "", ds.get(r, "Model"));
        a.href = modelHref(ds.get(r, "eval_name"));
        var swatch = el("span", "lb-swatch");
        swatch.style.background = PALETTE[k];
        swatch.setAttribute("aria-hidden", "true");
        intro.append(swatch, a, document.createTextNode(" (" + ds.get(r, "Precision") + ")" + (k < picked.length - 1 ? " · " : "")));
      });
      host.append(intro);
      var canvas = barCanvas(host, "Normalized scores of the compared models, per benchmark; the table below has every value");
      chart = new window.Chart(canvas, {
        type: "bar",
        data: { labels: ds.meta.benchmarks.concat(["Average"]),
                datasets: picked.map(function (r, k) {
                  return { label: ds.get(r, "Model") + " (" + ds.get(r, "Precision") + ")", backgroundColor: PALETTE[k],
                           data: ds.meta.benchmarks.concat(["Average ⬆️"]).map(function (b) { return ds.get(r, b); }) };
                }) },
        options: { responsive: true, aspectRatio: narrow() ? 1 : 2.4, scales: { y: { min: 0, max: 100 } },
                   plugins: { legend: { display: true, position: "top" } } }
      });
      section(host, "Scores");
      host.append(el("p", "lb-note", "Normalized scores ± one standard error. Differences are against " +
        ds.get(picked[0], "Model") + "; “within noise” means the two 95% intervals overlap (the About page explains the method)."));
      host.append(scrollBox(compareScores(ds, picked), "Scores"));
      section(host, "Provenance");
      host.append(scrollBox(compareProvenance(ds, picked, prov), "Provenance"));
      var p2 = el("p");
      p2.append(back);
      host.append(p2);
      host.dataset.ready = "1";
    }).catch(function (err) { host.textContent = "Could not load the comparison: " + err.message; throw err; });
    return function () { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
  }

  /* The Performance page: each figure measured at several sizes is a curve, one chart per
     unit, both axes logarithmic, so that linear growth reads as a straight line. */
  function mountBench(host) {
    var charts = [];
    var figures = JSON.parse(host.querySelector("#lb-bench-data").textContent);
    var series = Object.create(null);
    figures.forEach(function (f) {
      if (f.size === null || f.size === undefined || !(f.value > 0)) return;
      var key = f.unit + "\u0000" + f.area + ": " + f.name;
      (series[key] = series[key] || []).push({ x: f.size, y: f.value });
    });
    var byUnit = Object.create(null);
    Object.keys(series).sort().forEach(function (key) {
      if (series[key].length < 2) return;
      var parts = key.split("\u0000");
      (byUnit[parts[0]] = byUnit[parts[0]] || []).push({
        label: parts[1], data: series[key].sort(function (a, b) { return a.x - b.x; }),
        showLine: true, pointRadius: 3
      });
    });
    var palette = ["#3f51b5", "#e91e63", "#009688", "#ff9800", "#9c27b0", "#795548", "#607d8b"];
    Object.keys(byUnit).forEach(function (unit) {
      byUnit[unit].forEach(function (d, i) {
        d.borderColor = d.backgroundColor = palette[i % palette.length];
      });
    });
    chartTheme();
    Object.keys(byUnit).forEach(function (unit) {
      var canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", "Scaling curves in " + unit);
      host.append(canvas);
      charts.push(new window.Chart(canvas, {
        type: "scatter",
        data: { datasets: byUnit[unit] },
        options: {
          responsive: true, aspectRatio: 2.2, parsing: false,
          scales: {
            x: { type: "logarithmic", title: { display: true, text: "size (models or requests), log scale" } },
            y: { type: "logarithmic", title: { display: true, text: unit + ", log scale" } }
          }
        }
      }));
    });
    host.dataset.charts = String(charts.length);
    host.dataset.ready = "1";
    return function () { charts.forEach(function (c) { c.destroy(); }); delete host.dataset.ready; };
  }

  /* ------------------------------------------------------------------ the header's search */

  /* Material's search finds pages; a reader typing a model's name there wants the model. Above
     the page results, say how many models match and link to the table filtered by the term. */
  function mountSearchHint() {
    var input = document.querySelector(".md-search__input");
    var result = document.querySelector(".md-search-result");
    if (!input || !result || input.dataset.lbHint) return;
    input.dataset.lbHint = "1";
    input.placeholder = "Search pages and models";
    var hint = el("p", "lb-search-hint");
    hint.id = "lb-search-hint";
    hint.hidden = true;
    result.insertBefore(hint, result.firstChild);
    var timer = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(show, 120);
    });
    function show() {
      var term = input.value.trim();
      if (!term) { hint.hidden = true; return; }
      loadDataset(siteURL("data/table.json")).then(function (ds) {
        if (input.value.trim() !== term) return;
        var query = window.LBSearch.parse(term), hits = 0;
        for (var r = 0; r < ds.rows.length; r++) {
          if (window.LBSearch.matchesLower(query, ds.names[r], ds.licenses[r])) hits++;
        }
        var link = el("a", "", hits ? "show " + (hits === 1 ? "it" : "them") + " in the table" : "open the table");
        link.href = siteURL("") + "?search=" + encodeURIComponent(term) + (hits ? "&flagged=1&gone=1" : "");
        hint.replaceChildren(
          hits ? hits.toLocaleString("en") + (hits === 1 ? " model matches" : " models match") + " “" + term + "”: "
            : "No model's name matches “" + term + "”: ",
          link, ". The results below are the site's pages.");
        hint.dataset.count = hits;
        hint.hidden = false;
      }).catch(function () { hint.hidden = true; });
    }
  }

  /* ------------------------------------------------------------------ mounting */

  function mountAll() {
    // Material's page-loading bar has no name of its own; a screen reader announces this one.
    var progress = document.querySelector(".md-progress");
    if (progress) progress.setAttribute("aria-label", "Loading the page");
    // Material wraps wide tables in a box that scrolls sideways on a phone; a keyboard must
    // be able to reach it to scroll it.
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (w) {
      w.tabIndex = 0;
      w.setAttribute("role", "region");
      w.setAttribute("aria-label", "Table (scrolls sideways)");
    });
    mounted.forEach(function (destroy) { destroy(); });
    mounted = [];
    var t = document.getElementById("lb-table");
    if (t) mounted.push(mountTable(t));
    var m = document.getElementById("lb-model");
    if (m) mounted.push(mountModel(m));
    var p = document.getElementById("lb-plot");
    if (p) mounted.push(mountPlot(p));
    var c = document.getElementById("lb-compare");
    if (c) mounted.push(mountCompare(c));
    var b = document.getElementById("lb-bench");
    if (b) mounted.push(mountBench(b));
    mountSearchHint();
  }

  if (window.document$) window.document$.subscribe(mountAll);
  else document.addEventListener("DOMContentLoaded", mountAll);
})();
