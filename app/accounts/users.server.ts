import type { Kysely, Transaction } from "kysely";
import type { Database, User } from "../../db/schema";
import { adminEmails } from "~/settings.server";

type Executor = Kysely<Database> | Transaction<Database>;

/** The user with this email, created on first sign-in; `ADMIN_EMAILS` are always administrators. */
export async function userSigningIn(db: Executor, email: string): Promise<User> {
  const normalised = email.trim().toLowerCase();
  const administrator = adminEmails().has(normalised);
  return db
    .insertInto("users")
    .values({ email: normalised, role: administrator ? "administrator" : "participant", last_sign_in_at: new Date() })
    .onConflict((oc) =>
      oc.column("email").doUpdateSet((eb) => ({
        last_sign_in_at: new Date(),
        role: administrator ? "administrator" : eb.ref("users.role"),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setPersonTimeZone(db: Executor, userId: number, timezone: string): Promise<void> {
  await db.updateTable("users").set({ timezone }).where("id", "=", userId).execute();
}
