import type { Deliverer } from "./deliver";
import type { Faults } from "./faults";
import type { SimState } from "./state";

/** What every vendor module works with: the state, queued faults, the caller-back, and our own URL. */
export type SimContext = {
  state: SimState;
  faults: Faults;
  deliver: Deliverer;
  /** The simulator's base URL (media and lookup URLs point back at it). */
  baseUrl: () => string;
  /** Aborted when the simulator stops, so slow answers end with it. */
  signal: AbortSignal;
};

/** A control-API request the simulator cannot carry out (no webhook URL, unknown account): answered 4xx. */
export class SimInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A 1x1 transparent PNG: the default picture a simulated phone sends. */
export const PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

export type MediaInput = string | { contentType: string; base64?: string; filename?: string };

/** A phone's attachment: a content type alone gets a placeholder body (a pixel for images). */
export function mediaContent(input: MediaInput): { contentType: string; data: Buffer; filename: string } {
  const item = typeof input === "string" ? { contentType: input } : input;
  const data = item.base64
    ? Buffer.from(item.base64, "base64")
    : item.contentType.startsWith("image/")
      ? PIXEL_PNG
      : Buffer.from("simulated media\n");
  const extension = item.contentType.split("/")[1]?.replace(/[^a-z0-9]/gi, "") || "bin";
  return { contentType: item.contentType, data, filename: item.filename ?? `media.${extension}` };
}
