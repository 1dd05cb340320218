import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownToText } from "../../app/lib/markdown.server";

describe("markdown as plain text (calendar descriptions)", () => {
  it("drops the markup, keeps paragraphs, list items and link addresses", () => {
    const text = markdownToText("Opening by the **Executive Secretary**.\n\n- Adoption of the [agenda](https://example.org/agenda)\n- Election of officers\n\nQ&A <script>alert(1)</script>");
    assert.equal(text, "Opening by the Executive Secretary.\n\n- Adoption of the agenda (https://example.org/agenda)\n- Election of officers\n\nQ&A");
  });

  it("keeps characters that look like markup in plain words, and gives nothing for nothing", () => {
    assert.equal(markdownToText("Tariffs < 5% & \"fair\" — it's 3 > 2"), "Tariffs < 5% & \"fair\" — it's 3 > 2");
    assert.equal(markdownToText(null), "");
    assert.equal(markdownToText("https://example.org"), "https://example.org");
  });
});
