/** A dated list of places (recruitment, transit, exploitation): add, edit and remove rows. */
import { useTranslation } from 'react-i18next';
import { EVENT_KINDS } from '@passage/domain/cases/case-type';
import { SelectField, TextField } from '../../ui/index.ts';
import { CountrySelect } from '../registry/PersonFields.tsx';
import type { Option } from '../registry/labels.ts';

type PlaceEvent = Record<string, unknown>;

interface EventsEditorProps {
  id: string;
  label: string;
  value: PlaceEvent[];
  onChange: (next: PlaceEvent[]) => void;
  /** Problems by "index.part". */
  errors: Record<string, string>;
  countries: Option[];
  disabled: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function EventsEditor({ id, label, value, onChange, errors, countries, disabled }: EventsEditorProps) {
  const { t } = useTranslation();
  const set = (i: number, part: string, v: unknown) => onChange(value.map((e, j) => (j === i ? { ...e, [part]: v } : e)));
  return (
    <fieldset className="fieldset form-grid__wide" data-testid={id}>
      <legend className="fieldset__legend">{label}</legend>
      {value.length === 0 && <p className="muted">{t('cases.events.none')}</p>}
      <ol className="case-events">
        {value.map((e, i) => {
          const n = i + 1;
          return (
            <li key={i} className="case-events__item" data-testid={`${id}-row`}>
              <fieldset className="fieldset">
                <legend className="fieldset__legend">{t('cases.events.item', { n })}</legend>
                <div className="form-grid">
                  <SelectField id={`${id}-${i}-kind`} label={t('cases.events.kind')} value={str(e['kind'])} error={errors[`${i}.kind`]} disabled={disabled} onChange={(ev) => set(i, 'kind', ev.target.value)} data-testid={`${id}-${i}-kind`}>
                    {EVENT_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`cases.eventKinds.${k}`)}
                      </option>
                    ))}
                  </SelectField>
                  <CountrySelect id={`${id}-${i}-country`} label={t('cases.events.country')} value={str(e['country'])} onChange={(v) => set(i, 'country', v || null)} options={countries} error={errors[`${i}.country`]} testId={`${id}-${i}-country`} />
                  <TextField id={`${id}-${i}-place`} label={t('cases.events.place')} value={str(e['place'])} maxLength={200} dir="auto" error={errors[`${i}.place`]} disabled={disabled} onChange={(ev) => set(i, 'place', ev.target.value)} data-testid={`${id}-${i}-place`} />
                  <TextField id={`${id}-${i}-from`} type="date" label={t('cases.events.from')} value={str(e['from'])} error={errors[`${i}.from`]} disabled={disabled} onChange={(ev) => set(i, 'from', ev.target.value || null)} />
                  <TextField id={`${id}-${i}-to`} type="date" label={t('cases.events.to')} value={str(e['to'])} error={errors[`${i}.to`]} disabled={disabled} onChange={(ev) => set(i, 'to', ev.target.value || null)} />
                </div>
                {!disabled && (
                  <div>
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => onChange(value.filter((_, j) => j !== i))} data-testid={`${id}-${i}-remove`}>
                      {t('cases.events.remove', { n })}
                    </button>
                  </div>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {!disabled && (
        <div>
          <button type="button" className="btn btn--secondary btn--small" onClick={() => onChange([...value, { kind: 'recruitment', country: null, place: '', from: null, to: null }])} data-testid={`${id}-add`}>
            {t('cases.events.add')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
