import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

/** Characters of markdown and HTML kept, about 8 MB. */
const RENDERINGS_KEPT = 4_000_000;
const renderings = new Map<string, string>();
let renderingsSize = 0;

/**
 * Markdown written by organisers, as HTML that is safe to put in a page: no scripts, styles, frames
 * or event handlers. Rendering costs 0.1 to 0.3 ms; an agenda page shows hundreds of descriptions,
 * the same ones request after request, so renderings are kept, by the text itself (never stale).
 */
export function renderMarkdown(markdown: string | null): string {
  if (!markdown) return "";
  let html = renderings.get(markdown);
  if (html === undefined) {
    html = renderUncached(markdown);
    renderings.set(markdown, html);
    renderingsSize += markdown.length + html.length;
    for (const [oldest, kept] of renderings) {
      if (renderingsSize <= RENDERINGS_KEPT) break;
      renderings.delete(oldest);
      renderingsSize -= oldest.length + kept.length;
    }
  }
  return html;
}

function renderUncached(markdown: string): string {
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
