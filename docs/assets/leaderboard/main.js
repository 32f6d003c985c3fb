/* The site's one script entry (mkdocs.yml: extra_javascript, type: module). It mounts the
 * interactive parts of whichever page is shown: the leaderboard table, a model page, the
 * comparison, the plot, the Performance page's curves, the Submit page's form.
 *
 * Material's instant navigation swaps the page's content without reloading scripts, so this
 * module runs once per full page load and mounts from Material's document$, which emits the
 * first page and then each page navigated to (a ReplaySubject: subscribing after the first
 * emission still receives it). The previous page's instances are destroyed first. Without
 * Material's document$ (another theme), the page is mounted once, when it is parsed. */
import { mountBench } from "./bench.js";
import { mountCompare } from "./compare.js";
import { mountModel } from "./model.js";
import { mountPlot } from "./plots.js";
import { mountSearchHint } from "./search-hint.js";
import { mountSubmit } from "./submit.js";
import { mountTable } from "./table.js";

/* Element id → its mount function, which returns the function that destroys it. */
const PARTS = [
  ["lb-table", mountTable],
  ["lb-model", mountModel],
  ["lb-plot", mountPlot],
  ["lb-compare", mountCompare],
  ["lb-bench", mountBench],
  ["lb-submit", mountSubmit],
];

let mounted = [];

/* Material's own parts, made accessible: its page-loading bar has no name, and its wide-table
   wrapper scrolls sideways on a phone, so a keyboard must be able to reach it. */
function labelMaterial() {
  const progress = document.querySelector(".md-progress");
  if (progress) progress.setAttribute("aria-label", "Loading the page");
  for (const w of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    w.tabIndex = 0;
    w.setAttribute("role", "region");
    w.setAttribute("aria-label", "Table (scrolls sideways)");
  }
}

function mountAll() {
  labelMaterial();
  for (const destroy of mounted) destroy();
  mounted = [];
  for (const [id, mount] of PARTS) {
    const host = document.getElementById(id);
    if (host) mounted.push(mount(host));
  }
  mountSearchHint();
}

if (window.document$) window.document$.subscribe(mountAll);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
