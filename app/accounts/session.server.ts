import { createCookie, redirect } from "@remix-run/node";
import type { Cookie } from "@remix-run/node";
import type { Kysely } from "kysely";
import { database } from "../../db/connection.server";
import type { Database, User } from "../../db/schema";
import { containsSecret } from "~/lib/redact";
import type { HeaderReader } from "~/lib/plain-answer.server";
import { secureCookies, sessionSecret } from "~/settings.server";
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from "./secret-token.server";

const SESSION_DAYS = 14;

let cookie: Cookie | null = null;

/** The signed session cookie; it holds only a random session id whose row lives in PostgreSQL. */
function sessionCookie(): Cookie {
  cookie ??= createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookies(),
    secrets: [sessionSecret()],
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  });
  return cookie;
}

/** Whether the request carries a session cookie at all (valid or not): answers kept for anonymous visitors are not for it. */
export function carriesSession(request: { headers: HeaderReader }): boolean {
  return /(?:^|;\s*)__session=/.test(request.headers.get("Cookie") ?? "");
}

async function sessionIdFrom(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && looksLikeSecretToken(value) ? value : null;
}

/** Opens a session for the user and returns the `Set-Cookie` header that carries it. */
export async function startSession(db: Kysely<Database>, userId: number): Promise<string> {
  const id = newSecretToken();
  await db
    .insertInto("sessions")
    .values({ id_hash: hashSecretToken(id), user_id: userId, expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000) })
    .execute();
  return sessionCookie().serialize(id);
}

/**
 * Signs the user in with a new session id: a session the browser had before (someone else's, or
 * one planted by another site) is ended, so no id known before signing in is worth anything after.
 */
export async function rotateSession(db: Kysely<Database>, request: Request, userId: number): Promise<string> {
  await endRequestSession(db, request);
  return startSession(db, userId);
}

/** Ends the request's session in the database and returns the `Set-Cookie` header that clears it. */
export async function endSession(request: Request): Promise<string> {
  await endRequestSession(database(), request);
  return clearedSessionCookie();
}

/** "Sign out everywhere": ends every session of the request's user, on every device, this one too. */
export async function endEverySession(request: Request): Promise<string> {
  const user = await signedInUser(request);
  usersOfRequests.delete(request);
  if (user) await database().deleteFrom("sessions").where("user_id", "=", user.id).execute();
  return clearedSessionCookie();
}

async function endRequestSession(db: Kysely<Database>, request: Request): Promise<void> {
  usersOfRequests.delete(request);
  const id = await sessionIdFrom(request);
  if (id) await db.deleteFrom("sessions").where("id_hash", "=", hashSecretToken(id)).execute();
}

function clearedSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** A signed-in user, and whether they were given any meeting to manage or check people in at (read with the session, no statement more). */
export type SignedInUser = User & { has_meeting_roles: boolean };

/** What the site's header shows of the signed-in visitor (the root loader's data). */
export interface HeaderUser {
  email: string;
  /** Whether the header links to the organisers' pages. */
  organiser: boolean;
}

export function headerUser(user: SignedInUser): HeaderUser {
  return { email: user.email, organiser: user.role === "administrator" || user.has_meeting_roles };
}

/** The signed-in user of requests being answered: the root loader and the page's own loader ask for the same request. */
const usersOfRequests = new WeakMap<Request, Promise<SignedInUser | null>>();

export function signedInUser(request: Request): Promise<SignedInUser | null> {
  let user = usersOfRequests.get(request);
  if (!user) {
    user = sessionUser(request);
    usersOfRequests.set(request, user);
  }
  return user;
}

async function sessionUser(request: Request): Promise<SignedInUser | null> {
  const id = await sessionIdFrom(request);
  if (!id) return null;
  const user = await database()
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select((eb) => eb.exists(eb.selectFrom("meeting_roles").select("meeting_id").whereRef("meeting_roles.user_id", "=", "users.id")).$castTo<boolean>().as("has_meeting_roles"))
    .where("sessions.id_hash", "=", hashSecretToken(id))
    .where("sessions.expires_at", ">", new Date())
    .executeTakeFirst();
  return user ?? null;
}

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  // A secret in the address (a badge's reference, scanned by a phone not signed in) is not carried
  // on: the sign-in page would keep it with the emailed link. After signing in, scan again.
  for (const [key, value] of [...url.searchParams]) if (containsSecret(value)) url.searchParams.delete(key);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function requireUser(request: Request): Promise<SignedInUser> {
  const user = await signedInUser(request);
  if (!user) throw signInRedirect(request);
  return user;
}

export function forbidden(message = "This page is for the meeting organisers."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/** Administrators only: anonymous visitors go to the sign-in page, everyone else gets 403. */
export async function requireAdministrator(request: Request): Promise<SignedInUser> {
  const user = await requireUser(request);
  if (user.role !== "administrator") throw forbidden("This page is for the administrators.");
  return user;
}
