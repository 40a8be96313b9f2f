import type { ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { Icon, type IconName } from "./icon";

export type ComingSoonButtonProps = {
  children: ReactNode;
  icon?: IconName;
  variant?: ButtonVariant;
  size?: ButtonSize;
};

/**
 * A visibly disabled action for features not built yet. Disabled buttons swallow pointer
 * events, so the tooltip lives on a wrapper too; the button keeps its own title for AT.
 */
export function ComingSoonButton({ children, icon, variant = "primary", size = "md" }: ComingSoonButtonProps) {
  return (
    <span title="Coming soon" className="inline-flex cursor-not-allowed">
      <Button variant={variant} size={size} disabled title="Coming soon">
        {icon ? <Icon name={icon} /> : null}
        {children}
      </Button>
    </span>
  );
}
