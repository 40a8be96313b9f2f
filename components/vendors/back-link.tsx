import Link from "next/link";
import { Icon } from "@/components/ui/icon";

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <Link
      href={href}
      className="mb-4 inline-flex items-center gap-1.5 text-[13px] font-medium text-zinc-500 outline-none hover:text-zinc-900 focus-visible:underline"
    >
      <Icon name="arrow-left" className="size-3.5" />
      {label}
    </Link>
  );
}
