import { rfc1123z, virtualMs } from '../../api/time';
import { LAST_APPLIED } from '../last-applied';

/**
 * How kubectl describe lays out its text (describe.go, 1.32): a PrefixWriter indents each
 * write by two spaces per level, and the whole text then goes through a tabwriter (Go's
 * text/tabwriter: min width 0, tab width 8, padding 2, padded with spaces). Each `\t` ends a
 * cell; the cells of one column line up across the consecutive lines that have that column,
 * a line without it ending the block:
 *
 *   const w = new PrefixWriter();
 *   w.write(0, 'Name:\tnginx\n');
 *   w.write(0, 'Namespace:\tdefault\n');
 *   w.write(1, 'IP:\t10.244.1.2\n');
 *   w.toString()
 *   // Name:       nginx
 *   // Namespace:  default
 *   //   IP:       10.244.1.2
 *
 * Also here: printLabelsMultiline and printAnnotationsMultiline, which every describer uses.
 */
export class PrefixWriter {
  private text = '';

  /** Writes `text` indented by `level` (two spaces each). */
  write(level: number, text: string): void {
    this.text += '  '.repeat(level) + text;
  }

  /** The text as kubectl prints it, columns aligned. */
  toString(): string {
    return tabwriter(this.text);
  }
}

const PADDING = 2;

/**
 * Go's tabwriter over `text`: alignTabs('a:\tx\nlong:\ty\n') => 'a:     x\nlong:  y\n'.
 * A column block is a run of consecutive lines that all have a tab-terminated cell in that
 * column; its width is the widest such cell plus the padding. Cells to the right are aligned
 * within the sub-blocks of lines that have them too.
 */
export function tabwriter(text: string): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[][] = lines.map(() => []);
  alignColumn(lines, widths, 0, 0, lines.length);
  return lines.map((cells, i) => cells.map((cell, j) => (j < cells.length - 1 ? cell + ' '.repeat(widths[i][j] - [...cell].length) : cell)).join('')).join('\n');
}

/** Sets the width of column `column` for each block of lines in [from, to) that has it, then recurses right. */
function alignColumn(lines: string[][], widths: number[][], column: number, from: number, to: number): void {
  let i = from;
  while (i < to) {
    if (lines[i].length - 1 <= column) {
      i++;
      continue;
    }
    const start = i;
    let width = 0;
    for (; i < to && lines[i].length - 1 > column; i++) width = Math.max(width, [...lines[i][column]].length + PADDING);
    for (let k = start; k < i; k++) widths[k][column] = width;
    alignColumn(lines, widths, column + 1, start, i);
  }
}

/**
 * printLabelsMultiline (with printLabelsMultilineWithIndent's indent before the title): sorted
 * `key=value` lines, the first after the title, `<none>` when there are none.
 *   labelsMultiline('Labels', { app: 'nginx', tier: 'fe' })  // => 'Labels:\tapp=nginx\n\ttier=fe\n'
 */
export function labelsMultiline(title: string, labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${title}:\t` : '\t'}${k}=${labels![k]}\n`).join('');
}

/** An annotation longer than this (key, ": " and value) goes on lines of its own, each cut to fit. */
const MAX_ANNOTATION_LEN = 140;

/**
 * printAnnotationsMultiline: sorted `key: value` lines without kubectl's last-applied
 * annotation (describe.go's skipAnnotations); a long or multi-line value goes below its key, each line cut at 138 characters
 * followed by `...`.
 *   annotationsMultiline('Annotations', { 'deployment.kubernetes.io/revision': '1' })
 *   // => 'Annotations:\tdeployment.kubernetes.io/revision: 1\n'
 */
export function annotationsMultiline(title: string, annotations: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  let out = `${title}:\t`;
  keys.forEach((key, i) => {
    if (i !== 0) out += '\t';
    const value = annotations![key].replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      out += `${key}:\n${value.split('\n').map((s) => `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}\n`).join('')}`;
    } else out += `${key}: ${value}\n`;
  });
  return out;
}

/**
 * A metav1.Time as describe prints it, time.RFC1123Z; an unset time is Go's zero time. Micro
 * timestamps (a Lease's) lose their fraction, as RFC1123Z does.
 *   describeTime('2025-01-01T00:05:00Z')   // => 'Wed, 01 Jan 2025 00:05:00 +0000'
 *   describeTime(undefined)                // => 'Mon, 01 Jan 0001 00:00:00 +0000'
 */
export function describeTime(ts: string | undefined): string {
  return ts ? rfc1123z(virtualMs(ts.replace(/\.\d+Z$/, 'Z'))) : 'Mon, 01 Jan 0001 00:00:00 +0000';
}
