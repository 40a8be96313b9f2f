import { bandwidthAdapter } from "./bandwidth/adapter";
import { externalAdapter } from "./external/adapter";
import { fakeAdapter } from "./fake/adapter";
import { messageMediaRestAdapter } from "./messagemedia-rest/adapter";
import { messageMediaSoapAdapter } from "./messagemedia-soap/adapter";
import { smssyncAdapter } from "./smssync/adapter";
import { templateAdapter } from "./template/adapter";
import { twilioAdapter } from "./twilio/adapter";
import { vonageAdapter } from "./vonage/adapter";
import type { AnyVendorAdapter, VendorAdapter, VendorKind } from "./types";

/** Every vendor, listed explicitly: the compiler refuses a VendorKind without an adapter. */
export const VENDORS = {
  fake: fakeAdapter,
  bandwidth: bandwidthAdapter,
  vonage: vonageAdapter,
  twilio: twilioAdapter,
  "messagemedia-rest": messageMediaRestAdapter,
  "messagemedia-soap": messageMediaSoapAdapter,
  external: externalAdapter,
  smssync: smssyncAdapter,
  template: templateAdapter,
} satisfies Record<VendorKind, AnyVendorAdapter>;

export const VENDOR_KINDS = Object.keys(VENDORS) as VendorKind[];

export function isVendorKind(kind: string): kind is VendorKind {
  return Object.hasOwn(VENDORS, kind);
}

/** The adapter for a kind, typed loosely: callers parse config with its own configSchema. */
export function getAdapter(kind: VendorKind): VendorAdapter {
  return VENDORS[kind] as unknown as VendorAdapter;
}
