import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml } from "../../emails/layout";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { redactUrl } from "../../app/lib/redact";
import { slugFromTitle } from "../../app/lib/slug";

describe("renderMarkdown", () => {
  it("keeps the formatting organisers use", () => {
    const html = renderMarkdown("## Objectives\n\n- **Review** the [draft](https://example.org/draft)\n- Agree");
    assert.match(html, /<h2>Objectives<\/h2>/);
    assert.match(html, /<strong>Review<\/strong>/);
    assert.match(html, /<a href="https:\/\/example.org\/draft" rel="nofollow noopener noreferrer">draft<\/a>/);
  });
  it("renders scripts, event handlers, javascript: links and SVG inert", () => {
    const attacks = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      '<a href="javascript:alert(1)">x</a>',
      "<svg><script>alert(1)</script></svg>",
      '<iframe src="https://evil.example"></iframe>',
      '<p style="background:url(javascript:alert(1))">x</p>',
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      assert.doesNotMatch(html, /<script|onerror|javascript:|<svg|<iframe|style=/i, attack);
    }
  });
  it("is empty for no description", () => {
    assert.equal(renderMarkdown(null), "");
  });
});

describe("escapeHtml", () => {
  it("escapes what could open a tag or an attribute", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("redactUrl", () => {
  const token = "Zq3xY8dK2mP0vW7sT1uN4bR6cH9jL5eA0fG2iO8kQ1w";
  it("removes secrets from paths and queries", () => {
    assert.equal(redactUrl(`/feeds/${token}/calendar.ics`), "/feeds/[redacted]/calendar.ics");
    assert.equal(redactUrl(`/login/verify?token=${token}`), "/login/verify?token=[redacted]");
    assert.equal(redactUrl(`/x?ref=${token}`), "/x?ref=[redacted]");
    assert.equal(redactUrl(`/meetings/m/attend/12.${token}`), "/meetings/m/attend/[redacted]");
  });
  it("removes a secret inside an address carried by a query (a badge's, on the way to sign in)", () => {
    const redirect = `/admin/meetings/m/checkin?badge=12.${token}`;
    const logged = redactUrl(`/login?redirectTo=${encodeURIComponent(redirect)}`);
    assert.ok(!logged.includes(token), logged);
    assert.equal(decodeURIComponent(logged), "/login?redirectTo=/admin/meetings/m/checkin?badge=12.[redacted]");
  });
  it("keeps slugs and ordinary queries", () => {
    const slug = "/meetings/apis-working-group-1-connectivity-for-all-2026/agenda";
    assert.equal(redactUrl(slug), slug);
    assert.equal(redactUrl("/meetings?kind=webinar&q=Bangkok"), "/meetings?kind=webinar&q=Bangkok");
    const next = "/meetings/apis-working-group-1-connectivity-for-all-2026/register";
    assert.equal(decodeURIComponent(redactUrl(`/login?redirectTo=${encodeURIComponent(next)}`)), `/login?redirectTo=${next}`);
  });
});

describe("slugFromTitle", () => {
  it("makes readable slugs", () => {
    assert.equal(slugFromTitle("Expert Group Meeting on e-Resilience"), "expert-group-meeting-on-e-resilience");
    assert.equal(slugFromTitle("Webinar: Digital Government — Services for All!"), "webinar-digital-government-services-for-all");
    assert.equal(slugFromTitle("Atelier régional à Genève"), "atelier-regional-a-geneve");
  });
  it("never returns an empty slug", () => {
    assert.equal(slugFromTitle("会议"), "meeting");
  });
});
