// Who may reach the headless host, and the headers it sends: pure decisions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAccess, contentSecurityPolicy, hostnameOf, securityHeaders, tokenFromCookie } from './host-guard';
import { callerFor } from './headless-server';

const loopback = (hostHeader: string | undefined, givenToken: string | null = null) =>
  checkAccess({ hostHeader, bindHost: '127.0.0.1', token: null, givenToken }, true);

describe('host guard', () => {
  it('reads the name in a Host header', () => {
    assert.equal(hostnameOf('localhost:8787'), 'localhost');
    assert.equal(hostnameOf('LocalHost'), 'localhost');
    assert.equal(hostnameOf('[::1]:8787'), '[::1]');
    assert.equal(hostnameOf('127.0.0.1.:80'), '127.0.0.1', 'a trailing dot names the same host');
    assert.equal(hostnameOf('evil.example:8787'), 'evil.example');
    assert.equal(hostnameOf('a b'), null);
    assert.equal(hostnameOf(''), null);
    assert.equal(hostnameOf(undefined), null);
  });

  it('on loopback without a token, admits loopback names only: a rebound DNS name is refused', () => {
    for (const host of ['localhost:8787', '127.0.0.1:8787', '127.1.2.3', '[::1]:8787', 'localhost']) {
      assert.deepEqual(loopback(host), { ok: true }, host);
    }
    for (const host of ['evil.example:8787', 'localhost.evil.example', '127.0.0.1.evil.example', '10.0.0.5:8787', 'a b', '']) {
      const decision = loopback(host);
      assert.equal(decision.ok, false, host);
      assert.equal(!decision.ok && decision.status, 421);
    }
    assert.equal(loopback(undefined).ok, false, 'no Host header at all');
    const refused = loopback('evil.example:8787');
    assert.match(!refused.ok ? refused.message : '', /answers only to localhost or 127\.0\.0\.1.*evil\.example/);
  });

  it('admits the bound address itself', () => {
    assert.equal(checkAccess({ hostHeader: '127.0.0.2:9000', bindHost: '127.0.0.2', token: null, givenToken: null }, true).ok, true);
    assert.equal(checkAccess({ hostHeader: 'localhost:9000', bindHost: 'localhost', token: null, givenToken: null }, true).ok, true);
    assert.equal(checkAccess({ hostHeader: '[::1]:9000', bindHost: '::1', token: null, givenToken: null }, true).ok, true);
  });

  it('with a token: the API needs it (any host name then), static files need it or a trusted name', () => {
    const base = { bindHost: '0.0.0.0', token: 'secret-token-123' };
    assert.deepEqual(checkAccess({ ...base, hostHeader: 'trader-pc.local:8787', givenToken: 'secret-token-123' }, true), { ok: true });
    assert.equal(checkAccess({ ...base, hostHeader: 'trader-pc.local:8787', givenToken: 'secret-token-12' }, true).ok, false);
    const api = checkAccess({ ...base, hostHeader: 'localhost:8787', givenToken: null }, true);
    assert.equal(!api.ok && api.status, 401, 'a loopback name does not replace the token for the API');
    assert.equal(checkAccess({ ...base, hostHeader: 'localhost:8787', givenToken: null }, false).ok, true, 'static files under a loopback name');
    const page = checkAccess({ ...base, hostHeader: 'evil.example:8787', givenToken: null }, false);
    assert.equal(!page.ok && page.status, 421);
  });

  it('a Content-Security-Policy that forbids framing and connects only back to this host', () => {
    const csp = contentSecurityPolicy('127.0.0.1:8787');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:8787 wss:\/\/127\.0\.0\.1:8787(;|$)/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /connect-src[^;]*ws:(;| )/, 'no bare ws: scheme (any host)');
    const injected = contentSecurityPolicy("x; script-src 'unsafe-eval'");
    assert.match(injected, /connect-src 'self';/);
    assert.doesNotMatch(injected, /unsafe-eval/);
    const headers = securityHeaders('localhost:1');
    assert.equal(headers['X-Frame-Options'], 'DENY');
    assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  });

  it('reads the token cookie', () => {
    assert.equal(tokenFromCookie('a=1; livebreadth_token=abc%2Bd; b=2'), 'abc+d');
    assert.equal(tokenFromCookie('livebreadth_token=%E0%A4%A'), null, 'malformed escape');
    assert.equal(tokenFromCookie(undefined), null);
  });

  it('the caller is the local user only on loopback without a token, unless the operator allows remote folder changes', () => {
    assert.deepEqual(callerFor(true, null, false), { local: true });
    assert.deepEqual(callerFor(true, 'secret-token-123', false), { local: false });
    assert.deepEqual(callerFor(false, 'secret-token-123', false), { local: false });
    assert.deepEqual(callerFor(false, 'secret-token-123', true), { local: true });
  });
});
