import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { selfCheckInUrl } from "../../app/attendance/check-in-reference.server";
import { AGENDA_ITEM_KINDS, GENDERS, MEETING_KINDS, PARTICIPANT_CATEGORIES } from "../../db/schema";
import { SALUTATIONS } from "../../app/registration/labels";
import { samplePdf } from "../support/documents";
import { manageToken, registeredRedirect, registrationFields } from "../support/registration";
import { signedIn, startApp } from "./app";

/**
 * Property-based fuzzing (fast-check) of every public form and API input: arbitrary strings
 * (any Unicode, lone surrogates, NUL, huge values, malformed percent-escapes), fields missing or
 * repeated, and bodies of the wrong content type or malformed. The app must never answer 5xx
 * (and startApp's request() fails on any stack trace). A failure prints fast-check's seed and
 * path; `FUZZ_SEED=<seed>` replays it, `FUZZ_RUNS=<n>` changes the number of runs.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const settings = { numRuns: RUNS, seed: SEED };
const HOST = { Origin: "http://localhost:3000", Host: "localhost:3000" };

const TRICKY = [
  "", " ", "\u0000", "\uD800", "\uFEFF", "x".repeat(100_000), "%", "%zz", "%ff%fe", "%00", "null", "undefined", "-1", "0", "1e309", "NaN",
  "Infinity", "2147483648", "9007199254740993", "[]", "{}", "__proto__", "constructor", "../../etc/passwd", "<script>alert(1)</script>",
  "'; drop table users; --", "Asia/Bangkok", "Etc/GMT+14", "2026-02-30", "2026-12-01T25:61", "\r\n\r\n", "😀".repeat(300), "ﷺ", "e\u0301",
];

/** Any text a client could send: Unicode of every kind, lone surrogates, tricky constants, numbers, and the app's own valid values. */
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(...TRICKY),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(...MEETING_KINDS, ...GENDERS, ...PARTICIPANT_CATEGORIES, ...SALUTATIONS, ...AGENDA_ITEM_KINDS, "TH", "in_person", "online", "yes", "on"),
);

/** Raw bits of a URL, not escaped: malformed percent-escapes, separators and dots. */
const rawUrlPiece = fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%2e%2e%2f", "..", ";", "&&", "==", "#", "?", "+", "%00", "%uD800", "%F0%9F%98");

/** A query string over `keys` (and others): values arbitrary, keys repeated or unknown, sometimes raw garbage appended. */
function query(keys: string[]) {
  return fc
    .tuple(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), text), { maxLength: 6 }), fc.option(rawUrlPiece))
    .map(([pairs, raw]) => `?${new URLSearchParams(pairs).toString()}${raw ? `&${raw}` : ""}`);
}

/** A path segment: escaped arbitrary text, or raw pieces a client may send unescaped. */
const segment = fc.oneof(
  text.map((value) => new URLSearchParams({ s: value }).toString().slice(2) || "x"),
  rawUrlPiece,
  fc.constantFrom("0", "-1", "1e3", "99999999999999999999", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
);

type Field = string | string[] | undefined;

/** A form near `valid`: each field kept, dropped, replaced by arbitrary text or repeated; sometimes unknown fields added. */
function formNear(valid: Record<string, string>) {
  const fields = Object.fromEntries(
    Object.entries(valid).map(([name, value]) => [
      name,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<Field>(value) },
        { weight: 1, arbitrary: fc.constant<Field>(undefined) },
        { weight: 3, arbitrary: text.map<Field>((t) => t) },
        { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }).map<Field>((values) => values) },
      ),
    ]),
  );
  return fc.tuple(fc.record(fields), fc.array(fc.tuple(fc.string({ maxLength: 10 }), text), { maxLength: 2 })).map(([record, extra]) => {
    const pairs: [string, string][] = [];
    for (const [name, value] of Object.entries(record)) for (const one of [value ?? []].flat()) pairs.push([name, one]);
    return [...pairs, ...extra];
  });
}

/** The same fields sent as a browser would, as multipart, as JSON or text, or as a malformed or untyped body. */
function body(pairs: fc.Arbitrary<[string, string][]>) {
  return fc.tuple(pairs, fc.constantFrom("urlencoded", "multipart", "json", "text", "garbage", "untyped", "empty")).map(([fields, kind]): RequestInit => {
    const encoded = new URLSearchParams(fields);
    switch (kind) {
      case "urlencoded":
        return { body: encoded, headers: HOST };
      case "multipart": {
        const form = new FormData();
        for (const [name, value] of fields) form.append(name, value);
        return { body: form, headers: HOST };
      }
      case "json":
        return { body: JSON.stringify(Object.fromEntries(fields)), headers: { ...HOST, "Content-Type": "application/json" } };
      case "text":
        return { body: encoded.toString(), headers: { ...HOST, "Content-Type": "text/plain" } };
      case "garbage":
        return { body: `%%${encoded.toString()}&=&%zz=%E0%A4%A&&`, headers: { ...HOST, "Content-Type": "application/x-www-form-urlencoded; charset=ebcdic" } };
      case "untyped":
        return { body: new Blob([encoded.toString()]), headers: HOST };
      case "empty":
        return { headers: { ...HOST, "Content-Type": "multipart/form-data; boundary=nothing" }, body: "--nothing\r\nContent-Disposition: form-data; name=\"x\"" };
    }
    throw new Error(kind);
  });
}

describe("fuzzing every public form and API input", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "fuzz-organiser@example.org", "administrator");
  const meeting = await db.selectFrom("meetings").selectAll().where("slug", "=", "regional-workshop-on-rural-connectivity-and-community-networks").executeTakeFirstOrThrow();
  const slug = meeting.slug;

  // The meeting asks two questions of its own, added through the organisers' form.
  for (const question of <Record<string, string>[]>[
    { intent: "add", label: "Which field visit?", kind: "single_choice", options: "Village network\nIXP", required: "on" },
    { intent: "add", label: "Anything else?", kind: "long_text" },
  ]) {
    assert.equal((await request(`/admin/meetings/${slug}/questions`, { method: "POST", body: new URLSearchParams(question), cookie: organiser.cookie, headers: HOST })).status, 302);
  }
  const questions = await db.selectFrom("registration_questions").select("id").where("meeting_id", "=", meeting.id).orderBy("id").execute();
  const validRegistration = Object.fromEntries(
    registrationFields({ email: "fuzz.person@example.org", [`question-${questions.at(-2)!.id}`]: "IXP", [`question-${questions.at(-1)!.id}`]: "No" }),
  );

  // A registration with its manage link, a participant signed in, a document open for comments.
  const registered = await request(`/meetings/${slug}/register`, { method: "POST", body: new URLSearchParams(validRegistration), headers: HOST });
  registeredRedirect(registered);
  const token = manageToken((await db.selectFrom("outbox").select("text").where("to_address", "=", "fuzz.person@example.org").executeTakeFirstOrThrow()).text);
  const registration = await db.selectFrom("registrations").selectAll().where("email", "=", "fuzz.person@example.org").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
  await db.updateTable("registrations").set({ status: "confirmed" }).where("id", "=", registration.id).execute();
  const participant = await signedIn(db, "fuzz.person@example.org", "participant");
  const item = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
  const upload = new FormData();
  for (const [name, value] of Object.entries({ title: "Draft outcome", type: "working_paper", symbol: "", description: "", distribution: "general", access: "public" })) upload.append(name, value);
  upload.append("file-en", new File([new Uint8Array(await samplePdf("Draft outcome"))], "draft.pdf", { type: "application/pdf" }));
  const documentAt = await request(`/admin/meetings/${slug}/documents`, { method: "POST", body: upload, cookie: organiser.cookie, headers: HOST });
  const documentId = Number(/\/documents\/(\d+)/.exec(documentAt.headers.get("Location") ?? "")?.[1]);
  assert.ok(documentId > 0, "a document uploaded");
  const closes = `${meeting.starts_on}T17:00`;
  const opened = await request(`/admin/meetings/${slug}/documents/${documentId}/inputs`, {
    method: "POST",
    body: new URLSearchParams({ intent: "open", audience: "active", closesLocal: closes }),
    cookie: organiser.cookie,
    headers: HOST,
  });
  assert.equal(opened.status, 302, "opened for comments");
  const selfCheckIn = new URL(selfCheckInUrl(slug, registration)).pathname;

  /** The property every request must hold: an answer below 500 (and no stack trace, which request() checks). */
  async function holds(method: string, url: string, init: RequestInit = {}, cookie: string | null = null) {
    const response = await request(url, { ...init, method, cookie });
    if (response.status >= 500) assert.fail(`${method} ${url.slice(0, 200)} answered ${response.status}: ${response.body.slice(0, 200)}`);
    return response;
  }
  const run = <T>(property: fc.IAsyncPropertyWithHooks<T>) => fc.assert(property, settings);

  it("refuses a NUL character in a slug or a search, which PostgreSQL cannot hold, with 4xx (found by this fuzzing)", async () => {
    for (const url of ["/?q=%00", "/meetings?q=a%00b", "/meetings?programme=%00", "/calendar.ics?programme=%00", "/api/v1/meetings?q=%00", "/api/v1/meetings?programme=%00", "/meetings/%00", "/meetings/%00/agenda", "/api/v1/meetings/%00", "/programmes/%00", "/meetings/%00/register"]) {
      const response = await holds("GET", url);
      assert.ok(response.status >= 400, `${url}: ${response.status}`);
    }
  });

  it("takes form fields named after Object's own properties (constructor, toString, __proto__) as fields, multipart or not (found by this fuzzing)", async () => {
    const named = (fields: string[], multipart: boolean) => {
      const form = multipart ? new FormData() : new URLSearchParams();
      for (const name of fields) form.append(name, "x");
      return { body: form, headers: { ...HOST, ...(multipart ? {} : { "Content-Type": "application/x-www-form-urlencoded" }) } };
    };
    const names = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
    for (const multipart of [true, false]) {
      await holds("POST", `/meetings/${slug}/documents/${documentId}/inputs`, named(["intent", ...names], multipart), participant.cookie);
      await holds("POST", `/admin/meetings/${slug}/documents`, named(names, multipart), organiser.cookie);
      await holds("POST", `/admin/meetings/${slug}/documents/${documentId}`, named(["intent", ...names], multipart), organiser.cookie);
    }
  });

  it("the meetings list and home page take any ?q=, ?kind=, ?programme=, ?past=, ?page=", async () => {
    await run(
      fc.asyncProperty(fc.constantFrom("/", "/meetings"), query(["q", "kind", "programme", "past", "page"]), async (path, search) => {
        await holds("GET", `${path}${search}`);
      }),
    );
  });

  it("the calendar feeds take any ?kind= and ?programme=", async () => {
    await run(
      fc.asyncProperty(fc.constantFrom("/calendar.ics", `/meetings/${slug}/calendar.ics`), query(["kind", "programme"]), async (path, search) => {
        await holds("GET", `${path}${search}`);
      }),
    );
  });

  it("the agenda takes any ?tz= and ?view=, and the documents page any query", async () => {
    await run(
      fc.asyncProperty(fc.constantFrom(`/meetings/${slug}/agenda`, `/meetings/${slug}/documents`, `/meetings/${slug}`, `/meetings/${slug}/register`), query(["tz", "view", "language", "invitation"]), async (path, search) => {
        await holds("GET", `${path}${search}`);
      }),
    );
  });

  it("the JSON API answers JSON to any query: 200 or a 4xx naming the parameter", async () => {
    await run(
      fc.asyncProperty(fc.constantFrom("/api/v1/meetings", `/api/v1/meetings/${slug}`), query(["kind", "programme", "q", "past", "page"]), async (path, search) => {
        const response = await holds("GET", `${path}${search}`);
        assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/, `${path}${search}`);
        response.json();
      }),
    );
  });

  it("every public address with a variable part takes any segment", async () => {
    const templates = [
      (s: string) => `/meetings/${s}`,
      (s: string) => `/meetings/${s}/agenda`,
      (s: string) => `/meetings/${s}/calendar.ics`,
      (s: string) => `/api/v1/meetings/${s}`,
      (s: string) => `/programmes/${s}`,
      (s: string) => `/registrations/${s}`,
      (s: string) => `/registrations/${s}/follow-up`,
      (s: string) => `/registrations/${s}/certificate.pdf`,
      (s: string) => `/feeds/${s}/calendar.ics`,
      (s: string) => `/follows/${s}`,
      (s: string) => `/follows/${s}/unsubscribe`,
      (s: string) => `/circulations/${s}/unsubscribe`,
      (s: string) => `/meetings/${slug}/documents/${s}`,
      (s: string) => `/meetings/${slug}/documents/${s}/inputs`,
      (s: string) => `/meetings/${slug}/documents/${documentId}/inputs/${s}/file`,
      (s: string) => `/meetings/${slug}/attend/${s}`,
      (s: string) => `/api/${s}`,
      (s: string) => `/${s}`,
    ];
    await run(
      fc.asyncProperty(fc.constantFrom(...templates), segment, fc.constantFrom<string | null>(null, participant.cookie), async (template, value, cookie) => {
        await holds("GET", template(value), {}, cookie);
      }),
    );
  });

  it("the registration form takes any body: fields missing, repeated, arbitrary, of any content type", async () => {
    await run(
      fc.asyncProperty(body(formNear({ ...validRegistration, attendanceMode: "in_person", invitationCode: "", invitation: "" })), async (init) => {
        await holds("POST", `/meetings/${slug}/register`, init);
      }),
    );
  });

  it("the sign-in form and the follow form take any body", async () => {
    await run(
      fc.asyncProperty(
        fc.constantFrom("/login", "/follows"),
        query(["redirectTo", "programme", "done"]),
        body(formNear({ email: "someone@example.org", programme: "asia-pacific-information-superhighway", redirectTo: "/my" })),
        async (path, search, init) => {
          await holds("POST", `${path}${search}`, init);
        },
      ),
    );
  });

  it("the manage link's forms (the registration, the follow-up) take any body", async () => {
    const followUp = { arrivalDate: meeting.starts_on, arrivalTime: "19:05", arrivalFlight: "TG 101", departureDate: meeting.ends_on, departureTime: "10:00", departureFlight: "", hotel: "Hotel", needsVisaLetter: "yes", passportName: "Lan Nguyen", passportNationality: "VN", travelFundingRequested: "no" };
    await run(
      fc.asyncProperty(
        fc.oneof(
          body(formNear({ ...validRegistration, intent: "save" })).map((init) => [`/registrations/${token}`, init] as const),
          body(formNear(followUp)).map((init) => [`/registrations/${token}/follow-up`, init] as const),
        ),
        async ([url, init]) => {
          await holds("POST", url, init);
        },
      ),
    );
  });

  it("self check-in, stars, follows and unsubscribes take any body", async () => {
    await run(
      fc.asyncProperty(
        fc.constantFrom(selfCheckIn, `/meetings/${slug}/attend/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, `/meetings/${slug}/agenda`, "/follows/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/circulations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/unsubscribe"),
        body(formNear({ intent: "star", item: String(item.id) })),
        fc.constantFrom<string | null>(null, participant.cookie),
        async (url, init, cookie) => {
          await holds("POST", url, init, cookie);
        },
      ),
    );
  });

  it("comments on a document take any body, with or without a file", async () => {
    await run(
      fc.asyncProperty(
        body(formNear({ intent: "submit", body: "Paragraph 3 should mention rural areas.", section: "3", page: "2", inputId: "1" })),
        fc.option(fc.constantFrom<[string, string]>(["notes.txt", "Some notes\n"], ["x.svg", "<svg onload=alert(1)></svg>"], ["empty.pdf", ""], ["a;b=c.pdf", "%PDF-1.4"])),
        async (init, file) => {
          if (file && init.body instanceof FormData) init.body.append("file", new File([file[1]], file[0]));
          await holds("POST", `/meetings/${slug}/documents/${documentId}/inputs`, init, participant.cookie);
        },
      ),
    );
  });
});
