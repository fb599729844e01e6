// 통합 조회: the recipients an institution is entitled to, and one recipient's needs,
// history, cases, referrals and consents in one query. Every read is audited by the API; the
// page says so before anything is shown.
import { useState } from "react";
import { useQuery } from "urql";
import { useSession } from "../auth/session";
import { Pager } from "../components/Pager";
import { ProblemMessage } from "../components/ProblemMessage";
import { problemOf } from "../errors";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { Recipient360Query, RecipientListQuery } from "./queries";

function AuditNotice() {
  const { t } = useI18n();
  return (
    <div className="alert alert-warning audit" role="note">
      <p>{t("recipients.audit")}</p>
    </div>
  );
}

/** "없음" for an empty section; "비공개" when the category is withheld (the list is null). */
function Empty({ list }: { list: readonly unknown[] | null | undefined }) {
  const { t } = useI18n();
  if (list == null) return <p className="hint">{t("common.withheld")}</p>;
  return list.length === 0 ? <p className="hint">{t("common.none")}</p> : null;
}

export function RecipientList() {
  const { t } = useI18n();
  const { viewer } = useSession();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const staff = !!viewer && !viewer.anonymous;
  const [result] = useQuery({ query: RecipientListQuery, variables: { after: cursors[cursors.length - 1] }, pause: !staff });
  const list = result.data?.recipients;
  return (
    <div className="page">
      <h1>{t("recipients.title")}</h1>
      {!staff ? (
        <p>{t("recipients.signin")}</p>
      ) : (
        <>
          <AuditNotice />
          <ProblemMessage problem={problemOf(result.error)} />
          {list && list.edges.length === 0 && <p>{t("recipients.empty")}</p>}
          <ul className="plain-list">
            {list?.edges.map(({ node }) => (
              <li key={node.id}>
                <Link href={`/recipients/${node.id}`}>{node.name ?? node.id}</Link>
                {node.age != null && ` · ${t("recipients.age", { age: node.age })}`}
                {node.homeRegion && ` · ${node.homeRegion.name}`}
              </li>
            ))}
          </ul>
          {list && <Pager cursors={cursors} hasNext={list.pageInfo.hasNextPage} endCursor={list.pageInfo.endCursor} onChange={setCursors} />}
        </>
      )}
    </div>
  );
}

export function Recipient360({ id }: { id: string }) {
  const { t, label, lang } = useI18n();
  const { viewer } = useSession();
  const staff = !!viewer && !viewer.anonymous;
  const [result] = useQuery({ query: Recipient360Query, variables: { id }, pause: !staff });
  const p = result.data?.recipient;
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang === "ko" ? "ko-KR" : "en-GB");
  if (!staff)
    return (
      <div className="page">
        <h1>{t("recipients.title")}</h1>
        <p>{t("recipients.signin")}</p>
      </div>
    );
  return (
    <div className="page recipient-page">
      <p>
        <Link href="/recipients">← {t("common.back")}</Link>
      </p>
      <h1>
        {t("recipients.title")}
        {p?.name ? `: ${p.name}` : ""}
      </h1>
      <AuditNotice />
      <ProblemMessage problem={problemOf(result.error)} />
      {result.fetching && !p && <p>{t("common.loading")}</p>}
      {!result.fetching && !p && !result.error && <p>{t("recipients.notFound")}</p>}
      {p && (
        <>
          {p.withheldCategories.length > 0 && (
            <p className="hint">{t("recipients.withheldCategories", { cats: p.withheldCategories.map((c) => label("DataCategory", c)).join(", ") })}</p>
          )}
          <dl className="detail-list">
            <dt>{t("refer.recipient")}</dt>
            <dd>
              {p.name ?? "—"} {p.age != null && `(${t("recipients.age", { age: p.age })})`}
            </dd>
            <dt>{t("recipients.household")}</dt>
            <dd>{p.household?.type ? label("HouseholdType", p.household.type) : "—"}</dd>
            <dt>{t("recipients.income")}</dt>
            <dd>{p.incomePercent ?? "—"}</dd>
            <dt>{t("search.disability")}</dt>
            <dd>{p.disability ? label("Disability", p.disability) : "—"}</dd>
            <dt>{t("recipients.region")}</dt>
            <dd>{p.homeRegion ? (lang === "en" && p.homeRegion.nameEn ? p.homeRegion.nameEn : p.homeRegion.name) : "—"}</dd>
          </dl>
          <section aria-labelledby="r-needs">
            <h2 id="r-needs">{t("recipients.needs")}</h2>
            <Empty list={p.needs} />
            <ul className="plain-list">
              {(p.needs ?? []).map((n) => (
                <li key={n.code}>
                  {lang === "ko" ? n.need.labelKo : n.need.labelEn} · {t("recipients.severity", { n: n.severity })}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="r-enrollments">
            <h2 id="r-enrollments">{t("recipients.enrollments")}</h2>
            <Empty list={p.enrollments} />
            <ul className="plain-list">
              {(p.enrollments ?? []).map((e) => (
                <li key={e.id}>
                  {e.resource?.name ?? t("common.withheld")} ({e.resource?.provider?.name ?? "—"}) · {label("EnrollmentStatus", e.status)} · {e.start}
                  {e.end ? ` – ${e.end}` : ""}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="r-cases">
            <h2 id="r-cases">{t("recipients.cases")}</h2>
            <Empty list={p.cases} />
            {(p.cases ?? []).map((c) => (
              <div key={c.id} className="card">
                <p>
                  <strong>{label("Programme", c.programme)}</strong> · {label("CaseStatus", c.status)} · {t("recipients.lead")}: {c.lead?.name ?? "—"} · {date(c.openedAt)}
                </p>
                {c.notes.length > 0 && (
                  <ul className="plain-list">
                    {c.notes.map((n) => (
                      <li key={n.id}>
                        {date(n.createdAt)}: {n.text}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
          </section>
          <section aria-labelledby="r-referrals">
            <h2 id="r-referrals">{t("recipients.referrals")}</h2>
            <Empty list={p.referrals} />
            <ul className="plain-list">
              {(p.referrals ?? []).map((r) => (
                <li key={r.id}>
                  {date(r.createdAt)} · {r.fromInstitution?.name} → {r.toInstitution?.name} · {label("ReferralStatus", r.status)}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="r-consents">
            <h2 id="r-consents">{t("recipients.consents")}</h2>
            <Empty list={p.consents} />
            <ul className="plain-list">
              {(p.consents ?? []).map((c) => (
                <li key={c.id}>
                  {c.scope.map((s) => label("DataCategory", s)).join(", ")} · {label("ConsentStatus", c.status)} · {c.validUntil.slice(0, 10)}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
