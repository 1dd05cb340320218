import { isIPv4, isIPv6 } from "node:net";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The network the request comes from (`clientNetworkOf`), set by the server for every request: what per-IP limits count. */
    clientNetwork: string;
  }
}

/**
 * The network a request comes from: the socket's peer, or with `trustedProxies` reverse proxies
 * in front, the `X-Forwarded-For` entry the outermost of them added (that many from the end:
 * anything left of it came from the client and proves nothing). A header shorter than that did
 * not pass through every proxy, so the socket's peer stands.
 */
export function clientNetworkOf(socketAddress: string | undefined, forwardedFor: string | null, trustedProxies: number): string {
  const forwarded = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = trustedProxies > 0 && forwarded.length >= trustedProxies ? forwarded[forwarded.length - trustedProxies]! : (socketAddress ?? "");
  return networkOf(address);
}

/**
 * IPv4 addresses as they are; IPv6 ones by their /64, which one household or phone is given
 * whole (counting single IPv6 addresses would let a client walk around a limit).
 */
function networkOf(address: string): string {
  const plain = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIPv4(plain) || !isIPv6(plain)) return plain;
  return `${ipv6Groups(plain).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, "::" expanded (an IPv4 tail counts as two groups). */
function ipv6Groups(address: string): string[] {
  const groupsIn = (part: string) => (part ? part.split(":").flatMap((group) => (group.includes(".") ? ["v4", "v4"] : [group])) : []);
  const [head = "", tail] = address.split("::");
  const left = groupsIn(head);
  const right = tail === undefined ? [] : groupsIn(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
}
