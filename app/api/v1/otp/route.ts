import { sendOtp } from "@/lib/api/otp";
import { readJsonBody } from "@/lib/api/request";
import { otpRequest } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

/** Texts a fresh passcode; the code itself is never in the answer. */
export const POST = withApiKey(async ({ request, key }) => {
  const input = await readJsonBody(request, otpRequest);
  return Response.json(await sendOtp(key.orgId, key.keyId, input), { status: 202 });
});
