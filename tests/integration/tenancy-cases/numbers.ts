import type { TenancyCaseFactory } from "./types";

/** The numbers feature's pages and actions, aimed at org B's objects. */
export const numbersCases: TenancyCaseFactory = async () => ({ pagePatterns: [], pages: [], actions: {} });
