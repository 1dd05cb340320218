import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, signedInWithMeetingRole, startApp } from "./app";

/**
 * The organisers' console beyond who may open each page (authorisation-matrix.test.ts): odd ids,
 * its navigation, unknown meetings, forged and expired sessions, and whose meetings each person sees.
 */
describe("the organisers' console", async () => {
  const { db, build, request } = await startApp();
  const participant = await signedIn(db, "participant@example.org", "participant");
  const organiser = await signedIn(db, "organiser@example.org", "administrator");

  const meeting = await db.selectFrom("meetings").select(["id", "slug"]).where("status", "=", "draft").executeTakeFirstOrThrow();
  const programme = await db.selectFrom("programmes").select("slug").where("parent_id", "is", null).executeTakeFirstOrThrow();
  // The draft has no registrations in the demo data: one, so that its page exists.
  const registration = await db
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      email: "delegate@example.org",
      first_name: "Ana",
      last_name: "Delegate",
      organisation: "Ministry of ICT",
      country: "TH",
      gender: "female",
      category: "government",
      attendance_mode: "in_person",
      status: "pending",
      manage_token_hash: Buffer.alloc(32, 7),
      consent_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  /** A real value for each URL parameter, chosen by the segment before it. */
  const sampleParams: Record<string, string> = { meetings: meeting.slug, programmes: programme.slug, registrations: String(registration.id) };

  function urlFor(routePath: string): string {
    const segments = routePath.split("/").map((segment, index, all) => {
      if (!segment.startsWith(":") && segment !== "*") return segment;
      const value = sampleParams[all[index - 1] ?? ""];
      assert.ok(value, `no sample value for "${segment}" in admin route "${routePath}": add one to sampleParams`);
      return value;
    });
    return `/${segments.join("/")}`;
  }

  // A confirmed delegate of the draft whose travel form asks for a visa support letter, so that the letter exists.
  const applicant = await db
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      email: "visa.applicant@example.org",
      first_name: "Bao",
      last_name: "Applicant",
      organisation: "Ministry of Information and Communications",
      country: "VN",
      gender: "male",
      category: "government",
      attendance_mode: "in_person",
      status: "confirmed",
      manage_token_hash: Buffer.alloc(32, 8),
      consent_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("registration_follow_ups")
    .values({ registration_id: applicant.id, needs_visa_letter: true, passport_name: "Tran Van Bao", passport_nationality: "VN", travel_funding_requested: false })
    .execute();
  sampleParams["visa-letters"] = `${applicant.id}.pdf`;
  // The delegate attended the first day, so that their certificate of attendance (and the meeting's) exists.
  const { starts_on } = await db.selectFrom("meetings").select("starts_on").where("id", "=", meeting.id).executeTakeFirstOrThrow();
  await db.insertInto("check_ins").values({ meeting_id: meeting.id, registration_id: applicant.id, day: starts_on, mode: "in_person", method: "desk", recorded_by: null }).execute();
  sampleParams.certificates = `${applicant.id}.pdf`;
  // An item on the draft's agenda, so that its edit page exists.
  const agendaItem = await db
    .insertInto("agenda_items")
    .values({
      meeting_id: meeting.id,
      title: "Opening",
      kind: "opening",
      starts_local: "2027-01-10T09:00",
      ends_local: "2027-01-10T10:00",
      starts_at: new Date("2027-01-10T02:00:00Z"),
      ends_at: new Date("2027-01-10T03:00:00Z"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  sampleParams.agenda = String(agendaItem.id);
  // A document of the draft, so that its page exists.
  sampleParams.documents = String((await addDocument(db, meeting.id, { files: [{ language: "en", content: await samplePdf("Admin access") }] })).id);

  it("answers ids that are not record numbers (too large for the database, 1e3, -1) with 400 or 404, never 500", async () => {
    const paths = Object.values(build.routes).flatMap((route) => (route.path && /^admin\/.*:id\b/.test(route.path) ? [route.path] : []));
    assert.ok(paths.length >= 6, paths.join(", "));
    for (const path of paths) {
      for (const bad of ["3000000000", "1e3", "-1", "99999999999999999999"]) {
        const url = urlFor(path.replace(":id", bad));
        const { status } = await request(url, { cookie: organiser.cookie });
        assert.ok(status === 400 || status === 404, `${url}: ${status}`);
      }
    }
  });

  // The pages about one meeting (not its downloads) share one navigation, the same on each.
  const meetingPages = Object.values(build.routes).filter(
    (route) => route.path !== undefined && /^admin\/meetings\/:slug(\/|$)/.test(route.path) && typeof route.module.default === "function",
  );
  const meetingDownloads = Object.values(build.routes).filter(
    (route) => route.path !== undefined && /^admin\/meetings\/:slug(\/|$)/.test(route.path) && typeof route.module.default !== "function",
  );

  it("finds the meeting's console pages and downloads in the build", () => {
    const paths = meetingPages.map((route) => route.path);
    for (const path of ["admin/meetings/:slug", "admin/meetings/:slug/registrations", "admin/meetings/:slug/registrations/:id", "admin/meetings/:slug/invitations"]) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(", ")}`);
    }
    assert.ok(meetingDownloads.length >= 4, meetingDownloads.map((route) => route.path).join(", "));
  });

  it("shows the one meeting console navigation on every page about a meeting, Agenda included, the page itself marked", async () => {
    const base = `/admin/meetings/${meeting.slug}`;
    const links = [
      "Meeting",
      "Agenda",
      "Documents",
      "Circulate documents",
      "Registrations",
      "List of participants",
      "Email registrants",
      "Questions",
      "Invitations",
      "Travel and visas",
      "Check-in desk",
      "Online attendance",
      "Attendance",
      "Team",
      "Personal data",
      "Audit log",
    ];
    const hrefs = [
      "",
      "/agenda",
      "/documents",
      "/circulations",
      "/registrations",
      "/participants",
      "/mailings",
      "/questions",
      "/invitations",
      "/follow-ups",
      "/checkin",
      "/attendance/online",
      "/attendance",
      "/team",
      "/personal-data",
      "/audit",
    ].map((path) => base + path);
    for (const route of meetingPages) {
      const url = urlFor(route.path!);
      const { status, body } = await request(url, { cookie: organiser.cookie });
      assert.equal(status, 200, url);
      const navs = body.match(/<nav aria-label="Meeting console"[^>]*>[\s\S]*?<\/nav>/g) ?? [];
      assert.equal(navs.length, 1, `${url}: one meeting console navigation`);
      const items = [...navs[0]!.matchAll(/<li><a ([^>]*)>([^<]+)<\/a><\/li>/g)].map(([, attributes, label]) => ({
        href: /href="([^"]+)"/.exec(attributes!)?.[1],
        label,
        current: attributes!.includes('aria-current="page"'),
      }));
      assert.deepEqual(items.map(({ href, label }) => [href, label]), hrefs.map((href, i) => [href, links[i]]), url);
      const current = items.filter((item) => item.current).map((item) => item.href);
      assert.deepEqual(current, hrefs.includes(url) ? [url] : [], `${url}: the page itself is marked, and only it`);
    }
  });

  it("answers a download for an unknown meeting with 404 in plain words", async () => {
    sampleParams.meetings = "no-such-meeting";
    try {
      for (const route of meetingDownloads) {
        const url = urlFor(route.path!);
        const response = await request(url, { cookie: organiser.cookie });
        assert.equal(response.status, 404, url);
        assert.equal(response.headers.get("Content-Type"), "text/plain; charset=utf-8", url);
        assert.equal(response.body, "Page not found: there is no such meeting.", url);
      }
    } finally {
      sampleParams.meetings = meeting.slug;
    }
  });

  it("does not let in a forged session cookie", async () => {
    const value = organiser.cookie.slice("__session=".length);
    const signed = decodeURIComponent(value);
    const dot = signed.lastIndexOf(".");
    // The organiser's session id with another signature; and an unsigned, made-up id.
    for (const forged of [`${signed.slice(0, dot)}.${"A".repeat(43)}`, Buffer.from(JSON.stringify("A".repeat(43))).toString("base64")]) {
      const response = await request("/admin", { cookie: `__session=${encodeURIComponent(forged)}` });
      assert.equal(response.status, 302, forged);
    }
  });

  it("ends a session that has expired", async () => {
    await db.updateTable("sessions").set({ expires_at: new Date(Date.now() - 1_000) }).where("user_id", "=", participant.userId).execute();
    const expiredParticipant = await request("/admin", { cookie: participant.cookie });
    assert.equal(expiredParticipant.status, 302);
    assert.equal(expiredParticipant.headers.get("Location"), "/login?redirectTo=%2Fadmin");
  });

  it("shows administrators every meeting, drafts included", async () => {
    const response = await request("/admin", { cookie: organiser.cookie });
    assert.equal(response.status, 200);
    const titles = await db.selectFrom("meetings").select("title").execute();
    for (const { title } of titles) assert.ok(response.body.includes(title.replaceAll("'", "&#x27;")), title);
  });

  it("shows a manager only the meetings they manage, and check-in staff only the desk of theirs", async () => {
    const [managed, desk, neither] = await db.selectFrom("meetings").select(["id", "slug", "title"]).orderBy("id").limit(3).execute();
    const manager = await signedInWithMeetingRole(db, "console-manager@example.org", managed!.id, "manager");
    const staff = await signedInWithMeetingRole(db, "console-desk@example.org", desk!.id, "check_in");
    const escaped = (title: string) => title.replaceAll("'", "&#x27;");

    const managerHome = await request("/admin", { cookie: manager.cookie });
    assert.equal(managerHome.status, 200);
    assertBody(managerHome.body, `href="/admin/meetings/${managed!.slug}"`);
    for (const { title } of [desk!, neither!]) assert.ok(!managerHome.body.includes(escaped(title)), title);
    for (const adminOnly of ["/admin/meetings/new", "/admin/programmes", "/admin/administrators"]) assert.ok(!managerHome.body.includes(`href="${adminOnly}"`), adminOnly);

    const staffHome = await request("/admin", { cookie: staff.cookie });
    assert.equal(staffHome.status, 200);
    assertBody(staffHome.body, `href="/admin/meetings/${desk!.slug}/checkin"`);
    assert.ok(!staffHome.body.includes(`href="/admin/meetings/${desk!.slug}"`), "no link to the pages the desk staff cannot open");

    const deskPage = await request(`/admin/meetings/${desk!.slug}/checkin`, { cookie: staff.cookie });
    assert.equal(deskPage.status, 200);
    const nav = /<nav aria-label="Meeting console"[^>]*>[\s\S]*?<\/nav>/.exec(deskPage.body)?.[0] ?? "";
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map(([, href]) => href);
    assert.deepEqual(hrefs, ["/admin", `/admin/meetings/${desk!.slug}/checkin`], "the desk's navigation offers the desk alone");
    assert.ok(!deskPage.body.includes("/registrations"), "no link to the registrations");
    assert.ok(!deskPage.body.includes("Liechtenstein"), "no walk-in form, and no list of countries for it in the page's data");
    const managersDesk = await request(`/admin/meetings/${managed!.slug}/checkin`, { cookie: manager.cookie });
    assert.equal((managersDesk.body.match(/Liechtenstein/g) ?? []).length, 2, "a manager's walk-in form: the country among its options and in the page's data");
  });

  it("shows the Organisers link in the site's navigation to staff and not to participants", async () => {
    const staff = await signedInWithMeetingRole(db, "nav-desk@example.org", (await db.selectFrom("meetings").select("id").executeTakeFirstOrThrow()).id, "check_in");
    const link = /<nav aria-label="Main"[\s\S]*?href="\/admin"[\s\S]*?<\/nav>/;
    assert.match((await request("/meetings", { cookie: staff.cookie })).body, link);
    assert.match((await request("/meetings", { cookie: organiser.cookie })).body, link);
    assert.doesNotMatch((await request("/meetings", { cookie: participant.cookie })).body, link);
  });

  it("lists meetings fifty at a time, latest first, finds them by title or city, and refuses a bad search on its field", async () => {
    // Sixty meetings later than any other, so that they fill the first page and begin the second.
    const added = [];
    for (let n = 1; n <= 60; n++) {
      const startsOn = DateTime.fromISO("2090-01-01").plus({ days: n }).toISODate()!;
      const starts = DateTime.fromISO(startsOn, { zone: "Pacific/Tarawa" });
      const city = n % 20 === 0 ? "Tarawa" : "Suva";
      added.push(await addMeeting(db, { slug: `paging-${n}`, title: `Paging Workshop ${String(n).padStart(2, "0")} 100%`, timezone: "Pacific/Tarawa", starts_on: startsOn, ends_on: startsOn, starts_at: starts.toJSDate(), ends_at: starts.plus({ days: 1 }).toJSDate(), venue_city: city, status: n % 2 ? "draft" : "published" }));
    }
    const total = Number((await db.selectFrom("meetings").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const rows = (body: string) => [...body.matchAll(/<tr><td><a [^>]*href="\/admin\/meetings\/([^"/]+)(?:\/checkin)?"/g)].map(([, slug]) => slug);

    const first = await request("/admin", { cookie: organiser.cookie });
    assert.equal(first.status, 200);
    assertBody(first.body, `Meetings: 1–50 of ${total.toLocaleString("en")}.`);
    assert.deepEqual(rows(first.body), added.slice(10).reverse().map((m) => m.slug), "the fifty latest, latest first");
    assertBody(first.body, `Page 1 of ${Math.ceil(total / 50)}`);
    assertBody(first.body, `href="/admin?page=2"`);

    const second = await request("/admin?page=2", { cookie: organiser.cookie });
    assert.equal(second.status, 200);
    assertBody(second.body, `Meetings: 51–${Math.min(100, total)} of ${total.toLocaleString("en")}.`);
    assert.deepEqual(rows(second.body).slice(0, 10), added.slice(0, 10).reverse().map((m) => m.slug));
    assertBody(second.body, /href="\/admin"[^>]*>← Previous page/);
    assertBody((await request("/admin?page=9999", { cookie: organiser.cookie })).body, `none on this page, of ${total.toLocaleString("en")}`);

    const byCity = await request("/admin?q=tarawa", { cookie: organiser.cookie });
    assertBody(byCity.body, "Meetings whose title or city contains “tarawa”: all 3.");
    assert.deepEqual(rows(byCity.body), ["paging-60", "paging-40", "paging-20"]);
    assert.deepEqual(rows((await request(`/admin?q=${encodeURIComponent("workshop 07")}`, { cookie: organiser.cookie })).body), ["paging-7"]);
    assert.equal(rows((await request(`/admin?q=${encodeURIComponent("100%")}&page=2`, { cookie: organiser.cookie })).body).length, 10, "% is matched as itself, and the search keeps its pages");
    assertBody((await request(`/admin?q=${encodeURIComponent("1_0")}`, { cookie: organiser.cookie })).body, /No meeting&#x27;s title or city contains “1_0”/);

    const tooLong = await request(`/admin?q=${"x".repeat(201)}`, { cookie: organiser.cookie });
    assert.equal(tooLong.status, 400);
    assertBody(tooLong.body, "Search for at most 200 characters");
    assertBody(tooLong.body, new RegExp(`<input[^>]*value="${"x".repeat(201)}"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*value="${"x".repeat(201)}"`), "what was typed is kept, marked");
    for (const page of ["0", "two", "1.5"]) assert.equal((await request(`/admin?page=${page}`, { cookie: organiser.cookie })).status, 400, page);

    const manager = await signedInWithMeetingRole(db, "paging-manager@example.org", added[4]!.id, "manager");
    const managerList = await request("/admin?q=paging", { cookie: manager.cookie });
    assertBody(managerList.body, "all 1.");
    assert.deepEqual(rows(managerList.body), ["paging-5"]);
  });
});
