"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";

type ErrorProps = {
  error: unknown;
  /** Next 16 re-fetches the segment with retry(); reset() only re-renders it. */
  retry?: () => void;
  reset: () => void;
};

function digestOf(error: unknown): string | undefined {
  if (error instanceof Error && "digest" in error && typeof error.digest === "string") return error.digest;
  return undefined;
}

export default function OrgError({ error, retry, reset }: ErrorProps) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest = digestOf(error);
  return (
    <div className="flex flex-col items-center rounded-xl border border-zinc-200 bg-white px-6 py-16 text-center shadow-xs">
      <div className="mb-5 flex size-12 items-center justify-center rounded-full bg-red-50 text-red-600 ring-8 ring-red-50/50">
        <Icon name="alert" className="size-6" />
      </div>
      <h1 className="text-lg font-semibold text-zinc-900">Something went wrong</h1>
      <p className="mt-1.5 max-w-md text-sm leading-relaxed text-zinc-500">
        We couldn&apos;t load this page. It may be a temporary problem — try again, and if it keeps happening, share the reference
        below with your administrator.
      </p>
      <div className="mt-6 flex items-center gap-2">
        <Button onClick={() => (retry ?? reset)()}>
          <Icon name="refresh" />
          Retry
        </Button>
      </div>
      {digest ? (
        <p className="mt-6 font-mono text-xs text-zinc-400">
          Reference: <span className="select-all">{digest}</span>
        </p>
      ) : null}
    </div>
  );
}
