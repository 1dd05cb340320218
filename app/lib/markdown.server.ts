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

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

/**
 * Markdown as plain text for places that show no HTML (calendar descriptions): paragraphs and
 * list items on their own lines, a link as "text (address)", no markup left.
 */
export function markdownToText(markdown: string | null): string {
  const html = renderMarkdown(markdown)
    .replace(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gs, (_, href: string, text: string) => (text === href ? href : `${text} (${href})`))
    .replace(/>\s*\n\s*</g, "><")
    .replace(/<li>/g, "- ")
    .replace(/<\/(p|h2|h3|h4|blockquote|pre|ul|ol|table)>/g, "\n\n")
    .replace(/<\/(li|tr)>|<br\s*\/?>/g, "\n");
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
