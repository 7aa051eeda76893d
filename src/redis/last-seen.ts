/** sessionId → lastAccess, at most `max` entries, the oldest set first out. */
export class LastSeen {
  readonly #entries = new Map<string, number>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(id: string): number | undefined {
    return this.#entries.get(id);
  }

  set(id: string, lastAccess: number): void {
    this.#entries.delete(id);
    this.#entries.set(id, lastAccess);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
