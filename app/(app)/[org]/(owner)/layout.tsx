import type { ReactNode } from "react";
import { requireOrgPage } from "@/lib/tenancy";

/**
 * The role check for every page in this group, made here and not in the pages: this layout
 * renders before the loading boundary, so a refusal is a real 404 rather than a streamed one.
 */
export default async function OwnerLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  await requireOrgPage((await params).org, "OWNER");
  return children;
}
