import countries from "i18n-iso-countries";

/** ISO 3166-1 alpha-2 codes with English names, from the `i18n-iso-countries` list. */

export function isCountryCode(code: string): boolean {
  return countries.isValid(code) && /^[A-Z]{2}$/.test(code);
}

export function countryName(code: string | null): string | null {
  if (!code) return null;
  return countries.getName(code, "en", { select: "official" }) ?? code;
}

let options: { code: string; name: string }[] | null = null;

export function countryOptions(): { code: string; name: string }[] {
  options ??= Object.entries(countries.getNames("en", { select: "official" }))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  return options;
}
