import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminPageRequest, AdminPages, HttpResponse } from '../http/http-types.js';
import { toMilliseconds, type Duration } from '../internal/duration.js';
import { checkKeys } from '../internal/option-keys.js';
import type { SessionFilter } from '../monitoring/session-filter.js';
import { anomaliesPage, messagePage, overviewPage, type PageContext, revokeWherePage, userPage } from './pages.js';
import { StatsSnapshot } from './stats-snapshot.js';

export interface DashboardOptions {
  /** How long pages reuse one stats scan (its age is shown). @default '10s' */
  snapshotMaxAge?: Duration;
}

const FILTER_FIELDS = ['country', 'browser', 'os', 'deviceType', 'bot'] as const;

/**
 * The admin dashboard: server-rendered pages with no script at all, under a strict
 * Content-Security-Policy (the one style block carries a nonce). Mount it with
 * `admin: { authorize, dashboard: dashboard() }`; every page is behind that `authorize`, every
 * action is a POST with a form token bound to the admin's session (and passes the cross-origin
 * guard first), and every revocation is audited with the admin as its actor.
 */
export function dashboard(options: DashboardOptions = {}): AdminPages {
  checkKeys(options, ['snapshotMaxAge'], 'dashboard');
  return new Dashboard(toMilliseconds(options.snapshotMaxAge ?? '10s', 'dashboard.snapshotMaxAge'));
}

class Dashboard implements AdminPages {
  readonly #snapshot: StatsSnapshot;

  constructor(snapshotMaxAgeMs: number) {
    this.#snapshot = new StatsSnapshot(snapshotMaxAgeMs);
  }

  async handle(request: AdminPageRequest): Promise<HttpResponse | null> {
    const ctx: PageContext = {
      base: request.base,
      actor: request.actor,
      csrf: request.manager.admin.formToken(`dashboard\0${request.adminSession?.id ?? `actor:${request.actor}`}`),
      nonce: randomBytes(16).toString('base64'),
    };
    const [page, argument, extra] = request.path;
    if (extra !== undefined) return null;
    if (request.method === 'GET') return this.#get(request, ctx, page, argument);
    if (request.method !== 'POST' || argument !== undefined) return null;
    const form = await request.form();
    if (!sameToken(form.get('csrf'), ctx.csrf))
      return htmlResponse(ctx, 403, messagePage(ctx, 'Refused', 'This form has expired or did not come from this dashboard. Reload the page and try again.'));
    return this.#post(request, ctx, page, form);
  }

  async #get(request: AdminPageRequest, ctx: PageContext, page: string | undefined, argument: string | undefined): Promise<HttpResponse | null> {
    const { manager } = request;
    if (page === undefined) {
      const now = Date.now();
      const { stats, takenAt } = await this.#snapshot.get(manager, now);
      return htmlResponse(ctx, 200, overviewPage(ctx, { stats, ageMs: Math.max(0, now - takenAt) }, manager.admin.activity().perMinute));
    }
    if (page === 'users' && argument !== undefined) {
      const [sessions, history] = await Promise.all([manager.list(argument), manager.admin.history(argument, { pageSize: 50 })]);
      return htmlResponse(ctx, 200, userPage(ctx, argument, sessions, history.sessions));
    }
    if (argument !== undefined) return null;
    if (page === 'anomalies') return htmlResponse(ctx, 200, anomaliesPage(ctx, manager.admin.activity().anomalies));
    if (page === 'revoke-where') return htmlResponse(ctx, 200, revokeWherePage(ctx, {}, null, null));
    return null;
  }

  async #post(request: AdminPageRequest, ctx: PageContext, page: string | undefined, form: URLSearchParams): Promise<HttpResponse | null> {
    const { manager, actor } = request;
    const userId = form.get('userId') ?? '';
    const userPath = `${ctx.base}/users/${encodeURIComponent(userId)}`;
    switch (page) {
      case 'find':
        return userId ? redirect(userPath) : redirect(ctx.base);
      case 'revoke':
        await manager.revoke(form.get('sessionId') ?? '', { actor });
        return redirect(userPath);
      case 'revoke-all':
        if (userId) await manager.revokeAll(userId, { actor });
        return redirect(userPath);
      case 'revoke-where': {
        const fields = Object.fromEntries(FILTER_FIELDS.map((name) => [name, form.get(name)?.trim() ?? '']).filter(([, value]) => value !== ''));
        const filter = filterOf(fields);
        if (Object.keys(filter).length === 0)
          return htmlResponse(
            ctx,
            400,
            revokeWherePage(ctx, fields, null, null).replace(
              '</h1>',
              '</h1><p class="notice">Give at least one field: an empty filter would match every session.</p>',
            ),
          );
        if (form.get('confirm') !== 'yes') {
          const { matched } = await manager.admin.revokeWhere(filter, { dryRun: true });
          return htmlResponse(ctx, 200, revokeWherePage(ctx, fields, matched, null));
        }
        const { revoked } = await manager.admin.revokeWhere(filter, { actor });
        return htmlResponse(ctx, 200, revokeWherePage(ctx, fields, null, revoked));
      }
      default:
        return null;
    }
  }
}

function filterOf(fields: Record<string, string>): SessionFilter {
  const filter: SessionFilter = {};
  if (fields.country) filter.country = fields.country.toUpperCase();
  if (fields.browser) filter.browser = fields.browser;
  if (fields.os) filter.os = fields.os;
  if (fields.deviceType) filter.deviceType = fields.deviceType;
  if (fields.bot === 'true' || fields.bot === 'false') filter.bot = fields.bot === 'true';
  return filter;
}

function sameToken(given: string | null, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** No script may run and nothing may load from elsewhere; the page cannot be framed or cached. */
function htmlResponse(ctx: PageContext, status: number, body: string): HttpResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${ctx.nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

function redirect(location: string): HttpResponse {
  return { status: 303, headers: { location, 'cache-control': 'no-store' }, body: null };
}
