import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEOUL } from '../../fixtures/redis-memory.js';
import { DecodedRecords } from '../../src/redis/decoded-records.js';
import { decodeSession, encodeMeta, encodeRecord, sessionOf } from '../../src/redis/session-codec.js';
import type { StoredSession } from '../../src/ports/session-store.js';
import { sampleSession, sampleUserKey } from 'sessionward/testing';

const NOW = 1_795_000_000_000;

function readThrough(memo: DecodedRecords, session: StoredSession, meta = encodeMeta(session), record = encodeRecord(session)): StoredSession {
  const entry = memo.entry(session.id, meta);
  return sessionOf(session.id, session.userId, entry, memo.record(session.id, meta, entry, record));
}

describe('DecodedRecords', () => {
  it('answers what a fresh decode answers, across writes, touches and more sessions than it holds (property)', () => {
    const sessions = Array.from({ length: 6 }, (_, i) => sampleSession(sampleUserKey(), NOW + i, { locationInfo: { ...SEOUL!, seenAt: NOW + i } }));
    const step = fc.record({
      which: fc.nat(sessions.length - 1),
      change: fc.constantFrom('none', 'touch', 'data', 'step-up', 'device', 'location'),
      value: fc.string({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const memo = new DecodedRecords(3);
        const live = sessions.map((session) => structuredClone(session));
        for (const { which, change, value } of steps) {
          const session = live[which]!;
          if (change === 'touch') session.lastAccess += 1_000;
          if (change === 'data') session.data = { ...session.data, [value]: value };
          if (change === 'step-up') session.stepUp = session.stepUp ? null : { reason: value, since: NOW };
          if (change === 'device') session.deviceInfo = { ...session.deviceInfo, userAgent: value };
          if (change === 'location') session.locationInfo = { ...SEOUL!, city: value, seenAt: NOW + 9 };
          const fresh = decodeSession(session.id, session.userId, encodeMeta(session), encodeRecord(session));
          expect(readThrough(memo, session)).toEqual(fresh);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200), seed: Number(process.env.FC_SEED ?? 20261203) },
    );
  });

  it('once full, takes one new session in eight, so sessions used round-robin over twice its size are still answered', () => {
    const memo = new DecodedRecords(100);
    const sessions = Array.from({ length: 200 }, (_, i) => sampleSession(sampleUserKey(), NOW + i));
    const texts = sessions.map((session) => [encodeMeta(session), encodeRecord(session)] as const);
    const last: unknown[] = [];
    let reused = 0;
    let reads = 0;
    for (let round = 0; round < 20; round += 1) {
      for (const [i, session] of sessions.entries()) {
        const [meta, record] = texts[i]!;
        const decoded = memo.record(session.id, meta, memo.entry(session.id, meta), record);
        if (round >= 10) {
          reads += 1;
          if (decoded === last[i]) reused += 1; // the decode of an earlier round
        }
        last[i] = decoded;
      }
    }
    // Set at every read, no read after the first round would find its session (each pushed out by the 100 before it).
    expect(reused / reads).toBeGreaterThan(0.4);
  });
});
