import type { Mutant } from '../mutants';

/** Realistic wrong stub resolvers: each must fail grader/suites/dns-search.test.ts (npm run mutants -- dns-search). */
const file = 'dns/dns-search.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'counts dots with > instead of >= (a name with exactly ndots dots is searched first)',
    file,
    find: 'return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];',
    replace: 'return dots > input.ndots ? [input.name, ...searched] : [...searched, input.name];',
  },
  {
    name: 'counts labels instead of dots',
    file,
    find: "const dots = input.name.split('.').length - 1;",
    replace: "const dots = input.name.split('.').length;",
  },
  {
    name: 'still searches an absolute name (the trailing dot ignored)',
    file,
    find: "if (input.name.endsWith('.')) return [input.name.slice(0, -1)];",
    replace: "if (input.name.endsWith('.')) return resolveQueries({ ...input, name: input.name.slice(0, -1) });",
  },
  {
    name: 'keeps the trailing dot in the query of an absolute name',
    file,
    find: "if (input.name.endsWith('.')) return [input.name.slice(0, -1)];",
    replace: "if (input.name.endsWith('.')) return [input.name];",
  },
  {
    name: 'goes through the search list in reverse order',
    file,
    find: 'const searched = input.search.map((domain) => `${input.name}.${domain}`);',
    replace: 'const searched = [...input.search].reverse().map((domain) => `${input.name}.${domain}`);',
  },
  {
    name: 'always tries the name as it is first',
    file,
    find: 'return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];',
    replace: 'return [input.name, ...searched];',
  },
  {
    name: 'never tries a short name as it is (only the search list)',
    file,
    find: 'return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];',
    replace: 'return dots >= input.ndots ? [input.name, ...searched] : searched.length > 0 ? searched : [input.name];',
  },
  {
    name: "musl's rule: a name with ndots dots is only asked as it is, never searched",
    file,
    find: 'return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];',
    replace: 'return dots >= input.ndots ? [input.name] : [...searched, input.name];',
  },
  {
    name: 'stops the search at NODATA (as musl does)',
    file,
    find: "if (reply.rcode === 'NOERROR') nodata = true;",
    replace: "if (reply.rcode === 'NOERROR') return { action: 'fail', herrno: 'NO_DATA' };",
  },
  {
    name: 'stops the search at SERVFAIL',
    file,
    find: "else if (reply.rcode === 'SERVFAIL') servfail = true;",
    replace: "else if (reply.rcode === 'SERVFAIL') return { action: 'fail', herrno: 'TRY_AGAIN' };",
  },
  {
    name: 'keeps searching after a timeout',
    file,
    find: "else if (reply.rcode !== 'NXDOMAIN') stopped = true;",
    replace: "else if (reply.rcode !== 'NXDOMAIN') servfail = true;",
  },
  {
    name: 'gives up at a timeout without asking for the name as it is',
    file,
    find: "else if (reply.rcode !== 'NXDOMAIN') stopped = true;",
    replace: "else if (reply.rcode !== 'NXDOMAIN') return { action: 'fail', herrno: herrnoOf(reply) };",
  },
  {
    name: 'takes any NOERROR reply as the answer, even one without records',
    file,
    find: "if (reply.rcode === 'NOERROR' && reply.answers > 0) return { action: 'answer', name };",
    replace: "if (reply.rcode === 'NOERROR') return { action: 'answer', name };",
  },
  {
    name: 'reports the last reply\'s error, forgetting NODATA and the first as-is try',
    file,
    find: "if (triedFirst) return { action: 'fail', herrno: herrnoOf(input.replies[0]) };\n  if (nodata) return { action: 'fail', herrno: 'NO_DATA' };",
    replace: '',
  },
  {
    name: 'prefers TRY_AGAIN over NO_DATA',
    file,
    find: "if (nodata) return { action: 'fail', herrno: 'NO_DATA' };\n  if (servfail) return { action: 'fail', herrno: 'TRY_AGAIN' };",
    replace: "if (servfail) return { action: 'fail', herrno: 'TRY_AGAIN' };\n  if (nodata) return { action: 'fail', herrno: 'NO_DATA' };",
  },
  {
    name: 'asks for a name with enough dots as it is twice, first and last',
    file,
    find: 'return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];',
    replace: 'return dots >= input.ndots ? [input.name, ...searched, input.name] : [...searched, input.name];',
  },
];
