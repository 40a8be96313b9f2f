import { CopyButton } from "@/components/ui/copy-button";

/** A URL an owner pastes into a vendor's console or app, shown whole on hover, with a copy button. */
export function CopyableUrl({ url, testId }: { url: string; testId: string }) {
  return (
    <div className="flex items-center gap-2">
      <code
        data-testid={testId}
        className="min-w-0 flex-1 truncate rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs text-zinc-800"
        title={url}
      >
        {url}
      </code>
      <CopyButton text={url} label="Copy URL" />
    </div>
  );
}
