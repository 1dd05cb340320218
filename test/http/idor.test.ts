import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { badgeCode, selfCheckInUrl } from "../../app/attendance/check-in-reference.server";
import { addAgendaItem, roomId } from "../support/agenda";
import { addDocument, samplePdf } from "../support/documents";
import { addRegistration } from "../support/inputs";
import { addMeeting, manageToken, registeredRedirect, registrationBody } from "../support/registration";
import { signedIn, signedInWithMeetingRole, startApp } from "./app";

/**
 * IDOR probes: every address and form of meeting A given the id of something of meeting B (a
 * registration, an agenda item, a room, a document, a question, an invitation, a comment, a
 * check-in). The answer is 404 (or a 400/403 refusal for an id chosen in a form), and nothing of B
 * changes. The organiser is meeting A's manager.
 */

const HOST = { Origin: "http://localhost:3000", Host: "localhost:3000" };

describe("ids of another meeting, through this meeting's addresses", async () => {
  const { db, request } = await startApp();
  const a = await addMeeting(db, { title: "Meeting A", slug: `idor-a-${Date.now()}`, self_check_in: true });
  const b = await addMeeting(db, { title: "Meeting B", slug: `idor-b-${Date.now()}`, self_check_in: true });
  const organiser = await signedInWithMeetingRole(db, "idor-organiser@example.org", a.id, "manager");
  /** Makes B's rows through B's own forms. */
  const administrator = await signedIn(db, "idor-administrator@example.org", "administrator");
  const day = a.starts_on;
  const [regA, regB] = [await addRegistration(db, a, { first: "Ana", last: "Alpha" }), await addRegistration(db, b, { first: "Bao", last: "Beta" })];
  const rowOf = (id: number) => db.selectFrom("registrations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const [rowA, rowB] = [await rowOf(regA.id), await rowOf(regB.id)];
  const itemA = await addAgendaItem(db, a, { title: "A opening", date: day, start: "09:00", end: "10:00", room: "Room A" });
  const itemB = await addAgendaItem(db, b, { title: "B opening", date: b.starts_on, start: "09:00", end: "10:00", room: "Room B" });
  const roomB = await roomId(db, b.id, "Room B");
  const pdf = await samplePdf("paper");
  const docA = await addDocument(db, a.id, { title: "A paper", symbol: "IDOR/A/WP.1", files: [{ language: "en", content: pdf }] });
  const docB = await addDocument(db, b.id, { title: "B paper", symbol: "IDOR/B/WP.1", files: [{ language: "en", content: await samplePdf("B paper") }] });
  // Both asked for travel funding and a visa letter, so that a decision and a letter exist for each.
  for (const registration of [regA, regB]) {
    await db
      .insertInto("registration_follow_ups")
      .values({ registration_id: registration.id, needs_visa_letter: true, passport_name: "Test Person", passport_nationality: "VN", travel_funding_requested: true })
      .execute();
  }
  const participantA = await signedIn(db, regA.email, "participant");
  const participantB = await signedIn(db, regB.email, "participant");

  const post = (url: string, fields: Record<string, string | string[] | undefined> | FormData | URLSearchParams, cookie: string | null = organiser.cookie) => {
    let body: URLSearchParams | FormData;
    if (fields instanceof FormData || fields instanceof URLSearchParams) body = fields;
    else {
      body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const one of [value ?? []].flat()) body.append(name, one);
    }
    return request(url, { method: "POST", body, cookie, headers: HOST });
  };
  const get = (url: string, cookie: string | null = organiser.cookie) => request(url, { cookie });
  const multipart = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };

  // B's question, invitation, and a comment on B's document, made through B's own forms.
  assert.equal((await post(`/admin/meetings/${b.slug}/questions`, { intent: "add", label: "B's question", kind: "short_text" }, administrator.cookie)).status, 302);
  const questionB = await db.selectFrom("registration_questions").select("id").where("meeting_id", "=", b.id).executeTakeFirstOrThrow();
  assert.ok([200, 302].includes((await post(`/admin/meetings/${b.slug}/invitations`, { intent: "code", label: "B code", maxUses: "5" }, administrator.cookie)).status));
  const invitationB = await db.selectFrom("invitations").select("id").where("meeting_id", "=", b.id).executeTakeFirstOrThrow();
  for (const meeting of [a, b]) {
    const doc = meeting === a ? docA : docB;
    const opened = await post(`/admin/meetings/${meeting.slug}/documents/${doc.id}/inputs`, { intent: "open", audience: "active", closesLocal: `${meeting.starts_on}T17:00` }, administrator.cookie);
    assert.equal(opened.status, 302, "opened for comments");
  }
  const commentB = multipart({ intent: "submit", body: "B's comment" });
  commentB.append("file", new File(["B's notes\n"], "notes.txt"));
  assert.ok([200, 302, 303].includes((await post(`/meetings/${b.slug}/documents/${docB.id}/inputs`, commentB, participantB.cookie)).status));
  const inputB = await db.selectFrom("document_inputs").select("id").where("document_id", "=", docB.id).executeTakeFirstOrThrow();

  /** Everything of B a probe through A could change. */
  async function stateOfB() {
    const registrations = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute();
    const ids = registrations.map((r) => r.id);
    const items = await db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute();
    const itemIds = items.map((i) => i.id);
    const documents = await db.selectFrom("documents").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute();
    const documentIds = documents.map((d) => d.id);
    return JSON.stringify({
      registrations,
      followUps: await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "in", ids).execute(),
      checkIns: await db.selectFrom("check_ins").selectAll().where((eb) => eb.or([eb("registration_id", "in", ids), eb("meeting_id", "=", b.id)])).orderBy("id").execute(),
      items,
      children: await db.selectFrom("agenda_items").select("id").where("parent_id", "in", itemIds).execute(),
      stars: await db.selectFrom("agenda_stars").select(["user_id", "item_id"]).where("item_id", "in", itemIds).execute(),
      rooms: await db.selectFrom("meeting_rooms").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute(),
      documents,
      files: await db.selectFrom("document_files").selectAll().where("document_id", "in", documentIds).orderBy("id").execute(),
      links: await db.selectFrom("document_agenda_items").selectAll().where((eb) => eb.or([eb("document_id", "in", documentIds), eb("agenda_item_id", "in", itemIds)])).execute(),
      circulated: await db.selectFrom("circulation_documents").selectAll().where("document_id", "in", documentIds).execute(),
      corrections: await db.selectFrom("documents").select("id").where("corrects_id", "in", documentIds).execute(),
      inputs: await db.selectFrom("document_inputs").selectAll().where("document_id", "in", documentIds).orderBy("id").execute(),
      questions: await db.selectFrom("registration_questions").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute(),
      invitations: await db.selectFrom("invitations").selectAll().where("meeting_id", "=", b.id).orderBy("id").execute(),
    });
  }
  const before = await stateOfB();
  const A = `/admin/meetings/${a.slug}`;

  it("knows no registration of B at A's addresses (details, decisions, desk, certificates, visa letters)", async () => {
    for (const id of [regA.id, regB.id]) {
      for (const url of [`${A}/registrations/${id}`, `${A}/visa-letters/${id}.pdf`]) assert.equal((await get(url)).status, id === regA.id ? 200 : 404, url);
    }
    assert.equal((await get(`${A}/attendance/certificates/${regB.id}.pdf`)).status, 404);
    assert.equal((await post(`${A}/registrations/${regB.id}`, { change: `${regB.id}:declined` })).status, 404, "a decision on B's registration at its detail page");
    const probes = (id: number, row: typeof rowA, slug: string): [string, Record<string, string | string[]>][] => [
      [`${A}/registrations/${regA.id}`, { change: `${id}:declined` }],
      [`${A}/registrations`, { change: `${id}:declined` }],
      [`${A}/registrations`, { intent: "apply", registration: [String(id)], to: "confirmed" }],
      [`${A}/checkin`, { intent: "check-in", registration: String(id) }],
      [`${A}/checkin`, { intent: "undo", registration: String(id) }],
      [`${A}/checkin`, { intent: "confirm-and-check-in", registration: String(id) }],
      [`${A}/checkin`, { intent: "scan", code: badgeCode(slug, row) }],
      [`${A}/checkin`, { intent: "reissue", registration: String(id) }],
      [`${A}/follow-ups`, { registration: String(id), decision: "granted", intent: "decide" }],
    ];
    const refusals: string[] = [];
    for (const [url, fields] of probes(regB.id, rowB, b.slug)) {
      const response = await post(url, fields);
      if (![400, 403, 404, 409].includes(response.status)) refusals.push(`${url} ${JSON.stringify(fields)}: ${response.status}`);
    }
    // The same forms with A's own registration do work, so the refusals above are the ids'.
    const controls: string[] = [];
    for (const [url, fields] of probes(regA.id, rowA, a.slug)) {
      const response = await post(url, fields);
      if (response.status >= 400) controls.push(`${url} ${JSON.stringify(fields)}: ${response.status}`);
    }
    assert.deepEqual(refusals, [], "B's registration through A");
    assert.deepEqual(controls, [], "A's own registration through A");
    assert.equal(await stateOfB(), before, "nothing of B changed");
  });

  it("knows no agenda item or room of B at A's addresses, and stars none of them through A", async () => {
    const roomA = await roomId(db, a.id, "Room A");
    const save = { intent: "save", title: "Taken over", kind: "session", date: day, start: "09:00", end: "10:00" };
    assert.equal((await get(`${A}/agenda/${itemB}`)).status, 404);
    assert.equal((await post(`${A}/agenda/${itemB}`, save)).status, 404);
    // Items last an hour: B's stays at 09:00, A's is at 12:00 once moved; a part lies within its item.
    const probes = (item: number, room: number): Record<string, string>[] => [
      { intent: "move", item: String(item), date: day, start: "11:00" },
      { intent: "move", item: String(itemA), date: day, start: "12:00", room: String(room) },
      { intent: "add", title: `Under ${item}`, kind: "session", date: day, start: item === itemB ? "09:15" : "12:15", end: item === itemB ? "09:45" : "12:45", parent: String(item) },
      { intent: "add", title: `In ${room}`, kind: "session", date: day, start: "13:00", end: "14:00", room: String(room) },
      { intent: "rename-room", room: String(room), name: `Renamed ${room}` },
      { intent: "duplicate", item: String(item) },
      { intent: "delete", item: String(item) },
      { intent: "delete-room", room: String(room) },
    ];
    const refusals: string[] = [];
    for (const fields of probes(itemB, roomB)) {
      const response = await post(`${A}/agenda?index`, fields);
      if (![400, 404].includes(response.status)) refusals.push(`${JSON.stringify(fields)}: ${response.status}`);
    }
    const starred = await post(`/meetings/${a.slug}/agenda`, { intent: "star", item: String(itemB) }, participantA.cookie);
    if (starred.status !== 404) refusals.push(`B's item starred through A: ${starred.status}`);
    // The same forms with A's own item and room do work, so the refusals above are the ids'.
    const controls: string[] = [];
    const ownStar = await post(`/meetings/${a.slug}/agenda`, { intent: "star", item: String(itemA) }, participantA.cookie);
    if (ownStar.status >= 400) controls.push(`star: ${ownStar.status}`);
    for (const fields of probes(itemA, roomA)) {
      const response = await post(`${A}/agenda?index`, fields);
      if (response.status >= 400) controls.push(`${JSON.stringify(fields)}: ${response.status}`);
    }
    assert.deepEqual(refusals, [], "B's agenda through A");
    assert.deepEqual(controls, [], "A's own agenda through A");
    assert.equal(await stateOfB(), before, "nothing of B changed");
  });

  it("knows no document of B at A's addresses, public or organisers', and links, corrects or circulates none", async () => {
    for (const url of [
      `/meetings/${a.slug}/documents/${docB.id}`,
      `/meetings/${a.slug}/documents/${docB.id}?language=en`,
      `/meetings/${a.slug}/documents/${docB.id}/inputs`,
      `/api/v1/meetings/${a.slug}/documents/${docB.id}`,
    ]) {
      assert.equal((await get(url, participantA.cookie)).status, 404, url);
    }
    for (const url of [`${A}/documents/${docB.id}`, `${A}/documents/${docB.id}/inputs`, `${A}/documents/${docB.id}/inputs.csv`, `${A}/documents/${docB.id}/inputs.pdf`]) {
      assert.equal((await get(url)).status, 404, url);
    }
    assert.equal((await post(`${A}/documents/${docB.id}`, { intent: "delete" })).status, 404);
    assert.equal((await post(`${A}/documents/${docB.id}/inputs`, { intent: "open", audience: "active", closesLocal: `${day}T17:00` })).status, 404);
    assert.equal((await post(`${A}/documents`, { intent: "restore", document: String(docB.id) })).status, 404);
    const details = { intent: "save", title: "A paper", type: "working_paper", symbol: "IDOR/A/WP.1", description: "", distribution: "general", access: "public" };
    assert.equal((await post(`${A}/documents/${docA.id}`, { ...details, agendaItems: String(itemB) })).status, 400, "A's document linked to B's item");
    const corrigendum = multipart({ title: "Corr", type: "working_paper", symbol: "", description: "", distribution: "general", access: "public", corrects: String(docB.id) });
    corrigendum.append("file-en", new File([new Uint8Array(pdf)], "c.pdf", { type: "application/pdf" }));
    assert.equal((await post(`${A}/documents`, corrigendum)).status, 400, "a corrigendum of B's document in A");
    const circulated = await post(`${A}/circulations`, { intent: "preview", documents: String(docB.id), audience: "confirmed", message: "" });
    assert.ok([400, 404].includes(circulated.status), `B's document circulated through A: ${circulated.status}`);
    // The same forms with A's own document and item do work, so the refusals above are the ids'.
    const sessionA = await addAgendaItem(db, a, { title: "A session", date: day, start: "15:00", end: "16:00" });
    assert.equal((await post(`${A}/documents/${docA.id}`, { ...details, agendaItems: String(sessionA) })).status, 302, "A's document linked to A's item");
    const ownCorrigendum = multipart({ title: "Corr", type: "working_paper", symbol: "", description: "", distribution: "general", access: "public", corrects: String(docA.id) });
    ownCorrigendum.append("file-en", new File([new Uint8Array(await samplePdf("A corrigendum"))], "c.pdf", { type: "application/pdf" }));
    const corrected = await post(`${A}/documents`, ownCorrigendum);
    assert.equal(corrected.status, 302, `a corrigendum of A's document: ${corrected.body.match(/id="[-a-zA-Z]+-error"[^>]*>[^<]*|role="alert"[^>]*>[^<]*/g)?.join("; ")}`);
    assert.equal((await post(`${A}/circulations`, { intent: "preview", documents: String(docA.id), audience: "confirmed", message: "" })).status, 200, "A's document previewed for circulation");
    assert.equal(await stateOfB(), before, "nothing of B changed");
  });

  it("knows no question, invitation or comment of B at A's addresses", async () => {
    for (const intent of ["save", "delete", "up", "down"]) {
      const response = await post(`${A}/questions`, { intent, question: String(questionB.id), label: "Taken over", kind: "short_text" });
      assert.ok([400, 404].includes(response.status), `question ${intent}: ${response.status}`);
    }
    for (const intent of ["revoke", "resend"]) {
      const response = await post(`${A}/invitations`, { intent, invitation: String(invitationB.id) });
      assert.ok([400, 404].includes(response.status), `invitation ${intent}: ${response.status}`);
    }
    // The same forms with A's own questions and invitation do work.
    for (const label of ["A's first", "A's second"]) assert.equal((await post(`${A}/questions`, { intent: "add", label, kind: "short_text" })).status, 302);
    const questionA = await db.selectFrom("registration_questions").select("id").where("meeting_id", "=", a.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    assert.equal((await post(`${A}/questions`, { intent: "up", question: String(questionA.id) })).status, 302, "A's question moved");
    assert.ok([200, 302].includes((await post(`${A}/invitations`, { intent: "code", label: "A code", maxUses: "5" })).status));
    const invitationA = await db.selectFrom("invitations").select("id").where("meeting_id", "=", a.id).executeTakeFirstOrThrow();
    assert.equal((await post(`${A}/invitations`, { intent: "revoke", invitation: String(invitationA.id) })).status, 200, "A's invitation revoked");
    assert.equal((await post(`${A}/documents/${docA.id}/inputs`, { intent: "addressed", inputId: String(inputB.id), addressed: "yes" })).status, 404, "B's comment marked addressed through A");
    assert.equal((await get(`/meetings/${a.slug}/documents/${docA.id}/inputs/${inputB.id}/file`, participantA.cookie)).status, 404, "B's comment's file through A");
    const othersFile = await get(`/meetings/${b.slug}/documents/${docB.id}/inputs/${inputB.id}/file`, participantA.cookie);
    assert.ok([403, 404].includes(othersFile.status), `B's comment's file to A's participant: ${othersFile.status}`);
    const commentsA = `/meetings/${a.slug}/documents/${docA.id}/inputs`;
    assert.ok((await post(commentsA, multipart({ intent: "submit", body: "A's comment" }), participantA.cookie)).status < 400, "A's participant comments on A's document");
    const inputA = await db.selectFrom("document_inputs").select("id").where("document_id", "=", docA.id).executeTakeFirstOrThrow();
    for (const intent of ["update", "withdraw"]) {
      const response = await post(commentsA, multipart({ intent, inputId: String(inputB.id), body: "Overwritten" }), participantA.cookie);
      assert.ok([400, 403, 404].includes(response.status), `B's comment: ${intent}: ${response.status}`);
      const own = await post(commentsA, multipart({ intent, inputId: String(inputA.id), body: "Changed" }), participantA.cookie);
      assert.ok(own.status < 400, `A's own comment: ${intent}: ${own.status}`);
    }
    assert.equal(await stateOfB(), before, "nothing of B changed");
  });

  it("takes no badge, self check-in link or manage link of one registration for another", async () => {
    const selfB = new URL(selfCheckInUrl(b.slug, rowB)).pathname.replace(`/meetings/${b.slug}/`, `/meetings/${a.slug}/`);
    const answered = await post(selfB, {}, null);
    assert.ok([400, 403, 404].includes(answered.status), `B's self check-in at A: ${answered.status}`);
    const forgedA = badgeCode(a.slug, { ...rowA, id: regB.id });
    const scanned = await post(`${A}/checkin`, { intent: "scan", code: forgedA });
    assert.ok(!scanned.body.includes("Bao"), "a badge of A's salt with B's id finds nobody");
    // A manage link is one registration's: changing it leaves every other untouched.
    const registered = await post(`/meetings/${a.slug}/register`, registrationBody({ email: "idor-manage@example.org" }), null);
    registeredRedirect(registered);
    const token = manageToken((await db.selectFrom("outbox").select("text").where("to_address", "=", "idor-manage@example.org").executeTakeFirstOrThrow()).text);
    const cancelled = await post(`/registrations/${token}`, { intent: "cancel", registration: String(regB.id), id: String(regB.id) }, null);
    assert.ok(cancelled.status < 400, `the manage link's own registration cancelled: ${cancelled.status}`);
    assert.equal((await db.selectFrom("registrations").select("status").where("email", "=", "idor-manage@example.org").executeTakeFirstOrThrow()).status, "cancelled");
    assert.equal(await stateOfB(), before, "nothing of B changed");
    assert.equal((await rowOf(regA.id)).status, "confirmed", "nor A's other registrations");
  });
});
