import { z } from "zod";
import { e164Schema } from "@/lib/phone";

export const smssyncConfigSchema = z.object({
  secret: z.string().min(1, "Enter the secret you set in SMSsync").max(200, "Use at most 200 characters").meta({
    label: "Secret",
    help: "The same secret as in the app's settings (Sync URL → Secret). The phone sends it with every request, and Switchboard sends it back with messages so the phone knows it is talking to us.",
    secret: true,
  }),
  number: e164Schema.meta({
    label: "Phone number",
    help: "The phone's own number in E.164 format. Texts the phone receives are to it (when the app does not say), and texts it sends are from it: add it on the Numbers page too, so messages can be sent from it.",
    placeholder: "+12025550123",
  }),
});

export type SmssyncConfig = z.infer<typeof smssyncConfigSchema>;
