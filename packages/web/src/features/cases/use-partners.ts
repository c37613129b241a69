import { casesApi, type PartnerDto } from './cases-api.ts';
import { useLoad } from './use-load.ts';

/** The partner directory of an office (active partners first). */
export function usePartners(officeId: string): { data: PartnerDto[] | null; error: unknown } {
  const { data, error } = useLoad(async () => (await casesApi.partners(officeId)).sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)), officeId);
  return { data, error };
}
