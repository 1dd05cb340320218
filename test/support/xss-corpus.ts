import assert from "node:assert/strict";
import { type DefaultTreeAdapterTypes, parse } from "parse5";

/**
 * Cross-site scripting attempts, each short enough for a name field (≤ 100 characters). Each is
 * typed into every text field that is shown back; the pages that show it must keep it inert.
 */
export const XSS_CORPUS: readonly string[] = [
  "<script>alert(1)</script>",
  "</script><script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)' x='",
  '" onmouseover="alert(1)" x="',
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<iframe src=javascript:alert(1)></iframe>",
  "<object data=javascript:alert(1)></object>",
  "<embed src=javascript:alert(1)>",
  "<a href=javascript:alert(1)>x</a>",
  '<a href="jav&#x61;script:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  "<a href=\"java\tscript:alert(1)\">x</a>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](vbscript:msgbox(1))",
  "<javascript:alert(1)>",
  "[x][r]\n\n[r]: javascript:alert(1)",
  '[x](https://example.org/" onmouseover="alert(1))',
  "![x](x\" onerror=\"alert(1))",
  "<details open ontoggle=alert(1)>",
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<p style="background:url(javascript:alert(1))">x</p>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
  "<!--<img src=x onerror=alert(1)>-->",
  "{{constructor.constructor('alert(1)')()}}",
  "\u2028\u2029</script><script>alert(1)</script>",
];

/** A URL-shaped attack for fields that take an address (an online link, a website). */
export const XSS_URLS: readonly string[] = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "https://example.org/\"><script>alert(1)</script>",
];

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const FOREIGN_OR_EMBEDDING = new Set(["svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"]);
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "srcset", "ping", "cite"]);
/** The scripts Remix writes: its context, the route modules and their imports. */
const APP_SCRIPT = /^\s*(window\.__remix|import\b|\(\(|\{"|$)/;

function isElement(node: Node): node is Element {
  return "tagName" in node;
}

function* elements(node: Node): Generator<Element> {
  if (isElement(node)) {
    yield node;
    if (node.tagName === "template") yield* elements((node as DefaultTreeAdapterTypes.Template).content as unknown as Node);
  }
  if ("childNodes" in node) for (const child of node.childNodes) yield* elements(child);
}

/** The page's script elements as a browser parses them: their attributes, and their markup for messages. */
export function scriptElements(html: string): { attributes: Map<string, string>; markup: string }[] {
  return [...elements(parse(html) as unknown as Node)]
    .filter((element) => element.tagName === "script")
    .map((element) => ({ attributes: new Map(element.attrs.map((a) => [a.name, a.value])), markup: describe(element) }));
}

/** What a browser makes of a URL's scheme: tabs and newlines removed anywhere, controls and spaces around it trimmed. */
export function schemeOf(url: string): string {
  const cleaned = url.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "").toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(cleaned)?.[1] ?? "";
}

function isDangerousUrl(url: string): boolean {
  const scheme = schemeOf(url);
  if (scheme === "javascript" || scheme === "vbscript" || scheme === "livescript") return true;
  return scheme === "data" && !/^\s*data:image\/(png|jpeg|gif|webp)[;,]/i.test(url);
}

function describe(element: Element): string {
  return `<${element.tagName} ${element.attrs.map((a) => `${a.name}="${a.value.slice(0, 60)}"`).join(" ")}>`;
}

/**
 * The problems a browser would run in this HTML: a script that is not the app's own, an event
 * handler attribute, a javascript:/vbscript:/data: URL, an embedding or foreign element (the app
 * renders none), a style with a script URL, a refresh to somewhere.
 */
export function liveMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const element of elements(parse(html) as unknown as Node)) {
    const tag = element.tagName;
    if (tag === "script") {
      const src = element.attrs.find((a) => a.name === "src")?.value;
      const text = element.childNodes.map((child) => ("value" in child ? String(child.value) : "")).join("");
      if (src !== undefined ? !src.startsWith("/build/") : !APP_SCRIPT.test(text)) problems.push(`a script that is not the app's: ${describe(element)} ${text.slice(0, 80)}`);
    }
    if (FOREIGN_OR_EMBEDDING.has(tag)) problems.push(`an element the app never renders: ${describe(element)}`);
    if (tag === "meta" && element.attrs.some((a) => a.name === "http-equiv" && a.value.toLowerCase() === "refresh")) problems.push(`a refresh: ${describe(element)}`);
    for (const attribute of element.attrs) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`an event handler: ${describe(element)}`);
      if (URL_ATTRIBUTES.has(name) && isDangerousUrl(attribute.value)) problems.push(`a ${schemeOf(attribute.value)}: address: ${describe(element)}`);
      if (name === "style" && /javascript:|expression\s*\(|url\s*\(/i.test(attribute.value)) problems.push(`a style that loads or runs: ${describe(element)}`);
    }
  }
  return problems;
}

/** The HTML's text as a reader sees it (script and style contents excluded). */
export function visibleText(html: string): string {
  let text = "";
  const walk = (node: Node) => {
    if (isElement(node) && (node.tagName === "script" || node.tagName === "style" || node.tagName === "template")) return;
    if (node.nodeName === "#text") text += (node as DefaultTreeAdapterTypes.TextNode).value;
    if (isElement(node)) for (const attribute of node.attrs) if (attribute.name === "value") text += ` ${attribute.value} `;
    if ("childNodes" in node) for (const child of node.childNodes) walk(child);
  };
  walk(parse(html) as unknown as Node);
  return text;
}

/** Fails, naming the page and what is live, when the HTML would run anything from user input. */
export function assertInert(html: string, what: string) {
  const problems = liveMarkup(html);
  if (problems.length) assert.fail(`${what}: live markup from user input:\n  ${problems.slice(0, 8).join("\n  ")}`);
}
