import { verifyOtp } from "@/lib/api/otp";
import { readJsonBody } from "@/lib/api/request";
import { otpVerifyRequest } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";

export const dynamic = "force-dynamic";

export const POST = withApiKey(async ({ request, key }) => {
  const input = await readJsonBody(request, otpVerifyRequest);
  return Response.json(await verifyOtp(key.orgId, input));
});
