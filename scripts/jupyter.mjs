// Shared by `npm run lab` and `npm test`: find Jupyter, and register this project's tslab
// kernel in a project-local folder (.jupyter/), so nothing outside the repo is touched.
//
//   import { findJupyter, registerKernel } from './jupyter.mjs';
//   const env = registerKernel();        // => process.env plus JUPYTER_PATH=<repo>/.jupyter
//   spawnSync('jupyter', ['notebook'], { env });
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const INSTALL_HINT = [
  'Jupyter is not installed. On Debian or Ubuntu:',
  '  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient',
  'or with pip:',
  '  pip install notebook nbconvert nbclient',
].join('\n');

/** True when a `jupyter` command that can run notebooks is on the PATH. */
export function findJupyter() {
  try {
    execFileSync('jupyter', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes .jupyter/kernels/tslab/kernel.json pointing at this repo's tslab; returns the env to run Jupyter with. */
export function registerKernel() {
  const tslab = join(ROOT, 'node_modules', '.bin', 'tslab');
  if (!existsSync(tslab)) throw new Error(`tslab is missing at ${tslab}: run npm install first`);
  const dir = join(ROOT, '.jupyter', 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (kubelab)',
    language: 'typescript',
  };
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  const jupyterPath = [join(ROOT, '.jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(':');
  return { ...process.env, JUPYTER_PATH: jupyterPath };
}
