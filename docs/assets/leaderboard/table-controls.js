/* The controls above the leaderboard table, kept to a compact toolbar so that the first screen
 * is the rankings: the search box, one-click chips for size and type (Hugging Face's presets),
 * a "Filters" button that opens the rest, and the view bar (normalized or raw, ±, columns,
 * export, compare, reset, count). They change the view's state and call update(columnsChanged);
 * the table draws. */
import { choice, el } from "./dom.js";
import { distinct, SHOW } from "./table-state.js";

/* A fieldset of checkboxes, one per value, all ticked when the filter is off (state[key] null). */
function checkGroup(state, update, title, key, values) {
  const fs = el("fieldset", "lb-fieldset");
  fs.dataset.filter = key;
  fs.append(el("legend", "", title));
  for (const v of values) {
    fs.append(choice({
      value: v,
      checked: !state[key] || state[key].includes(v),
      text: v,
      onChange: () => {
        const on = [...fs.querySelectorAll("input")].filter((b) => b.checked).map((b) => b.value);
        state[key] = on.length === values.length ? null : on;
        update(false);
      },
    }));
  }
  return fs;
}

/* Toggle buttons over one filter: none pressed shows every row; each press adds its value, a
   second press takes it away (state[key] is null or the values pressed, in their order). */
function chipGroup(state, update, label, key, items) {
  const group = el("div", "lb-chips");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", label);
  group.dataset.filter = key;
  group.append(el("span", "lb-chips__label", label));
  const values = items.map((x) => x.value);
  const buttons = items.map((item) => {
    const b = el("button", "lb-chip", item.text);
    b.type = "button";
    b.value = item.value;
    if (item.title) b.title = item.title;
    b.addEventListener("click", () => {
      const was = state[key] || [];
      const on = was.includes(item.value) ? was.filter((v) => v !== item.value) : was.concat([item.value]);
      state[key] = on.length ? values.filter((v) => on.includes(v)) : null;
      show();
      update(false);
    });
    return b;
  });
  function show() {
    for (const b of buttons) b.setAttribute("aria-pressed", String(Boolean(state[key] && state[key].includes(b.value))));
  }
  group.append(...buttons);
  show();
  return { group, show };
}

/* The filters behind the "Filters" button: precision, weight type, chat template, the "Show"
   switches. Returns the panel and the number of filters that differ from the default view. */
function filterPanel(ds, state, update) {
  const N = ds.names;
  const panel = el("div", "lb-filterpanel");
  panel.id = "lb-filter-panel";
  panel.hidden = true;
  panel.append(
    checkGroup(state, update, N.precision, "prec", distinct(ds, N.precision)),
    checkGroup(state, update, N.weight_type, "wt", distinct(ds, N.weight_type)),
  );
  const other = el("fieldset", "lb-fieldset");
  other.append(el("legend", "", "Show"));
  const chatLabel = el("label", "lb-check", "Chat template ");
  const chat = el("select");
  chat.id = "lb-chat";
  for (const [value, text] of [["any", "with or without"], ["yes", "with"], ["no", "without"]]) {
    const opt = el("option", "", text);
    opt.value = value;
    chat.append(opt);
  }
  chat.value = state.chat;
  chat.addEventListener("change", () => { state.chat = chat.value; update(false); });
  chatLabel.append(chat);
  other.append(chatLabel);
  const toggles = SHOW.concat([["choice", "Only maintainer's choice", false]]);
  for (const [key, text] of toggles) {
    other.append(choice({
      name: key, checked: state[key], text: key === "flagged" ? text + " (⚑, never ranked)" : text,
      onChange: (box) => { state[key] = box.checked; update(false); },
    }));
  }
  panel.append(other);
  const changed = () => (state.prec ? 1 : 0) + (state.wt ? 1 : 0) + (state.chat !== "any" ? 1 : 0) +
    toggles.filter(([key, , byDefault]) => state[key] !== byDefault).length;
  return { panel, changed };
}

/* The column chooser: every column but the raw scores, their standard errors, the two that are
   always shown, and the row id and full name, which are for scripts (the downloads have them). */
function columnChooser(ds, state, update) {
  const N = ds.names;
  const chooser = el("div", "lb-columns");
  const toggle = el("button", "md-button", "Columns");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", "false");
  const list = el("div", "lb-columns__list");
  list.hidden = true;
  const showList = (open) => {
    list.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => showList(list.hidden));
  chooser.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { showList(false); toggle.focus(); }
  });
  chooser.addEventListener("focusout", (ev) => {
    if (!chooser.contains(ev.relatedTarget)) showList(false);
  });
  const order = ds.columns.map((x) => x.name);
  const never = [N.emoji, N.model, N.id, N.full_name];
  for (const c of ds.columns) {
    if (c.group === "raw" || c.group === "stderr" || never.includes(c.name)) continue;
    const label = choice({
      value: c.name, checked: state.cols.includes(c.name), text: c.name,
      onChange: (box) => {
        const set = state.cols.filter((x) => x !== c.name);
        if (box.checked) set.push(c.name);
        state.cols = order.filter((x) => set.includes(x));
        update(true);
      },
    });
    label.title = c.description;
    list.append(label);
  }
  chooser.append(toggle, list);
  return chooser;
}

function searchBox(state, update) {
  const box = el("input", "lb-search md-input");
  box.type = "search";
  box.id = "lb-search";
  // Not the header's search, which finds pages: this one filters the table's rows.
  box.placeholder = "Filter models: name; other name; Hub License: mit";
  box.setAttribute("aria-label", "Filter the table's models");
  box.setAttribute("aria-describedby", "lb-search-help");
  box.value = state.q;
  box.addEventListener("input", () => { state.q = box.value; update(false); });
  return box;
}

/* The size and type chips: the size classes the build generated (table/rows.py's SIZE_CLASSES),
   "Unknown" only where some row has no size; the types with their emoji, which makes the type
   chips the table's legend too. */
function chips(ds, state, update) {
  const N = ds.names;
  const sizes = ds.meta.size_classes.map((x) => ({ value: x.value, text: x.value, title: x.label + " parameters" }));
  const iSize = ds.ci[N.size_class];
  if (ds.rows.some((r) => !r[iSize])) sizes.push({ value: "", text: "Unknown", title: "No parameter count" });
  const types = Object.keys(ds.meta.types).map((t) => ({ value: t, text: ds.meta.types[t] + " " + t }));
  return [chipGroup(state, update, "Size", "size", sizes), chipGroup(state, update, N.type, "type", types)];
}

/* Builds the controls into a new element; returns it with the parts the table drives, and
   sync(), which shows a state changed from outside (the empty state's "show flagged rows"). */
export function buildControls(ds, state, update) {
  const controls = el("div", "lb-controls");
  const toolbar = el("div", "lb-toolbar");
  let filters = null;
  const filtersBtn = el("button", "lb-filters-toggle md-button");
  filtersBtn.type = "button";
  filtersBtn.setAttribute("aria-expanded", "false");
  filtersBtn.setAttribute("aria-controls", "lb-filter-panel");
  const badge = () => {
    const k = filters.changed();
    filtersBtn.textContent = "Filters" + (k ? " (" + k + " on)" : "");
  };
  const changed = (columns) => { badge(); update(columns); };
  filters = filterPanel(ds, state, changed);
  filtersBtn.addEventListener("click", () => {
    filters.panel.hidden = !filters.panel.hidden;
    filtersBtn.setAttribute("aria-expanded", String(!filters.panel.hidden));
  });
  const [size, type] = chips(ds, state, update);
  const help = el("p", "lb-help lb-sr-only", "Separate terms with “;”. Names are OR-ed; “Hub License: …” terms match the license; with both, a row needs one of each.");
  help.id = "lb-search-help";
  toolbar.append(searchBox(state, update), size.group, type.group, filtersBtn);
  controls.append(toolbar, help, filters.panel);
  badge();

  // View bar: raw/normalized, columns, export, count.
  const bar = el("div", "lb-bar");
  const mode = el("div", "lb-mode");
  mode.setAttribute("role", "radiogroup");
  mode.setAttribute("aria-label", "Scores");
  for (const [value, text] of [["norm", "Normalized"], ["raw", "Raw"]]) {
    mode.append(choice({
      type: "radio", name: "lb-mode", value, checked: (value === "raw") === state.raw, text,
      onChange: (r) => { state.raw = r.value === "raw"; update(true); },
    }));
  }
  const seLabel = choice({
    name: "se", checked: state.se, text: "± standard error", className: "lb-check lb-se-toggle",
    onChange: (box) => { state.se = box.checked; update(true); },
  });
  seLabel.title = "Show each score's standard error; the About page says how it is computed";
  const exportBtn = el("button", "md-button lb-export", "Export CSV");
  exportBtn.type = "button";
  const reset = el("a", "lb-reset", "Reset view");
  reset.href = location.pathname;
  const count = el("span", "lb-count");
  count.id = "lb-count";
  count.setAttribute("aria-live", "polite");
  const compare = el("a", "md-button lb-compare");
  compare.id = "lb-compare-link";
  bar.append(mode, seLabel, columnChooser(ds, state, update), exportBtn, compare, reset, count);
  controls.append(bar);
  const sync = () => { badge(); size.show(); type.show(); };
  return { controls, count, compare, exportBtn, sync };
}
