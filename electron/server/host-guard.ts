// server/: who may talk to the headless host, and the security headers on its HTTP responses.
// Pure decisions, unit-tested without a socket; headless-server.ts applies them.
import { timingSafeEqual } from 'node:crypto';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The name in a Host header, lower-cased, without the port: "[::1]:8787" → "[::1]". Null if malformed. */
export function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  if (!m) return null;
  return m[1]!.toLowerCase().replace(/\.$/, '');
}

export function sameToken(given: string | null | undefined, expected: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface AccessRequest {
  /** The request's Host header. */
  hostHeader: string | undefined;
  /** The address the host is bound to (--host). */
  bindHost: string;
  /** The host's access token; null on loopback without one. */
  token: string | null;
  /** The token the request carries (query or cookie), if any. */
  givenToken: string | null | undefined;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 421; message: string };

/**
 * May this request reach the host? A valid token opens the door under any name. Without one, the
 * Host must be a loopback name or the bound address: a web page on evil.example whose DNS is
 * rebound to 127.0.0.1 arrives with Host evil.example and is refused (DNS rebinding).
 * `requireToken`: the API needs the token whenever the host has one; static files (the public
 * dashboard bundle) only need a trusted Host.
 */
export function checkAccess(request: AccessRequest, requireToken: boolean): AccessDecision {
  if (request.token !== null && sameToken(request.givenToken, request.token)) return { ok: true };
  if (requireToken && request.token !== null) return { ok: false, status: 401, message: 'An access token is required' };
  const name = hostnameOf(request.hostHeader);
  const bind = request.bindHost.toLowerCase();
  const trusted = name !== null && (isLoopback(name) || name === bind || name === `[${bind}]`);
  if (!trusted) {
    return {
      ok: false,
      status: 421,
      message: `LiveBreadth answers only to localhost or ${request.bindHost} here, not "${request.hostHeader ?? ''}": open the address the host printed`,
    };
  }
  return { ok: true };
}

/**
 * The Content-Security-Policy for the dashboard served from `hostHeader`: scripts and styles from
 * this origin only, no framing, and connections only back to this host (HTTP and its WebSocket).
 */
export function contentSecurityPolicy(hostHeader: string | undefined): string {
  // Only a plain host[:port] goes into the header: anything else could inject directives.
  const host = hostHeader && /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(hostHeader) ? hostHeader : null;
  const connect = host ? `'self' ws://${host} wss://${host}` : `'self'`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every HTTP response from the host. */
export function securityHeaders(hostHeader: string | undefined): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(hostHeader),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** The token in a Cookie header (set when the dashboard page is opened with ?token=). */
export function tokenFromCookie(cookie: string | undefined): string | null {
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

export const TOKEN_COOKIE = 'livebreadth_token';
