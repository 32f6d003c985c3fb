/* What the queue (data/queue.json) says of a leaderboard row id. The Queue page itself is
 * built with the site (site/templates/queue.html.j2); the model page asks this module why an
 * id has no row. */

/* The row id of a queue entry: the same rule as eval_name in scripts/leaderboard/table/rows.py. */
export function queueEvalName(e) {
  return String(e.model).replace("/", "_") + "_" + e.precision + "_" + String(e.revision).slice(0, 7) +
    "_" + (e.use_chat_template ? "chat" : "nochat");
}

/* The removed request whose row had this id, or null. */
export function removedEntry(queue, id) {
  let found = null;
  for (const e of Array.isArray(queue) ? queue : []) {
    if (e && e.removed_reason && queueEvalName(e) === id) found = e;
  }
  return found;
}
