/**
 * Starts `count` operations that all wait at one gate, opens it, and settles them all. Every
 * operation is in flight before any of them runs: the shape of a real burst of parallel requests.
 */
export async function runBehindBarrier<T>(count: number, operation: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const runs = Array.from({ length: count }, (_, index) => gate.then(() => operation(index)));
  open();
  return Promise.allSettled(runs);
}
