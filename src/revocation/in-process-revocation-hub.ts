import type { RevocationChannel, RevocationListener } from '../ports/revocation-channel.js';

/**
 * Revocation messages between managers of one process (the in-memory store is one process's
 * anyway). `channel()` gives each manager its end; `cut()` and `restore()` simulate a broken link.
 */
export class InProcessRevocationHub {
  readonly #listeners = new Set<RevocationListener>();
  #cut = false;

  channel(): RevocationChannel {
    let own: RevocationListener | null = null;
    return {
      publish: async (keys) => {
        if (this.#cut) throw new Error('revocation channel is cut');
        for (const listener of this.#listeners) listener.revoked(keys);
      },
      subscribe: (listener) => {
        own = listener;
        this.#listeners.add(listener);
        listener.live(!this.#cut);
      },
      close: async () => {
        if (own) this.#listeners.delete(own);
      },
    };
  }

  cut(): void {
    this.#cut = true;
    for (const listener of this.#listeners) listener.live(false);
  }

  restore(): void {
    this.#cut = false;
    for (const listener of this.#listeners) listener.live(true);
  }
}
