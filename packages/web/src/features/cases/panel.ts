import type { CaseTypeDefinition } from '@passage/domain/cases/case-type';
import type { CaseDto } from './cases-api.ts';

/** What every tab of the case page is given. */
export interface PanelProps {
  c: CaseDto;
  def: CaseTypeDefinition;
  /** The case as the server answered after a change. */
  onCase: (c: CaseDto) => void;
  /** Reads the case again (after a change that answers something else than the case). */
  reload: () => Promise<void>;
}
