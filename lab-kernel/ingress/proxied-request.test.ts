import { describe, expect, it } from 'vitest';
import { proxiedRequest } from './proxied-request';

describe('the request ingress-nginx sends upstream', () => {
  it('sets X-Forwarded-For and X-Real-IP to the client address, replacing a client X-Forwarded-For and keeping it as X-Original-Forwarded-For', () => {
    const r = proxiedRequest({ method: 'GET', path: '/a?b=1', headers: { Host: 'shop.example', 'X-Forwarded-For': '1.2.3.4' } }, '192.168.0.10', 80);
    expect(r).toEqual({
      method: 'GET',
      path: '/a?b=1',
      headers: {
        Host: 'shop.example',
        'X-Real-IP': '192.168.0.10',
        'X-Forwarded-For': '192.168.0.10',
        'X-Forwarded-Host': 'shop.example',
        'X-Forwarded-Port': '80',
        'X-Forwarded-Proto': 'http',
        'X-Forwarded-Scheme': 'http',
        'X-Scheme': 'http',
        'X-Original-Forwarded-For': '1.2.3.4',
      },
    });
  });

  it('sends no X-Original-Forwarded-For when the client sent no X-Forwarded-For', () => {
    expect(proxiedRequest({ method: 'GET', path: '/', headers: { Host: 'x' } }, '10.0.0.1', 80).headers).not.toHaveProperty('X-Original-Forwarded-For');
  });
});
