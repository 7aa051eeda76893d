import type {
  CreateResult,
  EndedSession,
  RefreshResult,
  RotateResult,
  SessionStore,
  StoredSession,
  TouchResult,
  UpdateResult,
} from '../ports/session-store.js';
import type { UserIdSealer } from '../tokens/user-id-sealer.js';

/**
 * The manager's view of a store: user ids are sealed on the way in and opened on the way out, so
 * every store (the app's own included) only ever holds the encrypted form. One wrapper, not a
 * rule each store must remember.
 */
export function sealUserIds(store: SessionStore, sealer: UserIdSealer): SessionStore {
  const open = <T extends { userId: string }>(value: T): T => ({ ...value, userId: sealer.open(value.userId) });
  const openAll = <T extends { userId: string }>(values: readonly T[]): T[] => values.map(open);
  const openEnded = <R extends { status: string }>(result: R): R =>
    result.status === 'ended' ? { ...result, session: open((result as unknown as { session: EndedSession }).session) } : result;

  const sealed: SessionStore = {
    keepsTrails: store.keepsTrails === true,
    async create(session, options) {
      const result: CreateResult = await store.create({ ...session, userId: sealer.seal(session.userId) }, options);
      return result.created
        ? { ...result, session: open(result.session), evicted: openAll(result.evicted), expired: openAll(result.expired) }
        : { ...result, sessions: openAll(result.sessions), expired: openAll(result.expired) };
    },
    get: async (ref) => {
      const found = await store.get(ref);
      return found && open(found);
    },
    // Every validation comes this way: a `then`, not an async frame of its own.
    touch: (ref, options) =>
      store.touch(ref, options).then((result: TouchResult) => (result.status === 'active' ? { ...result, session: open(result.session) } : openEnded(result))),
    update: async (ref, patch, options) => {
      const result: UpdateResult = await store.update(ref, patch, options);
      return result.status === 'updated' || result.status === 'conflict' ? { ...result, session: open(result.session) } : openEnded(result);
    },
    rotate: async (ref, next, options) => {
      const result: RotateResult = await store.rotate(ref, next, options);
      return result.status === 'rotated' ? { ...result, session: open(result.session), previous: open(result.previous) } : openEnded(result);
    },
    revoke: async (ref, options) => {
      const ended = await store.revoke(ref, options);
      return ended && open(ended);
    },
    revokeAll: async (userKey, options) => openAll(await store.revokeAll(userKey, options)),
    list: async (userKey, options) => openAll(await store.list(userKey, options)),
  };
  if (store.dispose) sealed.dispose = () => store.dispose!();
  if (store.ping) sealed.ping = () => store.ping!();
  if (store.scan) {
    const scan = store.scan.bind(store);
    sealed.scan = async function* (options) {
      for await (const batch of scan(options)) yield openAll<StoredSession>(batch);
    };
  }
  if (store.refresh) {
    const refresh = store.refresh.bind(store);
    sealed.refresh = async (ref, options) => {
      const result: RefreshResult = await refresh(ref, options);
      return result.status === 'refreshed' || result.status === 'reused' ? ({ ...result, session: open(result.session) } as RefreshResult) : openEnded(result);
    };
  }
  if (store.sweep) sealed.sweep = async (options) => ({ expired: openAll((await store.sweep!(options)).expired) });
  if (store.purgeUser) sealed.purgeUser = (userKey, options) => store.purgeUser!(userKey, options);
  return sealed;
}
