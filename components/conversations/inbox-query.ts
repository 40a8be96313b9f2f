import { z } from "zod";

/**
 * The inbox's state as it lives in the URL (filter tab, search, texter, campaign, keyset
 * cursor). Pure, so the page, the JSON route and the client components read it alike.
 * Anything malformed falls back to the default instead of failing the page.
 */
export const INBOX_FILTERS = ["all", "unread", "needs-reply", "opted-out"] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export const INBOX_FILTER_LABELS: Record<InboxFilter, string> = {
  all: "All",
  unread: "Unread",
  "needs-reply": "Needs reply",
  "opted-out": "Opted out",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = z.string().regex(UUID);

export const inboxQuerySchema = z.object({
  filter: z.enum(INBOX_FILTERS).catch("all"),
  q: z
    .string()
    .transform((q) => q.trim().slice(0, 100))
    .catch(""),
  /** A member's user id, or "unassigned"; ignored for texters, who only ever see their own. */
  texter: z
    .union([z.literal("unassigned"), uuid])
    .optional()
    .catch(undefined),
  campaign: uuid.optional().catch(undefined),
  /** Keyset cursor: the last row of the previous page. */
  before: z.string().max(200).optional().catch(undefined),
});

export type InboxQuery = z.infer<typeof inboxQuerySchema>;

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

export function parseInboxQuery(params: RawParams): InboxQuery {
  const read = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return (Array.isArray(value) ? value[0] : value) ?? undefined;
  };
  return inboxQuerySchema.parse({
    filter: read("filter"),
    q: read("q"),
    texter: read("texter"),
    campaign: read("campaign"),
    before: read("before"),
  });
}

/** "?filter=unread&q=ann" with defaults left out; "" when everything is the default. */
export function inboxSearch(query: Partial<InboxQuery>): string {
  const params = new URLSearchParams();
  if (query.filter && query.filter !== "all") params.set("filter", query.filter);
  if (query.q) params.set("q", query.q);
  if (query.texter) params.set("texter", query.texter);
  if (query.campaign) params.set("campaign", query.campaign);
  if (query.before) params.set("before", query.before);
  const text = params.toString();
  return text ? `?${text}` : "";
}
