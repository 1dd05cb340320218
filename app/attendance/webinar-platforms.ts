/** The webinar platforms whose reports are imported, and how a file writes its dates: shared by the server and the page. */

export const PLATFORMS = ["zoom", "teams", "webex"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = { zoom: "Zoom", teams: "Microsoft Teams", webex: "Webex" };

/** Whether 06/01/2026 is the 6th of January (day first) or the 1st of June (month first). */
export const DATE_ORDERS = ["day-first", "month-first"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
