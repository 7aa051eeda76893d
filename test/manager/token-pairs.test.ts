import { MemorySessionStore } from 'sessionward';
import { describeTokenPairs } from '../support/token-pair-scenarios.js';

describeTokenPairs('memory store', (clock) => new MemorySessionStore({ clock: clock.now, sweepInterval: false }));
