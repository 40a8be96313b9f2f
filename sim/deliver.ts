import { setMaxListeners } from "node:events";
import { sleep } from "./http";
import type { CallbackRecord, ReportSettings, SimState, Vendor } from "./state";

/** One request the simulator makes to the hub, fully built (and signed) beforehand. */
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

const MAX_RECORDED_BODY = 16_384;

/**
 * Makes the simulator's calls to the hub: delivery reports after the configured delay,
 * inbound texts at once, duplicated and reordered when a test asks. Every call and the
 * hub's answer is recorded. Nothing is retried: a test sees exactly one attempt per call.
 */
export class Deliverer {
  private pending = new Set<Promise<unknown>>();
  private abort = new AbortController();

  constructor(private readonly state: SimState) {
    // Every callback in flight listens to this one signal (with its own timeout): a batch of
    // 100 reports is 100 listeners, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  /** A message's reports, one after another, each after the report delay. */
  schedule(chain: OutgoingCallback[]): void {
    const settings = this.state.reports;
    if (!settings.enabled || chain.length === 0) return;
    this.paced(
      settings.delayMs,
      arrange(chain, settings).map((callback) => () => this.send(callback)),
    );
  }

  /** Moves a message through its statuses on the report schedule, whether or not anyone is told. */
  progress(steps: (() => void)[]): void {
    this.paced(this.state.reports.delayMs, steps);
  }

  /** Calls the hub now (a phone texting one of our numbers) and returns what happened. */
  sendNow(chain: OutgoingCallback[]): Promise<CallbackRecord[]> {
    const ordered = arrange(chain, this.state.reports);
    return this.track(
      (async () => {
        const records: CallbackRecord[] = [];
        for (const callback of ordered) records.push(await this.send(callback));
        return records;
      })(),
    );
  }

  /** Resolves once every scheduled call has been made, including calls scheduled meanwhile. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  stop(): void {
    this.abort.abort();
  }

  /** Runs the steps one after another, each after `delayMs`, until the simulator stops. */
  private paced(delayMs: number, steps: (() => unknown)[]): void {
    this.track(
      (async () => {
        for (const step of steps) {
          await sleep(delayMs, this.abort.signal);
          if (this.abort.signal.aborted) return;
          await step();
        }
      })(),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    void work.catch(() => {}).finally(() => this.pending.delete(work));
    return work;
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

/** Duplicates every call, then reverses the lot, as the test asked: the hub must cope with both. */
function arrange(chain: OutgoingCallback[], settings: ReportSettings): OutgoingCallback[] {
  const doubled = settings.duplicate ? chain.flatMap((c) => [c, c]) : chain;
  return settings.reorder ? [...doubled].reverse() : doubled;
}
