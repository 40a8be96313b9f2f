import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="relative flex min-h-screen flex-col items-center justify-center overflow-hidden bg-zinc-50 px-4 py-16 text-center">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(ellipse_60%_50%_at_50%_-10%,rgb(99_102_241/0.12),transparent)]"
      />
      <div className="relative flex flex-col items-center">
        <Logo className="mb-12 text-zinc-900" />
        <p className="text-sm font-semibold tracking-wider text-indigo-600 uppercase">404</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900">Page not found</h1>
        <p className="mt-3 max-w-sm text-sm leading-relaxed text-zinc-500">
          This page doesn&apos;t exist, or you don&apos;t have access to it. Check the address, or head back to your workspace.
        </p>
        <ButtonLink href="/" className="mt-8">
          <Icon name="arrow-left" />
          Back to home
        </ButtonLink>
      </div>
    </main>
  );
}
