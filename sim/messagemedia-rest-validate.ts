/**
 * POST /v1/messages checked the way MessageMedia documents it (docs/api/messages/send-messages.md
 * and spec/components/schemas/Message.yaml in messagemedia/sinchengage-developer): at most 100
 * messages, every one valid or none is sent, each problem a detail "/messages/<i>/<field>: why".
 * The two documented details are reproduced word for word; the others follow their pattern.
 */
export type CheckedMessage = {
  content: string;
  destination_number: string;
  format: "SMS" | "MMS" | "TTS";
  source_number?: string;
  callback_url?: string;
  delivery_report: boolean;
  message_expiry_timestamp?: string;
  metadata?: Record<string, string>;
  /** What the 202 answer echoes: the fields as sent, with format and delivery_report defaulted. */
  echo: Record<string, unknown>;
};

export const MAX_MESSAGES = 100;
const FORMATS = ["SMS", "MMS", "TTS"];
const SOURCE_TYPES = ["INTERNATIONAL", "ALPHANUMERIC", "SHORTCODE"];

export function checkMessages(body: unknown): { messages: CheckedMessage[] } | { details: string[] } {
  const list = isObject(body) ? body.messages : undefined;
  if (!Array.isArray(list)) return { details: ["/messages: A list of messages is required"] };
  if (list.length === 0 || list.length > MAX_MESSAGES)
    return { details: [`/messages: Between 1 and ${MAX_MESSAGES} messages can be sent in a request, found ${list.length}`] };
  const details: string[] = [];
  const messages = list.map((item, i) => checkMessage(item, `/messages/${i}`, details));
  return details.length ? { details } : { messages: messages as CheckedMessage[] };
}

function checkMessage(item: unknown, at: string, details: string[]): CheckedMessage | undefined {
  if (!isObject(item)) {
    details.push(`${at}: A message must be an object`);
    return undefined;
  }
  const problems: string[] = [];
  const fail = (field: string, why: string) => problems.push(`${at}/${field}: ${why}`);
  const { content, destination_number, source_number, source_number_type, callback_url, delivery_report, media, subject } = item;
  const format = item.format ?? "SMS";

  if (typeof content !== "string" || content.length === 0) fail("content", "Message content is required");
  else if (content.length > 5000) fail("content", "Message content must be at most 5000 characters");
  if (typeof destination_number !== "string" || destination_number === "")
    fail("destination_number", "A destination number is required");
  else {
    const why = internationalProblem(destination_number);
    if (why) fail("destination_number", why);
  }
  if (typeof format !== "string" || !FORMATS.includes(format)) fail("format", `Format must be one of ${FORMATS.join(", ")}`);
  if (source_number_type !== undefined && source_number === undefined)
    fail("source_number_type", "A source number type is only valid when a source number is specified");
  if (source_number !== undefined) checkSource(source_number, source_number_type, fail);
  if (callback_url !== undefined && !validCallbackUrl(callback_url)) fail("callbackUrl", "Invalid callback url");
  if (delivery_report !== undefined && typeof delivery_report !== "boolean")
    fail("delivery_report", "Delivery report must be true or false");
  for (const field of ["scheduled", "message_expiry_timestamp"] as const) {
    const value = item[field];
    if (value !== undefined && (typeof value !== "string" || Number.isNaN(Date.parse(value))))
      fail(field, "Must be an ISO 8601 date time in UTC, e.g. 2016-11-03T11:49:02.807Z");
  }
  checkMedia(format, media, subject, fail);
  checkMetadata(item.metadata, fail);

  details.push(...problems);
  if (problems.length) return undefined;
  return {
    content: content as string,
    destination_number: destination_number as string,
    format: format as CheckedMessage["format"],
    source_number: source_number as string | undefined,
    callback_url: callback_url as string | undefined,
    delivery_report: delivery_report === true,
    message_expiry_timestamp: item.message_expiry_timestamp as string | undefined,
    metadata: item.metadata as Record<string, string> | undefined,
    echo: { ...item, format, delivery_report: delivery_report === true },
  };
}

/** The documented wording: "International address must be between 8 and 15 characters excluding the first '+', ...". */
function internationalProblem(number: string): string | undefined {
  const rest = number.startsWith("+") ? number.slice(1) : number;
  const problems: string[] = [];
  if (rest.length < 8 || rest.length > 15)
    problems.push("International address must be between 8 and 15 characters excluding the first '+'");
  if (!number.startsWith("+") || !/^[1-9]\d*$/.test(rest)) problems.push("International address contains invalid characters.");
  return problems.length ? problems.join(", ") : undefined;
}

function checkSource(source: unknown, type: unknown, fail: (field: string, why: string) => void): void {
  if (type !== undefined && (typeof type !== "string" || !SOURCE_TYPES.includes(type))) {
    fail("source_number_type", `Source number type must be one of ${SOURCE_TYPES.join(", ")}`);
    return;
  }
  if (typeof source !== "string" || source === "") {
    fail("source_number", "A source number must be a non-empty string");
    return;
  }
  // Without a type MessageMedia infers one from the number itself.
  const inferred = type ?? (source.startsWith("+") ? "INTERNATIONAL" : /^\d+$/.test(source) ? "SHORTCODE" : "ALPHANUMERIC");
  if (inferred === "INTERNATIONAL") {
    const why = internationalProblem(source);
    if (why) fail("source_number", why);
  } else if (inferred === "SHORTCODE" && !/^\d{3,8}$/.test(source)) fail("source_number", "A short code is 3 to 8 digits");
  else if (inferred === "ALPHANUMERIC" && !/^[A-Za-z0-9 _-]{1,11}$/.test(source))
    fail("source_number", "An alphanumeric source is 1 to 11 letters, digits, spaces, - or _");
}

function checkMedia(format: unknown, media: unknown, subject: unknown, fail: (field: string, why: string) => void): void {
  if (subject !== undefined && (typeof subject !== "string" || subject.length > 64))
    fail("subject", "The subject is a string of at most 64 characters");
  if (format !== "MMS") {
    if (media !== undefined) fail("media", "Media can only be sent with format MMS");
    return;
  }
  if (!Array.isArray(media) || media.length === 0) {
    fail("media", "An MMS message needs at least one media URL");
    return;
  }
  media.forEach((entry, j) => {
    if (typeof entry !== "string" || !/^https?:\/\/[^/\s]/i.test(entry) || !URL.canParse(entry))
      fail(`media/${j}`, "Invalid media url");
  });
}

function checkMetadata(metadata: unknown, fail: (field: string, why: string) => void): void {
  if (metadata === undefined) return;
  if (!isObject(metadata)) {
    fail("metadata", "Metadata must be an object of key / value pairs");
    return;
  }
  const entries = Object.entries(metadata);
  if (entries.length > 10) fail("metadata", `Up to 10 metadata key / value pairs can be specified, found ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 100)
      fail("metadata", `Metadata key "${key.slice(0, 100)}" must be 1 to 100 characters long`);
    if (typeof value !== "string" || value.length > 256)
      fail(`metadata/${key}`, "Metadata values are strings of at most 256 characters");
  }
}

/** http(s), an RFC 1123 host name (or an IP address), no whitespace or control characters. */
function validCallbackUrl(value: unknown): boolean {
  if (typeof value !== "string" || /[\s\x00-\x1f\x7f]/.test(value) || !/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value))
    return false;
  const host = new URL(value).hostname;
  if (/^\[[0-9a-f:.]+\]$/i.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return true;
  return host.split(".").every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
