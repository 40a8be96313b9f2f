import type { VendorErrorInfo } from "./types";

/**
 * A vendor refused or failed a request. `retryable` decides between backing off and
 * marking the message FAILED; `optOut` means the recipient has opted out at the carrier.
 */
export class VendorError extends Error {
  readonly code: string;
  readonly vendorCode: string | undefined;
  readonly retryable: boolean;
  readonly description: string;
  readonly link: string | undefined;
  readonly optOut: boolean;
  readonly retryAfterSeconds: number | undefined;
  /**
   * The vendor refused a whole batch and sent none of it, because of one message in it
   * (MessageMedia REST answers 400 for the batch): each message is then sent alone.
   */
  readonly batchRefused: boolean;

  constructor(init: {
    code: string;
    vendorCode?: string;
    retryable: boolean;
    description: string;
    link?: string;
    optOut?: boolean;
    retryAfterSeconds?: number;
    batchRefused?: boolean;
  }) {
    super(`${init.vendorCode ?? init.code}: ${init.description}`);
    this.name = "VendorError";
    this.code = init.code;
    this.vendorCode = init.vendorCode;
    this.retryable = init.retryable;
    this.description = init.description;
    this.link = init.link;
    this.optOut = init.optOut ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.batchRefused = init.batchRefused ?? false;
  }
}

/** A webhook body that cannot be parsed: answered 400 with this message, stored for review. */
export class WebhookParseError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "WebhookParseError";
  }
}

/**
 * Classifies a transport failure: network errors, 429 and 5xx are worth retrying. `vendorCode`
 * is the vendor's own code from the error body, when it gave one.
 */
export function httpFailure(
  status: number | null,
  description: string,
  retryAfterSeconds?: number,
  vendorCode?: string,
): VendorError {
  const retryable = status === null || status === 429 || status >= 500;
  return new VendorError({
    code: status === null ? "network" : `http_${status}`,
    vendorCode,
    retryable,
    description,
    retryAfterSeconds,
  });
}

/** An entry of a vendor's errors.json, by code; only the table's own keys (never "constructor" and the like). */
export function errorTableEntry(table: unknown, code: string): VendorErrorInfo | undefined {
  const entries = table as Record<string, Omit<VendorErrorInfo, "code">>;
  return Object.hasOwn(entries, code) ? { code, ...entries[code]! } : undefined;
}

/** A refusal we can tell without asking the vendor, in the words of its errors.json entry. */
export function knownError(info: VendorErrorInfo): VendorError {
  const { code, description, link, retryable, optOut } = info;
  return new VendorError({ code, vendorCode: code, retryable: retryable ?? false, description, link, optOut });
}
