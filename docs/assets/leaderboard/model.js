/* The model page (model/?id=<eval_name>): one page renders any row, from data/table.json and
 * data/provenance.json; an id with no row says what became of it (queue.js: failed, waiting,
 * running or removed, from data/queue.json). */
import { el, extLink, isHttp, kvTable, repoLink, section } from "./dom.js";
import { fetchJSON, hubHref, loadDataset, modelHref, own, siteURL } from "./data.js";
import { formatter, paramsText, withSE } from "./format.js";
import { barCanvas, chartLib, errorBars, typeColor, Z95 } from "./charts.js";
import { describeEntry, queueEntry } from "./queue.js";
import { modelRows } from "./rows-info.js";

/* Which models this one cannot be told apart from: its rank band (table/bands.py). */
function bandNote(ds, r) {
  const N = ds.names;
  const band = ds.get(r, N.band);
  const p = el("p", "lb-band");
  if (band === null || band === undefined) {
    p.textContent = ds.get(r, N.flagged) ? "" : "No rank band: lm-eval gave no standard error for every score of this row, so its average has no ± either.";
    return p;
  }
  const iBand = ds.ci[N.band];
  const same = ds.rows.filter((row) => row[iBand] === band).length;
  p.textContent = "Rank band " + band + ": " + (same === 1 ? "no other model's average is within noise of this band's top model."
    : (same - 1) + " other " + (same === 2 ? "model shares" : "models share") + " it, with averages within noise (overlapping 95% intervals) of the band's top model. ");
  const about = el("a", "", "How bands are made");
  about.href = siteURL("about/#uncertainty");
  p.append(about);
  return p;
}

/* The row an old model-page id now lives at, after a rename: the id is the old name with
   '/' as '_', then the row's own precision_sha_chat suffix, and the old name is among the
   row's former names. */
function renamedTo(ds, id) {
  const N = ds.names;
  for (let r = 0; r < ds.rows.length; r++) {
    const aliases = String(ds.get(r, N.aliases) || "");
    if (!aliases) continue;
    const current = String(ds.get(r, N.id)), model = String(ds.get(r, N.model));
    const suffix = current.slice(model.length);
    for (const old of aliases.split(", ")) {
      if (old && id === old.replace("/", "_") + suffix) return current;
    }
  }
  return null;
}

/* An id with no row: what the queue knows of it (a failure and its reason, a request still
   waiting or running, a removal and why), else a plain "no row"; and the model's other rows. */
function missing(host, ds, id, queue) {
  const entry = queueEntry(queue, id);
  const p = el("p", "lb-missing");
  if (entry && entry.removed_reason) {
    p.append("“" + entry.model + "” (" + entry.precision + ", commit " + String(entry.revision).slice(0, 12) +
      ") was removed from the leaderboard" + (entry.removed_at ? " on " + String(entry.removed_at).slice(0, 10) : "") +
      ": " + entry.removed_reason + ". Its request file stays in the repository: ");
    p.append(el("code", "", entry.request), ". ");
  } else if (entry) {
    const h1 = document.querySelector(".md-content h1");
    if (h1) h1.textContent = entry.model;
    document.title = entry.model + " - " + (ds.meta.title || "Leaderboard");
    host.append(describeEntry(entry, ds.meta.repo_url));
    const iModel = ds.ci[ds.names.model];
    if (ds.rows.some((row) => row[iModel] === entry.model)) {
      section(host, "Rows of this model on the leaderboard");
      host.append(otherRows(ds, -1, entry.model));
    }
    return;
  } else {
    p.append("No leaderboard row is called “" + id + "”, and the queue has no request by that name. " +
      "Check the address, or search the table: ");
  }
  const back = el("a", "", "back to the leaderboard");
  back.href = siteURL("");
  p.append(back);
  host.append(p);
}

/* Per-sample outputs: a link when they are on the Hub; where they are kept, otherwise. */
function detailsCell(details) {
  if (!details) return null;
  if (isHttp(details)) return extLink(details, details);
  const box = el("span");
  box.append(el("code", "", details), " in the runner's checkout: the local details store " +
    "keeps them on the runner's disk, outside git and this site. Ask its operator for the " +
    "files (in the demo: demo/leaderboard/" + details + "), or set settings.details to a Hub " +
    "dataset to publish and link them.");
  return box;
}

/* The command in full (it wraps, never scrolls out of sight), a copy button, and the Hub
   it needs when the model files did not come from huggingface.co. */
function reproduceBlock(command) {
  const box = el("div", "lb-reproduce");
  const pre = el("pre", "lb-reproduce__cmd");
  pre.append(el("code", "", command || "—"));
  const copy = el("button", "md-button lb-copy", "Copy command");
  copy.type = "button";
  copy.addEventListener("click", () => {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(command).then(
        () => { copy.textContent = "Copied"; },
        () => { copy.textContent = "Select the text to copy"; });
    } else copy.textContent = "Select the text to copy";
  });
  box.append(pre, copy);
  const hub = /^export HF_ENDPOINT=(\S+)/.exec(command);
  if (hub) {
    const port = /:(\d+)\/?$/.exec(hub[1]);
    const note = el("p", "lb-note", "The model files came from the Hub at " + hub[1] + ", not huggingface.co " +
      "(HF_ENDPOINT): the command needs that Hub running. For the demo's models, serve the demo's local Hub first: ");
    note.append(el("code", "", "leaderboard devhub serve --root demo/hub" + (port ? " --port " + port[1] : "") + " &"));
    box.append(note);
  }
  return box;
}

function head(ds, g, jsonPath) {
  const N = ds.names;
  const p = el("p", "lb-model-head");
  p.append(document.createTextNode(g(N.type) + " · " + g(N.precision) + " · commit " + String(g(N.sha)).slice(0, 12) +
    (g(N.chat) ? " · with chat template" : " · without chat template") + " · "));
  p.append(extLink(hubHref(g(N.model)), "on the Hub"));
  if (jsonPath) {
    // Every row of this model with every column, for scripts (the build writes one per model).
    const json = el("a", "lb-model-json", "this model's data (JSON)");
    json.href = siteURL(jsonPath.replace("{model}", String(g(N.model))));
    json.type = "application/json";
    p.append(" · ", json);
  }
  return p;
}

function flagBox(ds, g) {
  const N = ds.names;
  const warn = el("div", "admonition warning lb-flag-box");
  warn.append(el("p", "admonition-title", "Flagged: " + (g(N.flag_category) || "")));
  const p = el("p");
  const discussion = g(N.flag_discussion);
  if (isHttp(discussion)) p.append("See the discussion: ", extLink(discussion, discussion));
  else p.textContent = "Flagged automatically: the model card calls it a merge, but its declared type is " + g(N.type) + ".";
  warn.append(p);
  return warn;
}

function ranksNote(ds, g) {
  const N = ds.names;
  const unflagged = (key) => {
    const v = g(key), iKey = ds.ci[key], iFlag = ds.ci[N.flagged];
    return ds.rows.filter((row) => !row[iFlag] && row[iKey] === v).length;
  };
  const sizeRank = g(N.rank_in_size);
  return el("p", "lb-ranks", g(N.flagged) ? "Flagged rows are not ranked." :
    "Rank " + g(N.rank_in_type) + " of " + unflagged(N.type) + " among " + g(N.type) + " models; rank " +
    (sizeRank === null ? "—" : sizeRank + " of " + unflagged(N.size_class)) +
    " in its size class (" + (g(N.size_class) || "unknown size") + ").");
}

function scoresTable(ds, g) {
  const N = ds.names;
  const fmt = formatter(ds);
  const st = el("table");
  const thead = el("thead"), tr = el("tr");
  for (const h of ["Benchmark", "Normalized (0–100) ± SE", "Raw (0–1) ± SE"]) tr.append(el("th", "", h));
  thead.append(tr);
  const tb = el("tbody");
  const cell = (name) => el("td", "lb-num", withSE(fmt, ds.column(name), g(name), g(ds.seName(name))) || "—");
  for (const b of ds.meta.benchmarks) {
    const row = el("tr");
    row.append(el("td", "", b), cell(b), cell(ds.rawName(b)));
    tb.append(row);
  }
  const avg = el("tr", "lb-avg");
  avg.append(el("td", "", "Average"), cell(N.average), el("td"));
  tb.append(avg);
  st.append(thead, tb);
  // Material lets a wide table scroll sideways on a phone; a keyboard must reach it to scroll.
  st.tabIndex = 0;
  st.setAttribute("aria-label", "Scores (scrolls sideways on a small screen)");
  return st;
}

/* The model's rows other than r (all of them with r = -1), each linked to its page. */
function otherRows(ds, r, model) {
  const N = ds.names, ci = ds.ci;
  const name = model === undefined ? ds.get(r, N.model) : model;
  const others = [];
  ds.rows.forEach((row, k) => { if (k !== r && row[ci[N.model]] === name) others.push(k); });
  if (!others.length) return el("p", "", "None: this is its only evaluation.");
  const latest = modelRows(ds).latest;
  const ul = el("ul", "lb-others");
  for (const k of others) {
    const o = (c) => ds.get(k, c);
    const li = el("li"), a = el("a");
    a.href = modelHref(o(N.id));
    a.textContent = o(N.precision) + " · " + String(o(N.sha)).slice(0, 12) + (o(N.chat) ? " · chat template" : "");
    const avg = o(N.average);
    li.append(a, document.createTextNode(" — average " + (avg === null ? "—" : avg.toFixed(2)) +
      (o(N.flagged) ? " (flagged)" : "") + (latest[k] ? " · the latest commit" : "")));
    ul.append(li);
  }
  return ul;
}

/* Where the runner pools placed the run (settings' runner_pools, core/plan.py): the pool, one
   GPU or the model split across its GPUs, and the most GPU memory it held; results recorded
   before there were pools have none of these. */
function poolFacts(ds, pv) {
  const N = ds.names;
  const pool = pv(N.pool), parallel = pv(N.parallelism), peak = pv(N.peak_memory);
  const out = [];
  if (pool) {
    const how = { single: ", on one GPU", model: ", the model split across the pool's GPUs" }[parallel] || "";
    out.push([N.pool, pool + how]);
  }
  if (typeof peak === "number") out.push(["Peak GPU memory", peak.toFixed(1) + " GB"]);
  return out;
}

function provenanceTable(ds, pv) {
  const N = ds.names;
  const repo = ds.meta.repo_url;
  return kvTable([
    [N.request_file, repoLink(repo, pv(N.request_file))],
    [N.result_file, repoLink(repo, pv(N.result_file))],
    [N.attempt, pv(N.attempt)],
    [N.suite, (pv(N.suite) || "") + " version " + (pv(N.suite_version) || "?")],
    [N.lm_eval_version, pv(N.lm_eval_version)],
    ["Evaluated at (UTC)", pv(N.evaluated_at)],
    [N.submitter, pv(N.submitter)],
    ["Ran on", [pv(N.hardware), pv(N.device) && pv(N.hardware) ? "(" + pv(N.device) + ")" : pv(N.device)]
      .filter(Boolean).join(" ") + (pv(N.batch_size) ? ", batch size " + pv(N.batch_size) : "") || null],
    ...poolFacts(ds, pv),
    ["Details (per-sample outputs)", detailsCell(pv(N.details))],
    ["Signature", attestationCell(pv(N.attestation))],
  ]);
}

/* "attested" (linking GitHub's page of the signed attestation) or "not attested". */
function attestationCell(url) {
  if (!url) return "not attested";
  const box = el("span", "", "attested: ");
  box.append(isHttp(url) ? extLink(url, "the signed attestation") : el("code", "", url));
  return box;
}

/* The exact `gh attestation verify` command, and what a signature does and does not prove. */
function verifyBlock(command) {
  if (!command) return [];
  return [
    el("h3", "", "Check the signature (GitHub CLI, in a clone of the repository)"),
    reproduceBlock(command),
    el("p", "lb-note", "It proves the result file came, byte for byte, from this repository's " +
      "evaluate workflow in the run its attestation names; not that the evaluation itself " +
      "was honest, ran on the declared hardware, or that the tasks were uncontaminated."),
  ];
}

function hubFacts(ds, g) {
  const N = ds.names;
  const yes = (name) => (g(name) ? "yes" : "no");
  const co2 = formatter(ds)(ds.column(N.co2), g(N.co2)) || null; // as the table shows it
  return kvTable([
    ["License", g(N.license)], ["Parameters", paramsText(g(N.params), g(N.weight_type) === "Adapter")],
    [N.architecture, g(N.architecture)],
    [N.weight_type, g(N.weight_type)], ["Base model", g(N.base_model)], [N.generation, g(N.generation)],
    [N.merged, yes(N.merged)], [N.moe, yes(N.moe)], ["Likes", g(N.likes)],
    ["Available on the Hub", yes(N.available)],
    ["Uploaded to the Hub", g(N.uploaded)], ["Submitted", g(N.submitted)],
    ["Maintainer's choice", yes(N.highlight)],
    ["Former names", g(N.aliases)], ["CO₂ cost (kg, estimate)", co2],
  ]);
}

function render(host, ds, prov, r) {
  const N = ds.names;
  const id = ds.get(r, N.id);
  const g = (name) => ds.get(r, name);
  const pr = own(prov.rows, id) || [];
  const pv = (name) => pr[prov.columns.indexOf(name)];
  const name = g(N.model);
  const h1 = document.querySelector(".md-content h1");
  if (h1) h1.textContent = g(N.emoji) + " " + name;
  document.title = name + " - " + (ds.meta.title || "Leaderboard");
  const top = head(ds, g, ds.meta.model_json);
  const info = modelRows(ds);
  if (info.latest[r]) top.append(" · the latest commit of this model");
  else if (info.multi[r] && ds.rows.some((row, k) => info.latest[k] && row[ds.ci[N.model]] === name)) {
    top.append(" · an older commit of this model (its other rows are below)");
  }
  host.append(top);
  if (g(N.flagged)) host.append(flagBox(ds, g));
  section(host, "Scores");
  host.append(ranksNote(ds, g), bandNote(ds, r), scoresTable(ds, g));
  const canvas = barCanvas(host, "Normalized scores, with 95% intervals as error bars");
  const Chart = chartLib();
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels: ds.meta.benchmarks.concat(["Average"]),
            datasets: [{ label: "Normalized score", data: ds.meta.benchmarks.map(g).concat([g(N.average)]),
                         errors: ds.meta.benchmarks.concat([N.average]).map((b) => {
                           const se = g(ds.seName(b));
                           return typeof se === "number" ? Z95 * se : null;
                         }),
                         backgroundColor: typeColor(ds.meta, g(N.type)) }] },
    options: { indexAxis: "y", responsive: true, aspectRatio: 3, scales: { x: { min: 0, max: 100 } },
               plugins: { legend: { display: false } } },
    plugins: [errorBars],
  });
  section(host, "Other rows of this model");
  host.append(otherRows(ds, r));
  section(host, "Provenance");
  host.append(provenanceTable(ds, pv), el("h3", "", "Reproduce with plain lm_eval"), reproduceBlock(pv(N.reproduce) || ""),
    ...verifyBlock(pv(N.verify)));
  section(host, "Hub facts at evaluation time");
  host.append(hubFacts(ds, g));
  return chart;
}

export function mountModel(host) {
  let chart = null, alive = true;
  const id = new URLSearchParams(location.search).get("id") || "";
  Promise.all([
    loadDataset(siteURL(host.dataset.src)),
    fetchJSON(siteURL(host.dataset.provenance)),
  ]).then(([ds, prov]) => {
    if (!alive) return;
    host.replaceChildren();
    const r = ds.byName.get(id);
    if (r !== undefined) {
      chart = render(host, ds, prov, r);
      host.dataset.ready = "1";
      return;
    }
    const moved = renamedTo(ds, id);
    if (moved) {
      // A renamed model keeps its old links working: the old row id names the old model.
      location.replace(siteURL("model/") + "?id=" + encodeURIComponent(moved));
      return;
    }
    return fetchJSON(siteURL(host.dataset.queue)).catch(() => []).then((queue) => {
      if (!alive) return;
      missing(host, ds, id, queue);
      host.dataset.ready = "1";
    });
  }).catch((err) => { host.textContent = "Could not load the model: " + err.message; throw err; });
  return () => { alive = false; if (chart) chart.destroy(); delete host.dataset.ready; };
}
