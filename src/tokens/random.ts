import { randomFillSync } from 'node:crypto';

// CSPRNG bytes are drawn 4 KiB at a time and each byte is handed out once: one system call per
// 256 tokens instead of one per token (as Node does for randomUUID).
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

/** 128 bits from the CSPRNG, base64url: 22 characters that carry no time, counter or user data. */
export function randomToken(): string {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const token = POOL.toString('base64url', offset, offset + 16);
  POOL.fill(0, offset, offset + 16); // nothing handed out stays in memory longer than needed
  offset += 16;
  return token;
}

export const RANDOM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
