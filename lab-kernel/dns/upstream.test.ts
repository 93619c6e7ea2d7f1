import { describe, expect, it } from 'vitest';
import { PUBLIC_NAMES, upstreamAnswer } from './upstream';

describe('the upstream resolver (a static table)', () => {
  it('answers a public name it knows, not authoritatively', () => {
    expect(upstreamAnswer(PUBLIC_NAMES, { id: 3, name: 'Example.com.', type: 'A' })).toMatchObject({ id: 3, rcode: 'NOERROR', authoritative: false, answers: [{ type: 'A', data: '93.184.215.14', ttl: 300 }] });
  });

  it('answers NXDOMAIN with the root SOA for any other name, and NODATA for a type a known name lacks', () => {
    expect(upstreamAnswer(PUBLIC_NAMES, { id: 1, name: 'nope.example.com', type: 'A' })).toMatchObject({ rcode: 'NXDOMAIN', authority: [{ type: 'SOA', name: '' }] });
    expect(upstreamAnswer(PUBLIC_NAMES, { id: 1, name: 'example.com', type: 'AAAA' })).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });
});
