import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeSessionStoreConformance } from 'sessionward/testing';
import { MemorySessionStore } from 'sessionward';

describeSessionStoreConformance(
  { describe, it, beforeEach, afterEach, expect },
  {
    name: 'MemorySessionStore',
    createStore: (clock) => new MemorySessionStore({ clock, sweepInterval: false }),
  },
);
