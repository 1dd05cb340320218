/**
 * A bare resource route for `npm run bench` (bench/run.ts): a constant text, so feeds, the API and
 * downloads can be measured against the cost of Remix itself. Public and harmless; not linked.
 */

export function loader() {
  return new Response("baseline\n", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
