/**
 * Server instructions per request, counted by valgrind's callgrind: a second instance of a bench
 * app runs under valgrind beside the one that logged the sessions in (same secret, same Redis), is
 * warmed over every session, and its counters cover exactly the requests sent after they are
 * zeroed. It is work, not time, so it is far steadier than req/s and CPU time on two shared cores,
 * and small differences between apps show over a few runs. It counts user-space work, not the
 * kernel's socket work (the same one round trip per request for the apps compared), per thread: the
 * event loop's count bounds req/s and moves a few percent run to run; all threads together add V8's
 * background compiles and GC helpers, whose share moves with timing (about 20% apart run to run).
 * Load on the machine moves it too (how many requests share an event-loop turn and an auto-pipelined
 * write: Fastify's strict app read 163k beside a running test suite, 143k–148k quiet), so the bench
 * counts with nothing else running.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** Fails before the bench starts, not after half an hour of it. */
export function requireValgrind(): void {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind is not installed; the bench counts instructions with it. Install it: apt-get install -y valgrind');
  }
}

/** Instructions per counted request: the event loop's thread alone, and every thread of the process. */
export interface InstructionCount {
  mainThread: number;
  allThreads: number;
}

/**
 * `start` spawns the app's server with the given command prefix and environment; `cookies` are
 * sessions it accepts. Warms up with `warmUpRounds` passes over every session (a server that has
 * not seen a session reads it with the touch script, and V8 compiles the hot code, in background
 * threads the count includes: one pass left the bare frameworks' counts twice as high), then counts
 * `requests` round-robin, 50 at a time.
 */
export async function countInstructions(
  start: (prefix: string[], env: Record<string, string>) => Promise<{ url: string; process: ChildProcess }>,
  cookies: readonly string[],
  requests: number,
  warmUpRounds: number,
): Promise<InstructionCount> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionward-callgrind-'));
  const prefix = ['valgrind', '--tool=callgrind', '-q', '--separate-threads=yes', `--callgrind-out-file=${join(dir, 'out.%p')}`];
  const server = await start(prefix, { BENCH_UNDER_VALGRIND: '1' });
  const pid = String(server.process.pid);
  try {
    let next = 0;
    const send = async (amount: number) => {
      const result = await autocannon({
        url: server.url,
        connections: 50,
        amount,
        timeout: 120,
        requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length]! } }) }],
      });
      if (result.non2xx > 0 || result.errors > 0 || result.requests.total !== amount) {
        throw new Error(`${server.url} under valgrind: ${result.requests.total} of ${amount} answered, ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
    };
    await send(cookies.length * warmUpRounds);
    execFileSync('callgrind_control', ['--zero', pid], { stdio: 'ignore' });
    await send(requests);
    execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore' });
    // One dump per thread: `out.<pid>.1-01` is the main thread (the event loop), the rest are V8's
    // and libuv's workers (JIT compiles, concurrent marking, parallel scavenges).
    const main = `out.${pid}.1-01`;
    const dumps = readdirSync(dir).filter((name) => name.startsWith(`out.${pid}.1-`));
    if (!dumps.includes(main)) throw new Error(`callgrind wrote no main-thread dump for ${pid} in ${dir}`);
    const all = dumps.reduce((sum, name) => sum + summaryOf(join(dir, name)), 0);
    return { mainThread: summaryOf(join(dir, main)) / requests, allThreads: all / requests };
  } finally {
    server.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function summaryOf(dump: string): number {
  const summary = /^summary: (\d+)$/m.exec(readFileSync(dump, 'utf8'))?.[1];
  if (!summary) throw new Error(`no summary line in ${dump}`);
  return Number(summary);
}
