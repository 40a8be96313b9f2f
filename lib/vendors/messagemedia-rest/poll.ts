import { z } from "zod";
import { VendorError } from "../errors";
import type { PolledItem, PollResult, VendorContext, VendorEvent } from "../types";
import { safeJson } from "../vendor-response";
import { apiFailure, callApi } from "./api";
import type { MessageMediaRestConfig } from "./config";
import { deliveryReport, reply, replyEvents, reportEvents } from "./events";

type Ctx = VendorContext<MessageMediaRestConfig>;

/** MessageMedia confirms at most 100 ids per request (and returns at most 100 per check). */
const CONFIRM_CHUNK = 100;

/**
 * For accounts without webhooks: GET /replies and GET /delivery_reports return what is not
 * yet confirmed (up to 100 of each, again on every call until confirmed), and
 * POST /replies/confirmed and /delivery_reports/confirmed confirm them. In webhook mode
 * MessageMedia pushes both to the callback URL instead, so there is nothing to fetch.
 */
export async function pollAccount(ctx: Ctx): Promise<PollResult> {
  if (ctx.config.receiveMode !== "poll") return { items: [], confirm: async () => {} };
  const replies = await check(ctx, "/replies", "replies");
  const reports = await check(ctx, "/delivery_reports", "delivery_reports");
  const items = [
    ...replies.flatMap((raw) => item(raw, "reply_id", "reply", () => replyEvents(reply.parse(raw)))),
    ...reports.flatMap((raw) => item(raw, "delivery_report_id", "report", () => reportEvents(deliveryReport.parse(raw)))),
  ];
  return { items, confirm: (keys) => confirmKeys(ctx, keys) };
}

/** Confirms exactly these keys ("reply:<id>", "report:<id>"), skipping a call with none. */
async function confirmKeys(ctx: Ctx, keys: string[]): Promise<void> {
  const ids = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  for (const chunk of chunks(ids("reply:"))) await confirm(ctx, "/replies/confirmed", { reply_ids: chunk }, "the replies");
  for (const chunk of chunks(ids("report:")))
    await confirm(ctx, "/delivery_reports/confirmed", { delivery_report_ids: chunk }, "the delivery reports");
}

async function check(ctx: Ctx, path: string, field: "replies" | "delivery_reports"): Promise<unknown[]> {
  const response = await callApi(ctx, "GET", path);
  if (response.status !== 200) throw apiFailure(response, `the check for ${field.replace("_", " ")}`, ctx.now());
  const parsed = z.object({ [field]: z.array(z.unknown()) }).safeParse(safeJson(response.body));
  if (!parsed.success)
    throw new VendorError({
      code: "mm-unreadable",
      retryable: true,
      description: `MessageMedia answered GET ${path} without a list of ${field}.`,
    });
  return parsed.data[field] as unknown[];
}

async function confirm(ctx: Ctx, path: string, body: object, what: string): Promise<void> {
  const response = await callApi(ctx, "POST", path, body);
  if (response.status < 200 || response.status > 299) throw apiFailure(response, `confirming ${what}`, ctx.now());
}

/**
 * One polled item. One that cannot be read is still returned, with no events: it is stored
 * raw for review and confirmed, rather than blocking every later poll. One without an id
 * cannot be confirmed, nor stored once, so it is left out.
 */
function item(raw: unknown, idField: string, prefix: string, events: () => VendorEvent[]): PolledItem[] {
  const id = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[idField] : undefined;
  if (typeof id !== "string" || !id.trim()) return [];
  let read: VendorEvent[];
  try {
    read = events();
  } catch {
    read = [];
  }
  return [{ key: `${prefix}:${id}`, raw: JSON.stringify(raw), events: read }];
}

function chunks(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += CONFIRM_CHUNK) out.push(ids.slice(i, i + CONFIRM_CHUNK));
  return out;
}
