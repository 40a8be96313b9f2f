import { countSegments, type SegmentInfo } from "@/lib/segments";

/**
 * Campaign scripts: text with {field} placeholders, filled per contact. Pure functions, shared
 * by the composer's live preview (client), the actions that save a script and the fan-out.
 * Built-in fields come from the contact and the texter; any other name must be a custom field
 * the campaign's contacts carry (a contact's custom fields, or a column of the campaign's CSV).
 */
export const BUILT_IN_FIELDS = ["firstName", "lastName", "texterName"] as const;

export const MAX_SCRIPT_LENGTH = 1600;

/** A placeholder: braces around a name with no braces or line breaks in it. */
const PLACEHOLDER = /\{([^{}\n]{1,64})\}/g;

export type ScriptValues = {
  firstName?: string;
  lastName?: string;
  texterName?: string;
  /** Custom fields: the contact's own, overridden by the campaign CSV's columns. */
  fields?: Record<string, string>;
};

export type ScriptCheck = { ok: true; fields: string[] } | { ok: false; field: string; error: string };

/** The distinct placeholder names in a script, in order of first use. */
export function scriptFields(script: string): string[] {
  const names = new Set<string>();
  for (const match of script.matchAll(PLACEHOLDER)) names.add(match[1]!.trim());
  return [...names];
}

/**
 * Checks every placeholder against the built-ins and the custom fields available; the first
 * unknown one is named, with the closest known name when one differs only in case or spaces.
 */
export function validateScript(script: string, customFields: readonly string[]): ScriptCheck {
  if (script.trim() === "") return { ok: false, field: "", error: "Write the message the campaign sends." };
  if (script.length > MAX_SCRIPT_LENGTH) {
    return { ok: false, field: "", error: `Keep the script to ${MAX_SCRIPT_LENGTH} characters; it has ${script.length}.` };
  }
  const known = [...BUILT_IN_FIELDS, ...customFields];
  const used = scriptFields(script);
  for (const name of used) {
    if (known.includes(name)) continue;
    const near = known.find((k) => normalize(k) === normalize(name));
    const hint = near
      ? ` Did you mean {${near}}?`
      : ` Use ${[...BUILT_IN_FIELDS, ...customFields.slice(0, 8)].map((k) => `{${k}}`).join(", ")}${customFields.length > 8 ? ", …" : ""}.`;
    return {
      ok: false,
      field: name,
      error: `The script uses {${name}}, which is not a field of this campaign's contacts.${hint}`,
    };
  }
  return { ok: true, fields: used };
}

/** The message for one contact; a field the contact lacks becomes empty text, never "{field}". */
export function renderScript(script: string, values: ScriptValues): string {
  return script.replace(PLACEHOLDER, (_whole, raw: string) => {
    const name = raw.trim();
    if (name === "firstName") return values.firstName ?? "";
    if (name === "lastName") return values.lastName ?? "";
    if (name === "texterName") return values.texterName ?? "";
    return values.fields?.[name] ?? "";
  });
}

/** Sample values for the preview, so the segment count reflects a realistic message. */
export const PREVIEW_VALUES: ScriptValues = { firstName: "Alex", lastName: "Rivera", texterName: "Sam" };

export type ScriptPreview = { text: string; segments: SegmentInfo; check: ScriptCheck };

/** What the composer shows while typing: the message with sample values, its segments, and any error. */
export function previewScript(
  script: string,
  customFields: readonly string[],
  values: ScriptValues = PREVIEW_VALUES,
): ScriptPreview {
  const sampleFields = Object.fromEntries(customFields.map((name) => [name, values.fields?.[name] ?? `[${name}]`]));
  const text = renderScript(script, { ...values, fields: sampleFields });
  return { text, segments: countSegments(text), check: validateScript(script, customFields) };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, "");
}
