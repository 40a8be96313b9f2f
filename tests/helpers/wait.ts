import { setTimeout as sleep } from "node:timers/promises";

/** Asks `check` every `everyMs` until it says yes (true), or until `timeoutMs` has passed (false). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}
