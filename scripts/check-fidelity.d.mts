// Types for check-fidelity.mjs (a plain Node script), for its test.
export interface FidelityRow {
  claim: string;
  test: { file: string; name: string };
}
export interface VitestJsonReport {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}
export interface Unpinned {
  claim: string;
  file: string;
  name: string;
  why: string;
}
export const RESULTS: string;
export function unpinned(claims: readonly FidelityRow[], report: VitestJsonReport, root?: string): Unpinned[];
