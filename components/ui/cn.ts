import { twMerge } from "tailwind-merge";

/** Joins class names, letting a caller's Tailwind class win over a default it conflicts with. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return twMerge(classes.filter(Boolean).join(" "));
}
