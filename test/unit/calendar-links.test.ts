import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { googleEventUrl, googleSubscribeUrl, outlookEventUrl, outlookSubscribeUrl, webcalUrl } from "../../app/calendar/calendar-links";

describe("calendar links", () => {
  const feed = "https://meetings.example.org/calendar.ics?programme=apis";

  it("subscribes with webcal:// and the providers' own pages", () => {
    assert.equal(webcalUrl(feed), "webcal://meetings.example.org/calendar.ics?programme=apis");
    assert.equal(webcalUrl("http://localhost:3000/calendar.ics"), "webcal://localhost:3000/calendar.ics");
    assert.equal(new URL(googleSubscribeUrl(feed)).searchParams.get("cid"), "webcal://meetings.example.org/calendar.ics?programme=apis");
    const outlook = new URL(outlookSubscribeUrl(feed, "Meetings: APIS"));
    assert.equal(outlook.searchParams.get("url"), feed);
    assert.equal(outlook.searchParams.get("name"), "Meetings: APIS");
  });

  it("prefills a timed event in UTC", () => {
    const event = {
      title: "Opening session",
      details: "Chair: Ms A",
      location: "Conference Room 1, Bangkok",
      when: { startsAt: "2026-12-01T02:00:00Z", endsAt: "2026-12-01T03:30:00Z" },
    };
    const google = new URL(googleEventUrl(event));
    assert.equal(google.searchParams.get("dates"), "20261201T020000Z/20261201T033000Z");
    assert.equal(google.searchParams.get("text"), "Opening session");
    const outlook = new URL(outlookEventUrl(event));
    assert.equal(outlook.searchParams.get("startdt"), "2026-12-01T02:00:00Z");
    assert.equal(outlook.searchParams.get("allday"), "false");
  });

  it("prefills an all-day span with an exclusive end, across months and years, whatever the process zone", () => {
    const event = { title: "Ministerial", details: "", location: "Bangkok", when: { firstDay: "2026-12-30", lastDay: "2026-12-31" } };
    assert.equal(new URL(googleEventUrl(event)).searchParams.get("dates"), "20261230/20270101");
    const outlook = new URL(outlookEventUrl({ ...event, when: { firstDay: "2027-02-27", lastDay: "2027-02-28" } }));
    assert.equal(outlook.searchParams.get("enddt"), "2027-03-01");
    assert.equal(outlook.searchParams.get("allday"), "true");
  });
});
