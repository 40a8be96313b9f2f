"use client";

import { useActionState, useRef, useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Icon } from "@/components/ui/icon";
import { Input, Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { buyNumbersAction, searchAvailableNumbersAction } from "@/lib/actions/numbers";

type BuyResult = Awaited<ReturnType<typeof buyNumbersAction>> | null;
type SearchResult = Awaited<ReturnType<typeof searchAvailableNumbersAction>>;
export type BuyAccount = { id: string; name: string; kindName: string; enabled: boolean };

/** Area code and quantity, an optional look at what the vendor offers, then an order the worker fills. */
export function BuyNumbersForm({ orgSlug, accounts }: { orgSlug: string; accounts: BuyAccount[] }) {
  const [state, buy, buying] = useActionState<BuyResult, FormData>(buyNumbersAction.bind(null, orgSlug), null);
  const [preview, setPreview] = useState<SearchResult | null>(null);
  const [searching, startSearch] = useTransition();
  const [, startBuy] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const failed = state && !state.ok ? state : preview && !preview.ok ? preview : null;
  const errors = failed?.fieldErrors ?? {};
  const firstEnabled = accounts.find((a) => a.enabled)?.id;

  function submit(event: FormEvent<HTMLFormElement>) {
    // Submitting by hand keeps what was typed when the order is refused (a form action would reset it).
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPreview(null);
    startBuy(() => buy(data));
  }

  function search() {
    if (!form.current) return;
    const data = new FormData(form.current);
    startSearch(async () => {
      setPreview(
        await searchAvailableNumbersAction(orgSlug, null, {
          vendorAccountId: data.get("vendorAccountId"),
          areaCode: data.get("areaCode"),
        }),
      );
    });
  }

  return (
    <div className="space-y-4">
      {/* A new key after each order empties the form, so a second click cannot buy the same numbers again. */}
      <form key={state?.ok ? state.data.orderId : "new"} ref={form} onSubmit={submit} aria-label="Buy numbers" className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_7rem_6rem]" noValidate>
        <Field label="Vendor account" htmlFor="buy-account" error={errors.vendorAccountId}>
          <Select id="buy-account" name="vendorAccountId" defaultValue={firstEnabled}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id} disabled={!a.enabled}>
                {a.name} ({a.kindName}){a.enabled ? "" : " — disabled"}
              </option>
            ))}
          </Select>
        </Field>
        {/* The two narrow fields say what is wrong on a full-width line below them. */}
        <Field label="Area code" htmlFor="buy-area">
          <Input
            id="buy-area"
            name="areaCode"
            inputMode="numeric"
            maxLength={3}
            placeholder="212"
            autoComplete="off"
            className="tabular-nums"
            invalid={Boolean(errors.areaCode)}
            aria-describedby={errors.areaCode ? "buy-area-error" : undefined}
          />
        </Field>
        <Field label="How many" htmlFor="buy-quantity">
          <Input
            id="buy-quantity"
            name="quantity"
            type="number"
            min={1}
            max={50}
            defaultValue={1}
            className="tabular-nums"
            invalid={Boolean(errors.quantity)}
            aria-describedby={errors.quantity ? "buy-quantity-error" : undefined}
          />
        </Field>
        {errors.areaCode || errors.quantity ? (
          <div className="space-y-0.5 text-[13px] text-red-600 sm:col-span-3">
            {errors.areaCode ? (
              <p id="buy-area-error" role="alert">
                Area code: {errors.areaCode}
              </p>
            ) : null}
            {errors.quantity ? (
              <p id="buy-quantity-error" role="alert">
                How many: {errors.quantity}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 sm:col-span-3">
          <Button type="submit" disabled={buying} aria-busy={buying || undefined}>
            {buying ? <Spinner /> : <Icon name="plus" />}
            {buying ? "Placing order…" : "Buy numbers"}
          </Button>
          <Button type="button" variant="secondary" onClick={search} disabled={searching}>
            {searching ? <Spinner /> : <Icon name="search" />}
            See what&apos;s available
          </Button>
          <span className="text-[13px] text-zinc-500">Up to 50 per order. Numbers are billed by your vendor.</span>
        </div>
      </form>
      {failed && !failed.fieldErrors ? <Alert tone="error">{failed.error}</Alert> : null}
      {state?.ok ? (
        <Alert tone="success">Order placed. Its progress is below; the numbers appear in the table as they are bought.</Alert>
      ) : null}
      {preview?.ok ? <Preview result={preview.data} /> : null}
    </div>
  );
}

function Preview({ result }: { result: Extract<SearchResult, { ok: true }>["data"] }) {
  const available = result.numbers.filter((n) => !n.owned);
  const place = result.numbers.find((n) => n.locality)?.locality;
  if (result.numbers.length === 0) return <Alert tone="info">The vendor has no numbers in {result.areaCode} right now.</Alert>;
  return (
    <div className="rounded-lg border border-zinc-200 bg-zinc-50/60 p-3">
      <p className="mb-2 text-[13px] text-zinc-600">
        {available.length === 0 ? (
          <span className="font-medium text-zinc-900">Every number offered in {result.areaCode} is already yours.</span>
        ) : (
          <>
            <span className="font-medium text-zinc-900">Available in {result.areaCode}</span>
            {place ? ` · ${place}` : ""}
          </>
        )}
        {available.length < result.numbers.length ? " Crossed out: already in this organization." : ""}
      </p>
      <ul className="flex flex-wrap gap-1.5" aria-label={`Available numbers in ${result.areaCode}`}>
        {result.numbers.map((n) => (
          <li key={n.e164}>
            {n.owned ? (
              <Badge className="line-through opacity-60">{n.formatted}</Badge>
            ) : (
              <Badge tone="indigo" className="tabular-nums">
                {n.formatted}
              </Badge>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
