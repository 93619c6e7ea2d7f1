// Shared by `npm run lab` and `npm test`: find Jupyter, and register this project's tslab
// kernel in a project-local folder (.jupyter/), so nothing outside the repo is touched.
//
//   import { findJupyter, registerKernel } from './jupyter.mjs';
//   const env = registerKernel();        // => process.env plus JUPYTER_PATH=<repo>/.jupyter
//   spawnSync('jupyter', ['notebook'], { env });
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Compiles lab-kernel/ into build/lab-kernel/ (JavaScript and .d.ts), which the notebooks
 * import through the chapters/lab-kernel link. tslab then reads only declarations instead of
 * type-checking the whole kernel with its own compiler, so a chapter's first cell takes well
 * under a second instead of many. Skipped when nothing in lab-kernel/ changed since the last build.
 */
export function buildKernel() {
  const out = join(ROOT, 'build', 'lab-kernel');
  const stamp = join(out, '.built');
  const newest = newestChange(join(ROOT, 'lab-kernel'));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
  console.log('Compiling the kernel for the notebooks (build/lab-kernel) ...');
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.kernel.json')], { stdio: 'inherit' });
  writeFileSync(stamp, '');
}

/** The latest modification time of any file or folder under `dir`, in ms. */
function newestChange(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}
