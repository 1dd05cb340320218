import type { MetaFunction } from "@remix-run/node";

/**
 * A bare page for `npm run bench` (bench/run.ts): a Remix page that renders a constant and has no
 * loader of its own, so page routes can be measured against the cost of the app's shell. Public
 * and harmless; not linked from anywhere.
 */

export const meta: MetaFunction = () => [{ title: "Baseline" }, { name: "robots", content: "noindex" }];

export default function BaselinePage() {
  return <p>Baseline page.</p>;
}
