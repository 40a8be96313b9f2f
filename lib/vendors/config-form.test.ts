import { describe, expect, it } from "vitest";
import { describeConfig, secretFieldNames } from "./config-form";
import { fakeAdapter } from "./fake/adapter";

describe("describeConfig", () => {
  it("builds form fields from the fake vendor's schema, with labels, defaults and secrecy", () => {
    const fields = describeConfig(fakeAdapter);
    expect(fields).toEqual([
      expect.objectContaining({ name: "deliveryDelayMs", type: "number", label: "Delivery report delay (ms)", defaultValue: 1500, required: false, secret: false }),
      expect.objectContaining({ name: "ledgerUrl", type: "url", required: false, secret: false }),
      expect.objectContaining({ name: "webhookSecret", type: "text", label: "Webhook signing secret", secret: true, required: false }),
    ]);
    expect(secretFieldNames(fakeAdapter)).toEqual(["webhookSecret"]);
  });
});
