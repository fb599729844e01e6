// The needs taxonomy as nested checkboxes: each domain (e.g. 일상생활) opens to its narrower
// needs, and a need with narrower ones of its own (신변처리 → 장기요양) lists them under it.
// Native <details> and checkboxes, so it works by keyboard and screen reader.
import { useI18n } from "../i18n";

export interface NeedNode {
  code: string;
  labelKo: string;
  labelEn: string;
  children?: NeedNode[];
}

interface Props {
  legend: string;
  hint?: string;
  tree: NeedNode[];
  selected: string[];
  onChange: (codes: string[]) => void;
  error?: string | null;
}

// A node's code and those of every node below it.
const codesUnder = (node: NeedNode): string[] => [node.code, ...(node.children ?? []).flatMap(codesUnder)];

export function NeedPicker({ legend, hint, tree, selected, onChange, error }: Props) {
  const { lang } = useI18n();
  const name = (n: NeedNode) => (lang === "ko" ? n.labelKo : n.labelEn);
  const toggle = (code: string) =>
    onChange(selected.includes(code) ? selected.filter((c) => c !== code) : [...selected, code]);
  const item = (need: NeedNode) => (
    <li key={need.code}>
      <label>
        <input type="checkbox" name="need" value={need.code} checked={selected.includes(need.code)} onChange={() => toggle(need.code)} />
        {name(need)}
      </label>
      {need.children?.length ? <ul className="checks">{need.children.map(item)}</ul> : null}
    </li>
  );
  return (
    <fieldset className={`need-picker${error ? " field-error" : ""}`}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {error && <p className="error-text">{error}</p>}
      {tree.map((domain) => {
        const inDomain = codesUnder(domain);
        const count = inDomain.filter((c) => selected.includes(c)).length;
        return (
          <details key={domain.code} open={count > 0 || undefined}>
            <summary>
              {name(domain)}
              {count > 0 && <span className="count"> ({count})</span>}
            </summary>
            <ul className="checks">
              <li>
                <label>
                  <input type="checkbox" name="need" value={domain.code} checked={selected.includes(domain.code)} onChange={() => toggle(domain.code)} />
                  {name(domain)} {lang === "ko" ? "전체" : "(all)"}
                </label>
              </li>
              {(domain.children ?? []).map(item)}
            </ul>
          </details>
        );
      })}
    </fieldset>
  );
}
