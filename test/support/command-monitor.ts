import { Redis } from 'ioredis';

export interface ObservedCommand {
  name: string;
  /** Run by a Lua script (attributed to the client whose EVAL/EVALSHA started it). */
  inScript: boolean;
}

/**
 * Records, through MONITOR, every command one client sends and every command the scripts it starts
 * run, ignoring other clients of the same server (other test files run in parallel).
 */
export async function monitorClient(url: string, client: Redis): Promise<{ take(): Promise<ObservedCommand[]>; close(): Promise<void> }> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = /addr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error('could not read the client address');
  const observer = new Redis(url);
  const monitor = await observer.monitor();
  let seen: ObservedCommand[] = [];
  let lastSource = '';
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      if (lastSource === address) seen.push({ name: args[0]!.toUpperCase(), inScript: true });
      return;
    }
    lastSource = source;
    if (source === address) seen.push({ name: args[0]!.toUpperCase(), inScript: false });
  });
  const settle = async () => {
    // A PING through the observed client marks the end: once MONITOR has shown it, everything before it was seen.
    await client.ping();
    const deadline = Date.now() + 2_000;
    while (!seen.some((c) => c.name === 'PING') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };
  return {
    take: async () => {
      await settle();
      const taken = seen.filter((c) => c.name !== 'PING');
      seen = [];
      return taken;
    },
    close: async () => {
      monitor.disconnect();
      observer.disconnect();
    },
  };
}

const WRITES = new Set(['HSET', 'HDEL', 'DEL', 'PEXPIREAT', 'PEXPIRE', 'HINCRBY', 'RENAME', 'SET', 'EXPIRE']);

export const roundTrips = (commands: ObservedCommand[]) => commands.filter((c) => !c.inScript).length;
export const writes = (commands: ObservedCommand[]) => commands.filter((c) => WRITES.has(c.name)).map((c) => c.name);
