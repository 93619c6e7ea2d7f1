#!/usr/bin/env node
// Checks that the mermaid diagrams of an executed notebook really get drawn in
// a browser, with no network: the notebook is exported to HTML with nbconvert,
// loaded in headless Chromium, and the DOM Chromium ends up with is inspected.
//
// Usage: node scripts/check-rendered-html.mjs <executed-notebook.ipynb>... [--screenshot out.png]
// Several notebooks are checked two at a time, each reported on its own line.
// Exits 0 when every diagram of every notebook became an SVG, 1 otherwise.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = "/usr/bin/chromium";
const TIMEOUT_MS = 120_000; // per nbconvert or Chromium run

function usage() {
  console.error("usage: node scripts/check-rendered-html.mjs <executed-notebook.ipynb>... [--screenshot out.png]");
  process.exit(2);
}

const args = process.argv.slice(2);
let screenshot;
const shot = args.indexOf("--screenshot");
if (shot >= 0) {
  screenshot = args[shot + 1];
  if (!screenshot) usage();
  args.splice(shot, 2);
}
if (args.length === 0 || (screenshot && args.length !== 1)) usage();
const notebooks = args.map((a) => path.resolve(a));

// Two at a time: each check is nbconvert then Chromium, mostly waiting on one process.
const CONCURRENCY = 2;
const results = new Array(notebooks.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, notebooks.length) }, async () => {
    while (next < notebooks.length) {
      const i = next++;
      const work = mkdtempSync(path.join(tmpdir(), "kubelab-check-"));
      try {
        results[i] = await check(notebooks[i], work);
      } catch (e) {
        results[i] = { ok: false, lines: [String(e?.message ?? e)] };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }),
);
for (const [i, r] of results.entries()) {
  const name = path.basename(notebooks[i]);
  console.log(`${r.ok ? "ok  " : "FAIL"}  ${name}: ${r.lines.join("\n      ")}`);
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

/** One notebook: exported to HTML, loaded in Chromium; ok when every diagram is an SVG. */
async function check(notebook, work) {
  // nbconvert's default HTML template keeps text/html outputs, scripts included. Asynchronous,
  // so that the other check's Chromium runs meanwhile.
  const converted = await run("jupyter", ["nbconvert", "--to", "html", "--output-dir", work, "--output", "page", notebook]);
  if (converted.code !== 0) return { ok: false, lines: [converted.err.trim() || `nbconvert exited with ${converted.code}`] };
  const page = pathToFileURL(path.join(work, "page.html")).href;

  const dom = await chromium(["--dump-dom", page], work);
  if (screenshot) {
    await chromium([`--screenshot=${path.resolve(screenshot)}`, "--window-size=1200,3000", page], work);
  }

  const diagrams = findDiagrams(dom);
  const failed = diagrams.filter((d) => !d.rendered);
  if (diagrams.length === 0) return { ok: false, lines: ["no kubelab-mermaid diagrams found in the page"] };
  const lines = [`rendered ${diagrams.length - failed.length}/${diagrams.length} mermaid diagrams to SVG`];
  for (const d of failed) lines.push(`not rendered: ${d.name}${d.error ? ` (${d.error})` : ""}`);
  return { ok: failed.length === 0, lines };
}

/** Runs a command to its end: its exit code and its stderr. */
function run(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", (e) => resolve({ code: -1, err: String(e) }));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, err });
    });
  });
}

/** Runs headless Chromium on the page and resolves with its stdout. */
function chromium(extraArgs, work) {
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    // A fresh profile each run, so no state leaks between checks.
    `--user-data-dir=${mkdtempSync(path.join(work, "profile-"))}`,
    // Virtual time lets timers (the diagrams' polling) run without waiting for real.
    "--virtual-time-budget=20000",
    ...extraArgs,
  ];
  return new Promise((resolve, reject) => {
    // detached: Chromium gets its own process group, so a timeout can kill all its helpers.
    const child = spawn(CHROMIUM, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const timer = setTimeout(() => {
      process.kill(-child.pid, "SIGKILL");
      reject(new Error(`chromium timed out after ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chromium exited with ${code}:\n${err}`));
    });
  });
}

/**
 * Finds each <div class="kubelab-mermaid"> in the serialized DOM and what it
 * holds. Divs are matched by counting nesting depth, since a rendered diagram
 * contains divs of its own (HTML labels inside the SVG).
 */
function findDiagrams(dom) {
  const opening = /<div\b[^>]*\bclass="kubelab-mermaid"[^>]*>/g;
  const diagrams = [];
  for (const match of dom.matchAll(opening)) {
    const start = match.index + match[0].length;
    const tags = /<div\b|<\/div>/g;
    tags.lastIndex = start;
    let depth = 1;
    let end = dom.length;
    for (let tag; depth > 0 && (tag = tags.exec(dom)); ) {
      depth += tag[0] === "</div>" ? -1 : 1;
      end = tag.index;
    }
    const inner = dom.slice(start, end);
    const pre = /<pre>([\s\S]*?)<\/pre>/.exec(inner);
    const error = /<div class="kubelab-mermaid-error">([\s\S]*?)<\/div>/.exec(inner);
    diagrams.push({
      rendered: inner.includes("<svg") && !pre,
      // After a successful render the <pre> is gone, so only failures are named by it.
      name: `diagram #${diagrams.length + 1}` + (pre ? `: ${unescapeHtml(pre[1]).split("\n")[0]}` : ""),
      error: error ? unescapeHtml(error[1]) : undefined,
    });
  }
  return diagrams;
}

function unescapeHtml(text) {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}
