// Types for jupyter.mjs (a plain Node script), for its test.
export interface Probes {
  root: boolean;
  debianLike: boolean;
  apt: boolean;
  python3: boolean;
  venv: boolean;
}
export interface InstallStep {
  say: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}
export const ROOT: string;
export const VENV: string;
export const INSTALL_HINT: string;
export function findJupyter(): string | false;
export function systemProbes(): Probes;
export function installPlan(probes: Probes, venv?: string): { steps: InstallStep[]; hint: string };
export function ensureJupyter(options?: {
  find?: () => string | false;
  probes?: () => Probes;
  run?: (step: InstallStep) => boolean;
  log?: (line: string) => void;
}): string | false;
export function chapterLink(line: string, notebook?: string): string | undefined;
export function registerKernel(): NodeJS.ProcessEnv;
export function buildKernel(): void;
