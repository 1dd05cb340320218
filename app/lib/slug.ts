import slugify from "slugify";

/** A readable URL slug from a title: "Expert Group Meeting on e-Resilience" → "expert-group-meeting-on-e-resilience". */
export function slugFromTitle(title: string, maxLength = 80): string {
  const slug = slugify(title, { lower: true, strict: true, trim: true, locale: "en" })
    .slice(0, maxLength)
    .replace(/-+$/, "");
  return slug || "meeting";
}
