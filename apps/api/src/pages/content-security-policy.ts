/**
 * Content-Security-Policy of a page: scripts only from the listed origins,
 * no inline script, so a channel name or message shown on a page can never
 * run as code, even if a rendering bug let markup through.
 */
export function contentSecurityPolicy(opts: { scriptOrigins: readonly string[]; connectOrigins: readonly string[]; workers: boolean }): string {
  return [
    "default-src 'none'",
    `script-src ${["'self'", ...opts.scriptOrigins].join(' ')}`,
    `connect-src ${["'self'", ...opts.connectOrigins].join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    ...(opts.workers ? ['worker-src blob:'] : []),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Origins a page may load the gateway's client script from and open
 * connections to: each gateway's http(s) origin and its ws(s) twin. With no
 * gateway known ahead, any origin of those schemes.
 */
export function gatewayOrigins(gatewayUrls: readonly string[]): { scriptOrigins: string[]; connectOrigins: string[] } {
  if (gatewayUrls.length === 0) return { scriptOrigins: ['http:', 'https:'], connectOrigins: ['http:', 'https:', 'ws:', 'wss:'] };
  const http = [...new Set(gatewayUrls.map((u) => new URL(u).origin))];
  const ws = http.map((o) => o.replace(/^http/, 'ws'));
  return { scriptOrigins: http, connectOrigins: [...http, ...ws] };
}
