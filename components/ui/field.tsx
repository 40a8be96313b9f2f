import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";

export type FieldProps = {
  label: string;
  htmlFor: string;
  error?: string;
  hint?: string;
  children: ReactNode;
};

type DescribableProps = { "aria-describedby"?: string; "aria-invalid"?: boolean | "true" | "false" };

/**
 * Wires the single child control to its message (aria-describedby / aria-invalid) so every
 * form gets accessible errors without each caller remembering the ids.
 */
export function Field({ label, htmlFor, error, hint, children }: FieldProps) {
  const messageId = error ? `${htmlFor}-error` : hint ? `${htmlFor}-hint` : undefined;
  const only = Children.count(children) === 1 && isValidElement(children) ? (children as ReactElement<DescribableProps>) : null;
  const control =
    only && messageId
      ? cloneElement(only, {
          "aria-describedby": [only.props["aria-describedby"], messageId].filter(Boolean).join(" "),
          ...(error ? { "aria-invalid": true } : {}),
        })
      : children;

  return (
    <div className="space-y-1.5">
      <label htmlFor={htmlFor} className="block text-[13px] font-medium text-zinc-800">
        {label}
      </label>
      {control}
      {error ? (
        <p id={`${htmlFor}-error`} role="alert" className="flex items-start gap-1 text-[13px] text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${htmlFor}-hint`} className="text-[13px] text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
