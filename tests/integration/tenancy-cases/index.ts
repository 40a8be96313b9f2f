import { contactsCases } from "./contacts";
import { conversationsCases } from "./conversations";
import { coreCases } from "./core";
import { numbersCases } from "./numbers";
import type { TenancyCaseFactory } from "./types";
import { vendorsCases } from "./vendors";

/** Every feature's tenancy cases; a feature adds its file here once. */
export const TENANCY_CASES: TenancyCaseFactory[] = [coreCases, vendorsCases, numbersCases, contactsCases, conversationsCases];
