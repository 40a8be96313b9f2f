// Figure b: Twilio-signed inbound webhooks/s and their latency, against the production build and a bare node:http server.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { webhookEvents } from "@/db/schema/webhook-events";
import { twilioSignature } from "@/lib/vendors/twilio/signature";
import { QUICK, type Row } from "./harness";

export const INGEST_TARGET = "≥1,500/s, p99 <100 ms at 50 conn., no errors, each stored once";
const SENDERS = 1000;

export type IngestTarget = {
  baseUrl: string;
  token: string;
  accountSid: string;
  authToken: string;
  accountId: string;
  ourNumber: string;
};

export type IngestRun = {
  rate: number;
  p50Ms: number;
  p99Ms: number;
  answered2xx: number;
  errors: number;
  /** Acknowledged (2xx) but not stored. */
  lost: number;
  /** Stored more than once. */
  duplicates: number;
};

/**
 * `connections` vendors' worth of inbound texts for `durationSeconds`, each with its own
 * MessageSid and a valid X-Twilio-Signature over the target's URL. Afterwards every 2xx must
 * be exactly one webhook_events row: no more (a duplicate), no fewer (a lost acknowledgement).
 */
export async function ingest(target: IngestTarget, connections: number, durationSeconds: number): Promise<IngestRun> {
  const url = `${target.baseUrl}/api/webhooks/twilio/${target.token}/inbound`;
  const run = randomBytes(4).toString("hex");
  let n = 0;
  const acknowledged: string[] = [];
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    method: "POST",
    requests: [
      {
        setupRequest: (request, context) => {
          const i = n++;
          const params = {
            MessageSid: `SM${run}${i.toString(16).padStart(24, "0")}`,
            AccountSid: target.accountSid,
            From: `+1646${String(5_550_000 + (i % SENDERS)).padStart(7, "0")}`,
            To: target.ourNumber,
            Body: `Yes, I can take the shift (${i})`,
            NumMedia: "0",
            NumSegments: "1",
            SmsStatus: "received",
            ApiVersion: "2010-04-01",
          };
          (context as { sid?: string }).sid = params.MessageSid;
          return {
            ...request,
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-twilio-signature": twilioSignature(target.authToken, url, params),
            },
            body: new URLSearchParams(params).toString(),
          };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) acknowledged.push(String((context as { sid?: string }).sid));
        },
      },
    ],
  });
  // Requests still in flight when the clock stopped may be stored without their answer being read: a
  // vendor would retry those, and dedupe takes care of it. What must hold: each acknowledged one is stored, once.
  const stored = await db
    .select({ key: webhookEvents.dedupeKey, n: sql<number>`count(*)::int` })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.vendorAccountId, target.accountId), sql`${webhookEvents.dedupeKey} like ${`inbound:SM${run}%`}`))
    .groupBy(webhookEvents.dedupeKey);
  const copies = new Map(stored.map((row) => [row.key, row.n]));
  return {
    rate: result["2xx"] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answered2xx: acknowledged.length,
    errors: result.errors + result.timeouts + result.non2xx,
    lost: acknowledged.filter((sid) => !copies.has(`inbound:${sid}`)).length,
    duplicates: stored.filter((row) => row.n > 1).length,
  };
}

export function ingestDuration(): number {
  return QUICK ? 5 : 15;
}

export function ingestRows(connections: number, app: IngestRun, bare: IngestRun): Row[] {
  const exact = app.lost === 0 && app.duplicates === 0;
  const checks = `${app.answered2xx} answered 2xx, ${app.lost} of them not stored, ${app.duplicates} stored twice, ${app.errors} errors`;
  const meetsLatency = connections !== 50 || app.p99Ms < 100;
  const meetsRate = connections !== 50 || app.rate >= 1500;
  return [
    {
      figure: `b. webhook ingest, ${connections} connections`,
      unit: "req/s",
      value: app.rate,
      ceiling: bare.rate,
      target: connections === 50 ? INGEST_TARGET : "no errors, each stored once",
      pass: exact && app.errors === 0 && meetsLatency && meetsRate,
      note: checks,
    },
    {
      figure: `b. webhook p50, ${connections} connections`,
      unit: "ms",
      value: app.p50Ms,
      ceiling: bare.p50Ms,
      target: "—",
      pass: null,
    },
    {
      figure: `b. webhook p99, ${connections} connections`,
      unit: "ms",
      value: app.p99Ms,
      ceiling: bare.p99Ms,
      target: connections === 50 ? "<100 ms" : "—",
      pass: connections === 50 ? app.p99Ms < 100 : null,
    },
  ];
}
