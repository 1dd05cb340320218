/**
 * What stands in place of an erased person's address (see app/personal-data/erasure.server.ts):
 * `.invalid` is reserved (RFC 2606), so no mail is ever delivered there and no one can sign up with it.
 */
export const ERASED_DOMAIN = "anonymised.invalid";

export function isErasedAddress(address: string): boolean {
  return address.toLowerCase().endsWith(".invalid");
}
