import type { AnyVendorAdapter, OutboundMessage, SendResult, VendorContext } from "@/lib/vendors/types";
import { VendorError } from "@/lib/vendors/errors";

/**
 * Gathers sends to one account that happen at the same moment (a worker runs a batch of
 * send jobs concurrently) into one request, for vendors that take batches (MessageMedia REST,
 * up to 100 messages). A send waits at most WINDOW_MS for company. Vendors without
 * sendBatch send each message alone, as before.
 */
const WINDOW_MS = 15;

type Waiting = { message: OutboundMessage; resolve: (result: SendResult) => void; reject: (error: unknown) => void };
type Batch = { adapter: AnyVendorAdapter; ctx: VendorContext; waiting: Waiting[]; timer: NodeJS.Timeout | null };

const open = new Map<string, Batch>();

export function sendBatched(adapter: AnyVendorAdapter, ctx: VendorContext, message: OutboundMessage): Promise<SendResult> {
  if (!adapter.sendBatch) return adapter.send(ctx, message);
  return new Promise<SendResult>((resolve, reject) => {
    const key = ctx.account.id;
    let batch = open.get(key);
    if (!batch) {
      batch = { adapter, ctx, waiting: [], timer: null };
      open.set(key, batch);
    }
    batch.waiting.push({ message, resolve, reject });
    if (batch.waiting.length >= (adapter.maxBatch ?? 100)) void flush(key, batch);
    else batch.timer ??= setTimeout(() => void flush(key, batch), WINDOW_MS);
  });
}

async function flush(key: string, batch: Batch): Promise<void> {
  if (open.get(key) === batch) open.delete(key);
  if (batch.timer) clearTimeout(batch.timer);
  const { adapter, ctx, waiting } = batch;
  if (waiting.length === 1) return settle(waiting[0]!, () => adapter.send(ctx, waiting[0]!.message));
  let results: SendResult[];
  try {
    results = await adapter.sendBatch!(
      ctx,
      waiting.map((w) => w.message),
    );
  } catch (error) {
    // Nothing of a refused batch went out: each alone, so only the message at fault fails.
    if (error instanceof VendorError && error.batchRefused) {
      await Promise.all(waiting.map((w) => settle(w, () => adapter.send(ctx, w.message))));
    } else {
      for (const w of waiting) w.reject(error);
    }
    return;
  }
  waiting.forEach((w, i) => {
    const result = results[i];
    if (result) w.resolve(result);
    else
      w.reject(
        new VendorError({
          code: "bad_response",
          retryable: false,
          description:
            "The vendor's answer to a batch named fewer messages than were sent; check its message log before resending.",
        }),
      );
  });
}

async function settle(w: Waiting, send: () => Promise<SendResult>): Promise<void> {
  try {
    w.resolve(await send());
  } catch (error) {
    w.reject(error);
  }
}
