import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { DAY, addMeeting, emailsTo, manageToken, registeredRedirect, registrationBody, registrationOf, rowCounts } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** Registration through the built app: the public form, the manage link and /my. */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const MINISTERIAL = "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific";
const DRAFT = "asia-pacific-digital-ministers-roundtable";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

/** The HTML-escaped text as React writes it in an attribute or text. */
function html(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** The element with this id and the message React renders in it (an error next to its field). */
function fieldError(body: string, field: string): string | undefined {
  return new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(body)?.[1];
}

describe("registration through the app", async () => {
  const app = await startApp();
  const { db } = app;
  /** The thanks a registration redirected to, without the `<!-- -->` React puts between adjacent texts. */
  async function thanksPage(answer: Awaited<ReturnType<typeof request>>, cookie?: string) {
    const page = await app.thanksPage(answer, cookie);
    return { ...page, body: page.body.replaceAll("<!-- -->", "") };
  }
  /** The app's answer, its body without the `<!-- -->` React puts between adjacent texts. */
  async function request(url: string, init?: Parameters<typeof app.request>[1]) {
    const response = await app.request(url, init);
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  }
  const workshop = await db.selectFrom("meetings").selectAll().where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();

  function post(url: string, body: URLSearchParams, cookie?: string) {
    return request(url, { method: "POST", headers: FORM, body, cookie });
  }

  it("shows the form with a label for each field", async () => {
    const page = await request(`/meetings/${WORKSHOP}/register`);
    assert.equal(page.status, 200);
    assertBody(page.body, "Regional Workshop on Rural Connectivity and Community Networks");
    assertBody(page.body, /Registration open/);
    for (const [id, label] of [
      ["email", "Email address"],
      ["salutation", "Salutation"],
      ["firstName", "First name"],
      ["lastName", "Last name"],
      ["organisation", "Organisation"],
      ["jobTitle", "Job title"],
      ["country", "Country"],
      ["category", "Participating as"],
      ["gender", "Gender"],
      ["needs", "Accessibility or dietary needs"],
      ["timezone", "Your time zone"],
    ]) {
      assertBody(page.body, new RegExp(`<label for="${id}">${label}`), `the label of ${id}`);
      assertBody(page.body, new RegExp(`<(input|select|textarea)[^>]* id="${id}"`), `the input of ${id}`);
    }
    assertBody(page.body, /I\s+accept the privacy notice/);
    assertBody(page.body, /<option value="IN">India<\/option>/, "countries by name");
    assert.ok(!page.body.includes('for="attendanceMode"'), "an in-person meeting does not ask how you attend");
    assert.ok(!page.body.includes('name="invitationCode"'), "an open meeting asks for no code");

    const hybrid = await request(`/meetings/${EGM}/register`);
    assert.equal(hybrid.status, 200);
    assertBody(hybrid.body, /<label for="attendanceMode">I will attend/, "a hybrid meeting asks how you attend");
    assertBody(hybrid.body, /subject to approval/);

    const invitation = await request(`/meetings/${MINISTERIAL}/register`);
    assert.equal(invitation.status, 200);
    assertBody(invitation.body, /<label for="invitationCode">Invitation code/);
  });

  it("refuses bad input with 400, each message next to its field and the typed values kept, storing nothing", async () => {
    const before = await rowCounts(db, workshop.id);
    const mailBefore = await db.selectFrom("outbox").select("id").execute();
    const typed = {
      email: "not-an-email",
      firstName: "Nguyễn <Thị> \"Lan\"",
      lastName: "",
      organisation: "Ministry of Information & Communications",
      jobTitle: "x".repeat(201),
      country: "XX",
      gender: "robot",
      category: "government",
      needs: "Wheelchair access, vegetarian meals",
      consent: undefined,
    };
    const page = await post(`/meetings/${WORKSHOP}/register`, registrationBody(typed));
    assert.equal(page.status, 400);
    assertBody(page.body, /Please correct these 6 fields/);
    assert.match(fieldError(page.body, "email") ?? "", /An email address/);
    assert.match(fieldError(page.body, "lastName") ?? "", /Give your last name/);
    assert.match(fieldError(page.body, "jobTitle") ?? "", /At most 200 characters/);
    assert.match(fieldError(page.body, "country") ?? "", /Choose your country from the list/);
    assert.match(fieldError(page.body, "gender") ?? "", /Choose one/);
    assertBody(page.body, /Please accept the privacy notice to register/);
    assert.equal(fieldError(page.body, "firstName"), undefined, "a good field has no error");
    assertBody(page.body, /<input[^>]*id="email"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*id="email"/);
    // What was typed is back in the form, escaped.
    assertBody(page.body, `value="not-an-email"`);
    assertBody(page.body, `value="${html(typed.firstName)}"`);
    assertBody(page.body, `value="${html(typed.organisation)}"`);
    assertBody(page.body, `value="${"x".repeat(201)}"`);
    assertBody(page.body, /<option value="government" selected="">Government<\/option>/);
    assertBody(page.body, />Wheelchair access, vegetarian meals<\/textarea>/);
    assert.ok(!page.body.includes(typed.firstName), "never unescaped");
    // Nothing stored, nothing sent.
    assert.deepEqual(await rowCounts(db, workshop.id), before);
    assert.equal((await db.selectFrom("outbox").select("id").execute()).length, mailBefore.length);
  });

  it("refuses a missing attendance mode at a hybrid meeting and a missing code at an invitation-only one", async () => {
    const hybrid = await post(`/meetings/${EGM}/register`, registrationBody({ email: "hybrid-missing@example.org" }));
    assert.equal(hybrid.status, 400);
    assert.match(fieldError(hybrid.body, "attendanceMode") ?? "", /in person or online/);

    const invitation = await post(`/meetings/${MINISTERIAL}/register`, registrationBody({ email: "no-code@example.org" }));
    assert.equal(invitation.status, 400);
    assert.match(fieldError(invitation.body, "invitationCode") ?? "", /by invitation/);
    assert.equal((await emailsTo(db, "no-code@example.org")).length, 0);
  });

  it("registers good input: 303 to the thanks, one row and its confirmation email; a refresh sends nothing again", async () => {
    const email = "thanks@example.org";
    const posted = await post(`/meetings/${WORKSHOP}/register`, registrationBody({ email: "Thanks@Example.org" }));
    const thanks = registeredRedirect(posted);
    assert.equal(thanks.location, `/meetings/${WORKSHOP}/register?registered=1`);
    const setCookie = posted.headers.get("Set-Cookie") ?? "";
    assert.match(setCookie, new RegExp(`Path=/meetings/${WORKSHOP}/register;`), "the outcome is for this meeting's form only");
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Max-Age=600/);
    const page = await thanksPage(posted);
    assert.equal(page.status, 200);
    assertBody(page.body, "Thank you for registering.");
    assertBody(page.body, "Your place is confirmed.");
    assertBody(page.body, email);
    assertBody(page.body, `href="/meetings/${WORKSHOP}/register">Register another person`);
    assert.ok(!page.body.includes('name="firstName"'), "the thanks, not the form");
    const registration = await registrationOf(db, workshop.id, email);
    assert.equal(registration.status, "confirmed");
    assert.equal(registration.attendance_mode, "in_person");
    const mail = await emailsTo(db, email);
    assert.equal(mail.length, 1);
    assert.match(mail[0]?.subject ?? "", /^Registration confirmed: Regional Workshop/);

    // A refresh of the thanks shows it again and sends nothing; without the cookie (or with another meeting's) it is the form.
    assertBody((await request(thanks.location, { cookie: thanks.cookie })).body.replaceAll("<!-- -->", ""), "Thank you for registering.");
    assert.equal((await emailsTo(db, email)).length, 1);
    const elsewhere = await request(thanks.location);
    assertBody(elsewhere.body, 'name="firstName"');
    assert.ok(!elsewhere.body.includes("Thank you for registering"));
    assert.ok(!(await request(`/meetings/${EGM}/register?registered=1`, { cookie: thanks.cookie })).body.includes("Thank you"), "another meeting's outcome is not shown");
    const forged = thanks.cookie.replace(/=([A-Za-z0-9])/, (_, c: string) => `=${c === "A" ? "B" : "A"}`);
    assert.ok(!(await request(thanks.location, { cookie: forged })).body.includes("Thank you"), "a forged outcome is not shown");

    const again = await thanksPage(await post(`/meetings/${WORKSHOP}/register`, registrationBody({ email })));
    assertBody(again.body, `${email} is already registered for this meeting.`);
    assert.equal((await emailsTo(db, email)).length, 2, "the manage link is sent again");

    const moderated = await thanksPage(await post(`/meetings/${EGM}/register`, registrationBody({ email: "pending@example.org", attendanceMode: "online" })));
    assertBody(moderated.body, "Your registration is pending");
  });

  it("answers 404 for a draft's or an unknown meeting's registration", async () => {
    for (const slug of [DRAFT, "no-such-meeting"]) {
      assert.equal((await request(`/meetings/${slug}/register`)).status, 404, slug);
      assert.equal((await post(`/meetings/${slug}/register`, registrationBody({ email: "draft@example.org" }))).status, 404, slug);
    }
    assert.equal((await emailsTo(db, "draft@example.org")).length, 0);
  });

  it("says when registration opens, or that it closed, instead of the form", async () => {
    const opensAt = new Date(Date.now() + 3 * DAY);
    const notYet = await addMeeting(db, { registration_opens_at: opensAt, timezone: "Asia/Kolkata" });
    const page = await request(`/meetings/${notYet.slug}/register`);
    assert.equal(page.status, 200);
    const when = DateTime.fromJSDate(opensAt, { zone: "Asia/Kolkata" });
    assertBody(page.body, "Registration opens");
    assertBody(page.body, when.toFormat("HH:mm"), "the opening time in the meeting's zone");
    assertBody(page.body, when.toFormat("d LLL yyyy"));
    assert.ok(!page.body.includes('name="email"'), "no form");

    const over = await addMeeting(db, { registration_opens_at: new Date(Date.now() - 10 * DAY), registration_closes_at: new Date(Date.now() - DAY) });
    const closed = await request(`/meetings/${over.slug}/register`);
    assert.equal(closed.status, 200);
    assertBody(closed.body, "Registration closed");
    assert.ok(!closed.body.includes('name="email"'), "no form");

    const late = await post(`/meetings/${over.slug}/register`, registrationBody({ email: "late@example.org" }));
    assert.equal(late.status, 409, "a form posted after closing is refused");
    assertBody(late.body, "Registration closed");
    assert.deepEqual(await rowCounts(db, over.id), { pending: 0, confirmed: 0, waitlisted: 0, declined: 0, cancelled: 0 });
  });

  it("opens the registration with the emailed manage link: view, refuse bad changes, save, cancel", async () => {
    const email = "manage@example.org";
    await post(`/meetings/${WORKSHOP}/register`, registrationBody({ email, jobTitle: "Engineer" }));
    const [confirmation] = await emailsTo(db, email);
    const token = manageToken(confirmation?.text ?? "");
    const link = `/registrations/${token}`;

    const page = await request(link);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("Referrer-Policy"), "no-referrer");
    assert.match(page.headers.get("Cache-Control") ?? "", /no-store/);
    assertBody(page.body, "Your registration");
    assertBody(page.body, email);
    assertBody(page.body, "Confirmed");
    assertBody(page.body, `value="Engineer"`);

    const bad = await post(link, registrationBody({ email: undefined, consent: undefined, intent: "save", country: "XX", jobTitle: "Senior engineer" }));
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("Referrer-Policy"), "no-referrer");
    assert.match(fieldError(bad.body, "country") ?? "", /Choose your country from the list/);
    assertBody(bad.body, `value="Senior engineer"`, "the typed value is kept");
    assert.equal((await registrationOf(db, workshop.id, email)).job_title, "Engineer", "nothing saved");

    const saved = await post(link, registrationBody({ email: undefined, consent: undefined, intent: "save", jobTitle: "Senior engineer" }));
    assert.equal(saved.status, 200);
    assertBody(saved.body, "Your changes are saved.");
    assert.equal((await registrationOf(db, workshop.id, email)).job_title, "Senior engineer");

    const mailBefore = (await emailsTo(db, email)).length;
    const cancelled = await post(link, new URLSearchParams({ intent: "cancel" }));
    assert.equal(cancelled.status, 200);
    assertBody(cancelled.body, "Your registration is cancelled.");
    assert.equal((await registrationOf(db, workshop.id, email)).status, "cancelled");
    const mail = await emailsTo(db, email);
    assert.equal(mail.length, mailBefore + 1);
    assert.match(mail.at(-1)?.subject ?? "", /^Registration cancelled: /);
    assert.doesNotMatch(mail.at(-1)?.text ?? "", /\/registrations\//);

    // Afterwards the page shows the cancelled registration and offers no changes.
    const after = await request(link);
    assert.equal(after.status, 200);
    assertBody(after.body, "Cancelled");
    assert.ok(!after.body.includes("Save changes"));
    const noChange = await post(link, registrationBody({ email: undefined, consent: undefined, intent: "save" }));
    assert.equal(noChange.status, 409);
  });

  it("answers 404 for an unknown or malformed manage link", async () => {
    for (const token of ["A".repeat(43), "not-a-token", "x".repeat(200)]) {
      const page = await request(`/registrations/${token}`);
      assert.equal(page.status, 404, token);
      assert.equal(page.headers.get("Referrer-Policy"), "no-referrer", "the error page is private too");
      assert.equal((await post(`/registrations/${token}`, new URLSearchParams({ intent: "cancel" }))).status, 404, token);
    }
  });

  it("/my needs sign-in, lists the person's registrations, and opens one with a fresh manage link", async () => {
    const anonymous = await request("/my");
    assert.ok([302, 303].includes(anonymous.status), `status ${anonymous.status}`);
    assert.equal(anonymous.headers.get("Location"), "/login?redirectTo=%2Fmy");

    const email = "my-person@example.org";
    await post(`/meetings/${WORKSHOP}/register`, registrationBody({ email }));
    await post(`/meetings/${EGM}/register`, registrationBody({ email, attendanceMode: "in_person" }));
    const { cookie } = await signedIn(db, email, "participant");
    const page = await request("/my", { cookie });
    assert.equal(page.status, 200);
    assertBody(page.body, "My registrations");
    assertBody(page.body, "Regional Workshop on Rural Connectivity and Community Networks");
    assertBody(page.body, "Expert Group Meeting on e-Resilience and Disaster Risk Reduction");
    assertBody(page.body, /Status: <strong>Confirmed<\/strong>/);
    assertBody(page.body, /Status: <strong>Pending<\/strong>/);
    assert.ok(!page.body.includes("thanks@example.org"), "only the person's own");

    const mine = await registrationOf(db, workshop.id, email);
    const redirect = await post("/my", new URLSearchParams({ intent: "manage", registration: String(mine.id) }), cookie);
    assert.ok([302, 303].includes(redirect.status), `status ${redirect.status}`);
    const location = redirect.headers.get("Location") ?? "";
    assert.match(location, /^\/registrations\/[A-Za-z0-9_-]{43}$/);
    const manage = await request(location);
    assert.equal(manage.status, 200);
    assertBody(manage.body, email);

    // Someone else's registration is not theirs to open.
    const other = await registrationOf(db, workshop.id, "thanks@example.org");
    assert.equal((await post("/my", new URLSearchParams({ intent: "manage", registration: String(other.id) }), cookie)).status, 404);
    assert.ok([302, 303].includes((await post("/my", new URLSearchParams({ intent: "manage", registration: String(mine.id) }))).status), "anonymous POST goes to sign-in");
  });
});
