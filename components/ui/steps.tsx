import type { ReactNode } from "react";

export type Step = { title: string; description: ReactNode };

/** A numbered "what to do first" list, used inside empty states. */
export function Steps({ title, steps }: { title?: string; steps: Step[] }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-xs">
      {title ? <p className="mb-3 text-xs font-medium tracking-wider text-zinc-500 uppercase">{title}</p> : null}
      <ol className="space-y-3">
        {steps.map((step, index) => (
          <li key={step.title} className="flex gap-3">
            <span
              aria-hidden="true"
              className="flex size-6 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-600 ring-1 ring-zinc-200"
            >
              {index + 1}
            </span>
            <div className="min-w-0 pt-0.5">
              <p className="text-sm font-medium text-zinc-900">{step.title}</p>
              <p className="text-[13px] leading-relaxed text-zinc-500">{step.description}</p>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
