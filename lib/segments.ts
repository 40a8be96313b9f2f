/**
 * How an SMS body travels: GSM-7 when every character is in the GSM 03.38 alphabet
 * (the extension characters ^{}\[~]|€ and form feed cost two septets), otherwise UCS-2.
 * A single message holds 160 septets or 70 UTF-16 units; a multipart message loses room
 * to its header: 153 septets or 67 units per part. An extension character's escape pair
 * and a UTF-16 surrogate pair are never split across parts.
 */
export type Encoding = "GSM7" | "UCS2";

export type SegmentInfo = {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Room per part: 160/153 or 70/67. */
  perSegment: number;
  /** Units left in the last part before another part is needed. */
  remaining: number;
  /** Characters that forced UCS-2, for the composer's hint. */
  nonGsmCharacters: string[];
};

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€\f";

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export const LIMITS = {
  GSM7: { single: 160, part: 153 },
  UCS2: { single: 70, part: 67 },
} as const;

export function countSegments(body: string): SegmentInfo {
  const chars = Array.from(body);
  const nonGsm = [...new Set(chars.filter((c) => !BASIC.has(c) && !EXTENSION.has(c)))];
  const encoding: Encoding = nonGsm.length === 0 ? "GSM7" : "UCS2";
  // Cost of each character in this encoding: the units it takes, kept together in one part.
  const costs = chars.map((c) => (encoding === "GSM7" ? (EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((sum, n) => sum + n, 0);
  const limits = LIMITS[encoding];
  if (units <= limits.single) {
    return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: limits.single, remaining: limits.single - units, nonGsmCharacters: nonGsm };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.part) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: limits.part, remaining: limits.part - used, nonGsmCharacters: nonGsm };
}
