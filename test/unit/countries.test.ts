import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countryName, countryOptions, isCountryCode } from "../../app/lib/countries.server";

/** Intergovernmental bodies write country names as the UN does: the M49 / UNTERM short names. */
describe("country names", () => {
  it("are the UN short names where the ISO list differs", () => {
    const expected: Record<string, string> = {
      CN: "China",
      KR: "Republic of Korea",
      KP: "Democratic People's Republic of Korea",
      IR: "Iran (Islamic Republic of)",
      LA: "Lao People's Democratic Republic",
      VN: "Viet Nam",
      RU: "Russian Federation",
      TZ: "United Republic of Tanzania",
      BO: "Bolivia (Plurinational State of)",
      VE: "Venezuela (Bolivarian Republic of)",
      SY: "Syrian Arab Republic",
      MD: "Republic of Moldova",
      FM: "Micronesia (Federated States of)",
      TR: "Türkiye",
      GB: "United Kingdom of Great Britain and Northern Ireland",
      CZ: "Czechia",
      CV: "Cabo Verde",
      CI: "Côte d'Ivoire",
      HK: "China, Hong Kong Special Administrative Region",
      MO: "China, Macao Special Administrative Region",
      CG: "Congo",
      CD: "Democratic Republic of the Congo",
      GM: "Gambia",
      MK: "North Macedonia",
      NL: "Netherlands (Kingdom of the)",
      VA: "Holy See",
      PS: "State of Palestine",
      TH: "Thailand",
      IN: "India",
    };
    assert.deepEqual(Object.fromEntries(Object.keys(expected).map((code) => [code, countryName(code)])), expected);
    assert.equal(countryName(null), null);
  });

  it("are the same in the form's list, sorted by name, one entry per code", () => {
    const options = countryOptions();
    const byCode = new Map(options.map((option) => [option.code, option.name]));
    assert.equal(byCode.size, options.length);
    for (const code of ["CN", "KR", "KP", "IR", "VN", "FM", "MD"]) assert.equal(byCode.get(code), countryName(code), code);
    const names = options.map((option) => option.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "en")));
    // "Republic of Korea" sorts under R, as in UN lists; "China" under C.
    assert.ok(names.indexOf("Republic of Korea") > names.indexOf("Qatar"));
    assert.ok(names.indexOf("China") < names.indexOf("Colombia"));
  });

  it("accept only ISO 3166-1 alpha-2 codes", () => {
    assert.equal(isCountryCode("KR"), true);
    assert.equal(isCountryCode("kr"), false);
    assert.equal(isCountryCode("KOR"), false);
    assert.equal(isCountryCode("ZZ"), false);
  });
});
