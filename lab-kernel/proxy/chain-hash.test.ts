import { createHash } from 'crypto';
import { describe, expect, it } from 'vitest';
import { base32, chainHash, sha256 } from './chain-hash';

describe("kube-proxy's chain-name hash", () => {
  it('is SHA-256 as Node computes it, for empty, short, multi-block and non-ASCII input', () => {
    for (const text of ['', 'abc', 'ns1/svc1:p80tcp', 'x'.repeat(55), 'y'.repeat(64), 'z'.repeat(200), 'café/ß:ü']) {
      expect(Buffer.from(sha256([...Buffer.from(text, 'utf8')])).toString('hex')).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it("encodes base32 as RFC 4648's test vectors", () => {
    const enc = (s: string) => base32([...Buffer.from(s)]);
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual(['', 'MY======', 'MZXQ====', 'MZXW6===', 'MZXW6YQ=', 'MZXW6YTB', 'MZXW6YTBOI======']);
  });

  it("names chains as kube-proxy's TestOverallIPTablesRules expects (KUBE-SVC-XPGD46QRK7WJZT7O, KUBE-SEP-SXIVWICOYRO3J4NJ)", () => {
    expect(chainHash('ns1/svc1:p80tcp')).toBe('XPGD46QRK7WJZT7O');
    expect(chainHash('ns1/svc1:p80tcp10.180.0.1:80')).toBe('SXIVWICOYRO3J4NJ');
    expect(chainHash('ns2/svc2:p80tcp')).toBe('GNZBNJ2PO5MGZ6GT');
  });
});
