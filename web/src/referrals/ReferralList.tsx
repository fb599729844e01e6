// 의뢰 수신함 and 보낸 의뢰: the institution's referrals, newest first, kept current by the
// referralEvents subscription (graphql-transport-ws) — a new or changed referral appears
// without reloading, and is announced to screen readers.
import { useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { useSession } from "../auth/session";
import { Field } from "../components/Field";
import { Notice, ProblemMessage } from "../components/ProblemMessage";
import { Pager } from "../components/Pager";
import { problemOf, type Problem } from "../errors";
import type { ReferralFieldsFragment, ReferralOutcome, ReferralReason } from "../gql/graphql";
import { useI18n } from "../i18n";
import {
  AcceptReferralMutation,
  CompleteReferralMutation,
  DeclineReferralMutation,
  ReferralEventsSubscription,
  ReferralsInboxQuery,
  ReferralsSentQuery,
  StartReferralMutation,
} from "./queries";

const DECLINE_REASONS: ReferralReason[] = ["NO_CAPACITY", "NOT_ELIGIBLE", "OUT_OF_SCOPE", "CLIENT_DECLINED", "OTHER"];
const NOT_SERVED_REASONS: ReferralReason[] = ["COULD_NOT_CONTACT", "CLIENT_DECLINED", "NOT_ELIGIBLE", "NEED_RESOLVED", "OTHER"];

export function ReferralList({ mode }: { mode: "inbox" | "sent" }) {
  const { t, label } = useI18n();
  const { viewer } = useSession();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [announcement, setAnnouncement] = useState("");
  const staff = !!viewer && !viewer.anonymous;
  const after = cursors[cursors.length - 1];
  const [inbox, refetchInbox] = useQuery({ query: ReferralsInboxQuery, variables: { after }, pause: !staff || mode !== "inbox" });
  const [sent, refetchSent] = useQuery({ query: ReferralsSentQuery, variables: { after }, pause: !staff || mode !== "sent" });
  const [socket] = useSubscription({ query: ReferralEventsSubscription, pause: !staff }, (_previous, event) => {
    const referral = event.referralEvents.referral;
    const mine = mode === "inbox" ? referral.toInstitution?.id : referral.fromInstitution?.id;
    if (mine === viewer?.institution?.id) {
      setAnnouncement(
        event.referralEvents.kind === "CREATED"
          ? t("inbox.arrived", { name: referral.fromInstitution?.name ?? "" })
          : t("inbox.changed", { status: label("ReferralStatus", event.referralEvents.status) }),
      );
      (mode === "inbox" ? refetchInbox : refetchSent)({ requestPolicy: "network-only" });
    }
    return event;
  });
  if (!staff)
    return (
      <div className="page">
        <h1>{t(mode === "inbox" ? "inbox.title" : "sent.title")}</h1>
        <p>{t("inbox.signin")}</p>
      </div>
    );
  const result = mode === "inbox" ? inbox : sent;
  const connection = mode === "inbox" ? inbox.data?.referralsInbox : sent.data?.referralsSent;
  return (
    <div className="page">
      <h1>{t(mode === "inbox" ? "inbox.title" : "sent.title")}</h1>
      <p className="hint">{socket.error ? t("inbox.liveOff") : t("inbox.live")}</p>
      <div className="visually-hidden" aria-live="polite" data-testid="live-announcement">
        {announcement}
      </div>
      {announcement && <Notice>{announcement}</Notice>}
      <ProblemMessage problem={problemOf(result.error)} />
      {connection && connection.edges.length === 0 && <p>{t("inbox.empty")}</p>}
      <ul className="referrals">
        {connection?.edges.map(({ node }) => <ReferralCard key={node.id} referral={node as ReferralFieldsFragment} mode={mode} />)}
      </ul>
      {connection && (
        <Pager cursors={cursors} hasNext={connection.pageInfo.hasNextPage} endCursor={connection.pageInfo.endCursor} onChange={setCursors} />
      )}
    </div>
  );
}

function ReferralCard({ referral: r, mode }: { referral: ReferralFieldsFragment; mode: "inbox" | "sent" }) {
  const { t, label, lang } = useI18n();
  const { has } = useSession();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [declineReason, setDeclineReason] = useState<ReferralReason>("NO_CAPACITY");
  const [outcome, setOutcome] = useState<ReferralOutcome>("SERVED");
  const [notServedReason, setNotServedReason] = useState<ReferralReason>("COULD_NOT_CONTACT");
  const [, accept] = useMutation(AcceptReferralMutation);
  const [, decline] = useMutation(DeclineReferralMutation);
  const [, start] = useMutation(StartReferralMutation);
  const [, complete] = useMutation(CompleteReferralMutation);
  const acts = mode === "inbox" && has("CASEWORKER", "ADMIN");
  const vars = { id: r.id, expectedVersion: r.version };

  async function run(action: () => Promise<{ error?: Parameters<typeof problemOf>[0] }>) {
    setProblem(null);
    const result = await action();
    if (result.error) setProblem(problemOf(result.error));
  }

  const other = mode === "inbox" ? r.fromInstitution : r.toInstitution;
  const titleId = `ref-${r.id}`;
  return (
    <li className="card referral" data-referral={r.id} data-status={r.status} aria-labelledby={titleId}>
      <div className="hit-head">
        <h2 id={titleId}>
          {r.resource?.name ?? (r.needs ?? []).map((n) => (lang === "ko" ? n.labelKo : n.labelEn)).join(", ")}
        </h2>
        <span className={`tag status-${r.status}`} data-testid="referral-status">
          {label("ReferralStatus", r.status)}
        </span>
        {r.urgent && <span className="tag urgent">{t("referral.urgent")}</span>}
      </div>
      <dl className="facts">
        <div>
          <dt>{t(mode === "inbox" ? "referral.from" : "referral.to")}</dt>
          <dd>{other?.name ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("referral.created")}</dt>
          <dd>{new Date(r.createdAt).toLocaleString(lang === "ko" ? "ko-KR" : "en-GB")}</dd>
        </div>
        {r.needs && (
          <div>
            <dt>{t("referral.needs")}</dt>
            <dd>{r.needs.map((n) => (lang === "ko" ? n.labelKo : n.labelEn)).join(", ")}</dd>
          </div>
        )}
        {r.outcome && (
          <div>
            <dt>{t("referral.outcome")}</dt>
            <dd>{label("ReferralOutcome", r.outcome)}</dd>
          </div>
        )}
        {r.reason && (
          <div>
            <dt>{t("referral.reason")}</dt>
            <dd>{label("ReferralReason", r.reason)}</dd>
          </div>
        )}
      </dl>
      {r.message && <p className="message">{r.message}</p>}
      <ProblemMessage problem={problem} />
      {acts && r.status === "SENT" && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => run(() => accept(vars))}>
            {t("referral.accept")}
          </button>
          <Field label={t("referral.declineReason")}>
            <select value={declineReason} onChange={(e) => setDeclineReason(e.target.value as ReferralReason)}>
              {DECLINE_REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {label("ReferralReason", reason)}
                </option>
              ))}
            </select>
          </Field>
          <button type="button" className="btn btn-secondary" onClick={() => run(() => decline({ ...vars, reason: declineReason }))}>
            {t("referral.decline")}
          </button>
        </div>
      )}
      {acts && r.status === "ACCEPTED" && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => run(() => start(vars))}>
            {t("referral.start")}
          </button>
        </div>
      )}
      {acts && r.status === "IN_PROGRESS" && (
        <div className="actions">
          <Field label={t("referral.completeOutcome")}>
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as ReferralOutcome)}>
              <option value="SERVED">{label("ReferralOutcome", "SERVED")}</option>
              <option value="NOT_SERVED">{label("ReferralOutcome", "NOT_SERVED")}</option>
            </select>
          </Field>
          {outcome === "NOT_SERVED" && (
            <Field label={t("referral.completeReason")}>
              <select value={notServedReason} onChange={(e) => setNotServedReason(e.target.value as ReferralReason)}>
                {NOT_SERVED_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {label("ReferralReason", reason)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => run(() => complete({ ...vars, outcome, reason: outcome === "NOT_SERVED" ? notServedReason : null }))}
          >
            {t("referral.complete")}
          </button>
        </div>
      )}
      <details>
        <summary>{t("referral.history")}</summary>
        <ol className="history">
          {r.history.map((h, i) => (
            <li key={i}>
              {new Date(h.at).toLocaleString(lang === "ko" ? "ko-KR" : "en-GB")} — {label("ReferralStatus", h.status)}
              {h.reason ? ` (${label("ReferralReason", h.reason)})` : ""}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}
