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

/** Classifies a transport failure: network errors, 429 and 5xx are worth retrying. */
export function httpFailure(status: number | null, description: string, retryAfterSeconds?: number): VendorError {
  const retryable = status === null || status === 429 || status >= 500;
  return new VendorError({
    code: status === null ? "network" : `http_${status}`,
    retryable,
    description,
    retryAfterSeconds,
  });
}
