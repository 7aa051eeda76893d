import { randomBytes } from 'node:crypto';

/** 128 bits from the CSPRNG, base64url: 22 characters that carry no time, counter or user data. */
export function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

export const RANDOM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
