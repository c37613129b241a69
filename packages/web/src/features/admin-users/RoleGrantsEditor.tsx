import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Office, type Role, type RoleGrantInput } from '../../lib/types.ts';
import { buildOfficeTree, flattenOfficeTree, officeOptionLabel } from '../../lib/offices.ts';
import { SelectField } from '../../ui/index.ts';

interface RoleGrantsEditorProps {
  /** Prefix for element ids and data-testids, e.g. "user-create" → user-create-office. */
  idPrefix: string;
  grants: RoleGrantInput[];
  offices: readonly Office[];
  onChange: (grants: RoleGrantInput[]) => void;
  error?: string | null | undefined;
  disabled?: boolean;
}

/** Pick an office and a role, add; repeat. Lists the grants with a remove button each. */
export function RoleGrantsEditor({ idPrefix, grants, offices, onChange, error, disabled }: RoleGrantsEditorProps) {
  const { t } = useTranslation();
  const [officeId, setOfficeId] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [pickError, setPickError] = useState<string | null>(null);
  const flat = useMemo(() => flattenOfficeTree(buildOfficeTree(offices)), [offices]);
  const byId = useMemo(() => new Map(offices.map((o) => [o.id, o])), [offices]);

  function add() {
    if (!officeId || !role) {
      setPickError(t('users.grants.pickBoth'));
      return;
    }
    if (grants.some((g) => g.officeId === officeId && g.role === role)) {
      setPickError(t('users.grants.duplicate'));
      return;
    }
    setPickError(null);
    onChange([...grants, { officeId, role }]);
    setRole('');
  }

  const officeLabel = (id: string) => {
    const o = byId.get(id);
    return o ? `${o.name} (${o.code})` : id;
  };

  return (
    <fieldset className="fieldset" aria-describedby={error ? `${idPrefix}-roles-error` : undefined}>
      <legend className="fieldset__legend">{t('users.grants.legend')}</legend>
      <p className="field__hint">{t('users.grants.hint')}</p>
      {grants.length === 0 ? (
        <p className="muted" data-testid={`${idPrefix}-no-roles`}>
          {t('users.grants.none')}
        </p>
      ) : (
        <ul className="grant-list" data-testid={`${idPrefix}-roles`}>
          {grants.map((g) => (
            <li key={`${g.officeId}:${g.role}`} className="grant-list__item">
              <span>
                <strong>{t(`roles.${g.role}`)}</strong> · {officeLabel(g.officeId)}
              </span>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                disabled={disabled}
                aria-label={t('users.grants.removeLabel', { role: t(`roles.${g.role}`), office: officeLabel(g.officeId) })}
                onClick={() => onChange(grants.filter((x) => !(x.officeId === g.officeId && x.role === g.role)))}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id={`${idPrefix}-roles-error`} className="field__error">
          {error}
        </p>
      )}
      <div className="grant-picker">
        <SelectField
          id={`${idPrefix}-office`}
          label={t('users.grants.office')}
          value={officeId}
          onChange={(e) => setOfficeId(e.target.value)}
          disabled={disabled}
          data-testid={`${idPrefix}-office`}
        >
          <option value="">{t('common.choose')}</option>
          {flat
            .filter((o) => o.active || o.id === officeId)
            .map((o) => (
              <option key={o.id} value={o.id}>
                {officeOptionLabel(o)}
              </option>
            ))}
        </SelectField>
        <SelectField
          id={`${idPrefix}-role`}
          label={t('users.grants.role')}
          value={role}
          onChange={(e) => setRole(e.target.value as Role | '')}
          disabled={disabled}
          data-testid={`${idPrefix}-role`}
        >
          <option value="">{t('common.choose')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <button type="button" className="btn btn--secondary grant-picker__add" onClick={add} disabled={disabled} data-testid={`${idPrefix}-add-role`}>
          {t('users.grants.add')}
        </button>
      </div>
      {pickError && (
        <p className="field__error" role="alert">
          {pickError}
        </p>
      )}
    </fieldset>
  );
}
