import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Claim {
  claim: string;
  where: string;
  upstream: { repo: string; file: string; version: string };
  test: { file: string; name: string };
}

const ROOT = path.join(__dirname, '..');
const claims = (parse(fs.readFileSync(path.join(__dirname, 'fidelity.yaml'), 'utf8')) as { claims: Claim[] }).claims;

describe('the fidelity table (lab-kernel/fidelity.yaml)', () => {
  for (const c of claims) {
    it(`names its source and a test that exists: ${c.claim}`, () => {
      expect(c.where, 'where the lab makes the claim').toBeTruthy();
      expect(c.upstream?.repo && c.upstream.file && c.upstream.version, 'the upstream repository, file and version').toBeTruthy();
      const file = path.join(ROOT, c.test.file);
      expect(fs.existsSync(file), `${c.test.file} exists`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${c.test.file} has a test named "${c.test.name}"`).toContain(c.test.name);
    });
  }
});
