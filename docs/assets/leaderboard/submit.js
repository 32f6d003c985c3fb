/* The Submit page's form (site/templates/submit.html.j2): it writes the request file exactly as
 * `leaderboard submit` writes it, at its canonical path, and opens GitHub's "new file" page for
 * the leaderboard's repository with both filled in, so that GitHub makes the fork and the pull
 * request; CI then checks it like any other.
 *
 * Everything about the file comes from the build (site/submit_form.py): the keys in order, the
 * fixed lines, the shapes of ids, the Hub to ask. Values are checked against those shapes before
 * anything is written, and the YAML writer itself refuses any character outside them, so no
 * input can add a key or a line to the file. */
import { el, isHttp } from "./dom.js";

/* PyYAML's implicit types (its resolver's patterns, YAML 1.1): a string that reads as one of
   them is written in single quotes, as yaml.safe_dump writes it; any other safe string plain. */
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];
/* Every value the form writes fits this: ids, shas, logins, the lists' values, a UTC time. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/* A float as PyYAML writes it: Python's repr (the shortest digits that read back, fixed-point
   from 1e-4 to 1e16, else d.ddde±XX), lower case, with ".0" before an exponent that has no point. */
export function pyFloat(x) {
  if (!isFinite(x)) throw new Error("refusing to write " + x + " into a request file");
  const [digits, exp] = x.toExponential().split("e");
  const e = Number(exp);
  let text;
  if (e >= -4 && e < 16) {
    text = String(x); // JavaScript's fixed-point range covers Python's
    if (!/\./.test(text)) text += ".0";
  } else {
    text = digits + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
    if (!/\./.test(digits)) text = text.replace("e", ".0e");
  }
  return text;
}

export function yamlScalar(value) {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pyFloat(value);
  const s = String(value);
  if (!SAFE.test(s)) throw new Error("refusing to write " + JSON.stringify(s) + " into a request file");
  return IMPLICIT.some((re) => re.test(s)) ? "'" + s + "'" : s;
}

/* The file: the layout's fixed lines as they are, the form's keys with their values; a key the
   form has no value for (base_model for full weights) is left out, as exclude_none leaves it. */
export function requestYaml(layout, values) {
  const lines = [];
  for (const [key, line] of layout) {
    if (line !== null) { lines.push(line); continue; }
    const v = values[key];
    if (v === null || v === undefined || v === "") continue;
    lines.push(key + ": " + yamlScalar(v));
  }
  return lines.join("\n") + "\n";
}

/* core/ids.py: requests/<org>/<model>/<sha>_<precision>_<chat|nochat>.yaml. */
export function requestPath(dir, values) {
  return dir + "/" + values.model + "/" + values.revision + "_" + values.precision + "_" +
    (values.use_chat_template ? "chat" : "nochat") + ".yaml";
}

/* A time as request files store it: 2026-01-31T12:00:00Z, to the second. */
export function utcSeconds(date) {
  return date.toISOString().slice(0, 19) + "Z";
}

/* GitHub's "create new file" page on the default branch, with the path and the content; for a
   reader who cannot push there, GitHub forks the repository and proposes the file as a pull
   request. null when the repository is not on github.com. */
export function newFileURL(repo, branch, path, text) {
  const m = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(repo || "");
  if (!m) return null;
  return "https://github.com/" + m[1] + "/" + m[2] + "/new/" + encodeURIComponent(branch) +
    "?filename=" + encodeURIComponent(path) + "&value=" + encodeURIComponent(text);
}

/* The Hub's model info at a revision (GET /api/models/{id}/revision/{rev}, what huggingface_hub's
   model_info asks): its full commit, and its safetensors parameter counts by dtype when the Hub
   has them; or an Error whose message says why not. */
export function modelInfo(hub, model, revision) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 15000);
  const url = hub + "/api/models/" + model + "/revision/" + encodeURIComponent(revision);
  return fetch(url, { signal: ctrl.signal, credentials: "omit" }).then((r) => {
    if (r.status === 404 || r.status === 401) {
      const code = r.headers.get("X-Error-Code");
      throw new Error(code === "RevisionNotFound" ? "the Hub has no revision “" + revision + "” of " + model
        : "the Hub has no public model " + model);
    }
    if (!r.ok) throw new Error("the Hub answered HTTP " + r.status);
    return r.json();
  }).then((info) => {
    const sha = info && info.sha;
    if (typeof sha !== "string" || !/^[0-9a-f]{40}$/.test(sha)) throw new Error("the Hub gave no commit id");
    const counts = info.safetensors && info.safetensors.parameters;
    return { sha, counts: counts && typeof counts === "object" ? counts : null };
  }).finally(() => clearTimeout(timer));
}

/* The request's params: the parameters its evaluation loads, in billions to the thousand, as
   leaderboard submit writes them (core/plan.py planned_params and params_in_billions; GPTQ's
   int32 weights hold eight 4-bit ones). toFixed rounds the float's exact value, as Python's
   round does: no tie is possible at 6 decimals of p / 1e9. null without counts. */
export function paramsBillions(counts, precision) {
  if (!counts) return null;
  const values = Object.keys(counts).map((k) => counts[k]);
  if (!values.length || values.some((v) => !Number.isSafeInteger(v) || v < 0)) return null;
  let total = values.reduce((a, b) => a + b, 0);
  if (precision === "gptq") total += 7 * (Number.isSafeInteger(counts.I32) ? counts.I32 : 0);
  return Number((total / 1e9).toFixed(6));
}

/* A full commit id, which needs no Hub to pin. */
const FULL_SHA = /^[0-9a-f]{40}$/;

/* What the Hub says of the model and, for an adapter or a delta, of its base: each pinned to
   its full commit (revision, base_revision), and the parameter counts the evaluation loads (the
   model's, or the base's at its pinned commit: hub/sizes.py loaded_params). A full commit id is
   used as given when the Hub cannot be asked; anything else, or a model the Hub does not have,
   is an Error naming the field to change. */
function pin(hub, values) {
  const ask = (field, model, rev) => modelInfo(hub, model, rev).catch((err) => {
    if (FULL_SHA.test(rev) && !/^the Hub has no/.test(err.message)) return { sha: rev, counts: null, offline: err };
    err.field = field;
    throw err;
  });
  return ask("revision", values.model, values.revision).then((info) => {
    if (values.base_model === null) return [info, null];
    return ask("base_revision", values.base_model, values.base_revision).then((base) => [info, base]);
  });
}

function fieldError(input, message) {
  const field = input.closest(".lb-field");
  let p = field.querySelector(".lb-field__error");
  if (!p) {
    p = el("span", "lb-field__error");
    p.id = input.id + "-error";
    field.append(p);
  }
  p.textContent = message || "";
  p.hidden = !message;
  input.setAttribute("aria-invalid", String(Boolean(message)));
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== p.id);
  if (message) described.push(p.id);
  input.setAttribute("aria-describedby", described.join(" "));
  return !message;
}

/* Checks the form's values against the shapes the schema enforces (core/models/types.py),
   field by field; returns the values, or null with each problem shown under its field. */
function readForm(form, cfg) {
  const f = form.elements;
  const shape = (name) => new RegExp(cfg.patterns[name]);
  const modelId = (v) => shape("model").test(v) && !v.includes("--") && !v.includes("..") &&
    !v.toLowerCase().endsWith(".git");
  const values = {
    model: f.model.value.trim(),
    revision: f.revision.value.trim() || "main",
    precision: f.precision.value,
    weight_type: f.weight_type.value,
    base_model: f.weight_type.value === "Original" ? null : f.base_model.value.trim(),
    base_revision: f.weight_type.value === "Original" ? null : f.base_revision.value.trim() || "main",
    model_type: f.model_type.value,
    use_chat_template: f.use_chat_template.checked,
    submitter: f.submitter.value.trim().replace(/^@/, ""),
    // Written only when asked, as leaderboard submit --eval-results-pr writes it.
    eval_results_pr: f.eval_results_pr && f.eval_results_pr.checked ? true : null,
  };
  let ok = fieldError(f.model, modelId(values.model) ? "" :
    "Give the model's Hub id, organisation/name: letters, digits, “-”, “_” and “.”.");
  const rev = (v) => /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(v) ? "" :
    "Give a branch, a tag or a commit id: letters, digits, “-”, “_”, “.” and “/”.";
  ok = fieldError(f.revision, rev(values.revision)) && ok;
  ok = fieldError(f.base_revision, values.base_revision === null ? "" : rev(values.base_revision)) && ok;
  if (values.base_model !== null) {
    ok = fieldError(f.base_model, !modelId(values.base_model) ? "Adapters and deltas name their base model: its Hub id, organisation/name."
      : values.base_model === values.model ? "The base model is another model than this one." : "") && ok;
  } else fieldError(f.base_model, "");
  ok = fieldError(f.submitter, shape("login").test(values.submitter) ? "" :
    "Give your GitHub login (letters, digits and single hyphens): the pull request must come from it.") && ok;
  return ok ? values : null;
}

function copyButton(text) {
  const b = el("button", "md-button lb-copy", "Copy the file");
  b.type = "button";
  b.addEventListener("click", () => {
    const done = () => { b.textContent = "Copied"; };
    const fail = () => { b.textContent = "Select the text to copy"; };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text()).then(done, fail);
    else fail();
  });
  return b;
}

/* The file, its path, and the link that opens it on GitHub. submitted_at is the time the link
   is followed: validation wants it within 60 minutes of the commit that adds the file. */
function showResult(box, cfg, values) {
  const file = () => {
    values.submitted_at = utcSeconds(new Date());
    return requestYaml(cfg.layout, values);
  };
  const path = requestPath(cfg.requests_dir, values);
  const pre = el("pre", "lb-submit__yaml");
  const code = el("code", "", file());
  pre.append(code);
  box.replaceChildren(el("p", "", "The request file, at "), pre);
  box.firstChild.append(el("code", "lb-submit__path", path), ":");
  const url = () => newFileURL(cfg.repo, cfg.branch, path, code.textContent);
  if (url()) {
    const go = el("a", "md-button md-button--primary lb-submit__open", "Open it on GitHub as a pull request");
    go.href = url();
    go.target = "_blank";
    go.rel = "noopener";
    go.addEventListener("click", () => { code.textContent = file(); go.href = url(); });
    box.append(el("p", "lb-submit__go", ""), el("p", "lb-note",
      "GitHub shows the file ready to commit: choose “Propose changes” (it forks the repository for you), then " +
      "“Create pull request”. CI checks it and comments on the pull request. Commit it within the hour: " +
      "the file's submitted_at must be within 60 minutes of your commit (press “Prepare the request” again if you wait longer)."));
    box.querySelector(".lb-submit__go").append(go, " ", copyButton(() => code.textContent));
  } else {
    box.append(el("p", "lb-note", "This leaderboard's repository is not on github.com (settings: repo_url), so " +
      "there is no page to open: add this file at that path in a pull request yourself."), copyButton(() => code.textContent));
  }
  box.hidden = false;
}

export function mountSubmit(host) {
  const cfg = JSON.parse(host.dataset.config);
  const form = host;
  const status = form.querySelector(".lb-submit__status");
  const result = form.querySelector(".lb-submit__result");
  const baseFields = form.querySelectorAll("[data-needs-base]");
  const weights = form.elements.weight_type;
  const showBase = () => { for (const b of baseFields) b.hidden = weights.value === "Original"; };
  weights.addEventListener("change", showBase);
  showBase();
  let alive = true;
  const onSubmit = (ev) => {
    ev.preventDefault();
    result.hidden = true;
    const values = readForm(form, cfg);
    if (!values) { status.textContent = "Some fields need a change: see the messages under them."; return; }
    const asked = { revision: values.revision, base_revision: values.base_revision };
    status.textContent = "Asking the Hub (" + cfg.hub + ") for the commit of “" + asked.revision + "”…";
    pin(cfg.hub, values).then(([info, base]) => {
      if (!alive) return;
      values.revision = info.sha;
      if (base) values.base_revision = base.sha;
      values.params = paramsBillions(base ? base.counts : info.counts, values.precision);
      const offline = info.offline || (base && base.offline);
      status.textContent = offline
        ? "The Hub could not be asked (" + offline.message + "); the full commit ids are used as given."
        : "“" + asked.revision + "” is commit " + info.sha + " on the Hub" +
          (base ? "; the base model's “" + asked.base_revision + "” is " + base.sha : "") + ".";
      showResult(result, cfg, values);
    }, (err) => {
      if (!alive) return;
      status.textContent = "";
      const field = err.field || "revision";
      const model = field === "revision" ? values.model : values.base_model;
      const hint = /^the Hub has no/.test(err.message) ? "Check the model's id and the revision."
        : "Give the full 40-character commit id instead: on the model's Hub page, open “Files and versions”, " +
          "then “History”, and copy the commit's id (or run: git ls-remote " + cfg.hub + "/" + model + " " + asked[field] + ").";
      fieldError(form.elements[field], "Could not find the commit of “" + asked[field] + "”: " + err.message + ". " + hint);
    });
  };
  form.addEventListener("submit", onSubmit);
  if (!isHttp(cfg.hub)) status.textContent = "No Hub address is set: give a full commit id as the revision.";
  form.dataset.ready = "1";
  return () => { alive = false; form.removeEventListener("submit", onSubmit); weights.removeEventListener("change", showBase); };
}
