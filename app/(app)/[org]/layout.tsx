import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { listOrgsForUser, requireOrgPage } from "@/lib/tenancy";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const ctx = await requireOrgPage(slug);
  const orgs = await listOrgsForUser(ctx.user.id);
  return (
    <AppShell org={{ slug: ctx.org.slug, name: ctx.org.name }} orgs={orgs} user={{ name: ctx.user.name, email: ctx.user.email }} role={ctx.role}>
      {children}
    </AppShell>
  );
}
