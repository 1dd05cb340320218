import { IANAZone } from "luxon";

/**
 * ICU (and so Node and browsers) still reports some zones by their legacy names; people and the
 * tz database use the current ones. Map the legacy ones ICU returns to the names people know.
 */
const CURRENT_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
  "Asia/Ujung_Pandang": "Asia/Makassar",
  "Asia/Macao": "Asia/Macau",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Samoa": "Pacific/Pago_Pago",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "Africa/Asmera": "Africa/Asmara",
};

/** Answers so far by what was typed: asking ICU builds two formatters (0.3 ms), on every registration and `?tz=` page. */
const normalised = new Map<string, string | null>();
const MAX_REMEMBERED = 1_000;

/** The zone's current IANA name (`asia/calcutta` → `Asia/Kolkata`), or null if it is not a zone. */
export function normaliseTimeZone(input: string): string | null {
  const known = normalised.get(input);
  if (known !== undefined) return known;
  const name = currentZoneName(input.trim());
  // Typed input is unbounded: forget everything rather than grow without end.
  if (normalised.size >= MAX_REMEMBERED) normalised.clear();
  normalised.set(input, name);
  return name;
}

function currentZoneName(zone: string): string | null {
  if (!zone || !IANAZone.isValidZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  if (resolved === "UTC" || resolved === "Etc/UTC") return "UTC";
  const name = CURRENT_NAMES[resolved] ?? resolved;
  return name.includes("/") ? name : null;
}

let cachedZones: string[] | null = null;

/** Every zone a meeting may use, by current name, sorted. */
export function timeZoneNames(): string[] {
  cachedZones ??= [
    ...new Set(
      Intl.supportedValuesOf("timeZone")
        .map((zone) => CURRENT_NAMES[zone] ?? zone)
        .filter((zone) => zone.includes("/") && !zone.startsWith("Etc/")),
    ),
  ].sort();
  return cachedZones;
}
