import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { hashSecretToken } from "../../app/accounts/secret-token.server";
import {
  invitationStatus,
  inviteByEmail,
  issueCode,
  listInvitations,
  newInvitationCode,
  normaliseInvitationCode,
  parseAddressList,
  resendInvitation,
  revokeInvitation,
} from "../../app/registration/invitations.server";
import { register } from "../../app/registration/registrations.server";
import type { Meeting } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { latestEmail, linkIn, meetingForRegistration, registrationInput } from "../support/registration-extras";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("invitations", async () => {
  const { db } = await freshDatabase();
  const count = async (table: "invitations" | "outbox" | "registrations", meetingId?: number) => {
    let query = db.selectFrom(table).select(db.fn.countAll<string>().as("n"));
    if (meetingId !== undefined && table !== "outbox") query = query.where("meeting_id", "=", meetingId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  async function invite(meeting: Meeting, emails: string) {
    const result = await inviteByEmail(db, meeting, form({ emails }), null);
    if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
    return result;
  }

  async function issue(meeting: Meeting, maxUses: number, label = "Republic of Korea focal point") {
    const result = await issueCode(db, meeting, form({ label, maxUses: String(maxUses) }), null);
    if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
    return result.code;
  }

  /** The token in the newest invitation email to the address. */
  async function invitationToken(email: string): Promise<string> {
    const message = await latestEmail(db, email, "invitation");
    const link = linkIn(message, /\/register\?invitation=/);
    return new URL(link).searchParams.get("invitation")!;
  }

  describe("by email", () => {
    it("writes each invitation and its email together, and the emailed link's hash is what is stored", async () => {
      const meeting = await meetingForRegistration(db);
      const result = await invite(meeting, "Ji-won.Park@Example.org\nMin-jun Lee <min-jun.lee@example.org>, not-an-address; ji-won.park@example.org");
      assert.deepEqual(result.invited, ["ji-won.park@example.org", "min-jun.lee@example.org"]);
      assert.deepEqual(result.invalid, ["not-an-address"]);
      const rows = await db.selectFrom("invitations").selectAll().where("meeting_id", "=", meeting.id).orderBy("id").execute();
      assert.deepEqual(
        rows.map((r) => [r.kind, r.email, r.max_uses, r.uses]),
        [
          ["email", "ji-won.park@example.org", 1, 0],
          ["email", "min-jun.lee@example.org", 1, 0],
        ],
      );
      const message = await latestEmail(db, "ji-won.park@example.org", "invitation");
      assert.equal(message.subject, `Invitation: ${meeting.title}`);
      assert.match(message.text, /1–3 Dec \d{4}, Bangkok time/);
      assert.match(message.html, /1–3 Dec \d{4}, Bangkok time/);
      assert.match(message.text, /United Nations Conference Centre, Bangkok, Thailand/);
      const link = linkIn(message, /\/register\?invitation=/);
      assert.ok(link.startsWith(`http://localhost:3000/meetings/${meeting.slug}/register?invitation=`), link);
      const token = new URL(link).searchParams.get("invitation")!;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/, "a 256-bit token");
      assert.deepEqual(rows[0]!.token_hash, hashSecretToken(token));
      assert.ok(!JSON.stringify(rows).includes(token), "the token itself is not stored");
    });

    it("keeps neither the invitations nor the emails when one email cannot be queued", async () => {
      const meeting = await meetingForRegistration(db);
      const outboxBefore = await count("outbox");
      await sql`create function refuse_mail() returns trigger language plpgsql as $$
        begin if new.to_address = 'refused@example.org' then raise exception 'refused'; end if; return new; end $$`.execute(db);
      await sql`create trigger refuse_mail before insert on outbox for each row execute function refuse_mail()`.execute(db);
      try {
        await assert.rejects(inviteByEmail(db, meeting, form({ emails: "first@example.org\nrefused@example.org" }), null));
      } finally {
        await sql`drop trigger refuse_mail on outbox`.execute(db);
        await sql`drop function refuse_mail()`.execute(db);
      }
      assert.equal(await count("invitations", meeting.id), 0);
      assert.equal(await count("outbox"), outboxBefore);
    });

    it("reports addresses already invited or registered, and invites them no more", async () => {
      const meeting = await meetingForRegistration(db);
      await invite(meeting, "ji-won.park@example.org");
      const token = await invitationToken("ji-won.park@example.org");
      assert.deepEqual(await register(db, meeting.id, registrationInput({ invitation: token }), null), { kind: "registered", status: "confirmed" });
      await invite(meeting, "min-jun.lee@example.org");
      const outboxBefore = await count("outbox");
      const again = await invite(meeting, "JI-WON.PARK@example.org, min-jun.lee@example.org, new.delegate@example.org");
      assert.deepEqual(again.invited, ["new.delegate@example.org"]);
      assert.deepEqual(again.alreadyInvited, ["min-jun.lee@example.org"]);
      assert.deepEqual(again.alreadyRegistered, ["ji-won.park@example.org"]);
      assert.equal(await count("invitations", meeting.id), 3);
      assert.equal(await count("outbox"), outboxBefore + 1);
    });

    it("refuses an empty list, a list of no addresses, and a draft meeting", async () => {
      const meeting = await meetingForRegistration(db);
      for (const emails of ["", "  \n , "]) {
        const result = await inviteByEmail(db, meeting, form({ emails }), null);
        assert.equal(result.ok, false);
        assert.ok(!result.ok && result.errors.emails?.includes("at least one"));
      }
      const junk = await inviteByEmail(db, meeting, form({ emails: "nobody, @example.org" }), null);
      assert.ok(!junk.ok && junk.errors.emails === "Not email addresses: nobody, @example.org");
      const draft = await meetingForRegistration(db, { status: "draft", published_at: null });
      const refused = await inviteByEmail(db, draft, form({ emails: "someone@example.org" }), null);
      assert.ok(!refused.ok && /Publish the meeting first/.test(refused.errors.emails ?? ""));
      assert.equal(await count("invitations", draft.id), 0);
      const closed = await meetingForRegistration(db, { registration_closes_at: new Date(Date.now() - 60_000) });
      const late = await inviteByEmail(db, closed, form({ emails: "someone@example.org" }), null);
      assert.ok(!late.ok && /Registration for this meeting has closed/.test(late.errors.emails ?? ""));
    });

    it("says when registration opens, if it has not yet", async () => {
      const meeting = await meetingForRegistration(db, { registration_opens_at: new Date(Date.UTC(2099, 0, 5, 2, 0)) });
      await invite(meeting, "early.bird@example.org");
      const message = await latestEmail(db, "early.bird@example.org", "invitation");
      assert.match(message.text, /Registration opens Mon 5 Jan 2099, 09:00 Bangkok time\./);
    });

    it("registers once with the link: a second attempt creates nothing and the used link is refused", async () => {
      const meeting = await meetingForRegistration(db);
      await invite(meeting, "ji-won.park@example.org");
      const token = await invitationToken("ji-won.park@example.org");
      const input = registrationInput({ invitation: token });
      assert.deepEqual(await register(db, meeting.id, input, null), { kind: "registered", status: "confirmed" });
      assert.deepEqual(await register(db, meeting.id, input, null), { kind: "already-registered" });
      assert.equal(await count("registrations", meeting.id), 1);
      const row = await db.selectFrom("invitations").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      assert.equal(row.uses, 1);
      assert.equal(invitationStatus(row), "used_up");
      const registration = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      assert.equal(registration.invitation_id, row.id);
      // Even were the registration removed, the link has been used.
      await db.deleteFrom("registrations").where("id", "=", registration.id).execute();
      const reused = await register(db, meeting.id, input, null);
      assert.deepEqual(reused, { kind: "refused", errors: { invitation: "This invitation has already been used as many times as it allows" } });
      assert.equal(await count("registrations", meeting.id), 0);
    });

    it("answers a double submission with the link as already registered, not as a used-up invitation", async () => {
      const meeting = await meetingForRegistration(db);
      await invite(meeting, "aroha.ngata@example.org");
      const input = registrationInput({ email: "aroha.ngata@example.org", invitation: await invitationToken("aroha.ngata@example.org") });
      // The invitation is held until both submissions wait for it, past their check for an earlier registration.
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = db.transaction().execute(async (trx) => {
        await trx.selectFrom("invitations").select("id").where("meeting_id", "=", meeting.id).forUpdate().execute();
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isLocked;
      const submissions = Promise.all([register(db, meeting.id, input, null), register(db, meeting.id, input, null)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await holding;
      const outcomes = await submissions;
      assert.deepEqual(
        outcomes.map((outcome) => outcome.kind).sort(),
        ["already-registered", "registered"],
        `outcomes: ${JSON.stringify(outcomes)}`,
      );
      assert.equal(await count("registrations", meeting.id), 1);
    });

    it("refuses the link with another email address", async () => {
      const meeting = await meetingForRegistration(db);
      await invite(meeting, "ji-won.park@example.org");
      const token = await invitationToken("ji-won.park@example.org");
      const outcome = await register(db, meeting.id, registrationInput({ invitation: token, email: "someone.else@example.org" }), null);
      assert.deepEqual(outcome, { kind: "refused", errors: { email: "This invitation is for ji-won.park@example.org: register with that address" } });
      assert.equal(await count("registrations", meeting.id), 0);
    });

    it("sends again with a new link, the old one no longer working; a revoked one is invited again", async () => {
      const meeting = await meetingForRegistration(db);
      await invite(meeting, "ji-won.park@example.org");
      const oldToken = await invitationToken("ji-won.park@example.org");
      const { id } = await db.selectFrom("invitations").select("id").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      assert.equal(await revokeInvitation(db, meeting.id, id, null), true);
      const revoked = await register(db, meeting.id, registrationInput({ invitation: oldToken }), null);
      // Said of the emailed invitation (the form shows it there), not of a code field the person never saw.
      assert.deepEqual(Object.keys(revoked.kind === "refused" ? revoked.errors : {}), ["invitation"]);
      assert.match(revoked.kind === "refused" ? (revoked.errors.invitation ?? "") : "", /^This invitation link no longer works/);

      assert.deepEqual(await resendInvitation(db, meeting, id, null), { ok: true, email: "ji-won.park@example.org" });
      const newToken = await invitationToken("ji-won.park@example.org");
      assert.notEqual(newToken, oldToken);
      assert.equal((await register(db, meeting.id, registrationInput({ invitation: oldToken }), null)).kind, "refused");
      assert.deepEqual(await register(db, meeting.id, registrationInput({ invitation: newToken }), null), { kind: "registered", status: "confirmed" });
      assert.deepEqual(await resendInvitation(db, meeting, id, null), { ok: false, message: "ji-won.park@example.org has already registered with this invitation." });
    });

    it("does not touch another meeting's invitations", async () => {
      const meeting = await meetingForRegistration(db);
      const other = await meetingForRegistration(db);
      await invite(other, "ji-won.park@example.org");
      const { id } = await db.selectFrom("invitations").select("id").where("meeting_id", "=", other.id).executeTakeFirstOrThrow();
      assert.equal(await revokeInvitation(db, meeting.id, id, null), false);
      assert.equal((await resendInvitation(db, meeting, id, null)).ok, false);
      // Its link does not open this meeting either.
      const token = await invitationToken("ji-won.park@example.org");
      assert.equal((await register(db, meeting.id, registrationInput({ invitation: token }), null)).kind, "refused");
    });
  });

  describe("codes", () => {
    it("are readable, unambiguous, 60 random bits, and typed loosely are understood", () => {
      const codes = new Set(Array.from({ length: 2000 }, newInvitationCode));
      assert.equal(codes.size, 2000);
      for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      assert.equal(normaliseInvitationCode(" abcd efgh-jkmn "), "ABCD-EFGH-JKMN");
      assert.equal(normaliseInvitationCode("ABCD-EFGH-JKL0"), null, "no zero in the alphabet");
      assert.equal(normaliseInvitationCode("ABCD-EFGH"), null);
    });

    it("are accepted however they are typed: lower case, spaces, without hyphens", async () => {
      const meeting = await meetingForRegistration(db);
      const code = await issue(meeting, 3);
      const typed = [code.toLowerCase(), ` ${code.replaceAll("-", " ").toLowerCase()} `, code.replaceAll("-", "")];
      for (const [i, invitationCode] of typed.entries()) {
        const outcome = await register(db, meeting.id, registrationInput({ email: `typed${i}@example.org`, invitationCode }), null);
        assert.deepEqual(outcome, { kind: "registered", status: "confirmed" }, JSON.stringify(invitationCode));
      }
      const row = await db.selectFrom("invitations").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      assert.equal(row.uses, 3, "each spelling used the one code");
      // Not a code of ours (a zero), nor one letter short: refused next to the code field.
      for (const invitationCode of [code.replace(/.$/, "0"), code.slice(0, -1)]) {
        const outcome = await register(db, meeting.id, registrationInput({ email: "typo@example.org", invitationCode }), null);
        assert.deepEqual(outcome, { kind: "refused", errors: { invitationCode: "This invitation is not valid. Check the code, or ask the organisers." } });
      }
    });

    it("checks the label and the number of uses", async () => {
      const meeting = await meetingForRegistration(db);
      const refused = await issueCode(db, meeting, form({ label: " ", maxUses: "0" }), null);
      assert.ok(!refused.ok);
      assert.deepEqual(Object.keys(refused.errors).sort(), ["label", "maxUses"]);
      assert.equal(refused.errors.maxUses, "At least 1");
      for (const [maxUses, message] of [["2.5", "A whole number, e.g. 5"], ["1001", "At most 1000"], ["many", "A whole number, e.g. 5"]] as const) {
        const result = await issueCode(db, meeting, form({ label: "Focal point", maxUses }), null);
        assert.ok(!result.ok && result.errors.maxUses === message, maxUses);
      }
      assert.equal(await count("invitations", meeting.id), 0);
    });

    it("with 3 uses lets exactly 3 people register, then refuses", async () => {
      const meeting = await meetingForRegistration(db);
      const code = await issue(meeting, 3);
      for (let i = 1; i <= 3; i++) {
        const outcome = await register(db, meeting.id, registrationInput({ email: `delegate${i}@example.org`, invitationCode: code.toLowerCase() }), null);
        assert.deepEqual(outcome, { kind: "registered", status: "confirmed" }, `delegate ${i}`);
      }
      const fourth = await register(db, meeting.id, registrationInput({ email: "delegate4@example.org", invitationCode: code }), null);
      assert.deepEqual(fourth, { kind: "refused", errors: { invitationCode: "This invitation has already been used as many times as it allows" } });
      assert.equal(await count("registrations", meeting.id), 3);
      const [row] = await listInvitations(db, meeting.id);
      assert.equal(row?.status, "used_up");
      assert.equal(row?.uses, 3);
      assert.deepEqual(row?.registrants, ["Ji-won Park", "Ji-won Park", "Ji-won Park"]);
    });

    it("with 3 uses lets exactly 3 of 6 concurrent registrations in", async () => {
      const meeting = await meetingForRegistration(db);
      const code = await issue(meeting, 3);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, i) => register(db, meeting.id, registrationInput({ email: `parallel${i}@example.org`, invitationCode: code }), null)),
      );
      assert.equal(outcomes.filter((o) => o.kind === "registered").length, 3);
      assert.equal(outcomes.filter((o) => o.kind === "refused").length, 3);
      assert.equal(await count("registrations", meeting.id), 3);
      const row = await db.selectFrom("invitations").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
      assert.equal(row.uses, 3);
    });

    it("stops working at once when revoked", async () => {
      const meeting = await meetingForRegistration(db);
      const code = await issue(meeting, 5);
      assert.equal((await register(db, meeting.id, registrationInput({ email: "before@example.org", invitationCode: code }), null)).kind, "registered");
      const { id } = await db.selectFrom("invitations").select("id").where("code", "=", code).executeTakeFirstOrThrow();
      assert.equal(await revokeInvitation(db, meeting.id, id, null), true);
      assert.equal(await revokeInvitation(db, meeting.id, id, null), false, "once");
      const after = await register(db, meeting.id, registrationInput({ email: "after@example.org", invitationCode: code }), null);
      assert.deepEqual(after, { kind: "refused", errors: { invitationCode: "This invitation is not valid. Check the code, or ask the organisers." } });
      const [row] = await listInvitations(db, meeting.id);
      assert.equal(row?.status, "revoked");
      assert.equal(row?.uses, 1);
    });

    it("are unique per meeting and work only for their meeting", async () => {
      const meeting = await meetingForRegistration(db);
      const other = await meetingForRegistration(db);
      const code = await issue(other, 5);
      assert.equal((await register(db, meeting.id, registrationInput({ invitationCode: code }), null)).kind, "refused");
      const codes = await Promise.all(Array.from({ length: 20 }, () => issue(meeting, 1)));
      assert.equal(new Set(codes).size, 20);
    });
  });

  it("parses pasted address lists", () => {
    assert.deepEqual(parseAddressList("a@example.org b@example.org;\r\n\"Doe\" <C@Example.org>\n<broken"), {
      valid: ["a@example.org", "b@example.org", "c@example.org"],
      invalid: ["<broken"],
    });
  });
});
