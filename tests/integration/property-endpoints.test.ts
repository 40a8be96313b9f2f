import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, count, desc, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { contacts } from "@/db/schema/contacts";
import { conversations } from "@/db/schema/conversations";
import { messages } from "@/db/schema/messages";
import { vendorAccounts } from "@/db/schema/vendor-accounts";
import { webhookEvents } from "@/db/schema/webhook-events";
import { createApiKey } from "@/lib/api-keys";
import { saveVendorAccount, setDefaultVendorAccount } from "@/lib/vendors/accounts";
import { startApp, type RunningApp } from "../helpers/app";
import { ownerWithOrg } from "../helpers/fixtures";

/**
 * Issue 9: whatever arrives at a public endpoint, the answer is a clear 4xx (or SMSsync's own
 * "success": false), never a 500, and rejected input leaves no row behind.
 */
const RUNS = 30;
/**
 * One seed, so that CI is repeatable; PROPERTY_SEED and PROPERTY_RUNS try others (a failure
 * prints the seed and the shrunk counterexample to reproduce it with).
 */
const PROPERTY = { seed: Number(process.env.PROPERTY_SEED ?? 42), numRuns: Number(process.env.PROPERTY_RUNS ?? RUNS) };
const ONE_MB = 1024 * 1024;
const WEBHOOK_REJECTIONS = [400, 401, 403, 404, 405, 413, 415, 422];

let app: RunningApp;
let orgId: string;
let apiKey: string;
const tokens: Record<string, string> = {};

const ACCOUNTS: { kind: string; values: Record<string, unknown> }[] = [
  { kind: "twilio", values: { accountSid: `AC${"a".repeat(32)}`, authToken: "t".repeat(32) } },
  {
    kind: "bandwidth",
    values: {
      accountId: "9900001",
      username: "api-user",
      password: "api-password",
      applicationId: "app-1",
      callbackUsername: "callback-user",
      callbackPassword: "callback-password",
    },
  },
  { kind: "vonage", values: { apiKey: "abcd1234", apiSecret: "secret-1234", signatureSecret: "signature-secret" } },
  { kind: "messagemedia-rest", values: { username: "mm-key", password: "mm-secret", receiveMode: "webhook" } },
  { kind: "external", values: { sendUrl: "http://127.0.0.1:9/unused", number: "+250788123123" } },
  { kind: "smssync", values: { secret: "phone-secret", number: "+250788123124" } },
  { kind: "fake", values: {} },
  {
    kind: "template",
    // The seed's Ringotel-style definition, as tests/integration/template.test.ts saves it: its token is its only credential.
    values: {
      definition: readFileSync(path.resolve("lib/vendors/template/examples/ringotel-seed.json"), "utf8"),
      "property:API key": "rk_live_property",
      "property:Server": "ns.example.com",
      "property:Domain": "acme.example",
    },
  },
];

/** Each adapter's webhook actions, as keyed in its webhooks map. */
const WEBHOOK_ACTIONS: [kind: string, action: string][] = [
  ["twilio", "inbound"],
  ["twilio", "status"],
  ["bandwidth", "callbacks"],
  ["vonage", "inbound"],
  ["vonage", "status"],
  ["messagemedia-rest", "callback"],
  ["external", "receive"],
  ["external", "sent"],
  ["external", "delivered"],
  ["external", "failed"],
  ["fake", "status"],
  ["fake", "inbound"],
  ["template", "events"],
];

/**
 * External's status reports carry nothing but an `id`, ours or the gateway's, and the URL's
 * token (no secret is set here): any non-empty id is a report, so fuzzed bodies may be well formed.
 */
const ANY_ID_REPORTS = ["sent", "delivered", "failed"];

const INJECTIONS = ["'; drop table messages; --", "<script>alert(1)</script>", "${7*7}", "{{7*7}}", "../../etc/passwd", "\u0000", "%00", "\r\nX: y"];
const FIELD_NAMES = ["from", "to", "text", "body", "message", "id", "status", "type", "secret", "message_id", "Body", "From", "To", "MessageSid"];

const injection = fc.constantFrom(...INJECTIONS);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
/** The right field names holding the wrong types or injection strings (never a valid phone number). */
const wrongFields = fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.oneof(wrongType, injection), { minKeys: 1 });
const formGarbage = fc
  .array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom(...FIELD_NAMES)), fc.oneof(fc.string(), injection)), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));
/**
 * Form fields in the bracket notation a vendor nests fields with (params[from]=…), over a few
 * names so that one name is often both a value and a group, including the names that reach an
 * object's prototype.
 */
const nestedKey = fc
  .array(fc.constantFrom("params", "method", "from", "__proto__", "constructor", "prototype"), { minLength: 1, maxLength: 3 })
  .map(([head, ...rest]) => head + rest.map((name) => `[${name}]`).join(""));
const nestedForm = fc
  .array(fc.tuple(nestedKey, fc.oneof(fc.string(), injection)), { minLength: 1, maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"));
/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const invalidUtf8 = fc
  .tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom([0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xff, 0xfe], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]))
  .map(([head, bad]) => new Uint8Array([...head, ...bad]));

type Body = string | Uint8Array;
const body: fc.Arbitrary<Body> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.json(),
  wrongFields.map((o) => JSON.stringify(o)),
  formGarbage,
  injection,
  invalidUtf8,
);
const contentType = fc.constantFrom(
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=xx",
  "application/octet-stream",
  "application/json; charset=latin1",
  "",
);

type Answer = { status: number; text: string };

async function send(url: string, payload: { method?: string; body?: Body; contentType?: string; headers?: Record<string, string> }): Promise<Answer> {
  const headers: Record<string, string> = { ...payload.headers };
  if (payload.contentType) headers["content-type"] = payload.contentType;
  const response = await fetch(url, {
    method: payload.method ?? "POST",
    headers,
    body: payload.body === undefined ? undefined : typeof payload.body === "string" ? payload.body : Buffer.from(payload.body),
  });
  return { status: response.status, text: await response.text() };
}

async function rowCounts() {
  const [[events], [msgs], [people], [threads]] = await Promise.all([
    db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.orgId, orgId)),
    db.select({ n: count() }).from(messages).where(eq(messages.orgId, orgId)),
    db.select({ n: count() }).from(contacts).where(eq(contacts.orgId, orgId)),
    db.select({ n: count() }).from(conversations).where(eq(conversations.orgId, orgId)),
  ]);
  return { webhookEvents: events!.n, messages: msgs!.n, contacts: people!.n, conversations: threads!.n };
}

/** The property for one request: the check on the answer, then no row written. */
async function rejectsWithoutWriting(request: () => Promise<Answer>, check: (answer: Answer) => void): Promise<void> {
  const before = await rowCounts();
  const answer = await request();
  check(answer);
  expect(await rowCounts()).toEqual(before);
}

/**
 * A webhook's property: garbage is refused with a 4xx and writes nothing. Some garbage is a
 * well-formed report all the same (External's sent/delivered/failed take any `id`, ours or
 * the gateway's, and a report may arrive before its message has the vendor's id): that is
 * answered 2xx and stored raw for the worker once (a repeated id is a retry, stored no
 * more), and nothing else is written while answering.
 */
async function rejectsOrStoresOnce(request: () => Promise<Answer>, sentBody: string | null): Promise<void> {
  const before = await rowCounts();
  const answer = await request();
  const after = await rowCounts();
  if (answer.status >= 200 && answer.status < 300) {
    expect({ ...after, webhookEvents: before.webhookEvents }, answer.text).toEqual(before);
    expect(after.webhookEvents - before.webhookEvents).toBeLessThanOrEqual(1);
    if (after.webhookEvents > before.webhookEvents && sentBody !== null) {
      const [latest] = await db
        .select({ body: webhookEvents.body })
        .from(webhookEvents)
        .where(eq(webhookEvents.orgId, orgId))
        .orderBy(desc(webhookEvents.receivedAt))
        .limit(1);
      expect(latest!.body, "stored as it came").toBe(sentBody);
    }
    return;
  }
  webhookRejection(answer);
  expect(after).toEqual(before);
}

function webhookRejection(answer: Answer) {
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(WEBHOOK_REJECTIONS, `${answer.status}: ${answer.text}`).toContain(answer.status);
  expect(answer.text.trim(), `the ${answer.status} says why`).not.toBe("");
}

function smssyncRejection(answer: Answer) {
  expect(answer.status, answer.text).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.text.trim()).not.toBe("");
    return;
  }
  const parsed = JSON.parse(answer.text) as { payload?: { success?: unknown; error?: unknown } };
  expect(parsed.payload?.success, answer.text).toBe(false);
  expect(typeof parsed.payload?.error).toBe("string");
  expect(String(parsed.payload?.error).trim()).not.toBe("");
}

function apiRejection(answer: Answer) {
  expect(answer.status, "rate limited: the property tested nothing").not.toBe(429);
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  const parsed = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof parsed.error?.code, answer.text).toBe("string");
  expect(String(parsed.error?.message ?? "").trim(), answer.text).not.toBe("");
}

beforeAll(async () => {
  const { user, org } = await ownerWithOrg("Property endpoints");
  orgId = org.id;
  const actor = { userId: user.id, label: "test" };
  for (const { kind, values } of ACCOUNTS) {
    const account = await saveVendorAccount(org.id, actor, { kind, name: kind, values });
    const [row] = await db
      .select({ token: vendorAccounts.webhookToken })
      .from(vendorAccounts)
      .where(and(eq(vendorAccounts.orgId, org.id), eq(vendorAccounts.id, account.id)));
    tokens[kind] = row!.token;
    if (kind === "fake") await setDefaultVendorAccount(org.id, account.id, actor);
  }
  apiKey = (await createApiKey({ orgId: org.id, name: "property", createdBy: user.id, actorLabel: "test" })).key;
  // The API's rate limit is tested in api-v1.test.ts; here a 429 would stand in for the answer under test.
  app = await startApp({ API_RATE_PER_SECOND: "100000", API_RATE_BURST: "100000" });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe("vendor webhooks under arbitrary bodies", () => {
  const urls = WEBHOOK_ACTIONS.map(([kind, action]) => [`${kind} ${action}`, `/api/webhooks/${kind}/${kind}-token/${action}`] as const);
  const external = ["receive", "sent", "delivered", "failed"].map((action) => [`external /c/ex ${action}`, `/c/ex/external-token/${action}`] as const);
  const resolve = (template: string) => template.replace(/\/([a-z-]+)-token\//, (_, kind: string) => `/${tokens[kind]}/`);

  it.each([...urls, ...external])("%s: a 4xx that says why, never a 500, no row written", async (name, template) => {
    const url = `${app.url}${resolve(template)}`;
    const mayAccept = ANY_ID_REPORTS.some((action) => name.startsWith("external") && name.endsWith(` ${action}`));
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.constantFrom("POST", "GET"), async (payload, type, method) => {
        const asQuery = method === "GET" && typeof payload === "string" ? `?${payload.replace(/#/g, "%23")}` : "";
        const request = () => send(`${url}${asQuery}`, { method, body: method === "GET" ? undefined : payload, contentType: type });
        if (!mayAccept) return rejectsWithoutWriting(request, webhookRejection);
        await rejectsOrStoresOnce(request, method === "GET" ? "" : typeof payload === "string" ? payload : null);
      }),
      PROPERTY,
    );
  }, 60_000);

  // Only the template vendor reads params[from] as nested fields; its own garbage: a name both a value and a group, and prototype names.
  it.each(["POST", "GET"])("template events, %s: bracketed field names get a 4xx that says why, no row written", async (method) => {
    const url = `${app.url}/api/webhooks/template/${tokens.template}/events`;
    await fc.assert(
      fc.asyncProperty(nestedForm, async (form) => {
        await rejectsWithoutWriting(
          () =>
            method === "GET"
              ? send(`${url}?${form}`, { method })
              : send(url, { method, body: form, contentType: "application/x-www-form-urlencoded" }),
          webhookRejection,
        );
      }),
      PROPERTY,
    );
  }, 60_000);

  it("template events: a field named __proto__ is a field, not a way to give every object in the app a default", async () => {
    const url = `${app.url}/api/webhooks/template/${tokens.template}/events`;
    const form = (body: string) => send(url, { body, contentType: "application/x-www-form-urlencoded" });
    // Were it the prototype's, every object would then have method=message, and the next request, which names no event, would be taken as a text.
    await rejectsWithoutWriting(() => form("__proto__[method]=message&constructor[prototype][method]=message"), webhookRejection);
    await rejectsWithoutWriting(() => form("params[from]=%2B61491570111&params[to]=%2B61491570157&params[content]=hi"), webhookRejection);
  });

  // Kept failing on purpose (issue 9): Next answers an unexported method with a bare 405 and no text.
  it.each(WEBHOOK_ACTIONS.slice(0, 1))("%s %s: PUT gets a 405 that says why", async (kind, action) => {
    await rejectsWithoutWriting(() => send(`${app.url}/api/webhooks/${kind}/${tokens[kind]}/${action}`, { method: "PUT", body: "{}" }), webhookRejection);
  });

  it.each(ACCOUNTS.filter((a) => a.kind !== "smssync").map((a) => a.kind))("%s: a body just over 1 MB gets 413", async (kind) => {
    const action = WEBHOOK_ACTIONS.find(([k]) => k === kind)![1];
    await rejectsWithoutWriting(
      () => send(`${app.url}/api/webhooks/${kind}/${tokens[kind]}/${action}`, { body: "a=" + "x".repeat(ONE_MB), contentType: "application/x-www-form-urlencoded" }),
      (answer) => {
        expect(answer.status).toBe(413);
        expect(answer.text.trim()).not.toBe("");
      },
    );
  });
});

describe("SMSsync under arbitrary bodies", () => {
  it.each(["", "?task=send", "?task=sent", "?task=result"])("sync%s: success false with an error, never a 500, no row written", async (query) => {
    const url = `${app.url}/api/webhooks/smssync/${tokens.smssync}/sync${query}`;
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.constantFrom("POST", "GET"), async (payload, type, method) => {
        await rejectsWithoutWriting(() => send(url, { method, body: method === "GET" ? undefined : payload, contentType: type }), smssyncRejection);
      }),
      PROPERTY,
    );
  }, 60_000);

  it("answers a body just over 1 MB with 413 and writes nothing", async () => {
    await rejectsWithoutWriting(
      () =>
        send(`${app.url}/api/webhooks/smssync/${tokens.smssync}/sync`, {
          body: `from=%2B250788000000&message=${"x".repeat(ONE_MB)}`,
          contentType: "application/x-www-form-urlencoded",
        }),
      (answer) => expect(answer.status).toBe(413),
    );
  });
});

describe("API v1 under arbitrary bodies", () => {
  const withKey = (type: string) => ({ authorization: `Bearer ${apiKey}`, ...(type ? { "content-type": type } : {}) });

  it.each(["/messages", "/messages/batch", "/otp", "/otp/verify"])("POST %s: a 4xx with a JSON error, never a 500, no row written", async (pathname) => {
    await fc.assert(
      fc.asyncProperty(body, contentType, async (payload, type) => {
        await rejectsWithoutWriting(() => send(`${app.url}/api/v1${pathname}`, { body: payload, headers: withKey(type) }), apiRejection);
      }),
      PROPERTY,
    );
  }, 60_000);

  it.each(["/messages", "/messages/batch", "/otp", "/otp/verify"])("POST %s: the right field names with wrong types name the field", async (pathname) => {
    await fc.assert(
      fc.asyncProperty(wrongFields, async (fields) => {
        await rejectsWithoutWriting(
          () => send(`${app.url}/api/v1${pathname}`, { body: JSON.stringify(fields), headers: withKey("application/json") }),
          apiRejection,
        );
      }),
      PROPERTY,
    );
  }, 60_000);

  it("POST /messages/batch with wrong fields inside its messages: a 4xx naming the message and field, no row written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wrongFields, { minLength: 1, maxLength: 5 }), async (items) => {
        await rejectsWithoutWriting(
          () => send(`${app.url}/api/v1/messages/batch`, { body: JSON.stringify({ messages: items }), headers: withKey("application/json") }),
          (answer) => {
            apiRejection(answer);
            expect((JSON.parse(answer.text) as { error: { field: string } }).error.field, answer.text).toMatch(/^messages\.\d+/);
          },
        );
      }),
      PROPERTY,
    );
  }, 60_000);

  it("GET /conversations with arbitrary query strings: never a 500", async () => {
    const query = fc.oneof(formGarbage, fc.string(), injection.map((v) => `cursor=${encodeURIComponent(v)}&limit=${encodeURIComponent(v)}`));
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        await rejectsWithoutWriting(
          () => send(`${app.url}/api/v1/conversations?${q.replace(/#/g, "%23")}`, { method: "GET", headers: withKey("") }),
          (answer) => {
            expect(answer.status, answer.text).toBeLessThan(500);
            if (answer.status >= 400) apiRejection(answer);
          },
        );
      }),
      PROPERTY,
    );
  }, 60_000);

  it("GET /messages/<id> with arbitrary ids: a 4xx with a JSON error", async () => {
    const id = fc.oneof(fc.string({ minLength: 1 }), injection, fc.uuid());
    await fc.assert(
      fc.asyncProperty(id, async (raw) => {
        await rejectsWithoutWriting(
          () => send(`${app.url}/api/v1/messages/${encodeURIComponent(raw)}`, { method: "GET", headers: withKey("") }),
          apiRejection,
        );
      }),
      PROPERTY,
    );
  }, 60_000);

  it("POST /messages with a body just over 1 MB: a 4xx, no row written", async () => {
    const huge = JSON.stringify({ to: "+14155550150", body: "x".repeat(ONE_MB) });
    await rejectsWithoutWriting(() => send(`${app.url}/api/v1/messages`, { body: huge, headers: withKey("application/json") }), apiRejection);
  });
});

/**
 * PostgreSQL text cannot hold U+0000. A NUL escaped in a request that is otherwise valid (JSON's
 * \u0000, a form's %00) passes any look at the raw bytes; accepted, it would fail every insert
 * after the vendor was told "OK". Each is refused at once, naming the field, and writes nothing.
 */
describe("a NUL escaped in an otherwise valid request", () => {
  const json = "application/json";
  const form = "application/x-www-form-urlencoded";
  const names = (field: string) => (answer: Answer) => {
    expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text).toBeLessThan(500);
    expect(answer.text).toContain(field);
    expect(answer.text).toContain("NUL");
  };
  const external = (action: string) => `${app.url}/api/webhooks/external/${tokens.external}/${action}`;

  it("External receive, as JSON and as a form, and a status by query: a 400 naming the field", async () => {
    await rejectsWithoutWriting(() => send(external("receive"), { body: '{"from":"+14155550150","text":"hi\\u0000"}', contentType: json }), names("text"));
    await rejectsWithoutWriting(() => send(external("receive"), { body: "from=%2B14155550150&text=hi%00", contentType: form }), names('"text"'));
    await rejectsWithoutWriting(() => send(`${external("delivered")}?id=abc%00`, { method: "GET" }), names('"id"'));
    // The same without the NUL is taken: the refusal is the NUL's.
    const taken = await send(external("receive"), { body: '{"from":"+14155550150","text":"hi"}', contentType: json });
    expect(taken.status, taken.text).toBe(200);
  });

  it("a signed fake-vendor inbound: a 400 naming the field", async () => {
    const body = JSON.stringify({ id: "nul-1", from: "+14155550150", to: "+14155550100", body: "a\u0000b" });
    const signature = createHmac("sha256", tokens.fake!).update(body).digest("hex");
    await rejectsWithoutWriting(
      () => send(`${app.url}/api/webhooks/fake/${tokens.fake}/inbound`, { body, contentType: json, headers: { "x-fake-signature": signature } }),
      names("body"),
    );
  });

  it("an SMSsync incoming SMS: success false naming the field", async () => {
    const fields = new URLSearchParams({ secret: "phone-secret", from: "+250788000001", message: "hi\u0000", message_id: crypto.randomUUID(), sent_to: "", sent_timestamp: "1767323045000" });
    await rejectsWithoutWriting(
      () => send(`${app.url}/api/webhooks/smssync/${tokens.smssync}/sync`, { body: fields.toString(), contentType: form }),
      (answer) => {
        smssyncRejection(answer);
        expect(answer.text).toContain('\\"message\\"');
      },
    );
  });

  it("API v1: a 422 naming the field, in a message, a batch and an idempotency key", async () => {
    const post = (pathname: string, body: unknown) =>
      send(`${app.url}/api/v1${pathname}`, { body: JSON.stringify(body), headers: { authorization: `Bearer ${apiKey}`, "content-type": json } });
    const field = (name: string) => (answer: Answer) => {
      apiRejection(answer);
      expect(answer.status).toBe(422);
      expect((JSON.parse(answer.text) as { error: { field: string } }).error.field).toBe(name);
    };
    await rejectsWithoutWriting(() => post("/messages", { to: "+14155550150", body: "hi\u0000" }), field("body"));
    await rejectsWithoutWriting(() => post("/messages", { to: "+14155550150", body: "hi", idempotencyKey: "k\u0000" }), field("idempotencyKey"));
    await rejectsWithoutWriting(() => post("/messages/batch", { messages: [{ to: "+14155550150", body: "ok" }, { to: "+1415\u00005550150", body: "ok" }] }), field("messages.1.to"));
    await rejectsWithoutWriting(() => post("/otp", { to: "+14155550150", template: "Code {{code}}\u0000" }), (answer) => apiRejection(answer));
  });
});
