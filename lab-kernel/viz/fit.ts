/**
 * Making a mermaid diagram legible at a notebook's width. A notebook's output area is about
 * 1000 px wide (a 1200 px window, Jupyter's margins and prompts taken off), and a diagram
 * wider than that is scaled down to fit, its text with it: a 2400 px diagram's 16 px text
 * shows at 7 px. So diagrams are laid out to fit instead: 14 px text, narrow margins, and long
 * labels broken into lines.
 *
 *   breakLines('0.947s ADDED Pod default/web-vtp2g', 20)   // => '0.947s ADDED Pod<br/>default/web-vtp2g'
 *   [...frontMatter({ sequence: { actorMargin: 24 } }), 'sequenceDiagram', ...]
 */

/** Breaks text into lines of about `width` characters at spaces, joined by mermaid's <br/>; a longer word keeps a line of its own. */
export function breakLines(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('<br/>');
}

/** A component's name on its box: a long name broken after its slash, or else its last hyphen ('kube-controller-<br/>manager'). */
export function boxLabel(name: string, width = 15): string {
  if (name.length <= width) return name;
  const slash = name.indexOf('/');
  const cut = slash > 0 ? slash : name.lastIndexOf('-');
  return cut > 0 ? `${name.slice(0, cut + 1)}<br/>${name.slice(cut + 1)}` : name;
}

type Settings = Record<string, number | string | boolean>;

/**
 * Mermaid's front matter for 14 px text (its top-level fontSize, which the sequence diagram
 * uses for every text, and the theme's, which flowchart labels use) and the given settings of
 * one diagram type:
 *
 *   frontMatter({ flowchart: { nodeSpacing: 16 } })
 *   // => ['---', 'config:', '  fontSize: 14', '  themeVariables:', '    fontSize: 14px', '  flowchart:', '    nodeSpacing: 16', '---']
 */
export function frontMatter(settings: Record<string, Settings>): string[] {
  const lines = ['---', 'config:', '  fontSize: 14', '  themeVariables:', '    fontSize: 14px'];
  for (const [diagram, values] of Object.entries(settings)) {
    lines.push(`  ${diagram}:`);
    for (const [key, value] of Object.entries(values)) lines.push(`    ${key}: ${value}`);
  }
  lines.push('---');
  return lines;
}
