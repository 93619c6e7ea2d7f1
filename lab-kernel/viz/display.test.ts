import * as fs from "fs";
import { describe, expect, it } from "vitest";
import { mermaidBundle, MermaidPage } from "./display";

const freshPage = (): MermaidPage => ({ libraryInlined: false });

// The last line of mermaid.min.js, which publishes window.mermaid.
const libraryTail = fs
  .readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8")
  .trim()
  .split("\n")
  .pop()!;

describe("mermaidBundle", () => {
  it("offers mermaid, HTML and plain text", () => {
    const definition = "flowchart LR\n  a --> b";
    const bundle = mermaidBundle(definition, freshPage());
    expect(Object.keys(bundle).sort()).toEqual(["text/html", "text/plain", "text/vnd.mermaid"]);
    expect(bundle["text/vnd.mermaid"]).toBe(definition);
    expect(bundle["text/plain"]).toBe(definition);
  });

  it("HTML-escapes the definition in the <pre> fallback", () => {
    const bundle = mermaidBundle('flowchart LR\n  a["<b>&</b> it\'s"] --> b', freshPage());
    const pre = /<div class="kubelab-mermaid"[^>]*><pre>([\s\S]*?)<\/pre>/.exec(bundle["text/html"])![1];
    expect(pre).toBe("flowchart LR\n  a[&quot;&lt;b&gt;&amp;&lt;/b&gt; it&#39;s&quot;] --&gt; b");
  });

  it("inlines the mermaid library in the first bundle of a page only", () => {
    const page = freshPage();
    const first = mermaidBundle("flowchart LR\n  a --> b", page)["text/html"];
    const second = mermaidBundle("flowchart LR\n  c --> d", page)["text/html"];
    expect(first).toContain(libraryTail);
    expect(first.length).toBeGreaterThan(1_000_000);
    expect(second).not.toContain(libraryTail);
    expect(second.length).toBeLessThan(5_000);
  });

  it("hides RequireJS' define while the library runs, and restores it", () => {
    const html = mermaidBundle("flowchart LR\n  a --> b", freshPage())["text/html"];
    const hide = html.indexOf("window.define = undefined");
    const library = html.indexOf(libraryTail);
    const restore = html.indexOf("window.define = window.__kubelabSavedDefine");
    expect(hide).toBeGreaterThanOrEqual(0);
    expect(hide).toBeLessThan(library);
    expect(library).toBeLessThan(restore);
  });

  it("gives each diagram its own container, which its script renders into", () => {
    const page = freshPage();
    const ids = [1, 2, 3].map(() => {
      const html = mermaidBundle("sequenceDiagram\n  a->>b: hi", page)["text/html"];
      const container = /<div class="kubelab-mermaid" id="([^"]+)">/.exec(html)![1];
      const scripted = /var id = "([^"]+)"/.exec(html)![1];
      expect(scripted).toBe(container);
      return container;
    });
    expect(new Set(ids).size).toBe(3);
  });
});
