/**
 * Gathers items handed in within `windowMs` of each other (at most `max` at a time) into one
 * call of `flush`, so that work arriving together is done together: lookups become one query,
 * writes one transaction. `flush` answers each item in order (or nothing, for work that answers
 * nobody), and each caller's promise settles with its own answer, or with the flush's error if
 * it failed.
 */
export function coalesce<T, R = void>(
  flush: (items: T[]) => Promise<R[] | void>,
  options: { windowMs: number; max: number },
): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;

  const run = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const taken = pending;
    pending = [];
    try {
      const results = await flush(taken.map((p) => p.item));
      taken.forEach((p, i) => p.resolve(results?.[i] as R));
    } catch (error) {
      for (const p of taken) p.reject(error);
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.max) void run();
      else timer ??= setTimeout(() => void run(), options.windowMs);
    });
}
