import type { ReactNode } from "react";
import { cn } from "./cn";
import { Icon, type IconName } from "./icon";

export type AlertTone = "error" | "success" | "info" | "warning";

const STYLES: Record<AlertTone, { box: string; icon: IconName; iconColor: string }> = {
  error: { box: "border-red-200 bg-red-50 text-red-800", icon: "alert-circle", iconColor: "text-red-500" },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-800", icon: "check-circle", iconColor: "text-emerald-500" },
  info: { box: "border-sky-200 bg-sky-50 text-sky-800", icon: "info", iconColor: "text-sky-500" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "alert", iconColor: "text-amber-500" },
};

export type AlertProps = { tone: AlertTone; title?: string; children?: ReactNode; className?: string };

export function Alert({ tone, title, children, className }: AlertProps) {
  const style = STYLES[tone];
  // Errors interrupt (assertive); the other tones are announced politely.
  const role = tone === "error" ? "alert" : "status";
  return (
    <div role={role} className={cn("flex gap-3 rounded-lg border px-4 py-3 text-sm", style.box, className)}>
      <Icon name={style.icon} className={cn("mt-0.5 size-4 shrink-0", style.iconColor)} />
      <div className="min-w-0 space-y-0.5">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={cn("leading-relaxed", title && "opacity-90")}>{children}</div> : null}
      </div>
    </div>
  );
}
