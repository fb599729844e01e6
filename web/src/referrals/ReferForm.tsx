// 서비스 의뢰: refer a recipient the caseworker's institution may see to the resource's
// institution, with needs, a message, the data to share, and a consent — or urgent with a
// reason. The API checks consent and access; its answer is shown next to the field at fault.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Field } from "../components/Field";
import { Notice, ProblemMessage } from "../components/ProblemMessage";
import { problemOf, type Problem } from "../errors";
import type { DataCategory } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { CreateReferralMutation, RecipientConsentsQuery, ReferralRecipientsQuery } from "./queries";

const CATEGORIES: DataCategory[] = ["IDENTITY", "CONTACT", "NEEDS", "HISTORY"];

interface Props {
  resourceId: string;
  institutionId: string;
  institutionName: string;
  needs: { code: string; labelKo: string; labelEn: string }[];
}

export function ReferForm({ resourceId, institutionId, institutionName, needs }: Props) {
  const { t, label, lang } = useI18n();
  const [recipientId, setRecipientId] = useState("");
  const [needCodes, setNeedCodes] = useState<string[]>(needs.map((n) => n.code));
  const [message, setMessage] = useState("");
  const [shared, setShared] = useState<DataCategory[]>(["IDENTITY", "NEEDS"]);
  const [consentId, setConsentId] = useState("");
  const [urgent, setUrgent] = useState(false);
  const [urgentReason, setUrgentReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sent, setSent] = useState<{ id: string; status: string } | null>(null);

  const [recipients] = useQuery({ query: ReferralRecipientsQuery });
  const [consents] = useQuery({ query: RecipientConsentsQuery, variables: { id: recipientId }, pause: !recipientId });
  const [created, create] = useMutation(CreateReferralMutation);
  const live = (consents.data?.recipient?.consents ?? []).filter((c) => c.status === "ACTIVE" && new Date(c.validUntil) > new Date());
  const errorFor = (field: string) => (problem?.field === field ? t(problem.key) : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await create({
      input: {
        recipientId,
        toInstitutionId: institutionId,
        resourceId,
        needCodes,
        message,
        sharedCategories: shared,
        consentId: urgent ? null : consentId || null,
        urgent,
        urgentReason: urgent ? urgentReason : null,
      },
    });
    if (result.data) setSent(result.data.createReferral);
    else setProblem(problemOf(result.error));
  }

  if (sent)
    return (
      <section className="card refer" aria-labelledby="refer-title">
        <h2 id="refer-title">{t("refer.title")}</h2>
        <Notice tone="success">
          <p data-referral-id={sent.id}>{t("refer.sent", { status: label("ReferralStatus", sent.status) })}</p>
          <Link href="/referrals/sent">{t("refer.toSent")}</Link>
        </Notice>
      </section>
    );

  const people = recipients.data?.recipients.edges.map((e) => e.node) ?? [];
  return (
    <section className="card refer" aria-labelledby="refer-title">
      <h2 id="refer-title">{t("refer.title")}</h2>
      <p>{t("refer.intro", { institution: institutionName })}</p>
      <form onSubmit={submit} noValidate>
        <ProblemMessage problem={problem && !problem.field ? problem : null} />
        <Field label={t("refer.recipient")} error={errorFor("recipientId")}>
          <select name="recipient" value={recipientId} onChange={(e) => setRecipientId(e.target.value)} required>
            <option value="">{people.length ? t("refer.chooseRecipient") : t("refer.noRecipients")}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name ?? p.id}
                {p.age != null ? ` (${t("recipients.age", { age: p.age })})` : ""}
              </option>
            ))}
          </select>
        </Field>
        <fieldset>
          <legend>{t("refer.needs")}</legend>
          {errorFor("needCodes") && <p className="error-text">{errorFor("needCodes")}</p>}
          <ul className="checks">
            {needs.map((n) => (
              <li key={n.code}>
                <label>
                  <input
                    type="checkbox"
                    checked={needCodes.includes(n.code)}
                    onChange={() => setNeedCodes((c) => (c.includes(n.code) ? c.filter((x) => x !== n.code) : [...c, n.code]))}
                  />
                  {lang === "ko" ? n.labelKo : n.labelEn}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <Field label={t("refer.message")} hint={t("refer.messageHint")} error={errorFor("message")}>
          <textarea name="message" rows={4} value={message} maxLength={2000} onChange={(e) => setMessage(e.target.value)} />
        </Field>
        <fieldset>
          <legend>{t("refer.shared")}</legend>
          <p className="hint">{t("refer.sharedHint")}</p>
          {errorFor("sharedCategories") && <p className="error-text">{errorFor("sharedCategories")}</p>}
          <ul className="checks inline">
            {CATEGORIES.map((c) => (
              <li key={c}>
                <label>
                  <input
                    type="checkbox"
                    checked={shared.includes(c)}
                    onChange={() => setShared((s) => (s.includes(c) ? s.filter((x) => x !== c) : [...s, c]))}
                  />
                  {label("DataCategory", c)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <label className="check">
          <input type="checkbox" name="urgent" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
          {t("refer.urgent")}
        </label>
        {urgent ? (
          <Field label={t("refer.urgentReason")} hint={t("refer.urgentHint")} error={errorFor("urgentReason")}>
            <textarea name="urgentReason" rows={2} value={urgentReason} onChange={(e) => setUrgentReason(e.target.value)} />
          </Field>
        ) : (
          <Field label={t("refer.consent")} error={errorFor("consentId")}>
            <select name="consent" value={consentId} onChange={(e) => setConsentId(e.target.value)}>
              <option value="">{live.length ? t("refer.chooseConsent") : t("refer.noConsent")}</option>
              {live.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("refer.consentOption", {
                    scope: c.scope.map((s) => label("DataCategory", s)).join(", "),
                    until: c.validUntil.slice(0, 10),
                  })}
                </option>
              ))}
            </select>
          </Field>
        )}
        <button type="submit" className="btn btn-primary" disabled={created.fetching}>
          {t("refer.submit")}
        </button>
      </form>
    </section>
  );
}
