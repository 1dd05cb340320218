import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { MeetingList } from "~/meetings/meeting-list";
import { loadMeetingList } from "~/meetings/meeting-list.server";
import { findProgramme, programmeAncestry, programmeTree } from "~/programmes/programmes.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = database();
  const programme = await findProgramme(db, params.slug ?? "");
  if (!programme) throw new Response("There is no such programme.", { status: 404 });
  const [list, ancestry, tree] = await Promise.all([
    loadMeetingList(request, programme),
    programmeAncestry(db, programme.id),
    programmeTree(db),
  ]);
  const children = tree.filter((p) => p.parent_id === programme.id).map(({ slug, title }) => ({ slug, title }));
  return json({
    programme: { slug: programme.slug, title: programme.title, summary: programme.summary },
    parents: ancestry.slice(0, -1),
    children,
    list,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.programme.title : "Programme" }];

export default function ProgrammePage() {
  const { programme, parents, children, list } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to="/programmes">Programmes</Link>
        {parents.map((parent) => (
          <span key={parent.slug}>
            {" › "}
            <Link to={`/programmes/${parent.slug}`}>{parent.title}</Link>
          </span>
        ))}
      </nav>
      <h1>{programme.title}</h1>
      {programme.summary && <p className="prose">{programme.summary}</p>}
      {children.length > 0 && (
        <p>
          Includes:{" "}
          {children.map((child, index) => (
            <span key={child.slug}>
              {index > 0 && ", "}
              <Link to={`/programmes/${child.slug}`}>{child.title}</Link>
            </span>
          ))}
        </p>
      )}
      <h2>{list.filter.past ? "Past meetings" : "Upcoming meetings"}</h2>
      <MeetingList data={list} showProgrammeFilter={false} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
