/**
 * A mermaid xychart with one line: the y value at each x, x values as category labels. For a
 * count that moves over time (an HPA's replicas), where a table of numbers hides the shape.
 *
 *   lineChart({ title: 'replicas of web', x: 'virtual time (min)', y: 'replicas' }, [{ x: '0', y: 1 }, { x: '0.5', y: 4 }])
 *   // xychart-beta
 *   //   title "replicas of web"
 *   //   x-axis "virtual time (min)" ["0", "0.5"]
 *   //   y-axis "replicas" 0 --> 5
 *   //   line [1, 4]
 *
 * The y axis starts at 0 and ends one above the highest value (or at `yMax`). Quotes in labels
 * become apostrophes (mermaid has no escape for them there).
 */
export interface LineChartLabels {
  title: string;
  x: string;
  y: string;
  yMax?: number;
}

export function lineChart(labels: LineChartLabels, points: readonly { x: string; y: number }[]): string {
  const q = (s: string) => `"${s.replace(/"/g, "'")}"`;
  const top = labels.yMax ?? Math.max(0, ...points.map((p) => p.y)) + 1;
  return [
    'xychart-beta',
    `  title ${q(labels.title)}`,
    `  x-axis ${q(labels.x)} [${points.map((p) => q(p.x)).join(', ')}]`,
    `  y-axis ${q(labels.y)} 0 --> ${top}`,
    `  line [${points.map((p) => p.y).join(', ')}]`,
  ].join('\n');
}
