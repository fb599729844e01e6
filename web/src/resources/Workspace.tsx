// 자원 관리: the registrant's list of the institution's resources (all of them: the owner
// sees every listing), with a way to register a new one.
import { useState } from "react";
import { useQuery } from "urql";
import { useSession } from "../auth/session";
import { Pager } from "../components/Pager";
import { ProblemMessage } from "../components/ProblemMessage";
import { problemOf } from "../errors";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { MyResourcesQuery } from "./queries";

export function Workspace() {
  const { t, label } = useI18n();
  const { viewer, has } = useSession();
  const institution = viewer?.institution?.id;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [result] = useQuery({
    query: MyResourcesQuery,
    variables: { institution: institution ?? "", after: cursors[cursors.length - 1] },
    pause: !institution,
    requestPolicy: "cache-and-network",
  });
  if (!viewer || viewer.anonymous || !institution)
    return (
      <div className="page">
        <h1>{t("workspace.title")}</h1>
        <p>{t("workspace.signin")}</p>
      </div>
    );
  const manages = has("REGISTRANT", "ADMIN");
  const list = result.data?.institution?.resources;
  return (
    <div className="page">
      <h1>{t("workspace.title")}</h1>
      <p className="lead">{t("workspace.intro", { institution: viewer.institution?.name ?? "" })}</p>
      {manages ? (
        <p>
          <Link className="btn btn-primary" href="/workspace/new">
            {t("workspace.new")}
          </Link>
        </p>
      ) : (
        <p className="hint">{t("workspace.notAllowed")}</p>
      )}
      <ProblemMessage problem={problemOf(result.error)} />
      {list && list.edges.length === 0 && <p>{t("workspace.empty")}</p>}
      {list && (
        <table className="table">
          <caption className="visually-hidden">{t("workspace.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("form.name")}</th>
              <th scope="col">{t("resource.kind")}</th>
              <th scope="col">{t("resource.status")}</th>
              <th scope="col">{t("vis.listing")}</th>
            </tr>
          </thead>
          <tbody>
            {list.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link href={`/workspace/${node.id}`}>{node.name}</Link>
                </td>
                <td>{label("ResourceKind", node.kind)}</td>
                <td>{label("ResourceStatus", node.status)}</td>
                <td>{node.visibility ? label("Audience", node.visibility.listing) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager cursors={cursors} hasNext={list.pageInfo.hasNextPage} endCursor={list.pageInfo.endCursor} onChange={setCursors} />}
    </div>
  );
}
