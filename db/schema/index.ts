// The one list drizzle-kit and db/index.ts read; application code imports table files directly.
export * from "./users";
export * from "./orgs";
export * from "./memberships";
export * from "./invitations";
export * from "./vendor-accounts";
export * from "./phone-numbers";
export * from "./contacts";
export * from "./campaigns";
export * from "./campaign-contacts";
export * from "./canned-responses";
export * from "./conversations";
export * from "./messages";
export * from "./message-events";
export * from "./webhook-events";
export * from "./api-keys";
export * from "./audit-log";
