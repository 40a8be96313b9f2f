/**
 * Gathers items handed in within `windowMs` of each other (at most `max` at a time) into one
 * call of `flush`, so that work arriving together is written together: a batch of sends that
 * finish within milliseconds becomes one transaction instead of one each. Each caller's promise
 * settles when the flush that carried its item does, with that flush's error if it failed.
 */
export function coalesce<T>(flush: (items: T[]) => Promise<void>, options: { windowMs: number; max: number }): (item: T) => Promise<void> {
  type Pending = { item: T; resolve: () => void; reject: (error: unknown) => void };
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;

  const run = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const taken = pending;
    pending = [];
    try {
      await flush(taken.map((p) => p.item));
      for (const p of taken) p.resolve();
    } catch (error) {
      for (const p of taken) p.reject(error);
    }
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.max) void run();
      else timer ??= setTimeout(() => void run(), options.windowMs);
    });
}
