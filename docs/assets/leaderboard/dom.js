/* DOM helpers shared by every page part.
 * Security: data from requests, cards and curation files only ever reaches the DOM through
 * textContent and attribute setters (never innerHTML); links are made only from http(s) URLs. */

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/* A labelled checkbox or radio button: <label class="lb-check"><input> text</label>.
 * opts: {type, name, value, checked, text, className, onChange(input)}. Returns the label;
 * its input is label.firstChild. */
export function choice({ type = "checkbox", name, value, checked = false, text, className = "lb-check", onChange }) {
  const label = el("label", className);
  const input = el("input");
  input.type = type;
  if (name !== undefined) input.name = name;
  if (value !== undefined) input.value = value;
  input.checked = checked;
  if (onChange) input.addEventListener("change", () => onChange(input));
  label.append(input, document.createTextNode(" " + text));
  return label;
}

export function isHttp(url) {
  return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/.test(url);
}

/* A link when the URL is http(s); otherwise the text alone. */
export function extLink(url, text) {
  if (!isHttp(url)) return document.createTextNode(text);
  const a = el("a", "", text);
  a.href = url;
  a.rel = "nofollow noopener";
  return a;
}

/* A repository file: a link into the repository when its address is known, else the path. */
export function repoLink(repoUrl, path) {
  if (!path) return "—";
  if (isHttp(repoUrl)) return extLink(repoUrl.replace(/\/$/, "") + "/blob/main/" + path, path);
  return el("code", "", path);
}

export function section(host, title) {
  host.append(el("h2", "", title));
}

/* A two-column table of [label, value] pairs; a value is text or a DOM node. */
export function kvTable(pairs) {
  const t = el("table");
  const body = el("tbody");
  for (const [label, value] of pairs) {
    const tr = el("tr");
    tr.append(el("th", "", label));
    const td = el("td");
    if (value instanceof Node) td.append(value);
    else td.textContent = value === null || value === undefined ? "—" : String(value);
    tr.append(td);
    body.append(tr);
  }
  t.append(body);
  return t;
}

/* Wide tables scroll sideways on a phone; a keyboard must reach the box to scroll it. */
export function scrollBox(child, label) {
  const box = el("div", "lb-scroll");
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", label + " (scrolls sideways)");
  box.append(child);
  return box;
}

export function narrow() {
  return window.matchMedia("(max-width: 600px)").matches;
}
