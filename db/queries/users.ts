import { eq, sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { users, type User } from "@/db/schema/users";
import { hashPassword, verifyPassword } from "@/lib/passwords";

export async function findUserByEmail(email: string, q: DbOrTx = db): Promise<User | undefined> {
  const [row] = await q
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`)
    .limit(1);
  return row;
}

export async function findUserById(id: string, q: DbOrTx = db): Promise<User | undefined> {
  const [row] = await q.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function insertUser(
  input: { email: string; name: string; password: string },
  q: DbOrTx = db,
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const [row] = await q
    .insert(users)
    .values({ email: input.email.trim(), name: input.name.trim(), passwordHash })
    .returning();
  return row!;
}

/** The user when the password matches; undefined otherwise (also for unknown emails). */
export async function verifyUserPassword(email: string, password: string): Promise<User | undefined> {
  const user = await findUserByEmail(email);
  if (!user) {
    // Spend the same time as a real check so response time does not reveal which emails exist.
    dummyHash ??= hashPassword("not-a-real-password-0");
    await verifyPassword(await dummyHash, password);
    return undefined;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : undefined;
}

let dummyHash: Promise<string> | undefined;
