import type { Kysely } from "kysely";
import type { Database, User } from "../../db/schema";
import { enqueueEmail } from "../../emails/outbox.server";
import { signInLinkEmail } from "../../emails/sign-in-link";
import { appUrl } from "~/settings.server";
import { hasMeetingRoles, isAdministrator } from "./roles.server";
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from "./secret-token.server";
import { userSigningIn } from "./users.server";

export const SIGN_IN_LINK_MINUTES = 15;

/** Only paths on this site: "/admin" yes, "//evil.example" or "https://…" no. */
export function safeRedirectPath(to: string | null | undefined, fallback = "/"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** Stores a single-use token (hashed) and queues the email with the link, in one transaction. */
export async function sendSignInLink(db: Kysely<Database>, email: string, redirectTo: string | null): Promise<void> {
  const token = newSecretToken();
  const link = `${appUrl()}/login/verify?token=${token}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("login_tokens")
      .values({
        token_hash: hashSecretToken(token),
        email: email.trim().toLowerCase(),
        redirect_to: redirectTo,
        expires_at: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60_000),
      })
      .execute();
    await enqueueEmail(trx, {
      to: email,
      template: "sign-in-link",
      content: signInLinkEmail({ link, minutesValid: SIGN_IN_LINK_MINUTES }),
    });
  });
}

/** The email a still-valid link is for, without using it up (mail scanners open links too). */
export async function signInLinkEmailAddress(db: Kysely<Database>, token: string | null): Promise<string | null> {
  if (!looksLikeSecretToken(token)) return null;
  const row = await db
    .selectFrom("login_tokens")
    .select("email")
    .where("token_hash", "=", hashSecretToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return row?.email ?? null;
}

/** Uses the link up (atomically: a second use finds nothing) and returns who signed in. */
export async function redeemSignInLink(
  db: Kysely<Database>,
  token: string | null,
): Promise<{ user: User; redirectTo: string } | null> {
  if (!looksLikeSecretToken(token)) return null;
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable("login_tokens")
      .set({ used_at: new Date() })
      .where("token_hash", "=", hashSecretToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", new Date())
      .returning(["email", "redirect_to"])
      .executeTakeFirst();
    if (!used) return null;
    const user = await userSigningIn(trx, used.email);
    const organiser = isAdministrator(user) || (await hasMeetingRoles(trx, user.id));
    return { user, redirectTo: safeRedirectPath(used.redirect_to, organiser ? "/admin" : "/") };
  });
}
