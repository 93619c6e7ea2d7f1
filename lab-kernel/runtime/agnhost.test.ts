import { describe, expect, it } from 'vitest';
import { agnhostCommand, serveAgnhost } from './agnhost';

const ctx = { hostname: 'web-1', clientIp: '10.244.2.7', clientPort: 40012 };

describe("agnhost, Kubernetes' e2e networking image", () => {
  it('picks its role from the first argument, with the ports its flags default to', () => {
    expect(agnhostCommand(['netexec'])).toEqual({ subcommand: 'netexec', port: 8080 });
    expect(agnhostCommand(['netexec', '--http-port=9000'])).toEqual({ subcommand: 'netexec', port: 9000 });
    expect(agnhostCommand(['serve-hostname'])).toEqual({ subcommand: 'serve-hostname', port: 9376 });
    expect(agnhostCommand(['nosuch'])).toEqual({ error: 'Error: unknown command "nosuch" for "agnhost"' });
  });

  it("answers netexec's /hostname, /clientip (the source the request arrived from), /echo and /header", () => {
    expect(serveAgnhost('netexec', { method: 'GET', path: '/hostname' }, ctx)).toEqual({ code: 200, body: 'web-1' });
    expect(serveAgnhost('netexec', { method: 'GET', path: '/clientip' }, ctx)).toEqual({ code: 200, body: '10.244.2.7:40012' });
    expect(serveAgnhost('netexec', { method: 'GET', path: '/echo?msg=hi%20there' }, ctx)).toEqual({ code: 200, body: 'hi there' });
    expect(serveAgnhost('netexec', { method: 'GET', path: '/header?key=x-forwarded-for', headers: { 'X-Forwarded-For': '192.168.1.1' } }, ctx)).toEqual({ code: 200, body: '192.168.1.1' });
    expect(serveAgnhost('netexec', { method: 'GET', path: '/nope' }, ctx)).toEqual({ code: 404, body: '404 page not found' });
  });

  it('answers every request to serve-hostname with the hostname', () => {
    expect(serveAgnhost('serve-hostname', { method: 'GET', path: '/anything' }, ctx)).toEqual({ code: 200, body: 'web-1' });
  });
});
