import type { SessionStats } from '../monitoring/session-stats.js';
import type { AnomalyEvent } from '../monitoring/activity-counters.js';
import type { SessionHistoryEntry } from '../monitoring/session-history.js';
import type { Session } from '../types.js';
import { barChart, minuteChart } from './charts.js';
import { html, raw, type SafeHtml } from './html.js';

/** What every page needs: where the dashboard is, who is looking, the form token and the style nonce. */
export interface PageContext {
  base: string;
  actor: string;
  csrf: string;
  nonce: string;
}

const STYLE = raw(`
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header a{color:#cfe0ff;text-decoration:none}header strong{margin-right:12px}
header form{margin-left:auto;display:flex;gap:6px}
main{padding:18px 20px;max-width:1200px}
h1{font-size:20px;margin:0 0 14px}h2{font-size:16px;margin:22px 0 8px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px}.muted{color:#6b7685}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.panel{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:10px 14px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e6e9ef;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.ua{max-width:320px;word-break:break-all;font-size:12px;color:#4a5563}
svg.bars text{font-size:12px;fill:#1d2430}svg.bars rect{fill:#3b6fd8}svg.minutes rect{fill:#3b6fd8}
button{cursor:pointer;border:1px solid #b53b3b;background:#fff;color:#b53b3b;border-radius:4px;padding:3px 10px}
button.primary{border-color:#3b6fd8;color:#3b6fd8}.held{color:#b26b00;font-weight:600}
.actions{margin:10px 0}.notice{background:#fff7e0;border:1px solid #f0d58a;padding:8px 12px;border-radius:6px}
label{display:inline-block;margin:0 12px 8px 0}input,select{padding:3px 6px}
`);

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
const age = (ms: number) => (ms < 1000 ? 'just now' : `${Math.round(ms / 1000)} s ago`);

/** A POST form carrying the form token; `fields` become hidden inputs. */
function action(ctx: PageContext, path: string, fields: Record<string, string>, button: SafeHtml | string, primary = false): SafeHtml {
  return html`<form method="post" action="${ctx.base}/${path}">
<input type="hidden" name="csrf" value="${ctx.csrf}">${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit"${raw(primary ? ' class="primary"' : '')}>${button}</button></form>`;
}

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · sessions</title><style nonce="${ctx.nonce}">${STYLE}</style></head>
<body><header><strong>sessionward</strong><a href="${ctx.base}">Overview</a><a href="${ctx.base}/anomalies">Anomalies</a><a href="${ctx.base}/revoke-where">Revoke where</a>
<form method="post" action="${ctx.base}/find"><input type="hidden" name="csrf" value="${ctx.csrf}"><input name="userId" placeholder="user id" aria-label="user id" required><button type="submit" class="primary">Open</button></form>
<span class="muted">signed in as ${ctx.actor}</span></header>
<main><h1>${title}</h1>${body}</main></body></html>`.value;
}

export function overviewPage(
  ctx: PageContext,
  snapshot: { stats: SessionStats; ageMs: number },
  perMinute: { at: number; counts: Record<string, number> }[],
): string {
  const { stats } = snapshot;
  const series = (kind: string) => perMinute.map((minute) => minute.counts[kind] ?? 0);
  const activity = [
    ['Logins', 'logins'],
    ['Refused logins (limit)', 'refusedLogins'],
    ['Refusals', 'refusals'],
    ['Revocations', 'revocations'],
    ['Anomalies', 'anomalies'],
  ].map(([label, kind]) => {
    const values = series(kind!);
    return html`<div class="panel"><b>${label}</b> <span class="muted">${values.reduce((a, b) => a + b, 0)} in the last hour</span><br>${minuteChart(values, label!)}</div>`;
  });
  const ranking = (title: string, values: Record<string, number>) =>
    html`<div class="panel"><h2>${title}</h2>${barChart(Object.entries(values), { label: title })}</div>`;
  return layout(
    ctx,
    'Overview',
    html`<div class="cards">
<div class="card"><b>${stats.activeSessions}</b>active sessions</div>
<div class="card"><b>${stats.users}</b>users</div>
<div class="card"><b>${stats.bots}</b>bot sessions</div>
<div class="card"><b>${age(snapshot.ageMs)}</b><span class="muted">snapshot (scan took ${stats.tookMs} ms)</span></div>
</div>
<h2>Last hour (this server)</h2><div class="grid">${activity}</div>
<div class="grid">${ranking('Countries', stats.byCountry)}${ranking('Browsers', stats.byBrowser)}${ranking('Operating systems', stats.byOs)}${ranking('Device types', stats.byDeviceType)}</div>
<h2>Users with the most sessions</h2>
<table><tr><th>user</th><th>sessions</th></tr>${stats.topUsers.map(
      (user) => html`<tr><td><a href="${ctx.base}/users/${encodeURIComponent(user.userId)}">${user.userId}</a></td><td>${user.sessions}</td></tr>`,
    )}</table>`,
  );
}

export function userPage(ctx: PageContext, userId: string, sessions: Session[], history: SessionHistoryEntry[]): string {
  const place = (s: Session) => [s.locationInfo?.city, s.locationInfo?.country].filter(Boolean).join(', ') || 'unknown';
  const live = sessions.map(
    (s) => html`<tr data-session="${s.id}">
<td>${s.deviceInfo.browser} · ${s.deviceInfo.os} · ${s.deviceInfo.device}${s.deviceInfo.bot ? ' · bot' : ''}</td>
<td class="ua">${s.deviceInfo.userAgent}</td><td>${s.deviceInfo.ipAddress}</td><td>${place(s)}</td>
<td>${time(s.createdAt)}</td><td>${time(s.lastAccess)}</td>
<td>${s.stepUp ? html`<span class="held">held: ${s.stepUp.reason}</span>` : 'active'}</td>
<td>${action(ctx, 'revoke', { sessionId: s.id, userId }, 'Revoke')}</td></tr>`,
  );
  const ended = history.map(
    (h) =>
      html`<tr><td><code>${h.sessionId.slice(-8)}</code></td><td>${h.reason}</td><td>${h.actor ?? ''}</td><td>${time(h.endedAt)}</td><td>${h.ip ?? ''}</td><td>${h.country ?? ''}</td></tr>`,
  );
  return layout(
    ctx,
    `User ${userId}`,
    html`<h2>Live sessions (${sessions.length})</h2>
${
  sessions.length === 0
    ? html`<p class="muted">No live sessions.</p>`
    : html`<table><tr><th>device</th><th>user agent</th><th>IP</th><th>location</th><th>created (UTC)</th><th>last access (UTC)</th><th>state</th><th></th></tr>${live}</table>
<div class="actions">${action(ctx, 'revoke-all', { userId }, 'Revoke all of this user’s sessions')}</div>`
}
<h2>Ended sessions</h2>
${history.length === 0 ? html`<p class="muted">None recorded.</p>` : html`<table><tr><th>session</th><th>reason</th><th>ended by</th><th>ended (UTC)</th><th>IP</th><th>country</th></tr>${ended}</table>`}`,
  );
}

export function anomaliesPage(ctx: PageContext, events: AnomalyEvent[]): string {
  const evidence = (values: Record<string, unknown>) =>
    Object.entries(values).map(
      ([key, value]) => html`<div><span class="muted">${key}</span> ${typeof value === 'object' ? JSON.stringify(value) : String(value)}</div>`,
    );
  const rows = events.map((event) =>
    event.type === 'session.anomaly'
      ? html`<tr><td>${time(event.at)}</td><td><a href="${ctx.base}/users/${encodeURIComponent(event.userId)}">${event.userId}</a></td><td>${event.action}</td>
<td>${event.findings.map((f) => html`<div><b>${f.rule}</b> (${f.severity}, ${f.score.toFixed(2)})${evidence(f.evidence)}</div>`)}</td></tr>`
      : html`<tr><td>${time(event.at)}</td><td><a href="${ctx.base}/users/${encodeURIComponent(event.userId)}">${event.userId}</a></td><td>revoke</td>
<td><b>refresh-reused</b> (critical)<div><span class="muted">generation</span> ${event.generation}</div>${event.client ? evidence({ ip: event.client.ip, userAgent: event.client.userAgent }) : ''}</td></tr>`,
  );
  return layout(
    ctx,
    'Anomalies',
    html`<p class="muted">The latest ${events.length} anomaly events this server saw, newest first.</p>
${events.length === 0 ? html`<p>None.</p>` : html`<table><tr><th>at (UTC)</th><th>user</th><th>action</th><th>findings and evidence</th></tr>${rows}</table>`}`,
  );
}

/** The filter form; with `preview`, the sessions it matches and a confirm button carrying the same filter. */
export function revokeWherePage(ctx: PageContext, filter: Record<string, string>, preview: Session[] | null, revoked: number | null): string {
  const field = (name: string, label: string) => html`<label>${label} <input name="${name}" value="${filter[name] ?? ''}"></label>`;
  const form = html`<form method="post" action="${ctx.base}/revoke-where"><input type="hidden" name="csrf" value="${ctx.csrf}">
${field('country', 'Country (ISO)')}${field('browser', 'Browser family')}${field('os', 'OS family')}${field('deviceType', 'Device type')}
<label>Bots <select name="bot"><option value="">any</option><option value="true"${raw(filter.bot === 'true' ? ' selected' : '')}>only bots</option><option value="false"${raw(filter.bot === 'false' ? ' selected' : '')}>no bots</option></select></label>
<button type="submit" class="primary">Preview</button></form>`;
  let result = html``;
  if (revoked !== null) result = html`<p class="notice">Revoked ${revoked} sessions.</p>`;
  else if (preview) {
    result = html`<h2>${preview.length} sessions match</h2>
<table><tr><th>user</th><th>device</th><th>IP</th><th>country</th></tr>${preview
      .slice(0, 50)
      .map(
        (s) =>
          html`<tr><td>${s.userId}</td><td>${s.deviceInfo.browser} · ${s.deviceInfo.os}</td><td>${s.deviceInfo.ipAddress}</td><td>${s.locationInfo?.country ?? ''}</td></tr>`,
      )}</table>${preview.length > 50 ? html`<p class="muted">… and ${preview.length - 50} more.</p>` : ''}
${preview.length > 0 ? html`<div class="actions">${action(ctx, 'revoke-where', { ...filter, confirm: 'yes' }, `Revoke these ${preview.length} sessions`)}</div>` : ''}`;
  }
  return layout(
    ctx,
    'Revoke where',
    html`<p class="muted">Every field given must match. Nothing is revoked before you confirm the preview.</p>${form}${result}`,
  );
}

export function messagePage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, html`<p class="notice">${message}</p>`);
}
