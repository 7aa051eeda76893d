/** A minimal browser: one cookie jar entry (the session cookie), a user agent, real HTTP via fetch. */
export interface Reply {
  status: number;
  body: unknown;
  setCookie: string[];
  cacheControl: string | null;
  retryAfter: string | null;
}

export class Browser {
  cookie: string | null = null;
  constructor(
    readonly baseUrl: string,
    readonly userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    readonly cookieName = '__Host-sid',
  ) {}

  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; withCookie?: boolean } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...options.headers };
    if (this.cookie && options.withCookie !== false) headers.cookie = `theme=dark; ${this.cookieName}=${this.cookie}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    const setCookie = response.headers.getSetCookie();
    for (const cookie of setCookie) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (name !== this.cookieName) continue;
      this.cookie = /Max-Age=0/.test(cookie) ? null : value;
    }
    return {
      status: response.status,
      body: text ? JSON.parse(text) : null,
      setCookie,
      cacheControl: response.headers.get('cache-control'),
      retryAfter: response.headers.get('retry-after'),
    };
  }
}

/** Replaces what legitimately differs between runs (credentials, ids, dates) with stable placeholders. */
export function normalise(value: unknown, ids: Map<string, string>): unknown {
  const text = JSON.stringify(value)
    .replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '<token>')
    .replace(/swr1\.[\w.-]+/g, '<refresh-token>')
    .replace(/[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<session-${ids.size + 1}>`);
      return ids.get(id)!;
    })
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<date>')
    .replace(/(?<=[:[,])1\d{12}(?=[,}\]])/g, '"<epoch-ms>"');
  return JSON.parse(text);
}
