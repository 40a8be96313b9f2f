"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";
import type { NumberOrderView } from "@/lib/numbers";

/** An order as JSON carries it: dates are strings. */
export type OrderData = Omit<NumberOrderView, "createdAt" | "finishedAt"> & { createdAt: string; finishedAt: string | null };

const POLL_MS = 700;
const TIME = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

export function NumberOrderList({ orgSlug, orders }: { orgSlug: string; orders: OrderData[] }) {
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Recent orders">
      {orders.map((order) => (
        <OrderProgress key={order.id} orgSlug={orgSlug} initial={order} />
      ))}
    </ul>
  );
}

/** One order's bar, polling its progress until the job ends, then refreshing the page's list of numbers. */
function OrderProgress({ orgSlug, initial }: { orgSlug: string; initial: OrderData }) {
  const router = useRouter();
  const { data: polled, isError } = useQuery({
    queryKey: ["number-order", orgSlug, initial.id],
    queryFn: () => fetchOrder(orgSlug, initial.id),
    initialData: initial,
    enabled: !isFinal(initial.status),
    refetchInterval: (query) => (isFinal(query.state.data?.status) ? false : POLL_MS),
    refetchIntervalInBackground: false,
  });
  // A page refresh can learn that the order ended before the poll does (and the poll then stops):
  // the server's final word wins over a poll still showing it running.
  const order = isFinal(initial.status) ? initial : polled;
  // New numbers appear in the table as they are bought, not only at the end.
  const seen = useRef({ bought: initial.bought, final: isFinal(initial.status) });
  useEffect(() => {
    const final = isFinal(order.status);
    if (order.bought !== seen.current.bought || (final && !seen.current.final)) router.refresh();
    seen.current = { bought: order.bought, final };
  }, [order.bought, order.status, router]);

  const done = order.bought + order.failed;
  const running = order.status === "RUNNING";
  const summary = `${order.bought} of ${order.quantity} bought${order.failed > 0 ? `, ${order.failed} failed` : ""}`;
  return (
    <li className="space-y-2 py-3 first:pt-0 last:pb-0" data-testid="number-order" data-status={order.status}>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <p className="min-w-0 text-sm text-zinc-900">
          <span className="font-medium">
            {order.quantity} {order.quantity === 1 ? "number" : "numbers"} in {order.areaCode}
          </span>
          <span className="text-zinc-500">
            {" "}
            · {order.accountName} · {TIME.format(new Date(order.createdAt))}
          </span>
        </p>
        <StatusBadge order={order} />
      </div>
      <div
        role="progressbar"
        aria-label={`Order for ${order.quantity} numbers in ${order.areaCode}`}
        aria-valuemin={0}
        aria-valuemax={order.quantity}
        aria-valuenow={done}
        aria-valuetext={summary}
        className="flex h-2 overflow-hidden rounded-full bg-zinc-100"
      >
        <div
          className="bg-indigo-600 transition-[width] duration-500 ease-out"
          style={{ width: percent(order.bought, order.quantity) }}
        />
        <div
          className="bg-red-400 transition-[width] duration-500 ease-out"
          style={{ width: percent(order.failed, order.quantity) }}
        />
        {running ? <div className="flex-1 animate-pulse bg-indigo-100" /> : null}
      </div>
      <div className="flex flex-wrap items-center justify-between gap-x-3 text-[13px] text-zinc-500">
        <span className="tabular-nums">
          {order.status === "QUEUED" ? `Waiting for a worker · 0 of ${order.quantity}` : summary}
        </span>
        {isError ? <span className="text-amber-700">Can&apos;t reach the server; still trying…</span> : null}
      </div>
      {order.error ? (
        <p className={cn("text-[13px]", order.status === "FAILED" ? "text-red-700" : "text-amber-800")}>{order.error}</p>
      ) : null}
    </li>
  );
}

function StatusBadge({ order }: { order: OrderData }) {
  switch (order.status) {
    case "QUEUED":
      return <Badge>Queued</Badge>;
    case "RUNNING":
      return (
        <Badge tone="blue">
          <Spinner className="size-3" /> Buying
        </Badge>
      );
    case "DONE":
      return order.bought < order.quantity ? <Badge tone="yellow">Partly done</Badge> : <Badge tone="green">Done</Badge>;
    case "FAILED":
      return <Badge tone="red">Failed</Badge>;
  }
}

async function fetchOrder(orgSlug: string, orderId: string): Promise<OrderData> {
  const response = await fetch(`/api/orgs/${encodeURIComponent(orgSlug)}/number-orders/${encodeURIComponent(orderId)}`, {
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`order progress: HTTP ${response.status}`);
  return ((await response.json()) as { order: OrderData }).order;
}

function isFinal(status: OrderData["status"] | undefined): boolean {
  return status === "DONE" || status === "FAILED";
}

function percent(part: number, whole: number): string {
  return `${whole > 0 ? Math.min(100, (part / whole) * 100) : 0}%`;
}
