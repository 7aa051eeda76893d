import { describe, expect, it } from 'vitest';
import type { AnomalyDetector } from 'sessionward';
import { dashboard } from 'sessionward/dashboard';
import type { AdminPageRequest, HttpResponse } from 'sessionward/http';
import { CHROME_WINDOWS, managerFixture } from '../support/manager-fixture.js';

// Every login is "impossible travel" with evidence that includes markup, at a severity that only logs.
const travel: AnomalyDetector = {
  usesHistory: false,
  evaluate: async ({ kind }) =>
    kind === 'login' ? [{ rule: 'impossible-travel', severity: 'low', score: 0.9, evidence: { speedKmh: 9120, distanceKm: 8950, note: '<b>bold</b>' } }] : [],
};

function setup() {
  const fixture = managerFixture({ anomalyDetector: travel });
  const pages = dashboard();
  const request = (method: string, path: string[], form: Record<string, string> = {}, actor = 'admin-7'): Promise<HttpResponse | null> => {
    const page: AdminPageRequest = {
      method,
      path,
      headers: {},
      form: async () => new URLSearchParams(form),
      actor,
      adminSession: null,
      manager: fixture.manager,
      base: '/admin/sessions/dashboard',
    };
    return pages.handle(page);
  };
  const csrf = (actor = 'admin-7') => fixture.manager.admin.formToken(`dashboard\0actor:${actor}`);
  return { ...fixture, request, csrf };
}

describe('dashboard pages', () => {
  it('the anomalies feed shows each finding with its evidence, escaped', async () => {
    const { manager, request } = setup();
    await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    const page = (await request('GET', ['anomalies']))!;
    expect(page.status).toBe(200);
    const body = String(page.body);
    expect(body).toMatch(/impossible-travel<\/b> \(low, 0\.90\)/);
    expect(body).toContain('speedKmh</span> 9120');
    expect(body).toContain('distanceKm</span> 8950');
    expect(body).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(body).not.toContain('<b>bold</b>');
  });

  it('actions need the form token of this admin, and are audited with the admin as actor', async () => {
    const { manager, request, csrf, events } = setup();
    const { session } = await manager.login({ userId: 'alice' });
    for (const token of ['', 'guess', csrf('someone-else')]) {
      expect((await request('POST', ['revoke'], { csrf: token, sessionId: session.id, userId: 'alice' }))!.status).toBe(403);
    }
    expect(await manager.list('alice')).toHaveLength(1);
    const done = (await request('POST', ['revoke'], { csrf: csrf(), sessionId: session.id, userId: 'alice' }))!;
    expect(done).toMatchObject({ status: 303, headers: { location: '/admin/sessions/dashboard/users/alice' } });
    expect(await manager.list('alice')).toHaveLength(0);
    expect(events('session.ended')).toEqual([expect.objectContaining({ sessionId: session.id, actor: 'admin-7', reason: 'revoked' })]);
  });

  it('revoke-where refuses an empty filter and previews before it revokes', async () => {
    const { manager, request, csrf } = setup();
    await manager.login({ userId: 'alice', context: CHROME_WINDOWS });
    expect((await request('POST', ['revoke-where'], { csrf: csrf() }))!.status).toBe(400);
    const preview = (await request('POST', ['revoke-where'], { csrf: csrf(), browser: 'chrome' }))!;
    expect(String(preview.body)).toContain('1 sessions match');
    expect(await manager.list('alice')).toHaveLength(1);
    const confirmed = (await request('POST', ['revoke-where'], { csrf: csrf(), browser: 'chrome', confirm: 'yes' }))!;
    expect(String(confirmed.body)).toContain('Revoked 1 sessions.');
    expect(await manager.list('alice')).toHaveLength(0);
  });

  it('every page carries a strict CSP with a fresh nonce, and unknown paths are left to the app', async () => {
    const { request } = setup();
    const [a, b] = [(await request('GET', []))!, (await request('GET', []))!];
    const nonce = (r: HttpResponse) => /'nonce-([^']+)'/.exec(r.headers['content-security-policy']!)![1];
    expect(a.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'nonce-[^']+'; img-src 'self'; form-action 'self'; frame-ancestors 'none'/,
    );
    expect(nonce(a)).not.toBe(nonce(b));
    expect(String(a.body)).toContain(`<style nonce="${nonce(a)}">`);
    expect(await request('GET', ['nothing-here'])).toBeNull();
    expect(await request('DELETE', [])).toBeNull();
  });
});
