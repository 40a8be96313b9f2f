import type { Role } from "@/db/schema/memberships";

/** The sidebar, and the least role each org section needs (pages check the same value). */
export const NAV_ITEMS = [
  { segment: "conversations", label: "Conversations", icon: "chat", minRole: "TEXTER" },
  { segment: "campaigns", label: "Campaigns", icon: "megaphone", minRole: "TEXTER" },
  { segment: "contacts", label: "Contacts", icon: "users", minRole: "SUPERVOLUNTEER" },
  { segment: "dashboard", label: "Dashboard", icon: "chart", minRole: "ADMIN" },
  { segment: "numbers", label: "Numbers", icon: "hash", minRole: "ADMIN" },
  { segment: "vendors", label: "Vendors", icon: "plug", minRole: "OWNER" },
  { segment: "members", label: "Members", icon: "user-plus", minRole: "ADMIN" },
  { segment: "api-keys", label: "API keys", icon: "key", minRole: "OWNER" },
  { segment: "audit", label: "Audit log", icon: "scroll", minRole: "OWNER" },
  { segment: "settings", label: "Settings", icon: "gear", minRole: "ADMIN" },
] as const satisfies readonly { segment: string; label: string; icon: string; minRole: Role }[];

export type NavSegment = (typeof NAV_ITEMS)[number]["segment"];

export function minRoleFor(segment: NavSegment): Role {
  return NAV_ITEMS.find((item) => item.segment === segment)!.minRole;
}
