// Shared by `npm run lab` and `npm test`: find Jupyter (installing it for `npm run lab` when it
// is missing), and register this project's tslab kernel in a project-local folder (.jupyter/),
// so nothing outside the repo is touched.
//
//   import { findJupyter, registerKernel } from './jupyter.mjs';
//   const env = registerKernel();        // => process.env plus JUPYTER_PATH=<repo>/.jupyter, and .venv/bin on PATH
//   spawnSync('jupyter', ['notebook'], { env });
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run lab` installs Jupyter with pip when it cannot use the system's packages. */
export const VENV = join(ROOT, '.venv');

const DEBIAN_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient'];
const PIP_PACKAGES = ['notebook', 'nbconvert', 'nbclient'];

export const INSTALL_HINT = [
  'Jupyter is not installed. On Debian or Ubuntu:',
  `  sudo apt-get install ${DEBIAN_PACKAGES.join(' ')}`,
  'or with pip, in a virtual environment of this project (Debian and Ubuntu need python3-venv for it):',
  `  python3 -m venv .venv && .venv/bin/pip install ${PIP_PACKAGES.join(' ')}`,
].join('\n');

/** True when `command` runs Jupyter's notebook server and nbconvert (both are needed). */
function runsNotebooks(command) {
  try {
    for (const app of ['notebook', 'nbconvert']) execFileSync(command, [app, '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The `jupyter` command that can run notebooks: the one on the PATH, or the project's .venv's;
 * false when there is none.
 */
export function findJupyter() {
  if (runsNotebooks('jupyter')) return 'jupyter';
  const venvJupyter = join(VENV, 'bin', 'jupyter');
  return existsSync(venvJupyter) && runsNotebooks(venvJupyter) ? venvJupyter : false;
}

/**
 * What the machine offers for installing Jupyter, asked of the real system; tests pass their own.
 *   root        running as root (apt-get needs it, and `npm run lab` never asks for a password)
 *   debianLike  /etc/os-release says Debian or Ubuntu (or a derivative)
 *   apt         apt-get is on the PATH
 *   python3     python3 is on the PATH
 *   venv        `python3 -m venv` can make an environment with pip (Debian: the python3-venv package)
 */
export function systemProbes() {
  const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  let osRelease = '';
  try {
    osRelease = readFileSync('/etc/os-release', 'utf8');
  } catch {
    // not Linux, or no os-release: not Debian-like
  }
  const ids = [...osRelease.matchAll(/^(?:ID|ID_LIKE)=(.*)$/gm)].flatMap((m) => m[1].replace(/"/g, '').split(/\s+/));
  return {
    root: process.getuid?.() === 0,
    debianLike: ids.includes('debian') || ids.includes('ubuntu'),
    apt: works('apt-get', ['--version']),
    python3: works('python3', ['--version']),
    // ensurepip is what Debian's python3 lacks without python3-venv; venv itself is always there.
    venv: works('python3', ['-c', 'import venv, ensurepip']),
  };
}

/**
 * How to install Jupyter on a machine with these probes: the steps (each with what to say
 * before it), and what to tell the learner if they fail or if nothing can be done here.
 *
 *   installPlan({ root: true, debianLike: true, apt: true, ... })
 *   // => apt-get update, then apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient
 *   installPlan({ root: false, python3: true, venv: true, ... })
 *   // => python3 -m venv .venv, then .venv/bin/python -m pip install notebook nbconvert nbclient
 *
 * Nothing waits on a prompt: apt-get runs with -y and DEBIAN_FRONTEND=noninteractive, pip never asks.
 */
export function installPlan(probes, venv = VENV) {
  const apt = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (probes.root && probes.debianLike && probes.apt) {
    return {
      steps: [
        { say: 'Updating the list of Debian packages (apt-get update) ...', cmd: 'apt-get', args: ['update'], env: apt },
        { say: `Installing Jupyter from Debian packages (apt-get install -y ${DEBIAN_PACKAGES.join(' ')}) ...`, cmd: 'apt-get', args: ['install', '-y', ...DEBIAN_PACKAGES], env: apt },
      ],
      hint: INSTALL_HINT,
    };
  }
  if (probes.python3 && probes.venv) {
    return {
      steps: [
        { say: `Making a Python environment for this project in ${venv} (python3 -m venv) ...`, cmd: 'python3', args: ['-m', 'venv', venv] },
        { say: `Installing Jupyter into it with pip (${PIP_PACKAGES.join(' ')}); this needs the network ...`, cmd: join(venv, 'bin', 'python'), args: ['-m', 'pip', 'install', '--disable-pip-version-check', ...PIP_PACKAGES] },
      ],
      hint: INSTALL_HINT,
    };
  }
  const why = !probes.python3
    ? 'There is no python3 on this machine, and Jupyter needs it.'
    : probes.debianLike
      ? 'python3 cannot make a virtual environment here: the python3-venv package is missing.'
      : 'python3 cannot make a virtual environment with pip here.';
  return { steps: [], hint: `${why}\n${INSTALL_HINT}` };
}

/**
 * Finds Jupyter, or installs it and says each step; returns the jupyter command, or false
 * (after printing what the learner can do) when it could not be installed.
 *
 *   ensureJupyter()    // 'jupyter', '<repo>/.venv/bin/jupyter', or false
 *
 * Tests pass `find`, `probes`, `run` (returns true when the step succeeded) and `log`.
 */
export function ensureJupyter({ find = findJupyter, probes = systemProbes, run = runStep, log = console.log } = {}) {
  const found = find();
  if (found) return found;
  log('Jupyter is not installed: installing it for this project.');
  const plan = installPlan(probes());
  if (plan.steps.length === 0) {
    log(plan.hint);
    return false;
  }
  for (const step of plan.steps) {
    log(step.say);
    if (!run(step)) {
      log(`That step failed (${[step.cmd, ...step.args].join(' ')}).\n${plan.hint}`);
      return false;
    }
  }
  const installed = find();
  if (!installed) log(`Jupyter was installed, but it does not run.\n${plan.hint}`);
  else log('Jupyter is installed.');
  return installed;
}

function runStep(step) {
  return spawnSync(step.cmd, step.args, { stdio: 'inherit', env: step.env ?? process.env }).status === 0;
}

/**
 * The direct link to a chapter, from a line Jupyter prints when it starts (its address with
 * the login token), or undefined for any other line:
 *
 *   chapterLink('[I 10:00:00 NotebookApp] http://localhost:8888/?token=abc')
 *   // => 'http://localhost:8888/notebooks/00-architecture.ipynb?token=abc'   (Notebook 6)
 *   chapterLink('    http://127.0.0.1:8888/tree?token=abc')
 *   // => 'http://127.0.0.1:8888/notebooks/00-architecture.ipynb?token=abc'   (Notebook 7)
 */
export function chapterLink(line, notebook = '00-architecture.ipynb') {
  const found = /https?:\/\/\S+/.exec(line);
  if (found === null) return undefined;
  let url;
  try {
    url = new URL(found[0]);
  } catch {
    return undefined;
  }
  const token = url.searchParams.get('token');
  if (!token) return undefined;
  const base = url.pathname.replace(/(tree|lab)\/?$/, '').replace(/\/?$/, '/');
  return `${url.origin}${base}notebooks/${notebook}?token=${token}`;
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
  // A Jupyter installed by `npm run lab` into .venv is found like one on the PATH.
  const path = existsSync(join(VENV, 'bin')) ? [join(VENV, 'bin'), process.env.PATH].filter(Boolean).join(':') : process.env.PATH;
  return { ...process.env, JUPYTER_PATH: jupyterPath, PATH: path };
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
