import { z } from "zod";
import { noNul } from "~/lib/form";

/**
 * What the server and the page share about webinar reports: the platforms, how a file writes its
 * dates, and how a person in the reports is named (their identity).
 */

export const PLATFORMS = ["zoom", "teams", "webex"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = { zoom: "Zoom", teams: "Microsoft Teams", webex: "Webex" };

/** Whether 06/01/2026 is the 6th of January (day first) or the 1st of June (month first). */
export const DATE_ORDERS = ["day-first", "month-first"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export const DATE_ORDER_LABELS: Record<DateOrder, string> = { "day-first": "Day first (31/05/2026, 31.5.2026)", "month-first": "Month first (05/31/2026)" };

/**
 * How a person appears in the reports: `email:<address>` when the row has one, else
 * `name:<lower-case name>`. Names are cut at 300 characters and addresses at 254; lower-casing
 * may lengthen a few letters (İ), hence the room.
 */
export const reportIdentity = z
  .string()
  .max(640, "Not a name or address from the reports")
  .regex(/^(email|name):./, "Not a name or address from the reports")
  .refine(noNul, "Not a name or address from the reports");

/** The name or address an identity stands for, without its `email:`/`name:` prefix. */
export function identityLabel(identity: string): string {
  return identity.replace(/^(email|name):/, "");
}

/** "Tuhoe, Kiri" → Kiri / Tuhoe; "Ana Lima" → Ana / Lima: a first guess at a name from a report, which the organiser corrects. */
export function nameParts(name: string): { firstName: string; lastName: string } {
  const [last, first] = name.includes(",") ? name.split(",", 2).map((part) => part.trim()) : [name.split(" ").slice(1).join(" "), name.split(" ")[0] ?? ""];
  return { firstName: first ?? "", lastName: last ?? "" };
}
