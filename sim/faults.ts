import { z } from "zod";
import { sleep } from "./http";
import { VENDORS, type Vendor } from "./state";

/**
 * Errors a test asks for: the next matching request(s) get an HTTP error, a vendor error
 * code, or a slow answer. Faults are checked after authentication, so a wrong password
 * still gets the vendor's 401 whatever is queued here.
 */
/** "confirm": MessageMedia's confirming of polled replies and reports (fetching them is "fetch"). */
export const OPERATIONS = ["send", "fetch", "confirm", "numbers", "lookup", "account", "any"] as const;
export type Operation = Exclude<(typeof OPERATIONS)[number], "any">;

export const faultInputSchema = z
  .object({
    vendor: z.enum(VENDORS),
    operation: z.enum(OPERATIONS).default("send"),
    /** Answer with this HTTP status and the vendor's body for it (429, 500, 503, ...). */
    status: z.number().int().min(400).max(599).optional(),
    /** A vendor error code: Twilio 21610, Vonage status "1", Bandwidth 4720, ... */
    code: z
      .union([z.string().min(1), z.number().int()])
      .transform(String)
      .optional(),
    /**
     * Whether the code comes later in a delivery report instead of in the answer. Defaults:
     * Twilio 3xxxx codes and every Bandwidth code are reported later; Vonage codes are answered.
     */
    async: z.boolean().optional(),
    /** Hold the answer this long first. */
    delayMs: z.number().int().min(0).max(120_000).optional(),
    /** Only for messages to this number (E.164, or digits for Vonage). */
    to: z.string().optional(),
    times: z.union([z.number().int().min(1), z.literal("always")]).default(1),
  })
  .refine((f) => f.status !== undefined || f.code !== undefined || f.delayMs !== undefined, {
    message: "Give status, code or delayMs",
    path: ["status"],
  });

export type FaultInput = z.input<typeof faultInputSchema>;
export type Fault = z.infer<typeof faultInputSchema>;

/** What a handler must do about a request once the fault (if any) is applied. */
export type FaultOutcome =
  | { kind: "none" }
  | { kind: "http"; status: number; code?: string }
  | { kind: "code"; code: string }
  | { kind: "report"; code: string };

export class Faults {
  private list: Fault[] = [];

  add(input: FaultInput): Fault {
    const fault = faultInputSchema.parse(input);
    this.list.push(fault);
    return fault;
  }

  all(): Fault[] {
    return [...this.list];
  }

  clear(): void {
    this.list = [];
  }

  /** Consumes the first fault for this request, sleeps if it is slow, and says what to answer. */
  async apply(vendor: Vendor, operation: Operation, to: string | undefined, signal?: AbortSignal): Promise<FaultOutcome> {
    const fault = this.take(vendor, operation, to);
    if (!fault) return { kind: "none" };
    if (fault.delayMs) await sleep(fault.delayMs, signal);
    if (fault.status !== undefined) return { kind: "http", status: fault.status, code: fault.code };
    if (fault.code === undefined) return { kind: "none" };
    return (fault.async ?? reportedLater(vendor, fault.code))
      ? { kind: "report", code: fault.code }
      : { kind: "code", code: fault.code };
  }

  private take(vendor: Vendor, operation: Operation, to: string | undefined): Fault | undefined {
    const index = this.list.findIndex(
      (f) => f.vendor === vendor && (f.operation === "any" || f.operation === operation) && (f.to === undefined || f.to === to),
    );
    if (index < 0) return undefined;
    const fault = this.list[index]!;
    if (fault.times !== "always") {
      if (fault.times <= 1) this.list.splice(index, 1);
      else this.list[index] = { ...fault, times: fault.times - 1 };
    }
    return fault;
  }
}

function reportedLater(vendor: Vendor, code: string): boolean {
  if (vendor === "bandwidth") return true;
  if (vendor === "twilio") return code.startsWith("3");
  return false;
}
