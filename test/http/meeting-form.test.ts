import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertBody, meetingFields, signedIn, startApp } from "./app";

describe("the organisers' meeting form", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const countMeetings = async () =>
    Number((await db.selectFrom("meetings").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  const post = (url: string, body: URLSearchParams) => request(url, { method: "POST", body, cookie: organiser.cookie });

  it("shows the form to an organiser", async () => {
    const page = await request("/admin/meetings/new", { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    for (const name of ["title", "kind", "mode", "timezone", "startsOn", "endsOn", "venueCity", "venueCountry", "registrationPolicy", "capacity"]) {
      assertBody(page.body, new RegExp(`name="${name}"`), name);
    }
  });

  it("refuses invalid input with 400, each field's message, and what was typed", async () => {
    const before = await countMeetings();
    const page = await post(
      "/admin/meetings/new",
      meetingFields({
        title: "Typed Title Kept After Refusal",
        timezone: "Mars/Olympus",
        venueCity: "",
        venueCountry: "XX",
        contactEmail: "not-an-address",
        capacity: "0",
      }),
    );
    assert.equal(page.status, 400);
    assert.match(page.headers.get("Content-Type") ?? "", /^text\/html/);
    for (const message of [
      "Not a time zone: use Area/City, e.g. Asia/Bangkok",
      "Where does it take place? Give the city",
      "Choose a country from the list",
      "An email address, e.g. meetings@example.org",
      "At least 1",
    ]) {
      assert.ok(page.body.includes(message), message);
    }
    assertBody(page.body, /Please correct (<!-- -->)?these 5 fields/);
    assertBody(page.body, /<input[^>]*name="title"[^>]*value="Typed Title Kept After Refusal"/);
    assertBody(page.body, /<input[^>]*name="timezone"[^>]*value="Mars\/Olympus"/);
    assertBody(page.body, /aria-invalid="true"/);
    assert.equal(await countMeetings(), before, "nothing saved");
  });

  it("asks which one of a time that happens twice, and saves the one chosen", async () => {
    const fields = meetingFields({
      title: "Geneva Expert Meeting",
      timezone: "Europe/Zurich",
      startsOn: "2026-11-10",
      endsOn: "2026-11-11",
      venueCity: "Geneva",
      venueCountry: "CH",
      registrationOpensAt: "2026-10-25T02:30",
    });
    const asked = await post("/admin/meetings/new", fields);
    assert.equal(asked.status, 400);
    assertBody(asked.body, /happens twice in Europe\/Zurich/);
    assertBody(asked.body, /<input[^>]*name="registrationOpensAtSide"[^>]*value="earlier"/);
    assertBody(asked.body, /<input[^>]*name="registrationOpensAtSide"[^>]*value="later"/);

    fields.set("registrationOpensAtSide", "later");
    const saved = await post("/admin/meetings/new", fields);
    assert.equal(saved.status, 302);
    const row = await db.selectFrom("meetings").selectAll().where("slug", "=", "geneva-expert-meeting").executeTakeFirstOrThrow();
    assert.equal(row.registration_opens_local, "2026-10-25T02:30");
    assert.equal(row.registration_opens_at?.toISOString(), "2026-10-25T01:30:00.000Z");
  });

  it("saves a valid meeting as a draft and goes to its page", async () => {
    const before = await countMeetings();
    const response = await post("/admin/meetings/new", meetingFields({ timezone: "Asia/Calcutta", venueCity: "New Delhi", venueCountry: "in" }));
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("Location"), "/admin/meetings/subregional-workshop-on-spectrum-policy?saved=created");
    assert.equal(await countMeetings(), before + 1);

    const row = await db
      .selectFrom("meetings")
      .innerJoin("programmes", "programmes.id", "meetings.programme_id")
      .selectAll("meetings")
      .select("programmes.slug as programme_slug")
      .where("meetings.slug", "=", "subregional-workshop-on-spectrum-policy")
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "draft");
    assert.equal(row.title, "Subregional Workshop on Spectrum Policy");
    assert.equal(row.timezone, "Asia/Kolkata");
    assert.equal(row.venue_country, "IN");
    assert.equal(row.starts_on, "2027-02-09");
    assert.equal(row.starts_at.toISOString(), "2027-02-08T18:30:00.000Z");
    assert.equal(row.capacity, 50);
    assert.equal(row.registration_policy, "moderated");
    assert.equal(row.programme_slug, "apis-working-group-1-connectivity-for-all");
    assert.equal(row.created_by, organiser.userId);
    assert.equal(row.published_at, null);

    const page = await request("/admin/meetings/subregional-workshop-on-spectrum-policy?saved=created", { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    assertBody(page.body, /Meeting created as a draft\./);
    assert.equal((await request("/meetings/subregional-workshop-on-spectrum-policy")).status, 404, "a draft is not public");

    const again = await post("/admin/meetings/new", meetingFields());
    assert.equal(again.headers.get("Location"), "/admin/meetings/subregional-workshop-on-spectrum-policy-2?saved=created");
  });

  it("publishes a draft from its page, and refuses to unpublish a draft", async () => {
    const slug = "subregional-workshop-on-spectrum-policy";
    await db.updateTable("meetings").set({ status: "draft" }).where("slug", "=", slug).execute();
    const refused = await post(`/admin/meetings/${slug}`, new URLSearchParams({ intent: "unpublish" }));
    assert.equal(refused.status, 409);

    const published = await post(`/admin/meetings/${slug}`, new URLSearchParams({ intent: "publish" }));
    assert.equal(published.status, 302);
    assert.equal(published.headers.get("Location"), `/admin/meetings/${slug}?saved=publish`);
    assert.equal((await request(`/meetings/${slug}`)).status, 200, "now public");
    const api = (await request(`/api/v1/meetings/${slug}`)).json() as { status: string };
    assert.equal(api.status, "published");
  });
});
