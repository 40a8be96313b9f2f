import type { ReactNode } from "react";
import { Icon, type IconName } from "./icon";

export type EmptyStateProps = {
  icon: IconName;
  title: string;
  description: string;
  action?: ReactNode;
  children?: ReactNode;
};

export function EmptyState({ icon, title, description, action, children }: EmptyStateProps) {
  return (
    <section className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white/60 px-6 py-14 text-center">
      <div className="relative mb-5">
        <div aria-hidden="true" className="absolute -inset-3 rounded-full bg-indigo-50/70" />
        <div className="relative flex size-12 items-center justify-center rounded-full bg-indigo-100 text-indigo-600 ring-4 ring-white">
          <Icon name={icon} className="size-6" />
        </div>
      </div>
      <h2 className="text-base font-semibold text-zinc-900">{title}</h2>
      <p className="mt-1.5 max-w-md text-sm leading-relaxed text-zinc-500">{description}</p>
      {action ? <div className="mt-6 flex flex-wrap items-center justify-center gap-2">{action}</div> : null}
      {children ? <div className="mt-8 w-full max-w-xl text-left">{children}</div> : null}
    </section>
  );
}
