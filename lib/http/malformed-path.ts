/**
 * The answer to a path whose percent-encoding does not decode, which Next.js would answer with a
 * 500: given by proxy.ts for Next.js's routes and by scripts/machine-lane.ts for its own.
 */
export function malformedPath(): Response {
  return Response.json({ error: { code: "bad_request", message: "The address has malformed percent-encoding." } }, { status: 400 });
}
