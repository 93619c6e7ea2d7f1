import { describe, expect, it } from 'vitest';
import { serveResourceConsumer } from './resource-consumer';

describe('the resource-consumer image answering HTTP', () => {
  it('starts a load of N millicores for S seconds on POST /ConsumeCPU, and says so', () => {
    expect(serveResourceConsumer({ method: 'POST', path: '/ConsumeCPU?millicores=250&durationSec=30' }, 5_000)).toEqual({
      answer: { code: 200, body: 'ConsumeCPU\n250 millicores\n30 durationSec\n' },
      load: { millicores: 250, fromMs: 5_000, untilMs: 35_000 },
    });
  });

  it('refuses a GET (400), a missing or non-integer argument (400) and an unknown path (404), starting nothing', () => {
    const answers = [
      serveResourceConsumer({ method: 'GET', path: '/ConsumeCPU?millicores=250&durationSec=30' }, 0),
      serveResourceConsumer({ method: 'POST', path: '/ConsumeCPU?millicores=250' }, 0),
      serveResourceConsumer({ method: 'POST', path: '/ConsumeCPU?millicores=2.5&durationSec=30' }, 0),
      serveResourceConsumer({ method: 'POST', path: '/Nope' }, 0),
    ];
    expect(answers).toEqual([
      { answer: { code: 400, body: 'Bad request. Not a POST request\n' } },
      { answer: { code: 400, body: 'not given function argument\n' } },
      { answer: { code: 400, body: 'incorrect function argument\n' } },
      { answer: { code: 404, body: 'unknown function: /Nope\n' } },
    ]);
  });
});
