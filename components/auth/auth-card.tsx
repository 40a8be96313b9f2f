import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/ui/logo";

export type AuthCardProps = {
  title: string;
  description?: string;
  children: ReactNode;
  footer?: ReactNode;
};

export function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <div className="relative flex min-h-screen flex-col items-center justify-center overflow-hidden bg-zinc-50 px-4 py-12">
      {/* Soft indigo glow + faint grid: depth without an image asset. */}
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(ellipse_60%_50%_at_50%_-10%,rgb(99_102_241/0.14),transparent)]"
      />
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[linear-gradient(to_right,rgb(24_24_27/0.04)_1px,transparent_1px),linear-gradient(to_bottom,rgb(24_24_27/0.04)_1px,transparent_1px)] [mask-image:radial-gradient(ellipse_at_top,black_20%,transparent_70%)] bg-[size:32px_32px]"
      />

      <main className="relative w-full max-w-[400px]">
        <Link
          href="/"
          className="mx-auto mb-8 flex w-fit rounded-md text-zinc-900 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          <Logo markClassName="size-8" className="[&>span:last-child]:text-lg" />
        </Link>

        <div className="rounded-xl border border-zinc-200 bg-white px-6 py-7 shadow-lg shadow-zinc-900/5 sm:px-8">
          <div className="mb-6 space-y-1.5 text-center">
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
            {description ? <p className="text-sm text-zinc-500">{description}</p> : null}
          </div>
          {children}
        </div>

        {footer ? <div className="mt-6 text-center text-sm text-zinc-500">{footer}</div> : null}
      </main>
    </div>
  );
}
