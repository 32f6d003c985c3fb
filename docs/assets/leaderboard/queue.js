/* What the queue (data/queue.json) says of a leaderboard row id. The Queue page itself is
 * built with the site (site/templates/queue.html.j2), and links every request to its model
 * page; for an id with no row, the model page shows what this module finds: a request that
 * failed (its reason, whose move it is, its log), one still waiting or running, or one removed. */
import { el, extLink, isHttp, kvTable, repoLink } from "./dom.js";
import { siteURL } from "./data.js";

/* The row id of a queue entry: the same rule as eval_name in scripts/leaderboard/table/rows.py. */
export function queueEvalName(e) {
  return String(e.model).replace("/", "_") + "_" + e.precision + "_" + String(e.revision).slice(0, 7) +
    "_" + (e.use_chat_template ? "chat" : "nochat");
}

/* The request whose row has (or would have) this id: the last one the queue lists, or null. */
export function queueEntry(queue, id) {
  let found = null;
  for (const e of Array.isArray(queue) ? queue : []) {
    if (e && typeof e === "object" && queueEvalName(e) === id) found = e;
  }
  return found;
}

/* The removed request whose row had this id, or null. */
export function removedEntry(queue, id) {
  const e = queueEntry(queue, id);
  return e && e.removed_reason ? e : null;
}

function day(t) {
  return t ? String(t).slice(0, 10) + " " + String(t).slice(11, 16) + " UTC" : "—";
}

/* One sentence on where the request stands, and whose move it is. */
function standing(e) {
  const what = "“" + e.model + "” (" + e.precision + ", commit " + String(e.revision).slice(0, 12) +
    (e.use_chat_template ? ", with its chat template" : "") + ")";
  if (e.status === "FAILED") {
    const whose = e.failure_category === "model"
      ? " The model must change: fix it on the Hub and submit the new commit (the FAQ lists the usual causes)."
      : e.failure_category === "infrastructure"
        ? " This was the evaluation's side, not the model's: the runner tries it again on its own."
        : "";
    return what + " has no score: its evaluation failed after " + e.attempts + " attempt(s)." + whose;
  }
  if (e.status === "PENDING") {
    const place = e.position ? ", #" + e.position + " in line" + (e.pool ? " for pool " + e.pool : "") : "";
    const start = e.estimated_start ? "; estimated start " + day(e.estimated_start) : "";
    return what + " has no score yet: it waits in the queue" + place + start + ".";
  }
  if (e.status === "RUNNING") {
    return what + " has no score yet: it is being evaluated" + (e.runner ? " on " + e.runner : "") +
      " since " + day(e.started_at) + ".";
  }
  return what + " has no row on the leaderboard yet: its result is not published.";
}

/* What the model page shows for a request without a row: the failure first, then the entry as
   the Queue page lists it. */
export function describeEntry(e, repoUrl) {
  const box = el("div", "lb-queue-entry");
  box.append(el("p", "lb-missing", standing(e)));
  if (e.status === "FAILED") {
    const warn = el("div", "admonition failure lb-failure");
    warn.append(el("p", "admonition-title", "Failure reason (" + (e.failure_category || "unknown") + ")"));
    warn.append(el("p", "lb-failure__reason", e.failure_reason || "No reason was recorded."));
    box.append(warn);
  }
  const log = isHttp(e.log_url) ? extLink(e.log_url, "the run's log") : null;
  box.append(el("h2", "", "Its queue entry"), kvTable([
    ["Status", e.status],
    ["Submitted", day(e.submitted_at) + (e.submitter ? " by " + e.submitter : "")],
    ["Model type", e.model_type + (e.weight_type && e.weight_type !== "Original" ? ", " + e.weight_type : "")],
    ["Attempts", String(e.attempts)],
    ["Runner", e.runner],
    ["Started", e.started_at ? day(e.started_at) : null],
    ["Finished", e.finished_at ? day(e.finished_at) : null],
    ["Log", log],
    ["Request", repoLink(repoUrl, e.request)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "")));
  const more = el("p");
  const section = { FAILED: "failed", PENDING: "pending", RUNNING: "running" }[e.status] || "";
  const queue = el("a", "", "the Queue page");
  queue.href = siteURL("queue/") + (section ? "#" + section : "");
  more.append("Every request, with its place and its history, is on ", queue, ".");
  box.append(more);
  return box;
}
