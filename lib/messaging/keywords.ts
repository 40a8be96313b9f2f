import type { OrgFeatures } from "@/db/schema/orgs";

/** Carrier-standard keywords (CTIA): a message that is exactly one of these, in any case and punctuation. */
export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
export const OPT_IN_KEYWORDS = ["START", "UNSTOP"];
export const HELP_KEYWORDS = ["HELP"];

export type Keyword = "opt-out" | "opt-in" | "help";

/** The keyword an inbound message is, or null: "Stop." and " stop " count, "please stop texting me" does not. */
export function keywordOf(body: string, features: OrgFeatures): Keyword | null {
  const word = body
    .normalize("NFKC")
    .trim()
    .replace(/^[\s"'“”‘’.!?¡¿,;:()*-]+|[\s"'“”‘’.!?¡¿,;:()*-]+$/g, "")
    .toUpperCase();
  if (!word || /\s/.test(word)) return null;
  if (OPT_OUT_KEYWORDS.includes(word) || (features.optOutKeywords ?? []).includes(word)) return "opt-out";
  if (OPT_IN_KEYWORDS.includes(word)) return "opt-in";
  if (HELP_KEYWORDS.includes(word)) return "help";
  return null;
}
