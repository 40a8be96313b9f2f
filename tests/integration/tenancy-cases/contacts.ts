import type { TenancyCaseFactory } from "./types";

/** The contacts feature's pages and actions, aimed at org B's objects. */
export const contactsCases: TenancyCaseFactory = async () => ({ pagePatterns: [], pages: [], actions: {} });
