import type { MetaFunction } from "@remix-run/node";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  throw new Response("", { status: 404, statusText: "Not Found" });
}

export const meta: MetaFunction = () => [{ title: "Page not found" }];

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
