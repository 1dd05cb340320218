import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

/** Markdown written by organisers, as HTML that is safe to put in a page: no scripts, styles, frames or event handlers. */
export function renderMarkdown(markdown: string | null): string {
  if (!markdown) return "";
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
  return sanitizeHtml(html, {
    allowedTags: [
      "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "code", "pre",
      "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "del",
    ],
    allowedAttributes: { a: ["href", "title", "rel"], th: ["align"], td: ["align"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    transformTags: {
      h1: "h2",
      a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" }),
    },
  });
}
