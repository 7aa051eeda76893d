import { describeSessionStoreConformance } from 'sessionward/testing';
import { MemorySessionStore } from 'sessionward';

describeSessionStoreConformance({
  name: 'MemorySessionStore',
  createStore: (clock) => new MemorySessionStore({ clock, sweepInterval: false }),
});
