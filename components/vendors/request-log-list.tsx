import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import type { VendorRequestLog } from "@/db/schema/vendor-request-logs";
import { formatDateTime } from "@/lib/format";

const COLUMNS = "grid grid-cols-[10.5rem_3.5rem_minmax(0,1fr)_5rem_4.5rem_1rem] items-center gap-3";

/** The account's last exchanges with its vendor; secrets were redacted before they were stored. */
export function RequestLogList({ logs, kindName }: { logs: VendorRequestLog[]; kindName: string }) {
  if (logs.length === 0) {
    return (
      <EmptyState
        icon="scroll"
        title="No requests yet"
        description={`Every request Switchboard makes to ${kindName} for this account (sends, tests, number searches) is listed here with its response, secrets removed. The last 100 are kept on this page.`}
      />
    );
  }
  return (
    <section
      aria-label="Vendor requests"
      className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs shadow-zinc-900/5"
    >
      <div
        className={`${COLUMNS} border-b border-zinc-200 bg-zinc-50/80 px-4 py-2.5 text-xs font-medium tracking-wide text-zinc-500 uppercase`}
      >
        <span>Time</span>
        <span>Method</span>
        <span>URL</span>
        <span>Status</span>
        <span className="text-right">Duration</span>
        <span />
      </div>
      <ul className="divide-y divide-zinc-100">
        {logs.map((log) => (
          <li key={log.id}>
            <details className="group">
              <summary
                className={`${COLUMNS} cursor-pointer list-none px-4 py-2.5 text-sm transition-colors outline-none hover:bg-zinc-50/70 focus-visible:bg-indigo-50/60 [&::-webkit-details-marker]:hidden`}
              >
                <time dateTime={log.at.toISOString()} className="text-[13px] whitespace-nowrap text-zinc-600">
                  {formatDateTime(log.at)}
                </time>
                <span className="font-mono text-xs font-medium text-zinc-700">{log.method}</span>
                <span className="min-w-0">
                  <span className="block truncate font-mono text-xs text-zinc-800" title={log.url}>
                    {log.url}
                  </span>
                  {log.error ? <span className="block truncate text-xs text-red-600">{log.error}</span> : null}
                </span>
                <span>
                  {log.status === null ? (
                    <Badge tone="red">No reply</Badge>
                  ) : (
                    <Badge tone={statusTone(log.status)}>{log.status}</Badge>
                  )}
                </span>
                <span className="text-right text-[13px] text-zinc-600 tabular-nums">{log.durationMs} ms</span>
                <Icon name="chevron-down" className="size-4 text-zinc-400 transition-transform group-open:rotate-180" />
              </summary>
              <div className="space-y-3 border-t border-zinc-100 bg-zinc-50/60 px-4 py-4">
                {log.error ? <Block title="Error" text={log.error} tone="error" /> : null}
                <Block
                  title="Request headers"
                  text={Object.keys(log.requestHeaders).length > 0 ? JSON.stringify(log.requestHeaders, null, 2) : null}
                />
                <Block title="Request body" text={prettyJson(log.requestBody)} />
                <Block title="Response body" text={prettyJson(log.responseBody)} />
              </div>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Block({ title, text, tone }: { title: string; text: string | null; tone?: "error" }) {
  return (
    <div>
      <p className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">{title}</p>
      {text ? (
        <pre
          className={`max-h-72 overflow-auto rounded-lg border px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all ${tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-zinc-200 bg-white text-zinc-800"}`}
        >
          {text}
        </pre>
      ) : (
        <p className="text-[13px] text-zinc-400">None</p>
      )}
    </div>
  );
}

/** Bodies are stored as sent; JSON reads better indented. */
function prettyJson(text: string | null): string | null {
  if (!text || !/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function statusTone(status: number): BadgeTone {
  if (status >= 500) return "red";
  if (status >= 400) return "yellow";
  if (status >= 300) return "blue";
  return "green";
}
