import type { TenancyCaseFactory } from "./types";

/** The vendors feature's pages and actions, aimed at org B's objects. */
export const vendorsCases: TenancyCaseFactory = async () => ({ pagePatterns: [], pages: [], actions: {} });
