/**
 * Mermaid draws a gantt bar's label centred on the bar, and lets a label wider than its bar
 * spill over the next one: 'candidate t1' on a bar of 40 ms overwrites 'leader t1' after it.
 * This shortens each label that would not fit, to the timeline's letter and term ('C1', the
 * letters of the text timeline: L leader, C candidate, P pre-candidate, F follower, x crashed).
 * Mermaid needs a name for every task, so a bar too narrow even for that keeps the short label,
 * which spills a little over its neighbours (their own labels sit at their centres).
 *
 *   showMermaid(fitGanttLabels(cluster.timelineMermaid()))
 *
 * `widthPx` is about how wide mermaid draws the bars at a notebook's width; a letter of the
 * default 11 px font is about 6.5 px wide.
 */
const SHORT: Record<string, string> = { leader: 'L', candidate: 'C', 'pre-candidate': 'P', follower: 'F' };
const TASK = /^(\s+)(.+?) :((?:[a-z]+, )?)(\d+), (\d+)ms$/;

export function fitGanttLabels(definition: string, widthPx = 600): string {
  const lines = definition.split('\n');
  const tasks = lines.map((l) => TASK.exec(l)).filter((m): m is RegExpExecArray => m !== null && !m[3].startsWith('milestone'));
  if (tasks.length === 0) return definition;
  const from = Math.min(...tasks.map((m) => Number(m[4])));
  const to = Math.max(...tasks.map((m) => Number(m[4]) + Number(m[5])));
  const span = Math.max(1, to - from);
  const fits = (label: string, ms: number) => label.length * 6.5 + 10 <= (ms / span) * widthPx;
  return lines
    .map((line) => {
      const m = TASK.exec(line);
      if (m === null || m[3].startsWith('milestone')) return line;
      const [, indent, label, tag, start, ms] = m;
      if (fits(label, Number(ms))) return line;
      const parts = /^(.+) t(\d+)$/.exec(label);
      const short = label === 'crashed' ? 'x' : parts && SHORT[parts[1]] ? `${SHORT[parts[1]]}${parts[2]}` : label;
      return `${indent}${short} :${tag}${start}, ${ms}ms`;
    })
    .join('\n');
}
