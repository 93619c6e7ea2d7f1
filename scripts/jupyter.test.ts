import { describe, expect, it } from 'vitest';
import { chapterLink, ensureJupyter, installPlan, type InstallStep, type Probes } from './jupyter.mjs';

const machine = (over: Partial<Probes>): Probes => ({ root: false, debianLike: false, apt: false, python3: false, venv: false, ...over });
const commands = (steps: InstallStep[]) => steps.map((s) => [s.cmd, ...s.args].join(' '));

describe('installing Jupyter for `npm run lab`', () => {
  it('as root on Debian or Ubuntu: the Debian packages, with -y and no prompts', () => {
    const plan = installPlan(machine({ root: true, debianLike: true, apt: true, python3: true }), '/repo/.venv');
    expect(commands(plan.steps)).toEqual(['apt-get update', 'apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient']);
    for (const step of plan.steps) expect(step.env?.DEBIAN_FRONTEND).toBe('noninteractive');
  });

  it('as anyone else with a python3 that can make a venv: pip in the project .venv', () => {
    const plan = installPlan(machine({ debianLike: true, apt: true, python3: true, venv: true }), '/repo/.venv');
    expect(commands(plan.steps)).toEqual(['python3 -m venv /repo/.venv', '/repo/.venv/bin/python -m pip install --disable-pip-version-check notebook nbconvert nbclient']);
  });

  it('on Debian without python3-venv, and without python3, installs nothing and says what is missing', () => {
    const noVenv = installPlan(machine({ debianLike: true, apt: true, python3: true }));
    expect(noVenv.steps).toEqual([]);
    expect(noVenv.hint).toMatch(/python3-venv package is missing/);
    expect(noVenv.hint).toMatch(/sudo apt-get install jupyter-notebook/);
    expect(installPlan(machine({})).hint).toMatch(/no python3/);
  });

  it('says each step before it runs it, and finds Jupyter afterwards', () => {
    const said: string[] = [];
    const ran: string[] = [];
    let installed = false;
    const result = ensureJupyter({
      find: () => (installed ? '/repo/.venv/bin/jupyter' : false),
      probes: () => machine({ python3: true, venv: true }),
      run: (step) => {
        ran.push(step.cmd);
        installed = step.args.includes('pip');
        return true;
      },
      log: (line) => said.push(line),
    });
    expect(result).toBe('/repo/.venv/bin/jupyter');
    expect(ran).toHaveLength(2);
    expect(said[0]).toMatch(/not installed: installing it/);
    expect(said.slice(1, 3).map((l) => l.split(' (')[0])).toEqual([expect.stringMatching(/^Making a Python environment/), 'Installing Jupyter into it with pip']);
    expect(said.at(-1)).toBe('Jupyter is installed.');
  });

  it('stops at a failed step (no network for pip) and prints how to install by hand', () => {
    const said: string[] = [];
    const result = ensureJupyter({ find: () => false, probes: () => machine({ python3: true, venv: true }), run: (step) => !step.args.includes('pip'), log: (l) => said.push(l) });
    expect(result).toBe(false);
    expect(said.at(-1)).toMatch(/^That step failed \(.*pip install.*\)\.\nJupyter is not installed/);
  });

  it('does nothing when Jupyter is there', () => {
    const said: string[] = [];
    expect(ensureJupyter({ find: () => 'jupyter', probes: () => { throw new Error('not asked'); }, log: (l) => said.push(l) })).toBe('jupyter');
    expect(said).toEqual([]);
  });
});

describe('the link to chapter 00 that `npm run lab` prints', () => {
  it("is made from Jupyter's own address and token, for Notebook 6 and 7", () => {
    expect(chapterLink('[I 12:00:00.123 NotebookApp] http://localhost:8888/?token=0123abcd')).toBe('http://localhost:8888/notebooks/00-architecture.ipynb?token=0123abcd');
    expect(chapterLink('        http://127.0.0.1:8889/tree?token=0123abcd')).toBe('http://127.0.0.1:8889/notebooks/00-architecture.ipynb?token=0123abcd');
    expect(chapterLink('[I ServerApp] http://host:8888/base/tree?token=t')).toBe('http://host:8888/base/notebooks/00-architecture.ipynb?token=t');
  });

  it('is not made from lines without a token', () => {
    expect(chapterLink('[I NotebookApp] Serving notebooks from local directory: /repo/chapters')).toBeUndefined();
    expect(chapterLink('    file:///root/.local/share/jupyter/runtime/nbserver-1-open.html')).toBeUndefined();
    expect(chapterLink('http://localhost:8888/')).toBeUndefined();
  });
});
