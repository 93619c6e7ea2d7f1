// `npm run lab`: installs Jupyter if it is missing (saying each step), registers this project's
// TypeScript kernel and opens chapter 00 in Jupyter, printing the direct link to it.
// Extra arguments go to Jupyter, e.g. `npm run lab -- --port 9999 --no-browser`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildKernel, chapterLink, ensureJupyter, registerKernel, ROOT } from './jupyter.mjs';

const jupyterCommand = ensureJupyter();
if (!jupyterCommand) {
  console.error('\nThen run `npm run lab` again.');
  process.exit(1);
}

buildKernel();
const env = registerKernel();
const chapter = '00-architecture.ipynb';
const args = ['notebook', join(ROOT, 'chapters', chapter), `--notebook-dir=${join(ROOT, 'chapters')}`];
// Jupyter refuses to run as root unless told to (containers and CI machines often are root).
if (process.getuid?.() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));

console.log('Opening chapter 00 in Jupyter (kernel "TypeScript (kubelab)"). Stop with Ctrl-C.');
const jupyter = spawn(jupyterCommand, args, { env, stdio: ['inherit', 'pipe', 'pipe'] });
// Jupyter prints its own address, the folder of notebooks; where no browser opens by itself
// (a server, a container), the learner needs the link to the chapter, with the login token.
// It is printed once Jupyter has finished its own banner (a second without output), so that it
// comes last, where the learner looks.
let link;
let quiet;
const printLink = () => console.log(`\nChapter 00 is here (open it in your browser if none opened by itself):\n\n    ${link}\n`);
for (const [stream, out] of [[jupyter.stdout, process.stdout], [jupyter.stderr, process.stderr]]) {
  createInterface({ input: stream }).on('line', (line) => {
    out.write(line + '\n');
    if (quiet === null) return; // already printed
    link ??= chapterLink(line, chapter);
    if (link === undefined) return;
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      quiet = null;
      printLink();
    }, 1000);
  });
}
jupyter.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jupyter.kill(signal));
