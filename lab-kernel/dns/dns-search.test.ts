import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../../solutions/dns/dns-search';
import { herrnoOf } from './dns-search-contract';
import { FOUND, NODATA, POD_SEARCH, queriesOf, runSearch, SERVFAIL, TIMEOUT } from './dns-search.fixture';

/** The reference search (exercise dns-search) on the cases the fidelity table names; the grader's suite has the rest. */
describe("the stub resolver's search (glibc res_nsearch)", () => {
  it('tries a short name under every search domain first, in order, and the name as it is last', () => {
    expect(queriesOf(firstAnswer, 'web')).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web.lab.internal', 'web']);
  });

  it('asks for www.example.com only after 4 NXDOMAIN answers under ndots:5, and at once when written www.example.com.', () => {
    const run = runSearch(firstAnswer, { name: 'www.example.com', search: POD_SEARCH, ndots: 5 }, { 'www.example.com': FOUND });
    expect(run.queried).toHaveLength(5);
    expect(run.outcome).toEqual({ action: 'answer', name: 'www.example.com' });
    expect(queriesOf(firstAnswer, 'www.example.com.')).toEqual(['www.example.com']);
  });

  it('tries a name with as many dots as ndots as it is first', () => {
    expect(queriesOf(firstAnswer, 'a.b.c.d.e.f')[0]).toBe('a.b.c.d.e.f');
    expect(queriesOf(firstAnswer, 'a.b.c.d.e')[0]).toBe('a.b.c.d.e.default.svc.cluster.local');
    expect(queriesOf(firstAnswer, 'www.example.com', POD_SEARCH, 1)[0]).toBe('www.example.com');
  });

  it('moves on after NODATA and SERVFAIL, and reports NO_DATA before TRY_AGAIN when all fail', () => {
    const run = runSearch(firstAnswer, { name: 'web', search: POD_SEARCH, ndots: 5 }, { 'web.svc.cluster.local': SERVFAIL, 'web.cluster.local': NODATA });
    expect(run.queried).toHaveLength(5);
    expect(run.outcome).toEqual({ action: 'fail', herrno: 'NO_DATA' });
  });

  it('ends the search domains at a timeout but still asks for the name as it is', () => {
    const run = runSearch(firstAnswer, { name: 'web', search: POD_SEARCH, ndots: 5 }, { 'web.default.svc.cluster.local': TIMEOUT });
    expect(run.queried).toEqual(['web.default.svc.cluster.local', 'web']);
    expect(run.outcome).toEqual({ action: 'fail', herrno: 'HOST_NOT_FOUND' });
  });

  it('maps each reply to the h_errno res_nquery leaves', () => {
    expect(['NXDOMAIN', 'SERVFAIL', 'TIMEOUT', 'NOERROR', 'REFUSED'].map((rcode) => herrnoOf({ rcode: rcode as 'NXDOMAIN', answers: 0 }))).toEqual(['HOST_NOT_FOUND', 'TRY_AGAIN', 'TRY_AGAIN', 'NO_DATA', 'NO_RECOVERY']);
  });
});
