/**
 * The subset of RFC 8941 structured fields that User-Agent Client Hints use: lists of strings or
 * tokens with parameters (`"Chromium";v="131", "Google Chrome";v="131"`), single strings and
 * booleans (`?1`). Returns null for anything malformed, so hostile input never throws.
 */
export type BareItem = string | boolean | number;

export interface ListMember {
  value: BareItem;
  params: Record<string, BareItem>;
}

const MAX_LENGTH = 1024;

export function parseList(input: string): ListMember[] | null {
  if (input.length > MAX_LENGTH) return null;
  const parser = new Cursor(input);
  const members: ListMember[] = [];
  parser.skipSpaces();
  if (parser.done()) return members;
  for (;;) {
    const value = parser.bareItem();
    if (value === null) return null;
    const params = parser.params();
    if (params === null) return null;
    members.push({ value, params });
    parser.skipSpaces();
    if (parser.done()) return members;
    if (!parser.take(',')) return null;
    parser.skipSpaces();
    if (parser.done()) return null;
  }
}

export function parseItem(input: string): BareItem | null {
  const list = parseList(input);
  return list?.length === 1 ? list[0]!.value : null;
}

class Cursor {
  #input: string;
  #at = 0;

  constructor(input: string) {
    this.#input = input;
  }

  done(): boolean {
    return this.#at >= this.#input.length;
  }

  take(char: string): boolean {
    if (this.#input[this.#at] !== char) return false;
    this.#at += 1;
    return true;
  }

  skipSpaces(): void {
    while (this.#input[this.#at] === ' ' || this.#input[this.#at] === '\t') this.#at += 1;
  }

  bareItem(): BareItem | null {
    const char = this.#input[this.#at];
    if (char === '"') return this.#string();
    if (char === '?') return this.#boolean();
    if (char !== undefined && /[-0-9]/.test(char)) return this.#number();
    if (char !== undefined && /[A-Za-z*]/.test(char)) return this.#match(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/);
    return null;
  }

  params(): Record<string, BareItem> | null {
    const params: Record<string, BareItem> = {};
    while (this.take(';')) {
      this.skipSpaces();
      const key = this.#match(/^[a-z*][a-z0-9_\-.*]*/);
      if (key === null) return null;
      if (this.take('=')) {
        const value = this.bareItem();
        if (value === null) return null;
        params[key] = value;
      } else params[key] = true;
    }
    return params;
  }

  #string(): string | null {
    let out = '';
    for (this.#at += 1; this.#at < this.#input.length; this.#at += 1) {
      const char = this.#input[this.#at]!;
      if (char === '"') {
        this.#at += 1;
        return out;
      }
      if (char === '\\') {
        const next = this.#input[this.#at + 1];
        if (next !== '"' && next !== '\\') return null;
        out += next;
        this.#at += 1;
      } else if (char < ' ' || char > '~') return null;
      else out += char;
    }
    return null; // unterminated
  }

  #boolean(): boolean | null {
    const text = this.#input.slice(this.#at, this.#at + 2);
    if (text !== '?0' && text !== '?1') return null;
    this.#at += 2;
    return text === '?1';
  }

  #number(): number | null {
    const text = this.#match(/^-?\d{1,15}(?:\.\d{1,3})?/);
    return text === null ? null : Number(text);
  }

  #match(pattern: RegExp): string | null {
    const match = pattern.exec(this.#input.slice(this.#at));
    if (!match) return null;
    this.#at += match[0].length;
    return match[0];
  }
}
