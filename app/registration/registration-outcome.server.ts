import { createCookie } from "@remix-run/node";
import type { Cookie } from "@remix-run/node";
import { z } from "zod";
import { secureCookies, sessionSecret } from "~/settings.server";

/**
 * What a registration form's POST answered, carried to the thank-you page it redirects to (post,
 * redirect, get): a refresh or Back then shows the thanks again instead of sending the form, and a
 * second manage-link email, once more. A signed cookie for that meeting's registration address only,
 * kept ten minutes: long enough to refresh, short enough that a shared computer soon forgets whom it
 * thanked.
 */

const outcomeSchema = z.object({
  meetingId: z.number().int(),
  outcome: z.enum(["confirmed", "waitlisted", "pending", "already-registered"]),
  email: z.string().max(320),
});
type RegistrationThanks = z.infer<typeof outcomeSchema>;

/** The thank-you page's address: the form's own, marked. */
export function thanksAddress(slug: string): string {
  return `/meetings/${slug}/register?registered=1`;
}

let cookie: Cookie | null = null;

function outcomeCookie(): Cookie {
  cookie ??= createCookie("registration_outcome", {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    secrets: [sessionSecret()],
    maxAge: 10 * 60,
  });
  return cookie;
}

/** The `Set-Cookie` header that carries the outcome to the meeting's thank-you page. */
export function rememberOutcome(slug: string, thanks: RegistrationThanks): Promise<string> {
  return outcomeCookie().serialize(thanks, { path: `/meetings/${slug}/register` });
}

/** The outcome the browser carries for this meeting, or null (none, expired, forged or another meeting's). */
export async function rememberedOutcome(request: Request, meetingId: number): Promise<RegistrationThanks | null> {
  const parsed = outcomeSchema.safeParse(await outcomeCookie().parse(request.headers.get("Cookie")));
  return parsed.success && parsed.data.meetingId === meetingId ? parsed.data : null;
}
