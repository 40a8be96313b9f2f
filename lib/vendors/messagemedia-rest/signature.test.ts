import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runVendorCases, type IncomingCase } from "@/tests/helpers/vendor-harness";
import type { VendorEvent, WebhookRequest } from "../types";
import { messageMediaRestAdapter } from "./adapter";
import { readPublicKey, signingString } from "./signature";

const MESSAGE_ID = "11111111-1111-4111-8111-111111111111";
const config = (stubUrl: string) => ({ username: "mm-api-key-1", password: "mm-api-secret-1", apiBaseUrl: `${stubUrl}/v1` });
const report = {
  delivery_report_id: "693e87f2-a553-4281-9ffe-ddf04cbc4bf3",
  source_number: "+61491570156",
  date_received: "2026-01-02T03:04:05.807Z",
  status: "delivered",
  message_id: "389dc1a8-62a4-4110-ba61-af94806c006f",
  error_code: "220",
  metadata: { switchboard_id: MESSAGE_ID },
};
const reply = {
  reply_id: "a175e797-2b54-468b-9850-41a3eab32f74",
  message_id: report.message_id,
  source_number: "+61491570156",
  content: "Yes",
};
const statusEvent = (status: string, vendorStatus: string) =>
  ({
    type: "status",
    vendorMessageId: report.message_id,
    status,
    vendorStatus,
    occurredAt: new Date(report.date_received),
    messageId: MESSAGE_ID,
  }) as VendorEvent;
const post = (body: object) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

// A signature key pair as MessageMedia's Signature Key Management API makes one (RSA).
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PUBLIC_PEM = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
// create-signature-key answers public_key as the bare base64 of the DER SubjectPublicKeyInfo.
const PUBLIC_BASE64 = keys.publicKey.export({ type: "spki", format: "der" }).toString("base64");
const DATE = "Fri, 02 Jan 2026 03:04:06 GMT";
/** MessageMedia's signing, recomputed here: request line + Date + raw body, RSA, base64. */
const signAs =
  (
    digest: string,
    privateKey = keys.privateKey,
    headers: Record<string, string> = { date: DATE, "x-messagemedia-digest-type": digest.toUpperCase() },
  ) =>
  (_ctx: unknown, request: WebhookRequest) => {
    const line = `${request.method} ${new URL(request.url).pathname} HTTP/1.1`;
    const signature = sign(digest, Buffer.from(`${line}${DATE}${request.body}`), privateKey).toString("base64");
    return { ...headers, "x-messagemedia-signature": signature };
  };

const signatureCases: IncomingCase[] = [
  {
    label: "with a public key, a webhook signed as MessageMedia signs (SHA256) verifies",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: signAs("sha256"),
    expectVerify: null,
    expectEvents: [statusEvent("DELIVERED", "delivered")],
  },
  {
    label: "a reply signed with SHA224 (the key's digest) verifies",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(reply),
    sign: signAs("sha224"),
    expectVerify: null,
  },
  {
    label: "a SHA512 signature verifies against the bare base64 key MessageMedia returns",
    action: "callback",
    config: { publicKey: PUBLIC_BASE64 },
    request: post(report),
    sign: signAs("sha512"),
    expectVerify: null,
  },
  {
    label: "without X-Messagemedia-Digest-Type, each digest MessageMedia offers is tried",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: signAs("sha256", keys.privateKey, { date: DATE }),
    expectVerify: null,
  },
  {
    label: "a signed report whose body was changed is refused",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: (ctx, request) => signAs("sha256")(ctx, { ...request, body: request.body.replace("delivered", "failed") }),
    expectVerify: /X-Messagemedia-Signature does not match the request \(RSA with SHA256/,
  },
  {
    label: "a signature by another key is refused",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: signAs("sha256", otherKeys.privateKey),
    expectVerify: /does not match/,
  },
  {
    label: "a signature over another Date is refused: the Date header is signed",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: (ctx, request) => ({ ...signAs("sha256")(ctx, request), date: "Fri, 02 Jan 2026 03:09:06 GMT" }),
    expectVerify: /does not match/,
  },
  {
    label: "with a public key, an unsigned webhook is refused",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    expectVerify: /missing X-Messagemedia-Signature header/,
  },
  {
    label: "a signed webhook without its Date header is refused",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: (ctx, request) => ({ "x-messagemedia-signature": signAs("sha256")(ctx, request)["x-messagemedia-signature"]! }),
    expectVerify: /missing Date header/,
  },
  {
    label: "a digest MessageMedia does not use is refused",
    action: "callback",
    config: { publicKey: PUBLIC_PEM },
    request: post(report),
    sign: signAs("md5"),
    expectVerify: /Digest-Type MD5 is not one/,
  },
];

runVendorCases(messageMediaRestAdapter, { config, incoming: signatureCases });

describe("messagemedia-rest: signature details", () => {
  it("signs the request line with the path and query as called, then the Date, then the body, with nothing between", () => {
    const request = {
      method: "post",
      url: "https://sb.example/api/webhooks/messagemedia-rest/wh_x/callback?a=1",
      body: '{"x":1}',
    };
    expect(signingString(request, "Wed, 18 Jul 2018 06:33:52 GMT")).toBe(
      'POST /api/webhooks/messagemedia-rest/wh_x/callback?a=1 HTTP/1.1Wed, 18 Jul 2018 06:33:52 GMT{"x":1}',
    );
  });

  it("reads the key as PEM or as the bare base64 MessageMedia returns, and refuses anything else", () => {
    expect(readPublicKey(PUBLIC_PEM)?.asymmetricKeyType).toBe("rsa");
    expect(readPublicKey(`  ${PUBLIC_BASE64.slice(0, 100)}\n${PUBLIC_BASE64.slice(100)}  `)?.asymmetricKeyType).toBe("rsa");
    expect(readPublicKey("MIIBIjANBgkqhkiG9w0")).toBeNull();
    expect(
      readPublicKey(
        generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString(),
      ),
    ).toBeNull();
  });
});
