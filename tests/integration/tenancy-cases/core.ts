import { createApiKey } from "@/lib/api-keys";
import { createInvitation } from "@/lib/invitations";
import { NAV_ITEMS } from "@/lib/nav";
import { memberOf } from "../../helpers/fixtures";
import type { TenancyCaseFactory } from "./types";

/** Members, invitations, API keys, settings, and every section page. */
export const coreCases: TenancyCaseFactory = async (b) => {
  const texter = await memberOf(b.org.id, "Bravo", "TEXTER");
  const invitationId = (await createInvitation({ orgId: b.org.id, role: "ADMIN", invitedBy: b.owner.id })).invitation.id;
  const keyId = (await createApiKey({ orgId: b.org.id, name: "B system", createdBy: b.owner.id, actorLabel: "test" })).id;
  return {
    pagePatterns: ["/[org]", ...NAV_ITEMS.map((item) => `/[org]/${item.segment}`), "/[org]/api-keys/docs"],
    pages: [`/${b.org.slug}`, ...NAV_ITEMS.map((item) => `/${b.org.slug}/${item.segment}`), `/${b.org.slug}/api-keys/docs`],
    actions: {
      "lib/actions/members.ts#inviteMemberAction": { role: "ADMIN", email: "" },
      "lib/actions/members.ts#changeMemberRoleAction": { membershipId: texter.membership.id, role: "OWNER" },
      "lib/actions/members.ts#removeMemberAction": { membershipId: texter.membership.id },
      "lib/actions/members.ts#revokeInvitationAction": { invitationId },
      "lib/actions/api-keys.ts#createApiKeyAction": { name: "stolen" },
      "lib/actions/api-keys.ts#revokeApiKeyAction": { keyId },
      "lib/actions/settings.ts#updateOrgSettingsAction": { name: "Hijacked", defaultCountry: "US", timeZone: "UTC" },
    },
  };
};
