/**
 * Client-safe copy of the role ladder (lib/tenancy is server-only). It only decides what
 * the sidebar shows; every page and action still enforces access on the server.
 */
export type ShellRole = "OWNER" | "ADMIN" | "SUPERVOLUNTEER" | "TEXTER";

const RANK: Record<ShellRole, number> = { TEXTER: 1, SUPERVOLUNTEER: 2, ADMIN: 3, OWNER: 4 };

export function roleAtLeast(role: ShellRole, atLeast: ShellRole): boolean {
  return RANK[role] >= RANK[atLeast];
}

export const ROLE_LABELS: Record<ShellRole, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  SUPERVOLUNTEER: "Supervolunteer",
  TEXTER: "Texter",
};
