"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Icon } from "@/components/ui/icon";
import { Input } from "@/components/ui/input";

type Row = { id: number; key: string; value: string };

/**
 * Key/value rows kept in state and sent as one JSON field: FormData would keep only the
 * last of several same-named inputs.
 */
export function CustomFieldsEditor({ name, initial, error }: { name: string; initial: Record<string, string>; error?: string }) {
  const labelId = useId();
  const [rows, setRows] = useState<Row[]>(() => Object.entries(initial).map(([key, value], id) => ({ id, key, value })));
  const [nextId, setNextId] = useState(rows.length);
  const update = (id: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const add = () => {
    setRows((current) => [...current, { id: nextId, key: "", value: "" }]);
    setNextId((n) => n + 1);
  };

  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${labelId}-error` : undefined}>
      <legend className="text-[13px] font-medium text-zinc-800">Custom fields</legend>
      <input type="hidden" name={name} value={JSON.stringify(rows.map(({ key, value }) => ({ key, value })))} />
      {rows.length === 0 ? (
        <p className="text-[13px] text-zinc-500">Anything else to keep with this contact, such as a ward, team or shift.</p>
      ) : null}
      {rows.map((row, index) => (
        <div key={row.id} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2">
          <Input
            aria-label={`Field ${index + 1} name`}
            placeholder="Name, e.g. ward"
            value={row.key}
            maxLength={64}
            onChange={(e) => update(row.id, { key: e.target.value })}
          />
          <Input
            aria-label={`Field ${index + 1} value`}
            placeholder="Value"
            value={row.value}
            maxLength={1000}
            onChange={(e) => update(row.id, { value: e.target.value })}
          />
          <Button
            variant="ghost"
            aria-label={`Remove field ${index + 1}`}
            onClick={() => setRows((current) => current.filter((r) => r.id !== row.id))}
          >
            <Icon name="x" />
          </Button>
        </div>
      ))}
      {error ? (
        <p id={`${labelId}-error`} role="alert" className="text-[13px] text-red-600">
          {error}
        </p>
      ) : null}
      <Button variant="secondary" size="sm" onClick={add}>
        <Icon name="plus" />
        Add field
      </Button>
    </fieldset>
  );
}
