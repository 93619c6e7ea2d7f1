import { describe, expect, it } from 'vitest';
import { LabelledRecords } from './labelled-records';

interface Rec { name: string; labels?: Record<string, string> }

function table(): LabelledRecords<Rec> {
  const t = new LabelledRecords<Rec>((r) => r.labels);
  t.set('c1', { name: 'web', labels: { app: 'web', pod: 'a' } });
  t.set('c2', { name: 'db', labels: { app: 'db', pod: 'b' } });
  t.set('c3', { name: 'sidecar', labels: { app: 'web', pod: 'a' } });
  t.set('c4', { name: 'bare' });
  return t;
}

describe('LabelledRecords (the runtime records, found by label)', () => {
  it('does a label selector find exactly the records with every label, in the order they were added?', () => {
    const t = table();
    expect([...t.withLabels([['app', 'web']])].map((r) => r.name)).toEqual(['web', 'sidecar']);
    expect([...t.withLabels([['app', 'web'], ['pod', 'a']])].map((r) => r.name)).toEqual(['web', 'sidecar']);
    expect([...t.withLabels([['app', 'web'], ['pod', 'b']])]).toEqual([]);
    expect([...t.withLabels([['app', 'cache']])]).toEqual([]);
  });

  it('does an empty selector list every record, as the Map iterates them?', () => {
    expect([...table().withLabels([])].map((r) => r.name)).toEqual(['web', 'db', 'sidecar', 'bare']);
  });

  it('does a deleted record leave every label it had?', () => {
    const t = table();
    expect(t.delete('c1')).toBe(true);
    expect(t.delete('c1')).toBe(false);
    expect([...t.withLabels([['app', 'web']])].map((r) => r.name)).toEqual(['sidecar']);
    t.clear();
    expect([...t.withLabels([['app', 'web']])]).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('does it tell a key=value from a key that holds "=" apart?', () => {
    const t = new LabelledRecords<Rec>((r) => r.labels);
    t.set('x', { name: 'x', labels: { 'a=b': 'c' } });
    t.set('y', { name: 'y', labels: { a: 'b=c' } });
    expect([...t.withLabels([['a', 'b=c']])].map((r) => r.name)).toEqual(['y']);
  });

  it('does it refuse to replace a record under an id already used?', () => {
    expect(() => table().set('c1', { name: 'again' })).toThrow('record c1 exists already');
  });
});
