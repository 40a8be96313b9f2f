// Figure c: delivery reports/s through applyStatus, with 10% duplicates in shuffled order; no final status may regress.
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { messages } from "@/db/schema/messages";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { applyStatus } from "@/lib/messaging/receive";
import { getAdapter } from "@/lib/vendors/registry";
import { pool, seconds, type Row } from "./harness";

const CONCURRENCY = 16;

/**
 * M SENT messages get a SENT and a final report each (10% FAILED), plus 10% duplicates,
 * shuffled, applied CONCURRENCY at a time by applyStatus. Ceiling: as many single-row
 * UPDATEs by primary key, CONCURRENCY at a time.
 */
export async function statusFigure(org: { orgId: string; accountId: string }, m: number): Promise<Row> {
  const [template] = await db.select().from(messages).where(eq(messages.orgId, org.orgId)).limit(1);
  if (!template) throw new Error("figure c needs figure a's messages");
  await db.execute(sql`
    insert into messages (org_id, conversation_id, direction, body, from_e164, to_e164, vendor_account_id, status, vendor_message_id, sent_at)
    select org_id, conversation_id, 'OUTBOUND', body, from_e164, to_e164, vendor_account_id, 'SENT', 'SMbench' || i, now()
    from messages, generate_series(1, ${m}) i where id = ${template.id}`);
  const [account] = await db.select().from(vendorAccounts).where(eq(vendorAccounts.id, org.accountId));
  const adapter = getAdapter("twilio");
  type Report = { vendorMessageId: string; status: "SENT" | "DELIVERED" | "FAILED" };
  const finals = new Map<string, Report["status"]>();
  const reports: Report[] = [];
  for (let i = 1; i <= m; i++) {
    const id = `SMbench${i}`;
    const final = i % 10 === 0 ? "FAILED" : "DELIVERED";
    finals.set(id, final);
    reports.push({ vendorMessageId: id, status: "SENT" }, { vendorMessageId: id, status: final });
  }
  const originals = reports.length;
  for (let i = 0; i < originals / 10; i++) reports.push(reports[Math.floor(Math.random() * originals)]!);
  for (let i = reports.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [reports[i], reports[j]] = [reports[j]!, reports[i]!];
  }
  const started = performance.now();
  await pool(reports, CONCURRENCY, (r) =>
    applyStatus(account!, adapter, {
      type: "status",
      vendorMessageId: r.vendorMessageId,
      status: r.status,
      vendorStatus: r.status.toLowerCase(),
      errorCode: r.status === "FAILED" ? "30003" : undefined,
    }),
  );
  const rate = reports.length / seconds(started);

  const ended = await db
    .select({ id: messages.id, vendorMessageId: messages.vendorMessageId, status: messages.status })
    .from(messages)
    .where(and(eq(messages.orgId, org.orgId), sql`${messages.vendorMessageId} like 'SMbench%'`));
  const regressed = ended.filter((row) => finals.get(row.vendorMessageId!) !== row.status).length;

  const updates = Array.from({ length: reports.length }, (_, i) => ended[i % ended.length]!.id);
  const ceilingStarted = performance.now();
  await pool(
    updates,
    CONCURRENCY,
    async (id) => void (await db.execute(sql`update messages set status = status where id = ${id}`)),
  );
  const ceiling = reports.length / seconds(ceilingStarted);
  console.log(`c. ${reports.length} reports for ${m} messages; ${regressed} ended in a status other than their final report`);
  return {
    figure: "c. status apply (10% dup, shuffled)",
    unit: "reports/s",
    value: rate,
    ceiling,
    target: "no final status regresses",
    pass: regressed === 0 && ended.length === m,
    note: `${regressed} of ${m} messages regressed`,
  };
}
