/** What every server action answers; forms read fieldErrors to show the message at the field. */
export type ActionFailure = {
  ok: false;
  status: 400 | 401 | 403 | 404 | 409 | 422 | 500;
  error: string;
  fieldErrors?: Record<string, string>;
};
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** Thrown inside an action for an expected refusal; the wrapper turns it into a result. */
export class ActionError extends Error {
  constructor(
    readonly status: ActionFailure["status"],
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
  }
}

export function toActionFailure(error: unknown): ActionFailure {
  if (error instanceof ActionError) {
    return { ok: false, status: error.status, error: error.message, fieldErrors: error.fieldErrors };
  }
  if (isUniqueViolation(error)) return { ok: false, status: 409, error: "That already exists." };
  // Next's redirect()/notFound() are control flow, not failures.
  if (isNextControlFlow(error)) throw error;
  console.error("action failed", error);
  return { ok: false, status: 500, error: "Something went wrong on our side. Nothing was changed; please try again." };
}

export function isUniqueViolation(error: unknown): boolean {
  return pgErrorCode(error) === "23505";
}

/** The PostgreSQL error code (SQLSTATE) of a failed statement, from the driver's error or drizzle's wrapper around it. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
}

function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR"));
}
