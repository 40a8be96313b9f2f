// Figure f: a send-to-all campaign's fan-out; seconds until every contact's message is queued.
import { startCampaign } from "@/lib/campaigns/campaigns";
import { addContactsByFilter } from "@/lib/campaigns/contacts";
import { FANOUT_BATCH_SIZE, fanOutCampaign } from "@/lib/campaigns/fanout";
import { createOrg } from "@/lib/accounts";
import { addNumber } from "@/lib/numbers";
import { saveVendorAccount } from "@/lib/vendors/accounts";
import { createSendToAllCampaign, seedContacts } from "../tests/helpers/campaign-seed";
import { seconds, type Row } from "./harness";
import { noopQueue } from "./send";

/**
 * SEND_TO_ALL to `n` contacts of an org of its own, fanOutCampaign run in this process (the job's
 * work). Ceiling: `n` empty jobs inserted FANOUT_BATCH_SIZE at a time, one batch after another as
 * the fan-out takes them, with nothing else written (no message, conversation or campaign row).
 */
export async function fanoutFigure(
  connectionString: string,
  actor: { userId: string; label: string },
  accountValues: Record<string, unknown>,
  n: number,
): Promise<Row> {
  const org = await createOrg({ name: "Bench Fanout Org", ownerUserId: actor.userId });
  const account = await saveVendorAccount(org.id, actor, { kind: "twilio", name: "Fanout Twilio", values: accountValues });
  await addNumber(org.id, actor, { vendorAccountId: account.id, e164: "+14155550101" });
  await seedContacts(org.id, n);
  const campaign = await createSendToAllCampaign(org.id, actor, account.id);
  await addContactsByFilter(org.id, actor, campaign.id, { filter: "all", defaultCountry: "US" });
  await startCampaign(org.id, actor, campaign.id);
  const started = performance.now();
  const outcome = await fanOutCampaign(campaign.id);
  const took = seconds(started);
  const ceiling = await insertNoopJobs(connectionString, n);
  console.log(
    `f. fan-out of ${n} contacts: ${outcome.state}, ${outcome.queued} queued in ${took.toFixed(2)} s; ${n} empty jobs inserted in ${ceiling.toFixed(2)} s`,
  );
  return {
    figure: `f. campaign fan-out, ${n.toLocaleString("en-US")} contacts`,
    unit: "s",
    value: took,
    ceiling,
    target: "all queued",
    pass: outcome.state === "done" && outcome.queued === n,
    note: `${outcome.queued} queued (${Math.round(n / took)} contacts/s)`,
  };
}

/** Seconds to insert `n` empty jobs in batches of FANOUT_BATCH_SIZE, one after another. */
async function insertNoopJobs(connectionString: string, n: number): Promise<number> {
  const { boss, queue } = await noopQueue(connectionString);
  try {
    const started = performance.now();
    for (let first = 0; first < n; first += FANOUT_BATCH_SIZE) {
      const size = Math.min(FANOUT_BATCH_SIZE, n - first);
      await boss.insert(
        queue,
        Array.from({ length: size }, (_, i) => ({ data: { contact: first + i } })),
      );
    }
    return seconds(started);
  } finally {
    await boss.stop({ graceful: false });
  }
}
