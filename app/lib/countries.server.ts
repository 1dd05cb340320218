import countries from "i18n-iso-countries";

/**
 * ISO 3166-1 alpha-2 codes with English names: the UN's short names (M49 / UNTERM), which the
 * bodies using this platform write, where the `i18n-iso-countries` list says otherwise ("South
 * Korea", "Vietnam"…); its names for the rest.
 */
const UN_SHORT_NAMES: Record<string, string> = {
  BO: "Bolivia (Plurinational State of)",
  CG: "Congo",
  CI: "Côte d'Ivoire",
  CN: "China",
  CV: "Cabo Verde",
  CZ: "Czechia",
  FM: "Micronesia (Federated States of)",
  GB: "United Kingdom of Great Britain and Northern Ireland",
  GM: "Gambia",
  HK: "China, Hong Kong Special Administrative Region",
  IR: "Iran (Islamic Republic of)",
  KP: "Democratic People's Republic of Korea",
  KR: "Republic of Korea",
  MD: "Republic of Moldova",
  MK: "North Macedonia",
  MO: "China, Macao Special Administrative Region",
  NL: "Netherlands (Kingdom of the)",
  RE: "Réunion",
  VA: "Holy See",
  VE: "Venezuela (Bolivarian Republic of)",
  VG: "British Virgin Islands",
  VI: "United States Virgin Islands",
  VN: "Viet Nam",
};

export function isCountryCode(code: string): boolean {
  return countries.isValid(code) && /^[A-Z]{2}$/.test(code);
}

export function countryName(code: string | null): string | null {
  if (!code) return null;
  return UN_SHORT_NAMES[code] ?? countries.getName(code, "en", { select: "official" }) ?? code;
}

let options: { code: string; name: string }[] | null = null;

export function countryOptions(): { code: string; name: string }[] {
  options ??= Object.keys(countries.getAlpha2Codes())
    .map((code) => ({ code, name: countryName(code)! }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
  return options;
}

let choices: { value: string; label: string }[] | null = null;

/** The countries as a select's options: the code as the value, the name as the label. */
export function countryChoices(): { value: string; label: string }[] {
  choices ??= countryOptions().map(({ code, name }) => ({ value: code, label: name }));
  return choices;
}
