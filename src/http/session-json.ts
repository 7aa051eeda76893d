import type { SessionSummary } from '../session-summary.js';

/** A session in a "your devices" list: its summary, with the one this request uses marked. */
export interface SessionJson extends SessionSummary {
  current: boolean;
}

export function sessionJson(summary: SessionSummary, currentSessionId: string | null): SessionJson {
  return { ...summary, current: summary.id === currentSessionId };
}
