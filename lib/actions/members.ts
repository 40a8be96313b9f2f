"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ROLES } from "@/db/schema/memberships";
import { emailSchema } from "@/lib/accounts";
import { publicUrl } from "@/lib/env";
import { createInvitation, revokeInvitation } from "@/lib/invitations";
import { changeMemberRole, removeMember } from "@/lib/members";
import { orgAction } from "@/lib/tenancy";

const roleSchema = z.enum(ROLES, { message: "Choose a role" });

export const inviteMemberAction = orgAction(
  { role: "OWNER", schema: z.object({ role: roleSchema, email: z.union([z.literal(""), emailSchema]).optional() }) },
  async (ctx, input) => {
    const { invitation, token } = await createInvitation({ orgId: ctx.org.id, role: input.role, email: input.email || undefined, invitedBy: ctx.user.id });
    revalidatePath(`/${ctx.org.slug}/members`);
    return { id: invitation.id, role: invitation.role, url: `${publicUrl()}/invite/${token}`, expiresAt: invitation.expiresAt.toISOString() };
  },
);

export const changeMemberRoleAction = orgAction(
  { role: "OWNER", schema: z.object({ membershipId: z.string().uuid("Unknown member"), role: roleSchema }) },
  async (ctx, input) => {
    await changeMemberRole(ctx.org.id, input.membershipId, input.role, ctx.user.id);
    revalidatePath(`/${ctx.org.slug}/members`);
    return null;
  },
);

export const removeMemberAction = orgAction(
  { role: "OWNER", schema: z.object({ membershipId: z.string().uuid("Unknown member") }) },
  async (ctx, input) => {
    await removeMember(ctx.org.id, input.membershipId, ctx.user.id);
    revalidatePath(`/${ctx.org.slug}/members`);
    return null;
  },
);

export const revokeInvitationAction = orgAction(
  { role: "OWNER", schema: z.object({ invitationId: z.string().uuid("Unknown invitation") }) },
  async (ctx, input) => {
    await revokeInvitation(ctx.org.id, input.invitationId, ctx.user.id);
    revalidatePath(`/${ctx.org.slug}/members`);
    return null;
  },
);
