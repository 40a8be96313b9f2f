import { buttonClasses } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { ConfigFieldDescriptor } from "@/lib/vendors/config-form";

export const ENCRYPTED_PLACEHOLDER = "<Encrypted>";

export type ConfigFieldProps = {
  field: ConfigFieldDescriptor;
  /** The saved (or default) value of a non-secret field; secrets never get here. */
  value: unknown;
  /** A secret field that already holds a value: shown as <Encrypted>, blank keeps it. */
  secretIsSet: boolean;
  error?: string;
};

/** One control generated from an adapter's config field; the input's name is the config field's name. */
export function ConfigField({ field, value, secretIsSet, error }: ConfigFieldProps) {
  const id = `vendor-${field.name}`;
  if (field.type === "boolean") return <CheckboxField id={id} field={field} checked={value === true} error={error} />;

  // Once a secret is set, blank means "keep it", whatever the adapter's help says blank means on a new account.
  const hint =
    field.secret && secretIsSet
      ? "Saved and encrypted. Leave blank to keep the current value, or type a new one to replace it."
      : field.help;
  const text = value === undefined || value === null ? "" : String(value);
  return (
    <Field label={field.label} htmlFor={id} error={error} hint={hint}>
      {control()}
    </Field>
  );

  function control() {
    if (field.secret) {
      const placeholder = secretIsSet ? ENCRYPTED_PLACEHOLDER : field.placeholder;
      return field.multiline ? (
        <Textarea
          id={id}
          name={field.name}
          rows={4}
          defaultValue=""
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          className="font-mono text-[13px]"
        />
      ) : (
        <Input
          id={id}
          name={field.name}
          type="password"
          defaultValue=""
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
        />
      );
    }
    if (field.type === "select") {
      return (
        <Select id={id} name={field.name} defaultValue={text}>
          {field.required && text !== "" ? null : <option value="">Choose…</option>}
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </Select>
      );
    }
    if (field.multiline && field.accept) {
      return (
        <div className="space-y-2">
          <Textarea
            id={id}
            name={field.name}
            rows={12}
            defaultValue={text}
            placeholder={field.placeholder}
            spellCheck={false}
            className="font-mono text-[13px]"
          />
          <label className="inline-flex cursor-pointer items-center gap-2 text-[13px] text-indigo-700 hover:underline">
            Upload a file instead
            {/* Unnamed, so the file itself is never submitted: its text replaces the textarea's. */}
            <input
              type="file"
              accept={field.accept}
              className="sr-only"
              onChange={(event) => loadInto(id, event.currentTarget)}
            />
          </label>
        </div>
      );
    }
    if (field.multiline)
      return <Textarea id={id} name={field.name} rows={4} defaultValue={text} placeholder={field.placeholder} />;
    if (field.type === "number") {
      return (
        <Input
          id={id}
          name={field.name}
          type="number"
          inputMode="decimal"
          step="any"
          defaultValue={text}
          placeholder={field.placeholder}
          className="max-w-48"
        />
      );
    }
    if (field.type === "url") {
      return (
        <Input
          id={id}
          name={field.name}
          type="url"
          inputMode="url"
          defaultValue={text}
          placeholder={field.placeholder ?? "https://"}
          spellCheck={false}
        />
      );
    }
    return <Input id={id} name={field.name} defaultValue={text} placeholder={field.placeholder} />;
  }
}

/** The OAuth2 web-server flow for a template account: connected or not, and the button that (re)starts it. */
export function OAuth2Connect({ orgSlug, accountId, connected }: { orgSlug: string; accountId?: string; connected: boolean }) {
  const base = accountId ? `/api/orgs/${orgSlug}/vendors/${accountId}/oauth2` : null;
  return (
    <div className="space-y-1.5">
      <p className="text-[13px] font-medium text-zinc-800">OAuth2 connection</p>
      <p className="text-[13px] text-zinc-500">
        {connected ? "Connected: tokens are stored encrypted and refreshed before they expire." : "Not connected yet."}{" "}
        {base
          ? `Register ${base}/callback on this server as the redirect URL with the vendor, save the client properties, then connect.`
          : "Save the account first, then connect it."}
      </p>
      {base ? (
        // A plain link, not next/link: the route answers with a redirect to the vendor, nothing to prefetch.
        <a href={`${base}/start`} className={buttonClasses("secondary", "sm")}>
          {connected ? "Reconnect" : "Connect"}
        </a>
      ) : null}
    </div>
  );
}

function loadInto(textareaId: string, input: HTMLInputElement) {
  const file = input.files?.[0];
  const textarea = document.getElementById(textareaId);
  if (!file || !(textarea instanceof HTMLTextAreaElement)) return;
  void file.text().then((content) => {
    textarea.value = content;
  });
}

function CheckboxField({
  id,
  field,
  checked,
  error,
}: {
  id: string;
  field: ConfigFieldDescriptor;
  checked: boolean;
  error?: string;
}) {
  const messageId = error ? `${id}-error` : field.help ? `${id}-hint` : undefined;
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        name={field.name}
        type="checkbox"
        defaultChecked={checked}
        aria-describedby={messageId}
        aria-invalid={error ? true : undefined}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 accent-indigo-600"
      />
      <div className="min-w-0 space-y-0.5">
        <label htmlFor={id} className="block text-[13px] font-medium text-zinc-800">
          {field.label}
        </label>
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-[13px] text-red-600">
            {error}
          </p>
        ) : field.help ? (
          <p id={`${id}-hint`} className="text-[13px] text-zinc-500">
            {field.help}
          </p>
        ) : null}
      </div>
    </div>
  );
}
