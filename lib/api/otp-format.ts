/** The seed's fixed MFA format (Humanforce → MessageMedia): nothing else may go in this message. */
export function otpMessageBody(code: string): string {
  return `Your onetime password is: ${code}`;
}

const OTP_BODY = /^(Your onetime password is: )(\d+)$/;

/**
 * The API shows passcode messages with the code masked: the code is stored hashed, and a
 * second system holding another key of the org must not read it back from the message.
 */
export function maskOtpBody(body: string): string {
  return body.replace(OTP_BODY, (_all, text: string, code: string) => `${text}${"•".repeat(code.length)}`);
}
