import { currentKey } from "@/lib/crypto/secrets";
import { rotateSecretsKey } from "@/lib/crypto/rotate";
import { CliError, defineCommand, describeKnownFailure } from "./cli";

export const rotateSecretsKeyCommand = defineCommand({
  name: "rotate-secrets-key",
  summary: "Re-encrypts every vendor secret under SECRETS_KEY, reading old values with SECRETS_KEY_PREVIOUS.",
  options: {},
  notes: [
    "Set SECRETS_KEY to the new key and SECRETS_KEY_PREVIOUS to the old one. All or nothing:",
    "if any value does not decrypt, nothing is changed.",
  ],
  async run() {
    let keyId: string;
    try {
      keyId = currentKey().id;
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    let counts: Awaited<ReturnType<typeof rotateSecretsKey>>;
    try {
      counts = await rotateSecretsKey();
    } catch (error) {
      if (describeKnownFailure(error)) throw error;
      // The rotation is one transaction: a value that does not decrypt leaves everything as it was.
      throw new CliError(`nothing was changed: ${(error as Error).message}`);
    }
    return {
      lines: [
        `Vendor secrets now under key "${keyId}":`,
        `  accounts:        ${counts.accounts}`,
        `  rewritten:       ${counts.rewritten}`,
        `  already current: ${counts.alreadyCurrent}`,
      ],
      json: { keyId, ...counts },
    };
  },
});
