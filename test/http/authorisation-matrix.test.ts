import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashSecretToken, newSecretToken } from "../../app/accounts/secret-token.server";
import { startSession } from "../../app/accounts/session.server";
import { issueFeedToken } from "../../app/calendar/personal-feed.server";
import { addDocument, samplePdf } from "../support/documents";
import { assertBody, signedIn, signedInWithMeetingRole, startApp } from "./app";

/**
 * Every route of the build × who asks: the status each person gets, for a GET and (where the route
 * has an action) a POST of an empty form. A route without an entry in MATRIX fails the test: a new
 * route is added with one line saying who may use it.
 */

const PERSONAS = ["anonymous", "participant", "check-in staff of this meeting", "manager of another meeting", "manager of this meeting", "administrator"] as const;
type Persona = (typeof PERSONAS)[number];
/** The status each persona gets, in the order of PERSONAS. */
type Row = readonly [anonymous: number, participant: number, checkIn: number, otherManager: number, manager: number, administrator: number];
type Entry = { GET: Row; POST?: Row };

const everyone = (status: number): Row => [status, status, status, status, status, status];
/** Anonymous visitors sent to sign in, everyone signed in gets `status`. */
const signedInGet = (status: number): Row => [302, status, status, status, status, status];
/** A page of the meeting's console: its managers and administrators. An empty form to its action is refused (400), not acted on. */
const MANAGE: Entry = { GET: [302, 403, 403, 403, 200, 200], POST: [302, 403, 403, 403, 400, 400] };
const MANAGE_DOWNLOAD: Entry = { GET: [302, 403, 403, 403, 200, 200] };
/** The check-in desk: its staff too. */
const DESK: Entry = { GET: [302, 403, 200, 403, 200, 200], POST: [302, 403, 400, 403, 400, 400] };
/** Administrators only. */
const ADMINISTER: Entry = { GET: [302, 403, 403, 403, 403, 200], POST: [302, 403, 403, 403, 403, 400] };

const MATRIX: Record<string, Entry> = {
  // The organisers' console.
  "routes/admin._index": { GET: [302, 403, 200, 200, 200, 200] },
  "routes/admin.administrators": ADMINISTER,
  "routes/admin.audit": { GET: ADMINISTER.GET },
  "routes/admin.meetings.new": ADMINISTER,
  "routes/admin.programmes._index": ADMINISTER,
  "routes/admin.programmes.$slug": ADMINISTER,
  "routes/admin.meetings.$slug": MANAGE,
  "routes/admin.meetings.$slug_.agenda._index": MANAGE,
  "routes/admin.meetings.$slug_.agenda.$id": MANAGE,
  "routes/admin.meetings.$slug_.attendance": MANAGE,
  "routes/admin.meetings.$slug_.attendance[.]csv": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.attendance[.]xlsx": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.attendance_.certificates[.]pdf": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.attendance_.certificates.$id[.]pdf": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.attendance_.online": MANAGE,
  "routes/admin.meetings.$slug_.badges[.]pdf": { GET: DESK.GET },
  "routes/admin.meetings.$slug_.checkin": DESK,
  "routes/admin.meetings.$slug_.circulations": MANAGE,
  "routes/admin.meetings.$slug_.documents": MANAGE,
  "routes/admin.meetings.$slug_.documents_.$id": MANAGE,
  "routes/admin.meetings.$slug_.documents_.$id_.inputs": MANAGE,
  "routes/admin.meetings.$slug_.documents_.$id_.inputs[.]csv": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.documents_.$id_.inputs[.]pdf": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.follow-ups": MANAGE,
  "routes/admin.meetings.$slug_.follow-ups[.]csv": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.invitations": MANAGE,
  "routes/admin.meetings.$slug_.mailings": MANAGE,
  "routes/admin.meetings.$slug_.participants": { GET: MANAGE.GET },
  "routes/admin.meetings.$slug_.questions": MANAGE,
  "routes/admin.meetings.$slug_.registrations": MANAGE,
  "routes/admin.meetings.$slug_.registrations[.]csv": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.registrations[.]xlsx": MANAGE_DOWNLOAD,
  "routes/admin.meetings.$slug_.registrations_.$id": MANAGE,
  "routes/admin.meetings.$slug_.team": MANAGE,
  "routes/admin.meetings.$slug_.audit": { GET: MANAGE.GET },
  "routes/admin.meetings.$slug_.personal-data": MANAGE,
  "routes/admin.meetings.$slug_.visa-letters.$id[.]pdf": MANAGE_DOWNLOAD,
  // Public pages, feeds and the API: the same for everyone.
  "routes/_index": { GET: everyone(200) },
  "routes/meetings._index": { GET: everyone(200) },
  "routes/meetings.$slug._index": { GET: everyone(200) },
  "routes/meetings.$slug.agenda": { GET: everyone(200), POST: [302, 400, 400, 400, 400, 400] },
  "routes/meetings.$slug.calendar[.]ics": { GET: everyone(200) },
  "routes/meetings.$slug.register": { GET: everyone(200), POST: everyone(400) },
  "routes/meetings.$slug.documents._index": { GET: everyone(200) },
  "routes/meetings.$slug.documents.$id": { GET: everyone(200) },
  "routes/meetings.$slug.documents[.]zip": { GET: everyone(200) },
  // Inputs on a public paper: signed-in people read the page; only invitees (nobody here) send one.
  "routes/meetings.$slug.documents_.$id_.inputs": { GET: signedInGet(200), POST: signedInGet(403) },
  "routes/meetings.$slug.documents_.$id_.inputs_.$inputId.file": { GET: signedInGet(404) },
  "routes/meetings.$slug.attend.$token": { GET: everyone(404), POST: everyone(404) },
  "routes/programmes._index": { GET: everyone(200) },
  "routes/programmes.$slug": { GET: everyone(200) },
  "routes/calendar[.]ics": { GET: everyone(200) },
  "routes/feeds.$token.calendar[.]ics": { GET: everyone(200) },
  "routes/api.v1.meetings._index": { GET: everyone(200) },
  "routes/api.v1.meetings.$slug": { GET: everyone(200) },
  "routes/api.$": { GET: everyone(404), POST: everyone(404) },
  "routes/healthz": { GET: everyone(200) },
  "routes/$": { GET: everyone(404) },
  "routes/[_baseline].page": { GET: everyone(200) },
  "routes/[_baseline].resource": { GET: everyone(200) },
  // A registration's own pages: whoever holds its link.
  "routes/registrations.$token._index": { GET: everyone(200), POST: everyone(400) },
  "routes/registrations.$token.follow-up": { GET: everyone(200), POST: everyone(400) },
  "routes/registrations.$token.certificate[.]pdf": { GET: everyone(200) },
  // Links from emails, here with a made-up secret.
  "routes/circulations.$token.unsubscribe": { GET: everyone(404), POST: everyone(404) },
  "routes/follows._index": { GET: everyone(200), POST: everyone(400) },
  "routes/follows.$token._index": { GET: everyone(404), POST: everyone(400) },
  "routes/follows.$token.unsubscribe": { GET: everyone(404), POST: everyone(404) },
  // Signing in and out, and a person's own pages.
  "routes/login._index": { GET: everyone(200), POST: everyone(400) },
  "routes/login.verify": { GET: everyone(200), POST: everyone(400) },
  "routes/logout": { GET: everyone(200), POST: everyone(302) },
  "routes/my._index": { GET: signedInGet(200), POST: signedInGet(400) },
  "routes/my.agenda": { GET: signedInGet(200), POST: signedInGet(400) },
  "routes/my.data[.]json": { GET: signedInGet(200) },
  "routes/my.delete": { GET: signedInGet(200), POST: signedInGet(400) },
  // The development mailbox is not there unless asked for (DEV_MAILBOX or the embedded database).
  "routes/dev.mailbox._index": { GET: everyone(404) },
  "routes/dev.mailbox.$id": { GET: everyone(404) },
};

describe("authorisation matrix: every route × who asks", async () => {
  const { db, build, request } = await startApp();

  // This meeting: a published one with a public paper, so that its public pages answer too.
  const meeting = await db
    .selectFrom("meetings")
    .innerJoin("documents", "documents.meeting_id", "meetings.id")
    .select(["meetings.id", "meetings.slug", "meetings.starts_on", "documents.id as documentId"])
    .where("meetings.status", "=", "published")
    .where("documents.access_level", "=", "public")
    .where("documents.deleted_at", "is", null)
    .orderBy("meetings.starts_at", "desc")
    .executeTakeFirstOrThrow();
  const other = await db.selectFrom("meetings").select("id").where("id", "!=", meeting.id).executeTakeFirstOrThrow();
  const programme = await db.selectFrom("programmes").select("slug").executeTakeFirstOrThrow();

  const people: Record<Persona, number | null> = {
    anonymous: null,
    participant: (await signedIn(db, "matrix-participant@example.org", "participant")).userId,
    "check-in staff of this meeting": (await signedInWithMeetingRole(db, "matrix-desk@example.org", meeting.id, "check_in")).userId,
    "manager of another meeting": (await signedInWithMeetingRole(db, "matrix-other-manager@example.org", other.id, "manager")).userId,
    "manager of this meeting": (await signedInWithMeetingRole(db, "matrix-manager@example.org", meeting.id, "manager")).userId,
    administrator: (await signedIn(db, "matrix-admin@example.org", "administrator")).userId,
  };
  const sessionOf = async (persona: Persona) => {
    const userId = people[persona];
    return userId === null ? null : (await startSession(db, userId)).split(";")[0]!;
  };
  const cookies = Object.fromEntries(await Promise.all(PERSONAS.map(async (persona) => [persona, await sessionOf(persona)]))) as Record<Persona, string | null>;


  // A confirmed delegate with a link of their own, who asked for a visa letter and attended the first day.
  const manageToken = newSecretToken();
  const delegate = await db
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      email: "matrix-delegate@example.org",
      first_name: "Bao",
      last_name: "Delegate",
      organisation: "Ministry of Information and Communications",
      country: "VN",
      gender: "male",
      category: "government",
      attendance_mode: "in_person",
      status: "confirmed",
      manage_token_hash: hashSecretToken(manageToken),
      consent_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("registration_follow_ups")
    .values({ registration_id: delegate.id, needs_visa_letter: true, passport_name: "Tran Van Bao", passport_nationality: "VN", travel_funding_requested: false })
    .execute();
  await db.insertInto("check_ins").values({ meeting_id: meeting.id, registration_id: delegate.id, day: meeting.starts_on, mode: "in_person", method: "desk", recorded_by: null }).execute();
  const agendaItem = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).executeTakeFirst();
  const agendaItemId =
    agendaItem?.id ??
    (await db
      .insertInto("agenda_items")
      .values({ meeting_id: meeting.id, title: "Opening", kind: "opening", starts_local: `${meeting.starts_on}T09:00`, ends_local: `${meeting.starts_on}T10:00`, starts_at: new Date(`${meeting.starts_on}T02:00:00Z`), ends_at: new Date(`${meeting.starts_on}T03:00:00Z`) })
      .returning("id")
      .executeTakeFirstOrThrow()).id;
  const document = await addDocument(db, meeting.id, { files: [{ language: "en", content: await samplePdf("Matrix") }] });
  const feedOwner = await signedIn(db, "matrix-feed@example.org", "participant");
  const madeUpToken = newSecretToken();

  /** A real value for each parameter, by the segment before it and the parameter. */
  const sampleParams: Record<string, string> = {
    "meetings/:slug": meeting.slug,
    "programmes/:slug": programme.slug,
    "registrations/:id": String(delegate.id),
    "registrations/:token": manageToken,
    "agenda/:id": String(agendaItemId),
    "documents/:id": String(document.id),
    "inputs/:inputId": "1",
    "visa-letters/:id.pdf": `${delegate.id}.pdf`,
    "certificates/:id.pdf": `${delegate.id}.pdf`,
    "feeds/:token": await issueFeedToken(db, feedOwner.userId),
    "follows/:token": madeUpToken,
    "circulations/:token": madeUpToken,
    "attend/:token": madeUpToken,
    "mailbox/:id": "1",
    "api/*": "v0/nothing-here",
    "/*": "no-such-page",
  };

  function urlFor(routePath: string, params = sampleParams): string {
    const segments = routePath.split("/").map((segment, index, all) => {
      if (!segment.startsWith(":") && segment !== "*") return segment;
      const key = `${all[index - 1] ?? ""}/${segment}`;
      const value = params[key];
      assert.ok(value, `no sample value for "${key}" in route "${routePath}": add one to sampleParams`);
      return value;
    });
    return `/${segments.join("/")}`;
  }

  const routes = Object.values(build.routes)
    .filter((route) => route.id !== "root")
    .map((route) => ({ id: route.id, path: route.path ?? "", index: route.index === true, hasAction: typeof route.module.action === "function" }))
    .sort((a, b) => a.id.localeCompare(b.id));

  it("has an entry for every route in the build, with a POST row exactly where the route has an action", () => {
    const missing = routes.filter((route) => !MATRIX[route.id]).map((route) => route.id);
    assert.deepEqual(missing, [], `routes without an entry in the authorisation matrix: ${missing.join(", ")}`);
    const postMismatch = routes.filter((route) => MATRIX[route.id] && route.hasAction !== (MATRIX[route.id]!.POST !== undefined)).map((route) => route.id);
    assert.deepEqual(postMismatch, [], `a POST row without an action, or an action without a POST row: ${postMismatch.join(", ")}`);
    const stale = Object.keys(MATRIX).filter((id) => !routes.some((route) => route.id === id));
    assert.deepEqual(stale, [], `entries for routes no longer in the build: ${stale.join(", ")}`);
  });

  for (const route of routes) {
    const entry = MATRIX[route.id];
    if (!entry) continue;
    const url = urlFor(route.path);
    const requests: { method: "GET" | "POST"; url: string; row: Row }[] = [{ method: "GET", url, row: entry.GET }];
    // Remix sends a POST to an index route's action only with ?index.
    if (entry.POST && route.hasAction) requests.push({ method: "POST", url: route.index ? `${url}?index` : url, row: entry.POST });

    for (const { method, url: target, row } of requests) {
      it(`${method} ${target} (${route.id})`, async () => {
        const got: string[] = [];
        for (const [i, persona] of PERSONAS.entries()) {
          // Signing out ends the session: a session of its own for that request.
          const cookie = route.id === "routes/logout" ? await sessionOf(persona) : cookies[persona];
          const response = await request(target, { method, cookie, ...(method === "POST" ? { body: new URLSearchParams() } : {}) });
          got.push(`${persona}: ${response.status}`);
          if (response.status !== row[i]) continue;
          if (route.path.startsWith("admin") && response.status === 302) {
            // Back to the page itself after signing in: Remix's ?index marker is not part of its address.
            assert.equal(response.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(url)}`, `${persona}, ${method} ${target}`);
          }
          if (route.path.startsWith("admin") && response.status === 403) assertBody(response.body, /You do not have access to this page/, `${persona}, ${method} ${target}`);
        }
        assert.deepEqual(got, PERSONAS.map((persona, i) => `${persona}: ${row[i]}`), `${method} ${target}`);
      });
    }
  }

  it("answers a console address for an unknown meeting with 404 to staff, and 403 to people who organise no meeting at all", async () => {
    const unknown = { ...sampleParams, "meetings/:slug": "no-such-meeting" };
    const consolePaths = routes.filter((route) => route.path.startsWith("admin/meetings/:slug")).map((route) => route.path);
    assert.ok(consolePaths.length >= 25, consolePaths.join(", "));
    for (const path of consolePaths) {
      const url = urlFor(path, unknown);
      const got = [];
      for (const persona of PERSONAS) got.push(`${persona}: ${(await request(url, { cookie: cookies[persona] })).status}`);
      assert.deepEqual(got, PERSONAS.map((persona, i) => `${persona}: ${[302, 403, 404, 404, 404, 404][i]}`), url);
    }
  });
});
