// Cursor paging: "next" follows pageInfo.endCursor; "previous" goes back along the cursors
// already visited (the API pages forward only).
import { useI18n } from "../i18n";

interface Props {
  cursors: (string | null)[];
  hasNext: boolean;
  endCursor: string | null | undefined;
  onChange: (cursors: (string | null)[]) => void;
}

export function Pager({ cursors, hasNext, endCursor, onChange }: Props) {
  const { t } = useI18n();
  const page = cursors.length;
  if (page <= 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label={t("common.page", { n: page })}>
      <button type="button" className="btn btn-secondary" disabled={page <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
        {t("common.prev")}
      </button>
      <span aria-current="page">{t("common.page", { n: page })}</span>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={!hasNext || !endCursor}
        onClick={() => onChange([...cursors, endCursor ?? null])}
      >
        {t("common.next")}
      </button>
    </nav>
  );
}
