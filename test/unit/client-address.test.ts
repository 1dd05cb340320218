import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientNetworkOf } from "../../app/rate-limits/client-address.server";

describe("the client's network", () => {
  it("is the socket's peer, X-Forwarded-For ignored, when no proxy is trusted", () => {
    assert.equal(clientNetworkOf("203.0.113.9", "198.51.100.1", 0), "203.0.113.9");
    assert.equal(clientNetworkOf("::ffff:203.0.113.9", null, 0), "203.0.113.9", "an IPv4-mapped address is its IPv4 address");
  });

  it("is the entry the outermost trusted proxy added, not what the client sent", () => {
    assert.equal(clientNetworkOf("10.0.0.2", "6.6.6.6, 198.51.100.1", 1), "198.51.100.1");
    assert.equal(clientNetworkOf("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.9", 2), "198.51.100.1");
    assert.equal(clientNetworkOf("10.0.0.2", " 198.51.100.1 ,", 1), "198.51.100.1");
  });

  it("is the socket's peer when the header did not pass through every trusted proxy", () => {
    assert.equal(clientNetworkOf("10.0.0.2", null, 1), "10.0.0.2");
    assert.equal(clientNetworkOf("10.0.0.2", "198.51.100.1", 2), "10.0.0.2");
  });

  it("counts an IPv6 client by its /64", () => {
    assert.equal(clientNetworkOf("2001:db8:0:12:a:b:c:d", null, 0), "2001:db8:0:12::/64");
    assert.equal(clientNetworkOf("2001:0DB8::1", null, 0), "2001:db8:0:0::/64");
    assert.equal(clientNetworkOf("fe80::1%eth0", null, 0), "fe80:0:0:0::/64");
    assert.equal(clientNetworkOf("::1", null, 0), "0:0:0:0::/64");
    assert.equal(clientNetworkOf("10.0.0.2", "2001:db8:1:2::7", 1), "2001:db8:1:2::/64");
  });
});
