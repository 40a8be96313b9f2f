import { cn } from "@/components/ui/cn";

const TONES = [
  "from-indigo-400 to-indigo-600",
  "from-emerald-400 to-emerald-600",
  "from-amber-400 to-orange-500",
  "from-rose-400 to-rose-600",
  "from-sky-400 to-sky-600",
  "from-violet-400 to-violet-600",
  "from-teal-400 to-cyan-600",
];

// Stable per-key colour so each org keeps the same swatch across sessions and devices.
function toneFor(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return TONES[hash % TONES.length] ?? TONES[0]!;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : name.trim().slice(0, 2);
  return letters.toUpperCase() || "?";
}

export function Avatar({ name, seed, className, square }: { name: string; seed?: string; className?: string; square?: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex size-8 shrink-0 items-center justify-center bg-linear-to-br text-xs font-semibold text-white shadow-inner shadow-white/10",
        square ? "rounded-md" : "rounded-full",
        toneFor(seed ?? name),
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}
