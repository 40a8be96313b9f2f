import { isUuid } from "@/lib/vendors/accounts";
import { ApiError } from "./errors";

/**
 * An opaque keyset cursor: the last row's timestamp (microseconds, as PostgreSQL keeps it;
 * a JS Date would round to milliseconds and skip or repeat rows) and its id, base64url.
 */
export type Cursor = { at: string; id: string };

const AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The SQL that renders a timestamptz column in the cursor's exact format. */
export const CURSOR_AT_FORMAT = `YYYY-MM-DD"T"HH24:MI:SS.US"Z"`;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (value === undefined || value === "") return null;
  const [at, id, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !at || !id || !AT_PATTERN.test(at) || !isUuid(id) || Number.isNaN(Date.parse(at))) {
    throw new ApiError(422, "invalid_request", "cursor: Not a cursor this API gave out; start again without one.", "cursor");
  }
  return { at, id };
}
