import { cn } from "./cn";

/**
 * The mark is two crossing "patch cables" between four jacks: a switchboard routing
 * messages between vendors. The wordmark inherits the surrounding text colour so the
 * same component works on the dark sidebar and on light auth pages.
 */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={cn("size-7 shrink-0", className)}>
      {/* No <defs>/ids: a gradient referenced by id breaks when the first copy sits in a display:none subtree. */}
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path d="M0 8a8 8 0 0 1 8-8h16a8 8 0 0 1 8 8v8H0z" fill="white" fillOpacity="0.12" />
      <rect x="0.5" y="0.5" width="31" height="31" rx="7.5" fill="none" stroke="white" strokeOpacity="0.18" />
      <g fill="none" stroke="white" strokeWidth="2.25" strokeLinecap="round">
        <path d="M9 11h3.5c2 0 3 1 4 3.5l.5 1c1 2.5 2 3.5 4 3.5H23" />
        <path d="M9 21h3.5c2 0 3-1 4-3.5" strokeOpacity="0.7" />
        <path d="M18.2 13.5c.8-1.8 1.8-2.5 3.3-2.5H23" strokeOpacity="0.7" />
      </g>
      <g fill="white">
        <circle cx="8.5" cy="11" r="2" />
        <circle cx="8.5" cy="21" r="2" />
        <circle cx="23.5" cy="11" r="2" />
        <circle cx="23.5" cy="21" r="2" />
      </g>
    </svg>
  );
}

export function Logo({ className, markClassName }: { className?: string; markClassName?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2.5", className)}>
      <LogoMark className={markClassName} />
      <span className="text-[15px] font-semibold tracking-tight">Switchboard</span>
    </span>
  );
}
