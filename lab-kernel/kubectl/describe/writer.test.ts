import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../api/types';
import { timestamp } from '../../api/time';
import { describeEvents } from './events-section';
import { annotationsMultiline, PrefixWriter, tabwriter } from './writer';

describe('describe writer', () => {
  it('aligns each column over the consecutive lines that have it, a line without a tab ending the block', () => {
    expect(tabwriter('Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n')).toBe('Name:       web\nNamespace:  default\nContainers:\n  nginx:\n    Image:  nginx\n');
  });

  it('indents two spaces per level before aligning', () => {
    const w = new PrefixWriter();
    w.write(0, 'Lease:\n');
    w.write(1, 'HolderIdentity:\tnode-1\n');
    w.write(1, 'RenewTime:\tWed, 01 Jan 2025 00:00:30 +0000\n');
    expect(w.toString()).toBe('Lease:\n  HolderIdentity:  node-1\n  RenewTime:       Wed, 01 Jan 2025 00:00:30 +0000\n');
  });

  it("leaves kubectl's last-applied annotation out", () => {
    expect(annotationsMultiline('Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}', a: 'b' })).toBe('Annotations:\ta: b\n');
  });
});

describe('the Events section', () => {
  const event = (over: Partial<KubeEvent>): KubeEvent => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'web' }, type: 'Normal', reason: 'Pulled', message: 'pulled', source: { component: 'kubelet' }, ...over });

  it('says <none> when the object has no Events', () => {
    expect(describeEvents([], 0)).toBe('Events:\t<none>\n');
  });

  it('gives ages as kubectl does: <unknown> without a timestamp, 2m3s, and (x3 over 5m) for a repeated Event', () => {
    const now = 10 * 60_000;
    const text = describeEvents(
      [
        event({ reason: 'Old', firstTimestamp: timestamp(now - 5 * 60_000), lastTimestamp: timestamp(now - 10_000), count: 3 }),
        event({ reason: 'Scheduled', firstTimestamp: timestamp(now - 123_000), lastTimestamp: timestamp(now - 123_000), count: 1, source: { component: 'default-scheduler' } }),
        event({ reason: 'Nothing', message: ' x ', involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{web}' } }),
      ],
      now,
    );
    const w = new PrefixWriter();
    w.write(0, text);
    expect(w.toString()).toBe(
      [
        'Events:',
        '  Type    Reason     Age               From               Message',
        '  ----    ------     ----              ----               -------',
        '  Normal  Nothing    <unknown>         kubelet            spec.containers{web}: x',
        '  Normal  Scheduled  2m3s              default-scheduler  pulled',
        '  Normal  Old        10s (x3 over 5m)  kubelet            pulled',
        '',
      ].join('\n'),
    );
  });
});
