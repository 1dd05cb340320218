import { createContext, useContext } from "react";

/**
 * The nonce that lets the page's inline scripts (Remix's) run under its Content-Security-Policy: made
 * per page by entry.server. In the browser it is undefined: browsers hide nonces from the page.
 */
export const ScriptNonce = createContext<string | undefined>(undefined);

export function useScriptNonce(): string | undefined {
  return useContext(ScriptNonce);
}
