import Link from "next/link";
import type { ReactNode } from "react";
import { AddNumberForm } from "@/components/numbers/add-number-form";
import { BuyNumbersForm } from "@/components/numbers/buy-numbers-form";
import { ImportNumbersButton } from "@/components/numbers/import-numbers-button";
import { NumbersTable } from "@/components/numbers/numbers-table";
import { NumberOrderList } from "@/components/numbers/order-progress";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { SENDER_TYPES } from "@/db/schema/phone-numbers";
import { listMembers } from "@/lib/members";
import { minRoleFor } from "@/lib/nav";
import { DEFAULT_RATES, listNumberAccounts, listNumberOrders, listNumbers, SENDER_TYPE_LABELS } from "@/lib/numbers";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "Numbers" };

const SENDER_TYPE_OPTIONS = SENDER_TYPES.map((value) => ({
  value,
  label: SENDER_TYPE_LABELS[value],
  defaultRate: DEFAULT_RATES[value],
}));

export default async function NumbersPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ account?: string | string[] }>;
}) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("numbers"));
  const isOwner = ctx.role === "OWNER";
  const { account } = await searchParams;
  const accountFilter = typeof account === "string" ? account : undefined;
  const [accounts, numbers, members, orders] = await Promise.all([
    listNumberAccounts(ctx.org.id),
    listNumbers(ctx.org.id, { vendorAccountId: accountFilter }),
    listMembers(ctx.org.id),
    isOwner ? listNumberOrders(ctx.org.id) : [],
  ]);
  const total = accounts.reduce((sum, a) => sum + a.numbers, 0);
  const selected = accounts.find((a) => a.id === accountFilter);
  const inventoryAccounts = accounts.filter((a) => a.inventory);
  const base = `/${ctx.org.slug}/numbers`;

  return (
    <div className="space-y-8">
      <PageHeader
        title="Numbers"
        description="The phone numbers you send from, which vendor account carries each one, and which texter sends from it."
        actions={
          isOwner ? (
            <ButtonLink variant="secondary" href={`/${ctx.org.slug}/vendors`}>
              <Icon name="plug" />
              Vendor accounts
            </ButtonLink>
          ) : null
        }
      />

      {accounts.length === 0 ? (
        <EmptyState
          icon="plug"
          title="Connect a vendor account first"
          description="Every number belongs to one of your vendor accounts. Once one is connected, you can buy numbers here, import the ones it already owns, or add them by hand."
          action={isOwner ? <ButtonLink href={`/${ctx.org.slug}/vendors`}>Go to Vendors</ButtonLink> : undefined}
        />
      ) : (
        <>
          {isOwner ? (
            <div className="grid items-start gap-6 lg:grid-cols-5">
              <Card className="lg:col-span-3">
                <CardHeader
                  title="Buy numbers"
                  description="Pick an area code; a worker buys the numbers one by one and adds each here as soon as it's yours."
                />
                <CardBody className="space-y-5">
                  {inventoryAccounts.length > 0 ? (
                    <BuyNumbersForm
                      orgSlug={ctx.org.slug}
                      accounts={inventoryAccounts.map(({ id, name, kindName, enabled }) => ({ id, name, kindName, enabled }))}
                    />
                  ) : (
                    <Alert tone="info">
                      None of your vendor accounts can buy numbers through Switchboard. Add numbers you already have instead.
                    </Alert>
                  )}
                  {orders.length > 0 ? (
                    <section className="space-y-3 border-t border-zinc-100 pt-4">
                      <h3 className="text-xs font-medium tracking-wider text-zinc-500 uppercase">Recent orders</h3>
                      <NumberOrderList
                        orgSlug={ctx.org.slug}
                        orders={orders.map((o) => ({
                          ...o,
                          createdAt: o.createdAt.toISOString(),
                          finishedAt: o.finishedAt?.toISOString() ?? null,
                        }))}
                      />
                    </section>
                  ) : null}
                </CardBody>
              </Card>
              <div className="space-y-6 lg:col-span-2">
                <Card>
                  <CardHeader title="Add a number" description="One you already have with a vendor." />
                  <CardBody>
                    <AddNumberForm orgSlug={ctx.org.slug} accounts={accounts} senderTypes={SENDER_TYPE_OPTIONS} />
                  </CardBody>
                </Card>
                {inventoryAccounts.length > 0 ? (
                  <Card>
                    <CardHeader
                      title="Import owned numbers"
                      description="Add the numbers an account already owns at its vendor."
                    />
                    <ul className="divide-y divide-zinc-100">
                      {inventoryAccounts.map((a) => (
                        <li key={a.id} className="flex items-start justify-between gap-3 px-5 py-3">
                          <div className="min-w-0 pt-1">
                            <p className="truncate text-sm font-medium text-zinc-900">{a.name}</p>
                            <p className="text-xs text-zinc-500">
                              {a.kindName} · {a.numbers === 1 ? "1 number" : `${a.numbers} numbers`}
                            </p>
                          </div>
                          <ImportNumbersButton orgSlug={ctx.org.slug} accountId={a.id} accountName={a.name} />
                        </li>
                      ))}
                    </ul>
                  </Card>
                ) : null}
              </div>
            </div>
          ) : (
            <Alert tone="info">
              You can assign numbers to texters. Only owners can buy, add, import or release numbers, or change sending rates.
            </Alert>
          )}

          <section className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h2 className="text-sm font-semibold text-zinc-900">
                {accountFilter ? `${numbers.length} of ${total} numbers` : total === 1 ? "1 number" : `${total} numbers`}
              </h2>
              {accounts.length > 1 ? (
                <nav aria-label="Filter by vendor account" className="flex flex-wrap gap-1 rounded-lg bg-zinc-100 p-1">
                  <FilterLink href={base} active={!accountFilter}>
                    All accounts
                  </FilterLink>
                  {accounts.map((a) => (
                    <FilterLink key={a.id} href={`${base}?account=${a.id}`} active={a.id === accountFilter}>
                      {a.name} <span className="text-zinc-400 tabular-nums">{a.numbers}</span>
                    </FilterLink>
                  ))}
                </nav>
              ) : null}
            </div>
            {numbers.length === 0 ? (
              <EmptyState
                icon="phone"
                title={accountFilter ? `No numbers on ${selected ? `“${selected.name}”` : "this account"}` : "No numbers yet"}
                description={
                  isOwner
                    ? "Buy numbers in an area code, import the ones your accounts already own, or add one by hand above."
                    : "When an owner buys or adds numbers, they appear here and you can assign each to a texter."
                }
              />
            ) : (
              <NumbersTable
                orgSlug={ctx.org.slug}
                numbers={numbers}
                members={members.map((m) => ({ userId: m.userId, name: m.name }))}
                accounts={accounts}
                senderTypes={SENDER_TYPE_OPTIONS}
                isOwner={isOwner}
              />
            )}
          </section>
        </>
      )}
    </div>
  );
}

function FilterLink({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "inline-flex h-7 items-center gap-1.5 rounded-md px-2.5 text-[13px] font-medium transition-colors",
        active ? "bg-white text-zinc-900 shadow-xs" : "text-zinc-600 hover:text-zinc-900",
      )}
    >
      {children}
    </Link>
  );
}
