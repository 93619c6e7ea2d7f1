// Checks chapters/syllabus.yaml, the map from syllabus topics to notebook sections:
//  - every topic it maps points at a `## ` heading that really is in that chapter's notebook;
//  - every topic of a chapter that has a notebook is mapped (nothing left out);
//  - every id it names exists in the syllabus (../shared/SYLLABUS.md, when that file is beside the repo).
// Prints how much of the syllabus the chapters teach so far.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './jupyter.mjs';

const map = parse(readFileSync(join(ROOT, 'chapters', 'syllabus.yaml'), 'utf8'));
const syllabusFile = join(ROOT, '..', 'shared', 'SYLLABUS.md');
const syllabus = existsSync(syllabusFile) ? [...readFileSync(syllabusFile, 'utf8').matchAll(/^- (T\d\d\.\d+) /gm)].map((m) => m[1]) : undefined;

const errors = [];
let mapped = 0;
for (const chapter of map.chapters ?? []) {
  const file = join(ROOT, 'chapters', chapter.notebook);
  if (!existsSync(file)) {
    errors.push(`chapter ${chapter.id}: notebook ${chapter.notebook} does not exist`);
    continue;
  }
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  const headings = new Set(
    nb.cells
      .filter((c) => c.cell_type === 'markdown')
      .flatMap((c) => [].concat(c.source).join('').split('\n'))
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3).trim()),
  );
  const topics = chapter.topics ?? {};
  for (const [id, heading] of Object.entries(topics)) {
    if (!headings.has(heading)) errors.push(`${id}: no "## ${heading}" heading in ${chapter.notebook}`);
    if (syllabus && !syllabus.includes(id)) errors.push(`${id}: not a topic of the syllabus`);
    if (!id.startsWith(`T${chapter.id}.`)) errors.push(`${id}: listed under chapter ${chapter.id}`);
  }
  if (syllabus) {
    for (const id of syllabus.filter((t) => t.startsWith(`T${chapter.id}.`))) {
      if (!(id in topics)) errors.push(`${id}: chapter ${chapter.id} has a notebook but does not map this topic to a section`);
    }
  }
  mapped += Object.keys(topics).length;
  console.log(`chapter ${chapter.id} (${chapter.notebook}): ${Object.keys(topics).length} topics mapped to sections`);
}
if (syllabus) console.log(`syllabus: ${mapped} of ${syllabus.length} topics taught so far`);
else console.log('syllabus: ../shared/SYLLABUS.md not found beside the repo; checked headings only');
for (const e of errors) console.error(`error: ${e}`);
process.exit(errors.length === 0 ? 0 : 1);
