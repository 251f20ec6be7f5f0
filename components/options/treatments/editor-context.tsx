/**
 * What the rule editor adds to the form kit (../form.tsx, whose state says the validation issues,
 * the fields touched, whether the editor is read-only and its ids): the current tiers, for the tier
 * conditions. useEditor() gives both.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { useForm, type FormState } from '../form';

export interface TierChoice {
  name: string;
  color: string;
}

export const TiersContext = createContext<readonly TierChoice[]>([]);

export function useEditor(): FormState & { tiers: readonly TierChoice[] } {
  return { ...useForm(), tiers: useContext(TiersContext) };
}

export { Field, FieldErrors, fieldId, invalidProps, isTouched, useFieldErrors } from '../form';
