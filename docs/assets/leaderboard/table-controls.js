/* The controls above the leaderboard table: the search box, the filters, and the view bar
 * (normalized or raw, ±, columns, export, compare, reset, count). They change the view's state
 * and call update(columnsChanged); the table draws. */
import { choice, el, narrow } from "./dom.js";
import { distinct, SHOW } from "./table-state.js";

/* A fieldset of checkboxes, one per value, all ticked when the filter is off (state[key] null). */
function checkGroup(state, update, title, key, values, labels) {
  const fs = el("fieldset", "lb-fieldset");
  fs.dataset.filter = key;
  fs.append(el("legend", "", title));
  values.forEach((v, i) => {
    fs.append(choice({
      value: v,
      checked: !state[key] || state[key].includes(v),
      text: labels ? labels[i] : v,
      onChange: () => {
        const on = [...fs.querySelectorAll("input")].filter((b) => b.checked).map((b) => b.value);
        state[key] = on.length === values.length ? null : on;
        update(false);
      },
    }));
  });
  return fs;
}

function filterPanel(ds, state, update) {
  const N = ds.names;
  // The filters fold away: on a phone they would fill the first screen before any score.
  const panel = el("details", "lb-filterbox");
  panel.open = !narrow();
  const filters = el("div", "lb-filters");
  panel.append(el("summary", "lb-filterbox__summary", "Filters"), filters);
  const types = Object.keys(ds.meta.types);
  const sizes = ds.meta.size_classes.concat([{ value: "", label: "Unknown size" }]);
  filters.append(
    checkGroup(state, update, N.type, "type", types, types.map((t) => ds.meta.types[t] + " " + t)),
    checkGroup(state, update, N.precision, "prec", distinct(ds, N.precision)),
    checkGroup(state, update, N.weight_type, "wt", distinct(ds, N.weight_type)),
    checkGroup(state, update, "Size", "size", sizes.map((x) => x.value), sizes.map((x) => x.label)),
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
  const toggles = SHOW.concat([["choice", "Only maintainer's choice"]]);
  for (const [key, text] of toggles) {
    other.append(choice({
      name: key, checked: state[key], text,
      onChange: (box) => { state[key] = box.checked; update(false); },
    }));
  }
  filters.append(other);
  return panel;
}

/* The column chooser: every column but the raw scores, their standard errors, and the two
   that are always shown. */
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
  for (const c of ds.columns) {
    if (c.group === "raw" || c.group === "stderr" || c.name === N.emoji || c.name === N.model) continue;
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

/* Builds the controls into a new element; returns it with the parts the table drives. */
export function buildControls(ds, state, update) {
  const controls = el("div", "lb-controls");
  const searchBox = el("input", "lb-search md-input");
  searchBox.type = "search";
  searchBox.id = "lb-search";
  // Not the header's search, which finds pages: this one filters the table's rows.
  searchBox.placeholder = "Filter models: name; other name; Hub License: mit";
  searchBox.setAttribute("aria-label", "Filter the table's models");
  searchBox.setAttribute("aria-describedby", "lb-search-help");
  searchBox.value = state.q;
  searchBox.addEventListener("input", () => { state.q = searchBox.value; update(false); });
  const help = el("p", "lb-help", "Separate terms with “;”. Names are OR-ed; “Hub License: …” terms match the license; with both, a row needs one of each.");
  help.id = "lb-search-help";
  controls.append(searchBox, help, filterPanel(ds, state, update));

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

  const legend = el("p", "lb-legend");
  for (const t of Object.keys(ds.meta.types)) legend.append(el("span", "", ds.meta.types[t] + " " + t));
  legend.append(el("span", "lb-flag-legend", "⚑ flagged (not ranked)"));
  controls.append(legend);
  return { controls, count, compare, exportBtn };
}
