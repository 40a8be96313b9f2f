import type { FailureReason } from "@/lib/stats/org";
import { BarList } from "./bar-list";

export function FailureReasons({ failures }: { failures: FailureReason[] }) {
  if (failures.length === 0) return <p className="py-6 text-center text-sm text-zinc-500">No failed messages in this range.</p>;
  return (
    <BarList
      color="bg-red-50"
      items={failures.map((f) => ({
        key: `${f.errorCode ?? ""}|${f.errorDescription ?? ""}`,
        label: f.errorDescription ?? "No description from the vendor",
        detail: f.errorCode ? `Code ${f.errorCode}` : "No error code",
        value: f.count,
      }))}
    />
  );
}
