import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cn } from "./cn";
import { Icon } from "./icon";

const CONTROL =
  "block w-full rounded-lg border border-zinc-300 bg-white text-sm text-zinc-900 shadow-xs " +
  "placeholder:text-zinc-400 transition-[border-color,box-shadow] duration-150 outline-none " +
  "hover:border-zinc-400 focus:border-indigo-500 focus:ring-3 focus:ring-indigo-500/15 " +
  "disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500 " +
  "aria-invalid:border-red-500 aria-invalid:hover:border-red-500 aria-invalid:focus:border-red-500 aria-invalid:focus:ring-red-500/15";

/** `invalid` is a shorthand for aria-invalid so callers can pass a boolean straight from fieldErrors. */
type Invalid = { invalid?: boolean };

function invalidProp(invalid: boolean | undefined, ariaInvalid: unknown) {
  if (invalid) return true;
  return ariaInvalid as InputHTMLAttributes<HTMLElement>["aria-invalid"];
}

export type InputProps = InputHTMLAttributes<HTMLInputElement> & Invalid;

export function Input({ className, invalid, "aria-invalid": ariaInvalid, ...rest }: InputProps) {
  return (
    <input
      className={cn(CONTROL, "h-9 px-3 read-only:bg-zinc-50", className)}
      aria-invalid={invalidProp(invalid, ariaInvalid)}
      {...rest}
    />
  );
}

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & Invalid;

export function Textarea({ className, invalid, "aria-invalid": ariaInvalid, rows = 4, ...rest }: TextareaProps) {
  return (
    <textarea
      rows={rows}
      className={cn(CONTROL, "min-h-20 resize-y px-3 py-2 leading-relaxed read-only:bg-zinc-50", className)}
      aria-invalid={invalidProp(invalid, ariaInvalid)}
      {...rest}
    />
  );
}

export type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & Invalid;

export function Select({ className, invalid, "aria-invalid": ariaInvalid, children, ...rest }: SelectProps) {
  return (
    <div className={cn("relative", className)}>
      <select className={cn(CONTROL, "h-9 appearance-none pr-9 pl-3")} aria-invalid={invalidProp(invalid, ariaInvalid)} {...rest}>
        {children}
      </select>
      <Icon name="chevron-down" className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-zinc-400" />
    </div>
  );
}
