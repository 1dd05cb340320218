import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeEntryBase, zipEntryName } from "../../app/documents/documents-zip.server";
import { contentType, fileForLanguage, parseRange, requestedFile } from "../../app/documents/downloads.server";
import { etagMatches } from "../../app/lib/conditional-requests.server";
import { contentDisposition } from "../../app/lib/content-disposition";

/** The pure parts of downloads: Range, validators, Content-Disposition, the file a request names, zip entry names. */

/** The name a client reads back from Content-Disposition: `filename*` decoded (RFC 8187), else `filename`. */
function dispositionName(header: string): { fallback: string; name: string } {
  const fallback = /filename="([^"]*)"/.exec(header)?.[1] ?? "";
  const extended = /filename\*=UTF-8''([^;\s]+)/.exec(header)?.[1];
  return { fallback, name: extended ? decodeURIComponent(extended) : fallback };
}

describe("parseRange", () => {
  it("reads a-b, a- and -n within the content", () => {
    assert.deepEqual(parseRange("bytes=0-99", 1000), { kind: "part", start: 0, end: 99 });
    assert.deepEqual(parseRange("bytes=500-", 1000), { kind: "part", start: 500, end: 999 });
    assert.deepEqual(parseRange("bytes=-100", 1000), { kind: "part", start: 900, end: 999 });
    assert.deepEqual(parseRange("BYTES= 10 - 19 ", 1000), { kind: "part", start: 10, end: 19 });
  });

  it("clips an end past the content and a suffix longer than it", () => {
    assert.deepEqual(parseRange("bytes=990-5000", 1000), { kind: "part", start: 990, end: 999 });
    assert.deepEqual(parseRange("bytes=-5000", 1000), { kind: "part", start: 0, end: 999 });
    assert.deepEqual(parseRange("bytes=0-99999999999999999999999", 1000), { kind: "part", start: 0, end: 999 });
  });

  it("finds a start past the end, and -0, unsatisfiable", () => {
    assert.deepEqual(parseRange("bytes=1000-", 1000), { kind: "unsatisfiable" });
    assert.deepEqual(parseRange("bytes=1000-2000", 1000), { kind: "unsatisfiable" });
    assert.deepEqual(parseRange("bytes=-0", 1000), { kind: "unsatisfiable" });
    assert.deepEqual(parseRange("bytes=99999999999999999999999-", 1000), { kind: "unsatisfiable" });
  });

  it("ignores what is not one bytes range: no header, other units, malformed, reversed, several ranges", () => {
    for (const header of [null, "", "items=0-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-2", "bytes=0-1,5-6", "bytes=1.5-2", "0-10"]) {
      assert.deepEqual(parseRange(header, 1000), { kind: "whole" }, String(header));
    }
  });
});

describe("etagMatches", () => {
  it("compares weakly within a list, and * matches", () => {
    assert.equal(etagMatches('"abc"', '"abc"'), true);
    assert.equal(etagMatches('"x", W/"abc"', '"abc"'), true);
    assert.equal(etagMatches("*", '"abc"'), true);
    assert.equal(etagMatches('"abd"', '"abc"'), false);
    assert.equal(etagMatches(null, '"abc"'), false);
  });
});

describe("contentDisposition", () => {
  it("gives the UTF-8 name in filename* and an ASCII fallback", () => {
    for (const name of ["Документ-ру.pdf", "会议.pdf", "Note d'information (FR).pdf", "Résumé 100%.docx", "plain.pdf"]) {
      const header = contentDisposition(name);
      assert.match(header, /^attachment; /);
      const parsed = dispositionName(header);
      assert.equal(parsed.name, name);
      assert.match(parsed.fallback, /^[\x20-\x7e]+$/, name);
      assert.ok(!parsed.fallback.includes("%"), name);
    }
    assert.equal(dispositionName(contentDisposition("Résumé.pdf")).fallback, "Resume.pdf");
    assert.equal(dispositionName(contentDisposition("会议.pdf")).fallback, "_.pdf");
  });

  it("shows a file in the browser when asked to (PDFs), with the same names", () => {
    const header = contentDisposition("certificate-Nguyễn.pdf", "inline");
    assert.match(header, /^inline; filename="certificate-Nguyen\.pdf"; filename\*=UTF-8''/);
    assert.equal(dispositionName(header).name, "certificate-Nguyễn.pdf");
  });

  it("drops quotes, backslashes, slashes and CR/LF, so no header can be injected", () => {
    const header = contentDisposition('evil"\r\nSet-Cookie: a=b\\..\\/x.pdf');
    assert.ok(!/[\r\n]/.test(header));
    const parsed = dispositionName(header);
    assert.equal(parsed.name, "evilSet-Cookie: a=b..x.pdf");
    assert.equal(parsed.fallback, "evilSet-Cookie: a=b..x.pdf");
    assert.equal(dispositionName(contentDisposition('"\r\n')).name, "document");
  });
});

describe("contentType", () => {
  it("adds charset=utf-8 to text only", () => {
    assert.equal(contentType("text/plain"), "text/plain; charset=utf-8");
    assert.equal(contentType("text/plain; charset=utf-8"), "text/plain; charset=utf-8");
    assert.equal(contentType("application/pdf"), "application/pdf");
  });
});

describe("the file a request names", () => {
  const file = (language: string, version: number, superseded = false) => ({ language, version, superseded_at: superseded ? new Date() : null });
  const history = [file("en", 2), file("en", 1, true), file("fr", 1), file("ru", 3), file("ru", 2, true)];

  it("falls back to English, then the first language", () => {
    assert.equal(fileForLanguage([file("zh", 1), file("fr", 1)], "ru")?.language, "zh");
    assert.equal(fileForLanguage([file("zh", 1), file("en", 1)], "ru")?.language, "en");
    assert.equal(fileForLanguage([file("zh", 1), file("fr", 1)], "fr")?.language, "fr");
    assert.equal(fileForLanguage([], "fr"), undefined);
  });

  it("serves the current file by default, a superseded one by version, nothing for an unknown language or version", () => {
    assert.deepEqual(requestedFile(history, {}), history[0]);
    assert.deepEqual(requestedFile(history, { lang: "fr" }), history[2]);
    assert.deepEqual(requestedFile(history, { version: 1 }), history[1]);
    assert.deepEqual(requestedFile(history, { lang: "ru", version: 2 }), history[4]);
    assert.equal(requestedFile(history, { lang: "de" }), undefined);
    assert.equal(requestedFile(history, { lang: "fr", version: 2 }), undefined);
    assert.deepEqual(requestedFile([file("fr", 1), file("ru", 1)], {}), { language: "fr", version: 1, superseded_at: null });
  });
});

describe("zip entry names", () => {
  it("are single safe names: no slashes, no .., no reserved or control characters", () => {
    assert.equal(safeEntryBase("ESCAP/APIS/2026/WP.1"), "ESCAP_APIS_2026_WP.1");
    assert.equal(safeEntryBase("../../etc/passwd"), "_._etc_passwd");
    assert.equal(safeEntryBase("..."), "document");
    assert.equal(safeEntryBase('a\u0000b:c*d?"e<f>g|h\\i\r\nj'), "a_b_c_d_e_f_g_h_i_j");
    for (const text of ["../..", "a/../b", "..\\..\\x", " . .. "]) {
      const safe = safeEntryBase(text);
      assert.ok(!safe.includes("/") && !safe.includes("\\") && !safe.includes(".."), `${text} → ${safe}`);
    }
  });

  it("carry the language and extension and are unique, case-insensitively", () => {
    const taken = new Set<string>();
    assert.equal(zipEntryName("ESCAP/APIS/2026/WP.1", "en", "wp1.PDF", "application/pdf", taken), "ESCAP_APIS_2026_WP.1 (en).pdf");
    assert.equal(zipEntryName("Concept note", "fr", "note", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", taken), "Concept note (fr).docx");
    assert.equal(zipEntryName("concept NOTE", "fr", "x.docx", "application/pdf", taken), "concept NOTE (fr) (2).docx");
    assert.equal(zipEntryName("Data", "en", "data", "application/octet-stream", taken), "Data (en).bin");
  });
});
