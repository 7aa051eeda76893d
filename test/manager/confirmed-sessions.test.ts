import { describe, expect, it } from 'vitest';
import { ConfirmedSessions } from '../../src/internal/confirmed-sessions.js';
import { partitionKeyOf } from '../../src/tokens/session-id.js';
import { managerFixture, MINUTE } from '../support/manager-fixture.js';

describe('ConfirmedSessions (the fallback and the cache remember what the store confirmed)', () => {
  it("forgets exactly one user's sessions but the excepted, through evictions, re-confirmations and clear", async () => {
    const { manager, clock } = managerFixture();
    const login = async (userId: string) => (await manager.login({ userId })).session;
    const alice = [await login('alice'), await login('alice'), await login('alice')];
    const bob = [await login('bob'), await login('bob')];
    const carol = await login('carol');
    const confirmed = new ConfirmedSessions(5);
    const now = clock.now();
    const recalled = (id: string) => confirmed.recall(id, 'hash', now, MINUTE) !== null;
    for (const session of [carol, ...alice, ...bob]) confirmed.confirm(session, 'hash', now); // six into five: carol is evicted
    expect(recalled(carol.id)).toBe(false);
    confirmed.confirm(alice[0]!, 'hash', now); // set again: still remembered once, still alice's
    confirmed.forgetUser(partitionKeyOf(alice[0]!.id), [alice[1]!.id]);
    expect([...alice, ...bob].map((session) => recalled(session.id))).toEqual([false, true, false, true, true]);
    confirmed.confirm(carol, 'hash', now);
    confirmed.confirm(alice[2]!, 'hash', now);
    confirmed.confirm(alice[0]!, 'hash', now); // six again: alice[1], the least recently used, is evicted
    expect(recalled(alice[1]!.id)).toBe(false);
    confirmed.forgetUser(partitionKeyOf(bob[0]!.id));
    expect([carol, alice[2], alice[0], bob[0], bob[1]].map((session) => recalled(session!.id))).toEqual([true, true, true, false, false]);
    confirmed.clear();
    expect([carol, alice[2], alice[0]].map((session) => recalled(session!.id))).toEqual([false, false, false]);
    confirmed.confirm(bob[1]!, 'hash', now); // an index cleared with the entries: bob can be remembered and forgotten again
    expect(recalled(bob[1]!.id)).toBe(true);
    confirmed.forgetUser(partitionKeyOf(bob[1]!.id));
    expect(recalled(bob[1]!.id)).toBe(false);
  });
});
