"use client";

import { useEffect, useRef, useState } from "react";
import { buttonClasses } from "./button";
import { Icon } from "./icon";

type Status = "idle" | "copied" | "manual";

/** Clipboard API needs a secure context; on plain-http hosts fall back to a selected textarea. */
function legacyCopy(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [status, setStatus] = useState<Status>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const manualRef = useRef<HTMLInputElement>(null);

  useEffect(() => () => clearTimeout(timer.current), []);
  // Last resort: show the value pre-selected so the user can copy it by hand.
  useEffect(() => {
    if (status === "manual") manualRef.current?.select();
  }, [status]);

  async function copy() {
    let ok = false;
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) ok = legacyCopy(text);
    clearTimeout(timer.current);
    if (!ok) return setStatus("manual");
    setStatus("copied");
    timer.current = setTimeout(() => setStatus("idle"), 2000);
  }

  const shown = status === "copied" ? "Copied" : label;
  return (
    <span className="inline-flex items-center gap-2">
      {status === "manual" ? (
        <input
          ref={manualRef}
          readOnly
          value={text}
          aria-label="Copy this value manually"
          onBlur={() => setStatus("idle")}
          className="h-8 w-56 rounded-md border border-indigo-300 bg-indigo-50 px-2 font-mono text-xs text-zinc-800 outline-none"
        />
      ) : null}
      <button
        type="button"
        onClick={copy}
        className={buttonClasses("secondary", "sm", status === "copied" ? "text-emerald-700" : undefined)}
      >
        <Icon name={status === "copied" ? "check" : "copy"} />
        <span aria-live="polite">{shown}</span>
      </button>
    </span>
  );
}
