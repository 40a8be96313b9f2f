import { campaignsCases } from "./campaigns";
import { contactsCases } from "./contacts";
import { conversationsCases } from "./conversations";
import { coreCases } from "./core";
import { dashboardCases } from "./dashboard";
import { numbersCases } from "./numbers";
import { textingCases } from "./texting";
import type { TenancyCaseFactory } from "./types";
import { vendorsCases } from "./vendors";

/** Every feature's tenancy cases; a feature adds its file here once. */
export const TENANCY_CASES: TenancyCaseFactory[] = [
  coreCases,
  vendorsCases,
  numbersCases,
  contactsCases,
  conversationsCases,
  dashboardCases,
  textingCases,
  campaignsCases,
];
