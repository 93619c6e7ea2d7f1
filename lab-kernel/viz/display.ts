// Rich output for the lab notebooks: mermaid diagrams and HTML tables.
//
// A Jupyter "display" is a MIME bundle: one object holding the same content in
// several formats, keyed by MIME type. Each front end picks the richest format
// it understands, so we offer:
//   text/vnd.mermaid  the raw definition; JupyterLab 4 has its own renderer for
//                     it (used when the HTML is not trusted),
//   text/html         a <pre> fallback plus a script that draws it with mermaid,
//   text/plain        the raw definition, for consoles and plain-text exports.
//
// Everything works offline: the mermaid library is not fetched from a CDN but
// copied, once, into the notebook's first diagram output.
//
// This file is compiled both by our strict tsc and by tslab's bundled
// TypeScript 5.0, so it sticks to plain, long-established syntax.

import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

// tslab compiles this file as if it sat in the notebook's folder, usually via
// a symlink to lab-kernel/, where node_modules may not be found. So packages
// are looked up from where this file really is.
const requireHere = createRequire(path.join(fs.realpathSync(__dirname), "display.ts"));

// tslab's public `display` API sends one MIME type per output. The function it
// uses underneath takes a whole bundle, so we call that one directly. It is
// the kernel's own module instance because the kernel runs from the same
// node_modules/tslab.
const jupyter: typeof import("tslab/dist/jupyter") = requireHere("tslab/dist/jupyter");

/** What earlier outputs have already put on the notebook page. */
export interface MermaidPage {
  libraryInlined: boolean;
}

// One kernel process produces the outputs of one notebook run, top to bottom.
const kernelPage: MermaidPage = { libraryInlined: false };

// Diagram ids come from a counter, never from the clock or randomness, so that
// a notebook run produces the same outputs every time.
let diagramCount = 0;

let mermaidLibrary: string | undefined;

/** The text of mermaid.min.js, read from node_modules on first use. */
function readMermaidLibrary(): string {
  if (mermaidLibrary === undefined) {
    const file = requireHere.resolve("mermaid/dist/mermaid.min.js");
    // "</script" would end the surrounding <script> element early.
    mermaidLibrary = fs.readFileSync(file, "utf8").replace(/<\/script/gi, "<\\/script");
  }
  return mermaidLibrary;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Classic Notebook loads RequireJS. The mermaid bundle notices its global
// `define` and registers itself as an AMD module instead of setting
// window.mermaid, so we hide `define` while the library runs. These are three
// separate scripts because the library declares top-level globals (it cannot
// be wrapped in a function), and so that `define` comes back even if it throws.
function libraryScripts(): string {
  return (
    "<script>window.__kubelabSavedDefine = window.define; window.define = undefined;</script>\n" +
    "<script>" + readMermaidLibrary() + "</script>\n" +
    "<script>window.define = window.__kubelabSavedDefine;</script>\n"
  );
}

// Browser-side code that turns the <pre> of container `id` into an SVG. It
// polls because the container may not be attached to the page yet, and the
// library may come from an earlier output that has not run yet. After 20 s it
// gives up and the <pre> fallback stays.
function renderScript(id: string): string {
  return `<script>
(function () {
  var id = ${JSON.stringify(id)}, box = null, tries = 0;
  function attempt() {
    if (!box && (box = document.getElementById(id))) {
      // Claim the container: after a kernel restart a newer output may reuse this id.
      box.removeAttribute("id");
    }
    if (!box || !window.mermaid) {
      if (++tries < 200) setTimeout(attempt, 100); // wall-clock: browser code waiting for the page, not the simulation
      return;
    }
    var pre = box.querySelector("pre");
    window.mermaid.initialize({ startOnLoad: false, theme: "default" });
    window.mermaid.render(id + "-svg", pre.textContent).then(
      function (result) { pre.outerHTML = result.svg; },
      function (error) {
        var note = document.createElement("div");
        note.className = "kubelab-mermaid-error";
        note.textContent = "mermaid: " + (error && error.message ? error.message : error);
        box.appendChild(note);
      });
  }
  attempt();
})();
</script>`;
}

/**
 * The MIME bundle for one mermaid diagram. The first bundle on a `page` also
 * carries the mermaid library; by default the page is this kernel process.
 */
export function mermaidBundle(definition: string, page: MermaidPage = kernelPage): Record<string, string> {
  diagramCount += 1;
  const id = `kubelab-mermaid-${diagramCount}`;
  let html = "";
  if (!page.libraryInlined) {
    html += libraryScripts();
    page.libraryInlined = true;
  }
  html +=
    `<div class="kubelab-mermaid" id="${id}">` +
    `<pre>${escapeHtml(definition)}</pre>\n` +
    renderScript(id) +
    "</div>";
  return {
    "text/vnd.mermaid": definition,
    "text/html": html,
    "text/plain": definition,
  };
}

/** Sends one MIME bundle to the notebook as a display_data output. */
function display(data: Record<string, string>): void {
  // Set by tslab while a cell executes (the same check tslab's own display does).
  const write = jupyter.lastWriteDisplayData;
  if (write == null) {
    throw new Error("kubelab display: needs the tslab kernel from this repo's node_modules");
  }
  write({ data, metadata: {}, transient: {} }, false);
}

/** Draws a mermaid diagram, e.g. showMermaid("flowchart LR\n  a --> b"). */
export function showMermaid(definition: string): void {
  display(mermaidBundle(definition));
}

export function showHtml(html: string): void {
  display({ "text/html": html });
}

/** Shows rows as an HTML table; columns default to every key, in first-seen order. */
export function showTable(rows: ReadonlyArray<object>, columns?: string[]): void {
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const cols = columns || Array.from(new Set(records.flatMap((row) => Object.keys(row))));
  const cell = (tag: string, value: unknown) =>
    `<${tag}>${escapeHtml(value === undefined || value === null ? "" : String(value))}</${tag}>`;
  const head = "<tr>" + cols.map((c) => cell("th", c)).join("") + "</tr>";
  const body = records.map((row) => "<tr>" + cols.map((c) => cell("td", row[c])).join("") + "</tr>");
  showHtml(`<table class="kubelab-table">\n${head}\n${body.join("\n")}\n</table>`);
}
