/**
 * A download's `Content-Disposition` with its name: an ASCII `filename` for old clients and the
 * UTF-8 name in `filename*` (RFC 6266, RFC 8187). Quotes, backslashes, slashes and control
 * characters (CR/LF) are dropped. `inline` shows it in the browser (PDFs), `attachment` saves it.
 */
export function contentDisposition(fileName: string, disposition: "attachment" | "inline" = "attachment"): string {
  const name = fileName.replace(/[\u0000-\u001f\u007f"\\/]/g, "").trim() || "document";
  const ascii =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\u0020-\u007e]+/g, "_")
      .replace(/%/g, "_") || "document";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
