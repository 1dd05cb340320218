import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audienceSchema, describeDocumentAudience, storedAudience } from "../../app/documents/document-audience";
import { redactUrl } from "../../app/lib/redact";
import { documentsCirculatedEmail } from "../../emails/documents-circulated";

describe("circulation links in logs", () => {
  it("redacts the secret of an unsubscribe link, whatever its letters", () => {
    for (const token of ["Zq3xY8dK2mP0vW7sT1uN4bR6cH9jL5eA0fG2iO8kQ1w", "zq3xy8dk2mp0vw7st1un4br6ch9jl5ea0fg2io8kq1w", "short"]) {
      assert.equal(redactUrl(`/circulations/${token}/unsubscribe`), "/circulations/[redacted]/unsubscribe", token);
    }
    assert.equal(redactUrl("/admin/meetings/egm-2026/circulations?sent=3"), "/admin/meetings/egm-2026/circulations?sent=3");
  });
});

describe("the documents-circulated email", () => {
  const email = documentsCirculatedEmail({
    firstName: "Ana <b>",
    email: "ana@example.org",
    meetingTitle: "Workshop <script>alert(1)</script>",
    documentsUrl: "http://localhost:3000/meetings/w/documents",
    message: { html: "<p>Hello</p>", text: "Hello" },
    documents: [{ symbol: "ESCAP/W/1", title: "Tom & Jerry's <paper>", files: [{ languageName: "English", url: "http://localhost:3000/meetings/w/documents/1?lang=en" }] }],
    unsubscribeUrl: "http://localhost:3000/circulations/x/unsubscribe",
  });

  it("escapes every piece of text in the HTML and keeps it plain in the text", () => {
    assert.ok(!email.html.includes("<script>"));
    assert.ok(email.html.includes("Workshop &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(email.html.includes("Tom &amp; Jerry&#39;s &lt;paper&gt;"));
    assert.ok(email.html.includes("Dear Ana &lt;b&gt;,"));
    assert.ok(email.html.includes("<p>Hello</p>"), "the message arrives sanitised and is kept as rendered");
    assert.equal(email.subject, "Documents for Workshop <script>alert(1)</script>");
    assert.ok(email.text.includes("- ESCAP/W/1 — Tom & Jerry's <paper>\n  English: http://localhost:3000/meetings/w/documents/1?lang=en"));
  });
});

describe("document audiences", () => {
  it("reads the form's choices into the stored shape and back into words", () => {
    const parse = (input: Record<string, unknown>) => audienceSchema.safeParse({ registrations: [], ...input });
    assert.deepEqual(parse({ audience: "confirmed" }).data, { status: "confirmed" });
    assert.deepEqual(parse({ audience: "category", category: "academia" }).data, { status: "active", category: "academia" });
    assert.deepEqual(parse({ audience: "people", registrations: ["4", "4", "7"] }).data, { registrations: [4, 7] });
    assert.equal(parse({ audience: "people", registrations: ["0"] }).success, false);
    assert.equal(parse({ audience: "people", registrations: ["-1"] }).success, false);
    assert.equal(parse({ audience: "all" }).success, false);
    assert.equal(describeDocumentAudience(storedAudience({ status: "active", category: "government" })), "Registrants in the category Government");
    assert.equal(describeDocumentAudience(storedAudience({ registrations: [1] })), "1 person chosen");
    assert.equal(describeDocumentAudience(storedAudience({ status: "active" })), "All registrants (pending, waiting list, confirmed)");
  });
});
