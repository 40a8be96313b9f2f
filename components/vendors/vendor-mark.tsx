import { cn } from "@/components/ui/cn";

const TONES = [
  "bg-indigo-50 text-indigo-600 ring-indigo-600/15",
  "bg-sky-50 text-sky-600 ring-sky-600/15",
  "bg-violet-50 text-violet-600 ring-violet-600/15",
  "bg-emerald-50 text-emerald-600 ring-emerald-600/15",
  "bg-rose-50 text-rose-600 ring-rose-600/15",
  "bg-amber-50 text-amber-700 ring-amber-600/20",
];

/** A vendor's initial on a tint picked from its kind, so each vendor keeps one colour everywhere. */
export function VendorMark({ kind, name, size = "md" }: { kind: string; name: string; size?: "md" | "lg" }) {
  const tone = TONES[[...kind].reduce((sum, c) => sum + c.charCodeAt(0), 0) % TONES.length];
  return (
    <span
      aria-hidden="true"
      className={cn(
        "flex shrink-0 items-center justify-center rounded-lg font-semibold ring-1 ring-inset",
        size === "lg" ? "size-11 text-lg" : "size-9 text-sm",
        tone,
      )}
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
