import type { z } from "zod";
import type { ActionFailure } from "./action-result";
import { NUL_MESSAGE, nulPath } from "./nul";

export type ActionInput = FormData | Record<string, unknown> | null | undefined;

/** Parses form data or a plain object; failures carry the first message per field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: ActionInput,
): { ok: true; data: z.infer<S> } | ActionFailure {
  const values = inputToObject(input);
  const nul = nulPath(values);
  if (nul !== null) {
    const field = nul || "_form";
    return { ok: false, status: 422, error: `${field}: ${NUL_MESSAGE}`, fieldErrors: { [field]: NUL_MESSAGE } };
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "_form";
    fieldErrors[key] ??= issue.message;
  }
  const first = Object.entries(fieldErrors)[0];
  return { ok: false, status: 422, error: first ? `${first[0]}: ${first[1]}` : "Invalid input.", fieldErrors };
}

function inputToObject(input: ActionInput): Record<string, unknown> {
  if (!input || typeof input !== "object") return {};
  if (input instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of input.entries()) {
      // React adds $ACTION_* entries to forms bound to server actions.
      if (!key.startsWith("$ACTION")) out[key] = value;
    }
    return out;
  }
  return input;
}
