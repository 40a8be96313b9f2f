import { setMaxListeners } from "node:events";
import type { CallbackRecord, ReportSettings, SimState, Vendor } from "./state";

/** One request the simulator makes to the hub, fully built and signed. */
export type OutgoingCallback = {
  vendor: Vendor;
  kind: CallbackRecord["kind"];
  method: "GET" | "POST";
  /** For GET, the query string is already in the URL. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The vendor's own patience: Twilio waits 15 s, Bandwidth 10 s. */
  timeoutMs: number;
  /** What the vendor would think of the hub's answer (Twilio's debugger warnings). */
  review?: (response: { status: number; headers: Record<string, string>; body: string }) => string[];
};

/**
 * A callback, or how to build it when it falls due: a delivery report is dated and signed when
 * it is sent, not when its message is, so that thousands of messages waiting for their reports
 * hold a closure each rather than signed requests (a benchmark's sends at a ten-minute report
 * delay spent half the simulator's CPU, and most of its memory, building reports ahead).
 */
export type DueCallback = OutgoingCallback | (() => OutgoingCallback);

const MAX_RECORDED_BODY = 16_384;

/**
 * Makes the simulator's calls to the hub: delivery reports after the configured delay,
 * inbound texts at once, duplicated and reordered when a test asks. Every call and the
 * hub's answer is recorded. Nothing is retried: a test sees exactly one attempt per call.
 */
export class Deliverer {
  private pending = new Set<Promise<unknown>>();
  private abort = new AbortController();
  /**
   * Steps waiting for their time, one list per delay: each list falls due in the order it was
   * filled, so one timer, set for the earliest head, serves them all (as Node keeps its own
   * timers). A benchmark leaves tens of thousands of messages waiting for their reports; a timer,
   * a promise and an async frame each made the simulator spend more on them than on the sends.
   */
  private waiting = new Map<number, Fifo<{ at: number; run: () => void }>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private chains = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly state: SimState) {
    // Every callback in flight listens to this one signal (with its own timeout): a batch of
    // 100 reports is 100 listeners, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  /** A message's reports, one after another, each after the report delay. */
  schedule(chain: DueCallback[]): void {
    const settings = this.state.reports;
    if (!settings.enabled || chain.length === 0) return;
    this.paced(
      settings.delayMs,
      arrange(chain.map(builtOnce), settings).map((build) => () => this.send(build())),
    );
  }

  /** Moves a message through its statuses on the report schedule, whether or not anyone is told. */
  progress(steps: (() => void)[]): void {
    this.paced(this.state.reports.delayMs, steps);
  }

  /** Calls the hub now (a phone texting one of our numbers) and returns what happened. */
  sendNow(chain: OutgoingCallback[]): Promise<CallbackRecord[]> {
    const ordered = arrange(chain, this.state.reports);
    const work = (async () => {
      const records: CallbackRecord[] = [];
      for (const callback of ordered) records.push(await this.send(callback));
      return records;
    })();
    this.pending.add(work);
    void work.catch(() => {}).finally(() => this.pending.delete(work));
    return work;
  }

  /** Resolves once every scheduled call has been made, including calls scheduled meanwhile. */
  async flush(): Promise<void> {
    while (this.pending.size > 0 || this.chains > 0) {
      const chainsDone = this.chains > 0 ? new Promise<void>((resolve) => this.idle.push(resolve)) : undefined;
      await Promise.allSettled([...this.pending, chainsDone]);
    }
  }

  stop(): void {
    this.abort.abort();
    clearTimeout(this.timer);
    this.waiting.clear();
    this.chains = 0;
    this.wakeIdle();
  }

  /** Runs the steps one after another, each `delayMs` after the one before finished, until the simulator stops or a step fails. */
  private paced(delayMs: number, steps: (() => unknown)[]): void {
    if (steps.length === 0 || this.abort.signal.aborted) return;
    this.chains++;
    const stepAt = (i: number) =>
      this.later(delayMs, () => {
        void (async () => {
          try {
            await steps[i]!();
          } catch {
            return this.chainDone();
          }
          if (i + 1 < steps.length && !this.abort.signal.aborted) stepAt(i + 1);
          else this.chainDone();
        })();
      });
    stepAt(0);
  }

  private later(delayMs: number, run: () => void): void {
    const at = performance.now() + delayMs;
    let list = this.waiting.get(delayMs);
    if (!list) this.waiting.set(delayMs, (list = new Fifo()));
    list.push({ at, run });
    if (at < this.timerAt) this.arm(at);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    // A timer may fire a fraction of a millisecond before the time it was set for.
    const now = performance.now() + 1;
    let next = Infinity;
    for (const [delayMs, list] of this.waiting) {
      while (list.size > 0 && list.peek()!.at <= now) list.shift()!.run();
      if (list.size === 0) this.waiting.delete(delayMs);
      else next = Math.min(next, list.peek()!.at);
    }
    if (next < this.timerAt) this.arm(next);
  }

  private chainDone(): void {
    if (this.chains > 0 && --this.chains === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private async send(callback: OutgoingCallback): Promise<CallbackRecord> {
    const record: CallbackRecord = {
      seq: this.state.nextSeq(),
      at: new Date().toISOString(),
      vendor: callback.vendor,
      kind: callback.kind,
      method: callback.method,
      url: callback.url,
      headers: callback.headers,
      body: callback.body,
      response: null,
      error: null,
      notes: [],
    };
    this.state.callbacks.push(record);
    try {
      const response = await fetch(callback.url, {
        method: callback.method,
        headers: callback.headers,
        body: callback.method === "GET" ? undefined : callback.body,
        redirect: "manual",
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(callback.timeoutMs)]),
      });
      const body = await response.text();
      record.response = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: body.slice(0, MAX_RECORDED_BODY),
      };
      record.notes = callback.review?.(record.response) ?? [];
    } catch (cause) {
      record.error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    }
    return record;
  }
}

/** A queue that gives back its slots as it is read (Array.shift copies a long array). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Built on first use: a duplicated report is the same request twice, as a vendor's retry is. */
function builtOnce(callback: DueCallback): () => OutgoingCallback {
  if (typeof callback !== "function") return () => callback;
  let built: OutgoingCallback | undefined;
  return () => (built ??= callback());
}

/** Duplicates every call, then reverses the lot, as the test asked: the hub must cope with both. */
function arrange<T>(chain: T[], settings: ReportSettings): T[] {
  const doubled = settings.duplicate ? chain.flatMap((c) => [c, c]) : chain;
  return settings.reorder ? [...doubled].reverse() : doubled;
}
