import { createUser, emailSchema, personNameSchema } from "@/lib/accounts";
import { passwordSchema } from "@/lib/passwords";
import { defineCommand, refusal } from "./cli";

export const createUserCommand = defineCommand({
  name: "create-user",
  summary: "Creates a user who can sign in (add them to an org with add-member).",
  options: {
    email: { schema: emailSchema, placeholder: "email", description: "Sign-in email; must not belong to another user" },
    name: { schema: personNameSchema, placeholder: "name", description: "Display name" },
    password: {
      schema: passwordSchema,
      placeholder: "password",
      description: "At least 10 characters, letters mixed with digits or symbols",
    },
  },
  async run(options) {
    const user = await createUser({ email: options.email, name: options.name, password: options.password }).catch((e: unknown) =>
      refusal(e, { email: "email", name: "name", password: "password" }),
    );
    return {
      lines: [`Created user ${user.email} (${user.name})`, `  id: ${user.id}`],
      json: { user: { id: user.id, email: user.email, name: user.name } },
    };
  },
});
