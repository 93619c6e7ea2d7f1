// `npm run lab`: registers this project's TypeScript kernel and opens the chapters in Jupyter.
// Extra arguments go to Jupyter, e.g. `npm run lab -- --port 9999 --no-browser`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildKernel, findJupyter, INSTALL_HINT, registerKernel, ROOT } from './jupyter.mjs';

if (!findJupyter()) {
  console.error(INSTALL_HINT);
  console.error('\nThen run `npm run lab` again.');
  process.exit(1);
}

buildKernel();
const env = registerKernel();
const args = ['notebook', join(ROOT, 'chapters', '00-architecture.ipynb'), `--notebook-dir=${join(ROOT, 'chapters')}`];
// Jupyter refuses to run as root unless told to (containers and CI machines often are root).
if (process.getuid?.() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));

console.log('Opening chapter 00 in Jupyter (kernel "TypeScript (kubelab)"). Stop with Ctrl-C.');
const jupyter = spawn('jupyter', args, { env, stdio: 'inherit' });
jupyter.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jupyter.kill(signal));
