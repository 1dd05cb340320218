import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { repeatEvery } from "../../app/lib/repeat.server";

describe("repeatEvery", () => {
  it("runs at once, again straight away while there is more to do, then idles; stopping waits for the run", async () => {
    const answers = [true, true, false];
    let runs = 0;
    const stop = repeatEvery(60_000, async () => {
      runs += 1;
      return answers.shift() ?? false;
    });
    await sleep(50);
    assert.equal(runs, 3, "two runs with more to do, then one that found nothing");
    await stop();
    await sleep(20);
    assert.equal(runs, 3, "nothing after stopping");
  });

  it("logs a failure and runs again after the pause", async () => {
    const lines: string[] = [];
    let runs = 0;
    const stop = repeatEvery(
      10,
      async () => {
        runs += 1;
        if (runs === 1) throw new Error("database down");
      },
      { log: (line) => lines.push(line) },
    );
    await sleep(60);
    await stop();
    assert.deepEqual(lines, ["database down"]);
    assert.ok(runs >= 2, `ran again after the failure (${runs} runs)`);
  });
});
